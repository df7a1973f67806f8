using HuiminBao.DevHost.Azurite;
using HuiminBao.DevHost.Configuration;
using HuiminBao.Enrollment.Eligibility;
using HuiminBao.Hosting;
using HuiminBao.Roster;
using HuiminBao.Security;
using HuiminBao.Storage;

namespace HuiminBao.DevHost.Roster;

/// <summary>
/// The services the roster commands use, composed from the same settings as the local host
/// (appsettings, <c>local.settings.json</c>, environment) so a command works on the same storage:
/// with <c>UseDevelopmentStorage=true</c>, the Azurite the host uses, started (and stopped again) if
/// none is running.
/// </summary>
internal sealed class RosterCli : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RosterCli(WebApplication app) => _app = app;

    public TimeProvider Time => Get<TimeProvider>();

    public RosterImport Import => Get<RosterImport>();

    public RosterImportRecords Records => Get<RosterImportRecords>();

    public RosterLookup Lookup => Get<RosterLookup>();

    public KeyedHashes Hashes => Get<KeyedHashes>();

    /// <summary>The plan year a file imported now describes: the open one, as for an upload.</summary>
    public int PlanYear => Get<Microsoft.Extensions.Options.IOptions<HuiminBao.Domain.EnrollmentOptions>>().Value.EffectivePlanYear(Time);

    public static async Task<RosterCli> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.AddFunctionsSettings();
        // The progress bar owns the console; only problems are logged (a provider rule outranks appsettings' Default).
        builder.Logging.AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>(null, LogLevel.Warning);
        await builder.AddLocalAzuriteAsync();
        builder.AddClock();
        builder.AddStorage();
        builder.AddSecurity();
        builder.AddEligibility();
        builder.AddRosterImport();
        var app = builder.Build();
        await app.Services.GetRequiredService<StorageProvisioner>().EnsureCreatedAsync(cancellationToken);
        return new RosterCli(app);
    }

    private T Get<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        // The host is never started, so its shutdown hook won't stop an Azurite this command started.
        if (_app.Services.GetService<AzuriteInstance>() is { } azurite)
            await azurite.DisposeAsync();
        await _app.DisposeAsync();
    }
}
