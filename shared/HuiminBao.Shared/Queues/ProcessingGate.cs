using HuiminBao.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HuiminBao.Queues;

/// <summary>
/// Intake first, across instances: the queue stages run each item (a sign-up, a notification)
/// through this gate, which lets at most <see cref="Limit"/> items of a stage run at once in this
/// process and moves that limit with what <see cref="IntakePressure"/> saw in the last
/// <see cref="ProcessingGateOptions.Interval"/>:
/// <list type="bullet">
/// <item>storage throttled a call (503 Server Busy, 500 Operation Timed Out, no answer in time), or
/// intake refused a sign-up: halve. In Azure, where processing runs on instances that serve no
/// intake, the storage account's throttling is what tells them intake is being squeezed;</item>
/// <item>otherwise, if a stage had items waiting: grow, by an eighth while intake is busy and by
/// half while it is quiet, so a drain is back at full speed within seconds.</item>
/// </list>
/// The limit stays within <see cref="ProcessingGateOptions.MinConcurrency"/> (processing never
/// stops) and <see cref="ProcessingGateOptions.MaxConcurrency"/>. An item waits only for earlier
/// items of its own stage, in arrival order; the host's own limits (batch size, lease, timeout)
/// still apply around it. Within one process, intake's calls overtake processing's at the storage
/// client (<see cref="Storage.StorageLanes"/>); this gate is about how much processing asks for.
/// </summary>
public sealed partial class ProcessingGate : IDisposable
{
    private readonly ProcessingGateOptions _options;
    private readonly IntakePressure _pressure;
    private readonly ILogger<ProcessingGate> _logger;
    private readonly ITimer? _timer;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Stage> _stages = new(StringComparer.Ordinal);
    private int _limit;
    private PressureWindow _last = new(0, 0, 0, 0);
    private bool _yielding;

    public ProcessingGate(IntakePressure pressure, IOptions<ProcessingGateOptions> options, TimeProvider time, ILogger<ProcessingGate> logger)
    {
        _options = options.Value;
        _pressure = pressure;
        _logger = logger;
        _limit = _options.MaxConcurrency;
        if (_options.Enabled)
            _timer = time.CreateTimer(_ => Adjust(), null, _options.Interval, _options.Interval);
    }

    /// <summary>Items of each stage that may run at once now.</summary>
    public int Limit
    {
        get
        {
            lock (_lock)
                return _limit;
        }
    }

    /// <summary>Runs <paramref name="work"/> once the stage has room; a cancelled wait throws without running it.</summary>
    public async Task RunAsync(string stage, Func<Task> work, CancellationToken cancellationToken)
    {
        if (!_options.Enabled)
        {
            await work();
            return;
        }
        Stage entered;
        Task admitted;
        lock (_lock)
        {
            entered = _stages.TryGetValue(stage, out var known) ? known : _stages[stage] = new Stage();
            admitted = entered.Enter(_limit);
        }
        if (!admitted.IsCompleted)
            await WaitAsync(entered, admitted, cancellationToken);
        try
        {
            await work();
        }
        finally
        {
            lock (_lock)
                entered.Leave(_limit);
        }
    }

    /// <summary>What the gate is doing now, for diagnostics: the limit, items running and waiting, and the last window's signals.</summary>
    public ProcessingGateGauge Gauge()
    {
        lock (_lock)
        {
            return new ProcessingGateGauge(_limit, _stages.Values.Sum(s => s.Running), _stages.Values.Sum(s => s.Waiting),
                _last.IntakeP90Milliseconds, _last.IntakeCount, _pressure.ThrottledTotal);
        }
    }

    private async Task WaitAsync(Stage stage, Task admitted, CancellationToken cancellationToken)
    {
        try
        {
            await admitted.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            lock (_lock)
            {
                // Admitted just as the wait was cancelled: hand the place on instead of leaking it.
                if (!stage.Withdraw(admitted))
                    stage.Leave(_limit);
            }
            throw;
        }
    }

    /// <summary>The control step, once per interval.</summary>
    internal void Adjust()
    {
        var window = _pressure.TakeWindow();
        int before, after;
        lock (_lock)
        {
            before = _limit;
            var held = false;
            foreach (var stage in _stages.Values)
                held |= stage.TakeHeld();
            double next = _limit;
            if (window.Throttled > 0 || window.Refused > 0)
                next = _limit / 2.0;
            else if (held)
                next = window.IntakeCount > 0 ? _limit + Math.Max(1, _limit / 8.0) : _limit * 1.5 + 1;
            _limit = (int)Math.Clamp(Math.Round(next), _options.MinConcurrency, _options.MaxConcurrency);
            _last = window;
            after = _limit;
            foreach (var stage in _stages.Values)
                stage.Admit(_limit);
        }
        ReportTransition(before, after, window);
    }

    private void ReportTransition(int before, int after, PressureWindow window)
    {
        var yielding = after < _options.MaxConcurrency;
        if (yielding == _yielding)
            return;
        _yielding = yielding;
        if (yielding)
            LogYielding(_logger, before, after, window.IntakeP90Milliseconds, window.IntakeCount, window.Refused, window.Throttled);
        else
            LogFullSpeed(_logger, after);
    }

    public void Dispose() => _timer?.Dispose();

    [LoggerMessage(EventId = LogEvents.Queues + 10, Level = LogLevel.Information, Message = "Processing yields to intake: {Before} → {After} items at once per stage (intake p90 {IntakeP90Milliseconds:0} ms over {IntakeCount} sign-ups, {Refused} refused, {Throttled} storage calls throttled)")]
    private static partial void LogYielding(ILogger logger, int before, int after, double intakeP90Milliseconds, int intakeCount, int refused, int throttled);

    [LoggerMessage(EventId = LogEvents.Queues + 11, Level = LogLevel.Information, Message = "Processing back to full speed: {Limit} items at once per stage")]
    private static partial void LogFullSpeed(ILogger logger, int limit);

    /// <summary>One stage's running items and its queue of waiting ones, in arrival order. Guarded by the gate's lock.</summary>
    private sealed class Stage
    {
        private readonly LinkedList<TaskCompletionSource> _waiting = new();
        private bool _held;

        public int Running { get; private set; }

        public int Waiting => _waiting.Count;

        public Task Enter(int limit)
        {
            if (Running < limit && _waiting.Count == 0)
            {
                Running++;
                return Task.CompletedTask;
            }
            _held = true;
            var place = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.AddLast(place);
            return place.Task;
        }

        public void Leave(int limit)
        {
            Running--;
            Admit(limit);
        }

        /// <summary>Lets waiting items in while there is room (after an item leaves, or the limit grew).</summary>
        public void Admit(int limit)
        {
            while (Running < limit && _waiting.First is { } first)
            {
                _waiting.RemoveFirst();
                Running++;
                first.Value.SetResult();
            }
        }

        /// <summary>Takes a cancelled wait out of line; false if it had already been admitted.</summary>
        public bool Withdraw(Task admitted)
        {
            for (var node = _waiting.First; node is not null; node = node.Next)
            {
                if (node.Value.Task == admitted)
                {
                    _waiting.Remove(node);
                    return true;
                }
            }
            return false;
        }

        /// <summary>Whether the stage had items waiting since the last call.</summary>
        public bool TakeHeld()
        {
            var held = _held || _waiting.Count > 0;
            _held = false;
            return held;
        }
    }
}

/// <summary>The gate as the host last saw it (<see cref="ProcessingGate.Gauge"/>).</summary>
public sealed record ProcessingGateGauge(int Limit, int Running, int Waiting, double IntakeP90Milliseconds, int IntakeSamples, long Throttled);
