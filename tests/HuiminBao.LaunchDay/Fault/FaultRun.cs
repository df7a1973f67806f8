using System.Collections.Concurrent;
using System.Globalization;
using HuiminBao.LaunchDay.Audit;
using HuiminBao.LaunchDay.Harness;

namespace HuiminBao.LaunchDay.Fault;

/// <summary>
/// Issue 7 item 3: sign-ups stream in through the local host while it is SIGKILLed and restarted,
/// the 医保 service goes down, WeChat answers -1 for a while and Azurite (on disk) restarts; then the
/// <see cref="PipelineAudit"/> checks that every 202 reached a final status, nobody is enrolled twice
/// or lost, the tallies equal a recount, WeChat got one message per notified sign-up and nothing was
/// poisoned. The run uses production's queue and 医保 client settings (host.json, InsuranceOptions);
/// only the lease of a killed host's messages is shortened.
/// </summary>
public static class FaultRun
{
    public static async Task<FaultRunResult> RunAsync(FaultRunOptions options, TextWriter log, CancellationToken cancellationToken = default)
    {
        var settings = new Dictionary<string, string>(options.Settings)
        {
            ["DevHost:QueueLease"] = options.QueueLease.ToString("c", CultureInfo.InvariantCulture),
        };
        await using var stack = await PipelineStack.StartAsync(new StackOptions { AzuriteOnDisk = true, UseYibaoService = true, Settings = settings });
        try
        {
            return await RunAsync(stack, options, log, cancellationToken);
        }
        finally
        {
            if (options.HostLogPath is { } path)
                await File.WriteAllLinesAsync(path, stack.Host.Output, CancellationToken.None);
        }
    }

    private static async Task<FaultRunResult> RunAsync(PipelineStack stack, FaultRunOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        var population = FaultRunPopulation.Create(options.SignUps, stack.PlanYear, options.Seed, stack.Yibao!);
        var plan = FaultPlan.Draw(options);
        log.WriteLine($"Fault run: {options.SignUps:N0} sign-ups, {population.Persons:N0} persons ({population.Misnamed:N0} under a wrong name), arriving at {options.ArrivalsPerSecond:N0}/s over {options.ArrivalWindow.TotalSeconds:N0} s; local host pid {stack.Host.ProcessId}");
        log.WriteLine("Planned faults: " + string.Join("; ", plan.Select(f => $"{f.Kind} at {f.At.TotalSeconds:N0} s for {f.Duration.TotalSeconds:N1} s")));

        var timeline = new FaultTimeline(log);
        var submitter = new PersistentSubmitter(stack.Client, options.GiveUpAfter);
        var injector = new FaultInjector(stack, timeline);
        // A host that dies when nobody killed it is a finding; the run stops instead of waiting out its timeouts.
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stopWatching = new CancellationTokenSource();
        var watching = WatchAsync(stack, injector, submitter, timeline, options.SignUps, log, abort, stopWatching.Token);

        var drained = false;
        IReadOnlyList<Submitted> results = [];
        var arrivalsTook = TimeSpan.Zero;
        var took = TimeSpan.Zero;
        var injecting = injector.RunAsync(plan, abort.Token);
        try
        {
            results = await ArriveAsync(population.SignUps, options, stack, submitter, timeline, abort.Token);
            arrivalsTook = timeline.Elapsed;
            timeline.Record($"all {options.SignUps:N0} sign-ups answered");
            await injecting;
            drained = await PipelineDrain.WaitAsync(() => stack.ConnectionString, options.DrainWithin, d => log.WriteLine($"  draining: {d}"), abort.Token);
            took = timeline.Elapsed;
            timeline.Record(drained ? "pipeline drained" : "pipeline did NOT drain in time");
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            timeline.Record("run aborted");
            // A fault under way (Azurite restarting) finishes before the audit reads storage.
            await injecting.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
        finally
        {
            await stopWatching.CancelAsync();
            await watching;
        }

        var accepted = results.Where(r => r.Accepted).Select(r => r.SignUpId!).ToHashSet(StringComparer.Ordinal);
        var audit = await PipelineAudit.RunAsync(stack, accepted, new AuditExpectations { Outcomes = population.ExpectedOutcomes });
        return new FaultRunResult(options, population.Persons, accepted.Count, [.. results.Where(r => !r.Accepted)], new Dictionary<string, int>(submitter.Answers),
            submitter.Retries, injector.Injected, plan.Count, arrivalsTook, took, drained,
            HostLogSummary.Summarize(stack.Host.Output, "warn", "fail", "crit"), timeline.ToString(), audit);
    }

    /// <summary>Releases sign-ups at the arrival rate, with at most <see cref="FaultRunOptions.MaxInFlight"/> waiting for answers.</summary>
    private static async Task<IReadOnlyList<Submitted>> ArriveAsync(IReadOnlyList<GeneratedSignUp> signUps, FaultRunOptions options, PipelineStack stack, PersistentSubmitter submitter, FaultTimeline timeline, CancellationToken cancellationToken)
    {
        var results = new ConcurrentBag<Submitted>();
        using var slots = new SemaphoreSlim(options.MaxInFlight);
        var running = new List<Task>(signUps.Count);
        var start = timeline.Elapsed;
        foreach (var signUp in signUps)
        {
            var due = start + TimeSpan.FromSeconds(signUp.Index / options.ArrivalsPerSecond);
            var wait = due - timeline.Elapsed;
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait, cancellationToken);
            await slots.WaitAsync(cancellationToken);
            running.Add(Task.Run(async () =>
            {
                try
                {
                    results.Add(await submitter.SubmitAsync(signUp, stack.Token(signUp.OpenId), cancellationToken));
                }
                finally
                {
                    slots.Release();
                }
            }, CancellationToken.None));
        }
        await Task.WhenAll(running);
        return [.. results];
    }

    /// <summary>Progress every 15 s, and a check every second that the host is up whenever it should be.</summary>
    private static async Task WatchAsync(PipelineStack stack, FaultInjector injector, PersistentSubmitter submitter, FaultTimeline timeline, int total, TextWriter log, CancellationTokenSource abort, CancellationToken stop)
    {
        var lastProgress = TimeSpan.Zero;
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stop);
                if (stack.Host.HasExited && !injector.HostDownOnPurpose && !abort.IsCancellationRequested)
                {
                    timeline.Record("local host exited on its own: " + string.Join(" | ", stack.Host.Output.TakeLast(5)));
                    await abort.CancelAsync();
                }
                if (timeline.Elapsed - lastProgress < TimeSpan.FromSeconds(15))
                    continue;
                lastProgress = timeline.Elapsed;
                var depths = await PipelineDrain.DepthsAsync(stack.ConnectionString, stop);
                log.WriteLine($"  [{FaultTimeline.Format(timeline.Elapsed)}] 202s {submitter.Answers.GetValueOrDefault("202"):N0}/{total:N0}, retries {submitter.Retries:N0}, WeChat messages {stack.WeChat.Accepted.Count:N0}, queues: " +
                    (depths is null ? "storage not answering" : string.Join(", ", depths.Where(d => d.Value > 0).Select(d => $"{d.Key} {d.Value:N0}"))));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }
}
