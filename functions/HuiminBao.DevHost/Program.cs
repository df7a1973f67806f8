using HuiminBao.DevHost;
using HuiminBao.DevHost.Roster;

if (args is ["roster", .. var rosterArgs])
    return await RosterCommands.RunAsync(rosterArgs);

// `dotnet run --project functions/HuiminBao.DevHost` serves the pipeline on http://127.0.0.1:7071.
var app = await DevHostApp.CreateAsync(args);
await app.RunAsync();
return 0;
