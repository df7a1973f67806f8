using System.Text.Json.Nodes;
using HuiminBao.Domain;
using HuiminBao.Http;
using HuiminBao.Intake;
using Microsoft.Extensions.Time.Testing;

namespace HuiminBao.Tests.OpenApi;

/// <summary>
/// The sign-up body the document describes (<see cref="SignUpRequest"/>, its example, its field
/// codes) is the body <see cref="SignUpForm"/> reads. The form parses by hand, so these tests are
/// what hold the two together: a field added to the form and not to the contract fails here.
/// </summary>
public sealed class SignUpContractTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 6, 15, 30, 0, BeijingTime.Offset);

    private static readonly EnrollmentWindow Open = Window(opensAt: null, closesAt: null);

    private static readonly IReadOnlySet<string> Consents = new HashSet<string> { ApiExamples.ConsentVersion };

    [Fact]
    public void The_documented_example_is_accepted_as_it_stands()
    {
        var signUp = SignUpForm.Read(Body(Example()), Open, Consents, out var errors);

        Assert.Empty(errors);
        Assert.NotNull(signUp);
        Assert.Equal(ApiExamples.SignUp.Insured.Count, signUp.Insured.Count);
    }

    /// <summary>Every field of the documented shape is one the form requires: without it, the form answers <c>required</c> at its path.</summary>
    [Fact]
    public void Each_documented_field_is_one_the_form_requires()
    {
        var paths = Leaves(Example(), "").ToList();
        Assert.Contains("insured[2].relation", paths);

        foreach (var path in paths)
        {
            var body = Example();
            Remove(body, path);
            SignUpForm.Read(Body(body), Open, Consents, out var errors);
            // Consent has a code of its own, so the applicant is told what is missing is their consent.
            var code = path == ConsentField.Name ? ErrorCodes.ConsentRequired : ErrorCodes.Required;
            Assert.True(errors.Any(e => e.Field == path && e.Code == code), $"{path}: {string.Join(", ", errors.Select(e => $"{e.Field} {e.Code}"))}");
        }
    }

    /// <summary>The field codes the document lists for a sign-up are the ones the form answers: each bad body below gives one, and together they give all.</summary>
    [Fact]
    public void The_documented_field_codes_are_the_codes_the_form_answers()
    {
        var answered = new HashSet<string>();
        void Read(string body, EnrollmentWindow? window = null)
        {
            SignUpForm.Read(System.Text.Encoding.UTF8.GetBytes(body), window ?? Open, Consents, out var errors);
            Assert.NotEmpty(errors);
            answered.UnionWith(errors.Select(e => e.Code));
        }
        JsonObject With(string path, JsonNode? value)
        {
            var body = Example();
            Set(body, path, value);
            return body;
        }

        Read("{\"planYear\":");
        Read(Example().ToJsonString().Replace("\"consent\":", "\"planYear\":2026,\"consent\":", StringComparison.Ordinal));
        Read("{}");
        Read(With("planYear", "2026").ToJsonString());
        Read(With("applicant.name", new string('张', 200)).ToJsonString());
        Read(With("applicant.idNumber", "41050219900101123").ToJsonString());
        Read(With("applicant.idNumber", "410502900101123").ToJsonString());
        Read(With("applicant.idNumber", "410502199001011234").ToJsonString());
        Read(With("applicant.idNumber", "410502199002301234").ToJsonString());
        Read(With("applicant.idNumber", "410502209912311234").ToJsonString());
        Read(With("insured[2].idNumber", ApiExamples.SignUp.Insured[1].IdNumber).ToJsonString());
        Read(With("applicant.mobile", "12345").ToJsonString());
        Read(With("applicant.name", "张3").ToJsonString());
        Read(With("insured[1].relation", "friend").ToJsonString());
        Read(With("insured[1].relation", "self").ToJsonString());
        Read(With("insured[0].idNumber", ApiExamples.SignUp.Insured[2].IdNumber).ToJsonString());
        Read(With("insured", new JsonArray()).ToJsonString());
        Read(With("insured", new JsonArray([.. Enumerable.Range(0, SignUpForm.MaxInsured + 1).Select(_ => (JsonNode)new JsonObject())])).ToJsonString());
        Read(With("planYear", ApiExamples.PlanYear - 1).ToJsonString());
        Read(With("consent", "1999-01").ToJsonString());
        Read(Example().ToJsonString(), Window(opensAt: Now.AddDays(1), closesAt: null));
        Read(Example().ToJsonString(), Window(opensAt: null, closesAt: Now.AddDays(-1)));

        Assert.Equal(ApiContracts.SignUpFieldCodes.Order(), answered.Order());
    }

    private static EnrollmentWindow Window(DateTimeOffset? opensAt, DateTimeOffset? closesAt) =>
        new(new EnrollmentOptions { PlanYear = ApiExamples.PlanYear, OpensAt = opensAt, ClosesAt = closesAt }, new FakeTimeProvider(Now));

    private static JsonObject Example() => JsonNode.Parse(ApiExamples.Json(ApiExamples.SignUp))!.AsObject();

    private static byte[] Body(JsonObject body) => System.Text.Encoding.UTF8.GetBytes(body.ToJsonString());

    /// <summary>Every property of the body, objects and array items included, as the form names them (<c>insured[1].idNumber</c>).</summary>
    private static IEnumerable<string> Leaves(JsonNode node, string path)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, value) in o)
                {
                    var child = path.Length == 0 ? name : $"{path}.{name}";
                    yield return child;
                    foreach (var leaf in Leaves(value!, child))
                        yield return leaf;
                }
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    foreach (var leaf in Leaves(a[i]!, $"{path}[{i}]"))
                        yield return leaf;
                }
                break;
        }
    }

    private static void Remove(JsonObject body, string path)
    {
        var (parent, name) = Locate(body, path);
        parent.Remove(name);
    }

    private static void Set(JsonObject body, string path, JsonNode? value)
    {
        var (parent, name) = Locate(body, path);
        parent[name] = value;
    }

    private static (JsonObject Parent, string Name) Locate(JsonObject body, string path)
    {
        var parts = path.Split('.');
        JsonNode node = body;
        foreach (var part in parts[..^1])
        {
            var index = part.IndexOf('[', StringComparison.Ordinal);
            node = index < 0 ? node[part]! : node[part[..index]]![int.Parse(part[(index + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)]!;
        }
        return (node.AsObject(), parts[^1]);
    }
}
