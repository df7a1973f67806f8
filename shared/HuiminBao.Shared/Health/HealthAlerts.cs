using System.Globalization;
using HuiminBao.Alerts;

namespace HuiminBao.Health;

/// <summary>What ops are told when the pipeline falls behind: figures and where to look, never personal data.</summary>
public static class HealthAlerts
{
    public static OpsAlert Lagging(PipelineHealth health) => new(OpsAlertKinds.PipelineLag, string.Create(CultureInfo.InvariantCulture,
        $"投保申请处理变慢：95% 的申请从受理到出结果需 {Minutes(health.LagP95Seconds ?? 0)}，近几分钟平均每分钟受理 {health.AcceptedPerMinute:0} 件。请查看看板的流水线健康。"));

    public static OpsAlert Backlog(QueueHealth queue) => new(OpsAlertKinds.PipelineBacklog, string.Create(CultureInfo.InvariantCulture,
        $"投保申请队列积压：{queue.Messages} 条消息待处理，最早一条已等待 {Minutes(queue.OldestAgeSeconds ?? 0)}。申请不会丢失，处理跟上后自动消化；如持续增长请检查医保服务与存储。"));

    private static string Minutes(double seconds) => seconds >= 60
        ? (seconds / 60).ToString("0.#", CultureInfo.InvariantCulture) + " 分钟"
        : seconds.ToString("0", CultureInfo.InvariantCulture) + " 秒";
}
