using HuiminBao.LaunchDay.Harness;
using HuiminBao.StandIns;

namespace HuiminBao.LaunchDay.Fault;

/// <summary>Carries out a <see cref="FaultPlan"/> against a running stack, one fault after another, on the timeline's clock.</summary>
public sealed class FaultInjector(PipelineStack stack, FaultTimeline timeline)
{
    public int Injected { get; private set; }

    /// <summary>While a kill is in progress the host is down on purpose; at any other time it must be running.</summary>
    public bool HostDownOnPurpose { get; private set; }

    public async Task RunAsync(IReadOnlyList<PlannedFault> plan, CancellationToken cancellationToken)
    {
        foreach (var fault in plan)
        {
            var wait = fault.At - timeline.Elapsed;
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait, cancellationToken);
            await InjectAsync(fault);
            Injected++;
        }
    }

    private async Task InjectAsync(PlannedFault fault)
    {
        switch (fault.Kind)
        {
            case FaultKind.KillHost:
                timeline.Record($"SIGKILL local host (pid {stack.Host.ProcessId})");
                HostDownOnPurpose = true;
                await stack.Host.KillAsync();
                await Task.Delay(fault.Duration);
                timeline.Record($"starting local host again after {fault.Duration.TotalSeconds:0.0} s down");
                await stack.Host.StartAsync();
                HostDownOnPurpose = false;
                timeline.Record($"local host answering (pid {stack.Host.ProcessId})");
                break;
            case FaultKind.YibaoOutage:
                var yibao = stack.Yibao ?? throw new InvalidOperationException("The 医保 outage needs the stack's 医保 service.");
                timeline.Record($"医保 service down: every query answers 503 for {fault.Duration.TotalSeconds:0} s");
                yibao.FailAlways(YibaoFault.Unavailable);
                await Task.Delay(fault.Duration);
                yibao.Recover();
                timeline.Record("医保 service back");
                break;
            case FaultKind.WeChatBusy:
                timeline.Record($"WeChat busy: every subscribe send answers errcode -1 for {fault.Duration.TotalSeconds:0} s");
                stack.WeChat.FailAllSends(SendFault.Answer(-1));
                await Task.Delay(fault.Duration);
                stack.WeChat.RecoverSends();
                timeline.Record("WeChat answering normally");
                break;
            case FaultKind.AzuriteRestart:
                timeline.Record($"Azurite stopping (SIGINT), down for {fault.Duration.TotalSeconds:0} s");
                await stack.RestartAzuriteAsync(fault.Duration);
                timeline.Record("Azurite answering again");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fault));
        }
    }
}
