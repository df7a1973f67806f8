namespace HuiminBao.Alerts;

/// <summary>
/// Tells ops that something needs them. With <c>WeCom:WebhookUrl</c> set this goes to the WeCom
/// group robot (rate limited and coalesced); without it, alerts are logged only.
/// </summary>
public interface IOpsAlerts
{
    Task RaiseAsync(OpsAlert alert, CancellationToken cancellationToken);
}
