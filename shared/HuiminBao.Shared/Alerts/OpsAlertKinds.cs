namespace HuiminBao.Alerts;

public static class OpsAlertKinds
{
    public const string SignUpPoisoned = "signup-poisoned";
    public const string NotificationConfiguration = "notification-configuration";
    public const string InsuranceCircuitOpen = "insurance-circuit-open";
    public const string PipelineLag = "pipeline-lag";
    public const string PipelineBacklog = "pipeline-backlog";
}
