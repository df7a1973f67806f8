using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Azure.Data.Tables;
using HuiminBao.Queues;
using HuiminBao.Security;
using HuiminBao.Storage;
using HuiminBao.Tests.Functions;
using HuiminBao.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace HuiminBao.Tests.Privacy;

/// <summary><c>POST /api/ops/reseal</c>: after a data-key rotation, everything stored sealed moves to the current key in bounded batches.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ResealTests(AzuriteFixture azurite)
{
    private const int PlanYear = PipelineHost.PlanYear;

    [Fact]
    public async Task Batches_move_every_sealed_value_to_the_new_key_so_the_retired_one_can_go_and_a_second_pass_writes_nothing()
    {
        var connection = azurite.NewAccount();
        var newKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var owners = new List<(string OpenId, string SignUpId)>();
        var insurance = new InMemoryInsurance();
        await using (var before = await PipelineHost.StartAsync(azurite, connectionString: connection, insurance: insurance))
        {
            for (var i = 0; i < 5; i++)
            {
                var person = People.Next();
                insurance.Add(before.Identity(person));
                var token = await before.LoginAsync($"o-reseal-{i}");
                var id = await before.SubmitAcceptedAsync(token, People.SelfSignUp(PlanYear, person));
                await before.DecidedAsync(token, id, TimeSpan.FromSeconds(60));
                owners.Add(($"o-reseal-{i}", id));
            }
            // The notifications stored the WeChat access token, sealed too.
            await Eventually.TrueAsync(async () => (await before.SignUpStatusAsync(await before.LoginAsync(owners[^1].OpenId), owners[^1].SignUpId)).GetProperty("notification").GetString() == "sent");
            using var erased = await before.OpsAsync(HttpMethod.Delete, $"/api/ops/signups/{owners[0].SignUpId}");
            Assert.Equal(HttpStatusCode.NoContent, erased.StatusCode);
        }

        var rotated = new Dictionary<string, string?> { ["Security:DataKey"] = newKey, ["Security:RetiredDataKeys"] = DevelopmentKeys.DataKey };
        var progress = new List<JsonElement>();
        await using (var during = await PipelineHost.StartAsync(azurite, Merge(rotated, PipelineHost.WithoutListeners), connectionString: connection))
        {
            using var badContinuation = await during.OpsAsync(HttpMethod.Post, "/api/ops/reseal?continuation=not-ours");
            Assert.Equal("continuation-invalid", (await badContinuation.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
            using var badLimit = await during.OpsAsync(HttpMethod.Post, "/api/ops/reseal?limit=0");
            Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);

            string? continuation = null;
            do
            {
                using var response = await during.OpsAsync(HttpMethod.Post, "/api/ops/reseal?limit=2" + (continuation is null ? "" : $"&continuation={continuation}"));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var batch = await response.Content.ReadFromJsonAsync<JsonElement>();
                progress.Add(batch);
                continuation = batch.TryGetProperty("continuation", out var next) ? next.GetString() : null;
                Assert.True(progress.Count < 10, "reseal never finished");
            }
            while (continuation is not null);
            var keyId = during.Services.GetRequiredService<PersonalDataCipher>().CurrentKeyId;
            Assert.All(progress, p => Assert.Equal(keyId, p.GetProperty("keyId").GetString()));
        }

        Assert.True(progress.Count >= 2, "the records went in one batch; limit=2 should have split them");
        Assert.All(progress.SkipLast(1), p => Assert.True(p.GetProperty("examined").GetInt32() <= 2));
        Assert.Equal(4, progress.Sum(p => p.GetProperty("resealed").GetInt32()));
        Assert.True(progress[0].GetProperty("accessTokenResealed").GetBoolean());
        Assert.True(progress[^1].GetProperty("done").GetBoolean());

        // With the retired key gone, everything still opens, and the owners still read their sign-ups.
        await using var after = await PipelineHost.StartAsync(azurite, Merge(new Dictionary<string, string?> { ["Security:DataKey"] = newKey }, PipelineHost.WithoutListeners), connectionString: connection);
        var (opened, unopened) = await SealedValueScan.OpenAllAsync(connection, after.Services.GetRequiredService<PersonalDataCipher>());
        Assert.Empty(unopened);
        Assert.Equal(5, opened.Count);
        foreach (var (openId, id) in owners.Skip(1))
            Assert.Equal("enrolled", (await after.SignUpStatusAsync(await after.LoginAsync(openId), id)).GetProperty("status").GetString());

        // A second pass finds nothing under another key and writes nothing.
        var etags = await ETagsAsync(after.Storage);
        using var again = await after.OpsAsync(HttpMethod.Post, "/api/ops/reseal");
        var repeat = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((0, 0, false, true), (repeat.GetProperty("examined").GetInt32(), repeat.GetProperty("resealed").GetInt32(), repeat.GetProperty("accessTokenResealed").GetBoolean(), repeat.GetProperty("done").GetBoolean()));
        Assert.Equal(etags, await ETagsAsync(after.Storage));
    }

    [Fact]
    public async Task The_functions_app_erases_and_reseals_through_its_own_triggers()
    {
        await using var app = await FunctionsAppHost.StartAsync(azurite);
        var session = await app.HttpAsync("CreateSession", "POST", "/api/sessions", JsonSerializer.Serialize(new { code = app.WeChat.IssueCode("o-fn-erase") }));
        var token = session.Json.GetProperty("token").GetString()!;
        var submitted = await app.HttpAsync("SubmitSignUp", "POST", "/api/signups", People.SelfSignUp(PlanYear, People.Next()), FunctionsAppHost.Bearer(token));
        var signUpId = submitted.Json.GetProperty("signUpId").GetString()!;

        var resealed = await app.HttpAsync("ResealPersonalData", "POST", "/api/ops/reseal", headers: FunctionsAppHost.OpsHeaders());
        var erased = await app.HttpAsync("EraseSignUp", "DELETE", $"/api/ops/signups/{signUpId}", headers: FunctionsAppHost.OpsHeaders());
        var refused = await app.HttpAsync("EraseSignUp", "DELETE", $"/api/ops/signups/{signUpId}");
        await app.QueueAsync("ValidateSignUp", await app.TakeMessageAsync(QueueNames.SignUps));
        var status = await app.HttpAsync("GetSignUp", "GET", $"/api/signups/{signUpId}", headers: FunctionsAppHost.Bearer(token));

        Assert.Equal(200, resealed.Status);
        Assert.True(resealed.Json.GetProperty("done").GetBoolean());
        Assert.Equal(0, resealed.Json.GetProperty("resealed").GetInt32());
        Assert.Equal(204, erased.Status);
        Assert.Equal(401, refused.Status);
        Assert.Equal(410, status.Status);
        Assert.Equal("erased", status.Json.GetProperty("code").GetString());
    }

    private static Dictionary<string, string?> Merge(IDictionary<string, string?> first, IDictionary<string, string?> second) =>
        first.Concat(second).ToDictionary(p => p.Key, p => p.Value);

    private static async Task<Dictionary<string, string>> ETagsAsync(StorageProbe storage)
    {
        var etags = new Dictionary<string, string>();
        foreach (var table in new[] { TableNames.SignUps, TableNames.OpsState })
        {
            await foreach (var row in storage.Table(table).QueryAsync<TableEntity>())
                etags[$"{table}/{row.PartitionKey}/{row.RowKey}"] = row.ETag.ToString();
        }
        return etags;
    }
}
