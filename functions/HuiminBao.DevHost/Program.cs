using HuiminBao.DevHost;
using HuiminBao.DevHost.OpenApi;
using HuiminBao.DevHost.Roster;

if (args is ["roster", .. var rosterArgs])
    return await RosterCommands.RunAsync(rosterArgs);
if (args is ["openapi", .. var openApiArgs])
    return await OpenApiCommand.RunAsync(openApiArgs);

// `dotnet run --project functions/HuiminBao.DevHost` serves the pipeline on http://127.0.0.1:7071.
// `--no-local-settings` ignores local.settings.json (test harnesses pass their settings explicitly).
var readLocalSettings = !args.Contains("--no-local-settings");
var app = await DevHostApp.CreateAsync([.. args.Where(a => a != "--no-local-settings")], readLocalSettings: readLocalSettings);
await app.RunAsync();
return 0;
