using HuiminBao.Benchmarks.Roster;

// dotnet run -c Release --project tests/HuiminBao.Benchmarks -- roster [--rows 200000] [--raw-seconds 10]
return args switch
{
    ["roster", .. var rest] => await RosterBenchmark.RunAsync(rest),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: roster [--rows N] [--raw-seconds S] [--concurrency C] [--separate-processes]");
    return 2;
}
