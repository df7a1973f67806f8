using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using HuiminBao.Roster;

namespace HuiminBao.LaunchDay.Harness;

/// <summary>Seeds the roster the way ops do: uploads a generated bureau CSV and waits for its import.</summary>
public static class RosterSeeding
{
    public static async Task<IReadOnlyList<SyntheticPerson>> SeedAsync(PipelineStack stack, int people, int seed, TimeSpan? within = null)
    {
        var roster = new SyntheticRoster(seed).People(people).ToList();
        using var file = new MemoryStream();
        await RosterCsvWriter.WriteAsync(file, roster, new RosterCsvFormat { Gbk = true }, CancellationToken.None);

        using var upload = PipelineStack.Ops(HttpMethod.Post, "/api/ops/roster-imports");
        upload.Content = new ByteArrayContent(file.ToArray());
        upload.Content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        using var accepted = await stack.Client.SendAsync(upload);
        accepted.EnsureSuccessStatusCode();

        var limit = within ?? TimeSpan.FromMinutes(5);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            using var status = PipelineStack.Ops(HttpMethod.Get, accepted.Headers.Location!.OriginalString);
            using var response = await stack.Client.SendAsync(status);
            var view = await response.Content.ReadFromJsonAsync<JsonElement>();
            var state = view.GetProperty("state").GetString();
            if (state == "completed")
                return roster;
            if (state == "failed" || clock.Elapsed > limit)
                throw new InvalidOperationException($"Roster import ended {state}: {view}");
            await Task.Delay(250);
        }
    }
}
