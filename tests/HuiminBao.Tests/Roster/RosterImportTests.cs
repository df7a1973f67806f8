using Azure.Data.Tables;
using HuiminBao.Domain;
using HuiminBao.Enrollment.Eligibility;
using HuiminBao.Roster;
using HuiminBao.Tests.Infrastructure;

namespace HuiminBao.Tests.Roster;

[Collection(AzuriteCollection.Name)]
public sealed class RosterImportTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private RosterTestHost _host = null!;

    public async Task InitializeAsync() => _host = await RosterTestHost.StartAsync(azurite, new Dictionary<string, string?> { ["RosterImport:CheckpointRows"] = "5000" });

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    private static string Scheme(SyntheticPerson p) => p.Scheme == "职工" ? InsuranceSchemes.Employee : InsuranceSchemes.Resident;

    private static string State(SyntheticPerson p) => p.Status switch { "正常" => InsuranceStates.Active, "暂停" => InsuranceStates.Suspended, _ => InsuranceStates.Terminated };

    private PersonToCheck Check(string idNumber, string name) => new(_host.Hashes.PersonKey(idNumber), _host.Hashes.NameKey(idNumber, name));

    private PersonToCheck Check(SyntheticPerson person) => Check(person.IdNumber, person.Name);

    [Fact]
    public async Task A_gbk_roster_of_20000_rows_makes_everyone_findable_and_a_rerun_writes_nothing()
    {
        var people = new SyntheticRoster(11).People(20_000).ToList();
        var file = RosterFiles.Of(people, new RosterCsvFormat { Gbk = true });
        var importId = await _host.RegisterAsync(file);

        var first = await _host.RunAsync(importId, file);

        Assert.Equal(RosterImportOutcome.Completed, first.Outcome);
        Assert.Equal((20_000L, 20_000L, 0L), (first.Record.RowsRead, first.Record.RowsImported, first.Record.RowsBad));
        Assert.Equal(20_000, first.EntitiesWritten);
        Assert.InRange(first.Batches, 200, 20_000 / 100 + 4 * 256);
        var stored = await _host.RosterEntitiesAsync(RosterTable.Status);
        Assert.Equal(20_000, stored.Count);
        foreach (var person in people.Where((_, i) => i % 97 == 0))
            Assert.Equal(InsuranceStatus.Insured(State(person), Scheme(person), person.District), await _host.Lookup.LookupAsync(Check(person), default));
        Assert.Equal(InsuranceStatus.NotFound, await _host.Lookup.LookupAsync(Check(SyntheticRoster.Outsider()), default));

        var batchesBefore = _host.Calls.ByOperation.GetValueOrDefault("table POST batch");
        var again = await _host.RunAsync(importId, file);

        Assert.Equal(RosterImportOutcome.AlreadyFinished, again.Outcome);
        Assert.Equal(0, again.EntitiesWritten);
        Assert.Equal(batchesBefore, _host.Calls.ByOperation.GetValueOrDefault("table POST batch"));
        Assert.Equal(stored.Select(e => (e.RowKey, e.ETag.ToString())).Order(), (await _host.RosterEntitiesAsync(RosterTable.Status)).Select(e => (e.RowKey, e.ETag.ToString())).Order());
    }

    [Fact]
    public async Task A_forced_rerun_rewrites_the_same_rows_so_the_roster_holds_the_same_people_with_the_same_values()
    {
        var file = RosterFiles.Of(new SyntheticRoster(12).People(3_000), new RosterCsvFormat { Gbk = true });
        var importId = await _host.RegisterAsync(file);
        await _host.RunAsync(importId, file);
        var before = Contents(await _host.RosterEntitiesAsync());

        var record = (await _host.Records.GetAsync(importId, default))!;
        Assert.True(await _host.Records.TryRestartAsync(record, default));
        var forced = await _host.RunAsync(importId, file);

        Assert.Equal(RosterImportOutcome.Completed, forced.Outcome);
        Assert.Equal(3_000, forced.EntitiesWritten);
        Assert.Equal(before, Contents(await _host.RosterEntitiesAsync()));
    }

    [Fact]
    public async Task The_same_people_in_utf8_with_and_without_bom_english_headers_long_scheme_names_and_quoted_fields_import_to_the_same_roster()
    {
        var people = new SyntheticRoster(13).People(1_500).ToList();
        var variants = new[]
        {
            new RosterCsvFormat { Gbk = true },
            new RosterCsvFormat { Bom = true, EnglishHeader = true, EnglishValues = true, QuoteAll = true },
            new RosterCsvFormat { LongSchemeNames = true, RowNumbers = false, Columns = ["参保状态", "行政区划", "姓名", "险种", "身份证号"] },
        };

        var contents = new List<List<string>>();
        foreach (var format in variants)
        {
            var file = RosterFiles.Of(people, format);
            var result = await _host.RunAsync(await _host.RegisterAsync(file), file);
            Assert.Equal((RosterImportOutcome.Completed, 1_500L, 0L), (result.Outcome, result.Record.RowsImported, result.Record.RowsBad));
            contents.Add(Contents(await _host.RosterEntitiesAsync()));
        }

        Assert.Equal(1_500, contents[0].Count);
        Assert.Equal(contents[0], contents[1]);
        Assert.Equal(contents[0], contents[2]);
    }

    [Fact]
    public async Task Bad_rows_are_skipped_and_reported_with_their_line_numbers_and_the_good_rows_around_them_are_imported()
    {
        var good = new SyntheticRoster(14).People(4).ToList();
        var badChecksum = good[1].IdNumber[..17] + (good[1].IdNumber[17] == '0' ? '1' : '0');
        var csv = string.Join("\r\n",
            "序号,身份证号,姓名,险种,行政区划,参保状态",
            $"1,{good[0].IdNumber},\"{good[0].Name}\",职工,410502,正常",
            $"2,{badChecksum},{good[1].Name},居民,410503,正常",
            "",
            $"3,{good[2].IdNumber},{good[2].Name},居民,410505,退休",
            $"4,{good[3].IdNumber},{good[3].Name},居民",
            ",,,,,",
            $"5,\"{good[3].IdNumber}\",\"{good[3].Name}\",\"城乡居民基本医疗保险\",\"410581\",\"暂停\"",
            "");
        var file = RosterFiles.Gbk(csv);
        var reported = new List<RosterBadRow>();

        var result = await _host.RunAsync(await _host.RegisterAsync(file), file, onBadRow: reported.Add);

        Assert.Equal(RosterImportOutcome.Completed, result.Outcome);
        Assert.Equal((5L, 2L, 3L), (result.Record.RowsRead, result.Record.RowsImported, result.Record.RowsBad));
        RosterBadRow[] expected = [new(3, "id-number-checksum"), new(5, RosterRowErrors.UnknownStatus), new(6, RosterRowErrors.ColumnCount)];
        Assert.Equal(expected, reported);
        Assert.Equal(expected, RosterImportView.BadRowsOf(result.Record));
        Assert.True((await _host.Lookup.LookupAsync(Check(good[0]), default)).IsActive);
        Assert.Equal(InsuranceStatus.NotFound, await _host.Lookup.LookupAsync(Check(good[1]), default));
        Assert.Equal(InsuranceStatus.NotFound, await _host.Lookup.LookupAsync(Check(good[2]), default));
        Assert.Equal(InsuranceStatus.Insured(InsuranceStates.Suspended, InsuranceSchemes.Resident, "410581"), await _host.Lookup.LookupAsync(Check(good[3]), default));
    }

    [Fact]
    public async Task A_person_listed_twice_ends_with_the_later_row()
    {
        var person = new SyntheticRoster(15).People(1).Single();
        var file = RosterFiles.Utf8($"身份证号,姓名,险种,行政区划,参保状态\n{person.IdNumber},{person.Name},职工,410502,正常\n{person.IdNumber},{person.Name},职工,410502,终止\n");

        await _host.RunAsync(await _host.RegisterAsync(file), file);

        Assert.Equal(InsuranceStates.Terminated, (await _host.Lookup.LookupAsync(Check(person), default)).Status);
        Assert.Single(await _host.RosterEntitiesAsync());
    }

    [Fact]
    public async Task A_file_without_a_required_column_is_refused_whole_before_any_row()
    {
        var person = new SyntheticRoster(16).People(1).Single();
        var file = RosterFiles.Utf8($"身份证号,姓名,险种,行政区划\n{person.IdNumber},{person.Name},职工,410502\n");

        var result = await _host.RunAsync(await _host.RegisterAsync(file), file);

        Assert.Equal(RosterImportOutcome.Rejected, result.Outcome);
        Assert.Equal(RosterImportStates.Failed, result.Record.State);
        Assert.Contains("参保状态", result.Record.Failure, StringComparison.Ordinal);
        Assert.Empty(await _host.RosterEntitiesAsync());
    }

    [Fact]
    public async Task An_import_stopped_at_its_deadline_resumes_from_the_checkpoint_and_ends_with_the_whole_roster()
    {
        var people = new SyntheticRoster(17).People(3_000).ToList();
        var file = RosterFiles.Of(people, new RosterCsvFormat { Gbk = true });
        var importId = await _host.RegisterAsync(file);

        var paused = await _host.RunAsync(importId, file, deadline: DateTimeOffset.UtcNow.AddDays(-1));

        Assert.Equal(RosterImportOutcome.Paused, paused.Outcome);
        Assert.Equal(256, paused.Record.RecordsDone);
        Assert.Null(paused.Record.LeaseId);
        Assert.Equal(256, await _host.RosterCountAsync());

        var resumed = await _host.RunAsync(importId, file);

        Assert.Equal(RosterImportOutcome.Completed, resumed.Outcome);
        Assert.Equal(3_000 - 256, resumed.EntitiesWritten);
        Assert.Equal((2, 3_000L, 3_000L), (resumed.Record.Runs, resumed.Record.RowsRead, resumed.Record.RowsImported));
        Assert.Equal(3_000, await _host.RosterCountAsync());
    }

    [Fact]
    public async Task An_import_that_crashes_mid_file_releases_its_claim_and_the_next_run_finishes_it()
    {
        using var host = await RosterTestHost.StartAsync(azurite, new Dictionary<string, string?> { ["RosterImport:CheckpointRows"] = "1000" });
        var file = RosterFiles.Of(new SyntheticRoster(18).People(3_000), new RosterCsvFormat { Gbk = true });
        var importId = await host.RegisterAsync(file);

        await Assert.ThrowsAsync<IOException>(() => host.Import.RunAsync(
            new RosterImportJob(importId, _ => Task.FromResult<Stream>(new FailingStream(file, failAt: file.Length * 3 / 4))), default));

        var interrupted = (await host.Records.GetAsync(importId, default))!;
        Assert.Equal(RosterImportStates.Running, interrupted.State);
        Assert.Null(interrupted.LeaseId);
        Assert.Equal(2_000, interrupted.RecordsDone);

        var finished = await host.RunAsync(importId, file);

        Assert.Equal(RosterImportOutcome.Completed, finished.Outcome);
        Assert.Equal((3_000L, 3_000L, 0L), (finished.Record.RowsRead, finished.Record.RowsImported, finished.Record.RowsBad));
        Assert.Equal(3_000, await host.RosterCountAsync());
    }

    [Fact]
    public async Task A_runner_finding_a_live_claim_leaves_the_import_alone()
    {
        var file = RosterFiles.Of(new SyntheticRoster(19).People(10), new RosterCsvFormat());
        var importId = await _host.RegisterAsync(file);
        var record = (await _host.Records.GetAsync(importId, default))!;
        Assert.NotNull(await _host.Records.TryClaimAsync(record, TimeSpan.FromMinutes(1), default));

        var result = await _host.RunAsync(importId, file);

        Assert.Equal(RosterImportOutcome.Busy, result.Outcome);
        Assert.Empty(await _host.RosterEntitiesAsync());
    }

    private static List<string> Contents(IEnumerable<TableEntity> entities) =>
        [.. entities.Select(e => string.Join('|', e.PartitionKey, e.RowKey, e.GetString(RosterTable.Scheme), e.GetString(RosterTable.Status), e.GetString(RosterTable.District), e.GetString(RosterTable.AsOf), e.GetString(RosterTable.NameKey))).Order()];

    /// <summary>A file whose read fails part-way, as a dropped blob download would.</summary>
    private sealed class FailingStream(byte[] bytes, int failAt) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => Position >= failAt ? throw new IOException("connection reset") : base.Read(buffer, offset, Math.Min(count, 4096));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Position >= failAt ? throw new IOException("connection reset") : base.ReadAsync(buffer[..Math.Min(buffer.Length, 4096)], cancellationToken);
    }
}
