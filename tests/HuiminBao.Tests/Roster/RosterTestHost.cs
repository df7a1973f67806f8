using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using HuiminBao.Enrollment.Eligibility;
using HuiminBao.Roster;
using HuiminBao.Security;
using HuiminBao.Storage;
using HuiminBao.Tests.Enrollment;
using HuiminBao.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HuiminBao.Tests.Roster;

/// <summary>The shared roster services on a storage account of their own in the test Azurite, provisioned as a host would.</summary>
internal sealed class RosterTestHost : IDisposable
{
    private readonly IHost _host;

    private RosterTestHost(IHost host, StorageProbe storage)
    {
        _host = host;
        Storage = storage;
    }

    public StorageProbe Storage { get; }

    public IServiceProvider Services => _host.Services;

    public RosterImport Import => Services.GetRequiredService<RosterImport>();

    public RosterImportRecords Records => Services.GetRequiredService<RosterImportRecords>();

    public IInsuranceLookup Lookup => Services.GetRequiredService<RosterLookup>();

    public StorageCallCounter Calls => Services.GetRequiredService<StorageCallCounter>();

    public KeyedHashes Hashes => Services.GetRequiredService<KeyedHashes>();

    public TableClient Roster => Storage.Table(TableNames.Roster);

    public BlobContainerClient Uploads => new BlobServiceClient(Storage.ConnectionString).GetBlobContainerClient(BlobContainers.RosterUploads);

    public static async Task<RosterTestHost> StartAsync(AzuriteFixture azurite, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var connection = azurite.NewAccount();
        var values = new Dictionary<string, string?> { ["AzureWebJobsStorage"] = connection };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            values[key] = value;
        var host = EligibilityServiceProvider.Build(values, services: services);
        await host.Services.GetRequiredService<StorageProvisioner>().EnsureCreatedAsync(default);
        return new RosterTestHost(host, new StorageProbe(connection));
    }

    /// <summary>Registers a file as the command line does (scan, record) and returns its import id.</summary>
    public async Task<string> RegisterAsync(byte[] file, string asOf = "2026-03-01")
    {
        var facts = await RosterFileScanner.ScanAsync(new MemoryStream(file), null, default);
        await Records.TryCreateAsync(RosterImportRecord.For(facts, "cli", asOf, 2026, null, DateTimeOffset.UtcNow), default);
        return facts.ImportId;
    }

    public Task<RosterImportResult> RunAsync(string importId, byte[] file, DateTimeOffset? deadline = null, Action<RosterBadRow>? onBadRow = null) =>
        Import.RunAsync(new RosterImportJob(importId, _ => Task.FromResult<Stream>(new MemoryStream(file))) { Deadline = deadline, OnBadRow = onBadRow }, default);

    /// <param name="select">Only these properties (and the keys), to keep a large listing quick.</param>
    public async Task<List<TableEntity>> RosterEntitiesAsync(params string[] select)
    {
        var all = new List<TableEntity>();
        await foreach (var entity in Roster.QueryAsync<TableEntity>(select: select.Length == 0 ? null : select))
            all.Add(entity);
        return all;
    }

    public async Task<int> RosterCountAsync() => (await RosterEntitiesAsync(RosterTable.Status)).Count;

    public void Dispose() => _host.Dispose();
}

/// <summary>Roster files as bytes.</summary>
internal static class RosterFiles
{
    public static byte[] Of(IEnumerable<SyntheticPerson> people, RosterCsvFormat format)
    {
        using var stream = new MemoryStream();
        RosterCsvWriter.WriteAsync(stream, people, format, default).GetAwaiter().GetResult();
        return stream.ToArray();
    }

    public static byte[] Gbk(string text) => RosterEncoding.For(RosterEncoding.Gb18030).GetBytes(text);

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
