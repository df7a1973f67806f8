using HuiminBao.Benchmarks.Counting;
using HuiminBao.Benchmarks.Functions;
using HuiminBao.Benchmarks.Roster;

// dotnet run -c Release --project tests/HuiminBao.Benchmarks -- roster [--rows 200000] [--raw-seconds 10]
// dotnet run -c Release --project tests/HuiminBao.Benchmarks -- counting [--workers 16] [--seconds 15]
// dotnet run -c Release --project tests/HuiminBao.Benchmarks -- functions-startup [--runs 7]
return args switch
{
    ["roster", .. var rest] => await RosterBenchmark.RunAsync(rest),
    ["counting", .. var rest] => await CountingBenchmark.RunAsync(rest),
    ["functions-startup", .. var rest] => await FunctionsStartupBenchmark.RunAsync(rest),
    ["functions-startup-once"] => FunctionsStartupBenchmark.Once(),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: roster [--rows N] [--raw-seconds S] [--concurrency C] [--separate-processes]\n       counting [--workers 16] [--seconds 15]\n       functions-startup [--runs 7]");
    return 2;
}
