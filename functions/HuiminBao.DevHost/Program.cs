using HuiminBao.DevHost;

// `dotnet run --project functions/HuiminBao.DevHost` serves the pipeline on http://127.0.0.1:7071.
var app = await DevHostApp.CreateAsync(args);
await app.RunAsync();
