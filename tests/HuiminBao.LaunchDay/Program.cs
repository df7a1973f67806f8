using HuiminBao.LaunchDay;

// dotnet run -c Release --project tests/HuiminBao.LaunchDay -- <load|fault|abuse> [options]   (see docs/BENCHMARKS.md)
return await LaunchDayCommands.RunAsync(args);
