namespace HuiminBao.LaunchDay.Load;

/// <summary>
/// What the measured Azurite ceiling allows for a given mix of storage calls: each call costs
/// 1/ceiling seconds of its service's event loop. With queue and table in separate processes the
/// busier of the two sets the limit.
/// </summary>
public static class CeilingModel
{
    public sealed record Implied(double QueueSeconds, double TableSeconds)
    {
        /// <summary>Sign-ups/s when queue and table services run in parallel processes.</summary>
        public double SeparateProcesses => 1 / Math.Max(QueueSeconds, TableSeconds);

        /// <summary>Sign-ups/s when one process serves both.</summary>
        public double OneProcess => 1 / (QueueSeconds + TableSeconds);
    }

    public static Implied For(IReadOnlyDictionary<string, double> callsPerSignUp, IReadOnlyList<Ceiling> ceilings)
    {
        double Rate(string prefix) => ceilings.First(c => c.Operation.StartsWith(prefix, StringComparison.Ordinal)).PerSecond;
        // The queue flow's calls all cost about the same to Azurite (sends a little less).
        var queueCall = 1 / Rate("queue flow: calls");
        var insert = 1 / Rate("entity insert");
        var read = 1 / Rate("entity point read");
        var merge = 1 / Rate("entity merge");

        double queue = 0, table = 0;
        foreach (var (operation, calls) in callsPerSignUp)
        {
            if (operation.StartsWith("queue", StringComparison.Ordinal))
                queue += calls * queueCall;
            else if (operation.EndsWith(" batch", StringComparison.Ordinal))
                table += calls * 2 * insert; // the pipeline's transactions carry two entities (enrollment and its counter)
            else if (operation is "table GET")
                table += calls * read;
            else if (operation is "table PATCH" or "table MERGE" or "table PUT")
                table += calls * merge;
            else if (operation.StartsWith("table", StringComparison.Ordinal))
                table += calls * insert;
        }
        return new Implied(queue, table);
    }
}
