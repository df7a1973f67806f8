using System.Text;
using System.Threading.Channels;
using HuiminBao.Diagnostics;
using HuiminBao.Domain;
using HuiminBao.WeCom;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HuiminBao.Alerts;

/// <summary>
/// Ops alerts through the WeCom robot, coalesced so a burst can't flood the group or the robot's
/// 20-a-minute limit. The first alert of a kind goes at once; alerts of that kind raised within
/// <see cref="WeComOptions.AlertWindow"/> after a message wait and go together as the next one
/// ("共 37 条", with a few examples). So each kind sends at most one message per window per instance,
/// and the shared <see cref="WeComRateGate"/> caps the total across instances. Raising never
/// blocks or throws: the handler that noticed the problem has its own work to finish.
/// <para>
/// Pending alerts live in memory; a crash loses at most one window's worth of notifications, never
/// the problems themselves (poisoned sign-ups stay listed in <c>reviews</c>, every alert is logged).
/// </para>
/// </summary>
public sealed partial class WeComOpsAlerts(IOpsRobot robot, IOptions<WeComOptions> options, TimeProvider time, ILogger<WeComOpsAlerts> logger)
    : IOpsAlerts, IAsyncDisposable, IDisposable
{
    private const int MaxExamples = 5;
    private static readonly TimeSpan FailedRetry = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FinalFlushTimeout = TimeSpan.FromSeconds(3);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, PendingAlerts> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _nextAllowed = new(StringComparer.Ordinal);
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;
    private int _disposed;

    public Task RaiseAsync(OpsAlert alert, CancellationToken cancellationToken)
    {
        LogAlert(logger, alert.Kind, alert.Text);
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (!_pending.TryGetValue(alert.Kind, out var pending))
                _pending[alert.Kind] = pending = new PendingAlerts(now);
            pending.Add(alert.Text, now);
            _loop ??= Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        }
        _signal.Writer.TryWrite(true);
        return Task.CompletedTask;
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await PassAsync(stopping);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                // The loop is the only way alerts leave this process: it must outlive any one failure.
                LogLoopFailed(logger, e);
                await WaitAsync(FailedRetry, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Sends every kind whose window allows it, or sleeps until one does or a new alert arrives.</summary>
    private async Task PassAsync(CancellationToken stopping)
    {
        var now = time.GetUtcNow();
        var due = new List<(string Kind, PendingAlerts Alerts)>();
        DateTimeOffset? wakeAt = null;
        lock (_lock)
        {
            foreach (var (kind, alerts) in _pending)
            {
                var allowed = _nextAllowed.GetValueOrDefault(kind, DateTimeOffset.MinValue);
                if (allowed <= now)
                    due.Add((kind, alerts));
                else if (wakeAt is null || allowed < wakeAt)
                    wakeAt = allowed;
            }
            foreach (var (kind, _) in due)
                _pending.Remove(kind);
        }

        foreach (var (kind, alerts) in due)
            await SendAsync(kind, alerts, now, stopping);
        if (due.Count == 0)
            await WaitAsync(wakeAt - now, stopping);
    }

    private async Task SendAsync(string kind, PendingAlerts alerts, DateTimeOffset now, CancellationToken cancellationToken)
    {
        RobotDelivery delivery;
        try
        {
            delivery = await robot.SendMarkdownAsync(Compose(kind, alerts), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogSendFailed(logger, e, kind);
            delivery = RobotDelivery.Later(FailedRetry);
        }
        catch (OperationCanceledException)
        {
            delivery = RobotDelivery.Later(FailedRetry);
        }

        lock (_lock)
        {
            switch (delivery.Status)
            {
                case RobotDeliveryStatus.Sent:
                    _nextAllowed[kind] = now + options.Value.AlertWindow;
                    LogSent(logger, kind, alerts.Count);
                    break;
                case RobotDeliveryStatus.RetryLater:
                    // Put them back ahead of whatever arrived meanwhile; they go together next time.
                    _pending[kind] = _pending.TryGetValue(kind, out var newer) ? alerts.Merge(newer) : alerts;
                    _nextAllowed[kind] = now + delivery.RetryAfter;
                    break;
                default:
                    _nextAllowed[kind] = now + options.Value.AlertWindow;
                    LogDropped(logger, kind, alerts.Count, delivery.Describe());
                    break;
            }
        }
    }

    private async Task WaitAsync(TimeSpan? delay, CancellationToken stopping)
    {
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var signalled = _signal.Reader.WaitToReadAsync(wake.Token).AsTask();
        var timer = delay is { } d ? Task.Delay(d > TimeSpan.Zero ? d : TimeSpan.Zero, time, wake.Token) : Task.Delay(Timeout.Infinite, wake.Token);
        await Task.WhenAny(signalled, timer);
        await wake.CancelAsync();
        _signal.Reader.TryRead(out _);
        try
        {
            await Task.WhenAll(signalled, timer);
        }
        catch (OperationCanceledException)
        {
            // The one that didn't fire.
        }
    }

    internal static string Compose(string kind, PendingAlerts alerts)
    {
        var text = new StringBuilder();
        text.Append("**<font color=\"warning\">【惠民保运营告警】").Append(Title(kind)).Append("</font>**\n");
        var first = BeijingTime.ToBeijing(alerts.First);
        var last = BeijingTime.ToBeijing(alerts.Last);
        text.Append(System.Globalization.CultureInfo.InvariantCulture, $"> 共 {alerts.Count} 条 · {first:MM-dd HH:mm:ss}");
        if (alerts.Count > 1)
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $" 至 {last:HH:mm:ss}");
        text.Append("（北京时间）\n");
        foreach (var example in alerts.Examples)
            text.Append("> ").Append(example).Append('\n');
        if (alerts.Count > alerts.Examples.Count)
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"> ……其余 {alerts.Count - alerts.Examples.Count} 条从略\n");
        text.Append(Hint(kind));
        return text.ToString();
    }

    private static string Title(string kind) => kind switch
    {
        OpsAlertKinds.SignUpPoisoned => "投保申请转人工审核",
        OpsAlertKinds.NotificationConfiguration => "微信通知配置错误",
        OpsAlertKinds.InsuranceCircuitOpen => "医保服务熔断",
        _ => kind,
    };

    private static string Hint(string kind) => kind switch
    {
        OpsAlertKinds.SignUpPoisoned => "请在运营后台的待审核列表中处理（/api/ops/reviews）。",
        OpsAlertKinds.NotificationConfiguration => "请检查微信小程序的 AppId、AppSecret 和订阅消息模板配置。",
        OpsAlertKinds.InsuranceCircuitOpen => "医保服务暂不可用，新的投保申请会自动重试，请联系医保局确认服务状态。",
        _ => "",
    };

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        await _stopping.CancelAsync();
        if (_loop is not null)
            await _loop;
        // One last try for what is still pending, so a shutdown doesn't swallow a burst's summary.
        List<(string, PendingAlerts)> left;
        lock (_lock)
        {
            left = [.. _pending.Select(p => (p.Key, p.Value))];
            _pending.Clear();
        }
        foreach (var (kind, alerts) in left)
        {
            using var timeout = new CancellationTokenSource(FinalFlushTimeout);
            await SendAsync(kind, alerts, time.GetUtcNow(), timeout.Token);
        }
        _stopping.Dispose();
    }

    /// <summary>A synchronous container dispose only stops the loop; pending alerts are already in the log.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
            _stopping.Cancel();
    }

    /// <summary>Alerts of one kind waiting for the next message: how many, when, and the first few texts.</summary>
    internal sealed class PendingAlerts(DateTimeOffset first)
    {
        private readonly List<string> _examples = [];

        public int Count { get; private set; }

        public DateTimeOffset First { get; private set; } = first;

        public DateTimeOffset Last { get; private set; } = first;

        public IReadOnlyList<string> Examples => _examples;

        public void Add(string text, DateTimeOffset at)
        {
            Count++;
            Last = at > Last ? at : Last;
            if (_examples.Count < MaxExamples)
                _examples.Add(text);
        }

        public PendingAlerts Merge(PendingAlerts later)
        {
            foreach (var example in later._examples)
            {
                if (_examples.Count < MaxExamples)
                    _examples.Add(example);
            }
            Count += later.Count;
            First = later.First < First ? later.First : First;
            Last = later.Last > Last ? later.Last : Last;
            return this;
        }
    }

    [LoggerMessage(EventId = LogEvents.Alerts + 21, Level = LogLevel.Warning, Message = "Ops alert {Kind}: {Text}")]
    private static partial void LogAlert(ILogger logger, string kind, string text);

    [LoggerMessage(EventId = LogEvents.Alerts + 22, Level = LogLevel.Information, Message = "Ops alert message sent for {Kind}: {Count} alerts")]
    private static partial void LogSent(ILogger logger, string kind, int count);

    [LoggerMessage(EventId = LogEvents.Alerts + 23, Level = LogLevel.Error, Message = "Ops alert message for {Kind} refused by the robot ({Delivery}); {Count} alerts only logged")]
    private static partial void LogDropped(ILogger logger, string kind, int count, string delivery);

    [LoggerMessage(EventId = LogEvents.Alerts + 25, Level = LogLevel.Error, Message = "Ops alert loop failed; resuming")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = LogEvents.Alerts + 24, Level = LogLevel.Error, Message = "Sending the ops alert message for {Kind} failed; will retry")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, string kind);
}
