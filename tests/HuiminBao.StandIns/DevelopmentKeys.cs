namespace HuiminBao.Security;

/// <summary>
/// The keys published in this repository for local runs and tests, as the local host's
/// <c>appsettings.Development.json</c> sets them. They live with the test support, not in the app:
/// the app only recognises them, by digest (<c>DevelopmentKeyCheck</c>), to refuse them
/// outside Development.
/// </summary>
public static class DevelopmentKeys
{
    public const string IdHashKey = "ZGV2LW9ubHktaWQtaGFzaC1rZXktaHVpbWluYmFvLTAwMDE=";
    public const string DataKey = "REVWLU9OTFktZGF0YS1rZXktMzItYnl0ZXMtaHVpbWk=";
    public const string SessionKey = "ZGV2LW9ubHktc2Vzc2lvbi1rZXktaHVpbWluYmFvLTAwMDE=";
}
