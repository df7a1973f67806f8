using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HuiminBao.Queues;
using HuiminBao.SignUps;
using HuiminBao.Tests.Infrastructure;

namespace HuiminBao.Tests.Intake;

[Collection(AzuriteCollection.Name)]
public sealed class SignUpIntakeTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const int PlanYear = PipelineHost.PlanYear;
    private PipelineHost _host = null!;

    public async Task InitializeAsync() => _host = await PipelineHost.StartAsync(azurite, PipelineHost.WithoutListeners, insurance: new InMemoryInsurance());

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Valid_signup_is_accepted_queued_as_base64_and_readable_by_its_owner()
    {
        var token = await _host.LoginAsync("o-owner-1");
        var applicant = People.Next();
        var spouse = People.Next("410503");

        using var response = await _host.SubmitAsync(token, People.SignUpJson(PlanYear, applicant, (applicant, "self"), (spouse, "spouse")));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
        var signUpId = accepted.GetProperty("signUpId").GetString()!;
        Assert.Equal("pending", accepted.GetProperty("status").GetString());
        Assert.Equal($"/api/signups/{signUpId}", response.Headers.Location!.OriginalString);

        // The raw message text must be base64 (what Functions' queue trigger expects), decoding to JSON with no personal data.
        var raw = (await _host.Storage.RawQueue(QueueNames.SignUps).ReceiveMessagesAsync(32)).Value;
        var message = Assert.Single(raw);
        var json = Encoding.UTF8.GetString(Convert.FromBase64String(message.Body.ToString()));
        var queued = Assert.Single(JsonSerializer.Deserialize<SignUpBatch>(json, SignUpJson.Default.Options)!.SignUps);
        Assert.Equal(signUpId, queued.SignUpId);
        Assert.Equal(2, queued.Persons.Count);
        Assert.DoesNotContain(applicant.IdNumber, json, StringComparison.Ordinal);
        Assert.DoesNotContain(applicant.Name, json, StringComparison.Ordinal);

        using var status = await _host.GetSignUpAsync(token, signUpId);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        var view = await status.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("pending", view.GetProperty("status").GetString());
        var first = view.GetProperty("insured")[0];
        Assert.Equal($"{applicant.IdNumber[..6]}********{applicant.IdNumber[^4..]}", first.GetProperty("idNumber").GetString());
        Assert.Equal(applicant.Name[0] + new string('*', applicant.Name.Length - 1), first.GetProperty("name").GetString());
        Assert.Equal("self", first.GetProperty("relation").GetString());
        Assert.Equal("pending", first.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Another_openid_gets_404_for_someone_elses_signup()
    {
        var owner = await _host.LoginAsync("o-owner-2");
        var stranger = await _host.LoginAsync("o-stranger");
        using var response = await _host.SubmitAsync(owner, People.SelfSignUp(PlanYear, People.Next()));
        var signUpId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("signUpId").GetString()!;

        using var status = await _host.GetSignUpAsync(stranger, signUpId);

        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
        Assert.Equal("application/problem+json", status.Content.Headers.ContentType!.MediaType);
        Assert.Equal("not-found", (await status.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }
}
