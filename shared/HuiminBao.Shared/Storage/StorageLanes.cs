using Azure.Core;
using Azure.Core.Pipeline;

namespace HuiminBao.Storage;

/// <summary>
/// Intake first, at the storage client: a process keeps at most <see cref="StorageLanesOptions.Capacity"/>
/// calls in flight to one storage service, and when calls wait for one of those places, intake's
/// (<see cref="StoragePriority"/>) go first. Other work takes every place intake leaves, so nothing
/// is given up while intake is quiet, and always keeps <see cref="StorageLanesOptions.Reserve"/>
/// places, so it never stops.
/// <para>
/// A storage service works through the calls it is sent more or less in arrival order; Azurite, on one
/// thread, strictly so. Sent everything at once, an intake call would queue behind every call
/// processing has in flight, hundreds under load. Held here instead, it waits behind at most
/// <see cref="StorageLanesOptions.Capacity"/> calls already sent, and overtakes the rest.
/// </para>
/// </summary>
public sealed class StorageLanes
{
    private readonly StorageLanesOptions _options;
    private readonly Lock _lock = new();
    private readonly LinkedList<TaskCompletionSource> _intake = new();
    private readonly LinkedList<TaskCompletionSource> _other = new();
    private int _inFlight;
    private int _otherInFlight;
    private long _intakeWaited;
    private long _otherWaited;

    public StorageLanes(StorageLanesOptions options)
    {
        _options = options;
        Policy = new LanePolicy(this);
    }

    /// <summary>The pipeline policy that holds each attempt for its place; per attempt, so a retry's back-off holds none.</summary>
    public HttpPipelinePolicy Policy { get; }

    public StorageLanesGauge Gauge()
    {
        lock (_lock)
            return new StorageLanesGauge(_inFlight, _intake.Count, _other.Count, _intakeWaited, _otherWaited);
    }

    public Task EnterAsync(bool intake, CancellationToken cancellationToken)
    {
        if (!_options.Enabled)
            return Task.CompletedTask;
        TaskCompletionSource place;
        lock (_lock)
        {
            if (MayEnter(intake))
            {
                Count(intake);
                return Task.CompletedTask;
            }
            place = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            (intake ? _intake : _other).AddLast(place);
            if (intake)
                _intakeWaited++;
            else
                _otherWaited++;
        }
        return cancellationToken.CanBeCanceled ? WaitAsync(place, intake, cancellationToken) : place.Task;
    }

    public void Leave(bool intake)
    {
        if (!_options.Enabled)
            return;
        lock (_lock)
        {
            _inFlight--;
            if (!intake)
                _otherInFlight--;
            Admit();
        }
    }

    private bool MayEnter(bool intake) =>
        intake ? _inFlight < _options.Capacity
            : _otherInFlight < _options.Reserve || (_inFlight < _options.Capacity && _intake.Count == 0);

    private void Count(bool intake)
    {
        _inFlight++;
        if (!intake)
            _otherInFlight++;
    }

    /// <summary>Under the lock: lets waiting calls in while there is room, the reserve first, then intake's, then the rest.</summary>
    private void Admit()
    {
        while (true)
        {
            var lane = _other.Count > 0 && _otherInFlight < _options.Reserve ? _other
                : _intake.Count > 0 && _inFlight < _options.Capacity ? _intake
                : _other.Count > 0 && _inFlight < _options.Capacity ? _other
                : null;
            if (lane is null)
                return;
            var next = lane.First!.Value;
            lane.RemoveFirst();
            Count(lane == _intake);
            next.SetResult();
        }
    }

    private async Task WaitAsync(TaskCompletionSource place, bool intake, CancellationToken cancellationToken)
    {
        try
        {
            await place.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            bool wasLetIn;
            lock (_lock)
                wasLetIn = !(intake ? _intake : _other).Remove(place);
            // Let in just as the caller gave up: hand the place on.
            if (wasLetIn)
                Leave(intake);
            throw;
        }
    }

    private sealed class LanePolicy(StorageLanes lanes) : HttpPipelinePolicy
    {
        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            var intake = StoragePriority.IsIntake;
            lanes.EnterAsync(intake, message.CancellationToken).GetAwaiter().GetResult();
            try
            {
                ProcessNext(message, pipeline);
            }
            finally
            {
                lanes.Leave(intake);
            }
        }

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            var intake = StoragePriority.IsIntake;
            await lanes.EnterAsync(intake, message.CancellationToken);
            try
            {
                await ProcessNextAsync(message, pipeline);
            }
            finally
            {
                lanes.Leave(intake);
            }
        }
    }
}

/// <summary>One service's lanes: calls in flight and waiting now, and how many calls of each kind have had to wait so far.</summary>
public sealed record StorageLanesGauge(int InFlight, int IntakeWaiting, int OtherWaiting, long IntakeWaited, long OtherWaited);
