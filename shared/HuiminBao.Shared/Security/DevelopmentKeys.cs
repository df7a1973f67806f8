namespace HuiminBao.Security;

/// <summary>
/// Keys published in this repository for local runs and tests. Anyone can read them, so the
/// options validation refuses them in every environment but Development.
/// </summary>
public static class DevelopmentKeys
{
    public const string IdHashKey = "ZGV2LW9ubHktaWQtaGFzaC1rZXktaHVpbWluYmFvLTAwMDE=";
    public const string DataKey = "REVWLU9OTFktZGF0YS1rZXktMzItYnl0ZXMtaHVpbWk=";
    public const string SessionKey = "ZGV2LW9ubHktc2Vzc2lvbi1rZXktaHVpbWluYmFvLTAwMDE=";

    public static bool IsDevelopmentKey(string value) => value is IdHashKey or DataKey or SessionKey;
}
