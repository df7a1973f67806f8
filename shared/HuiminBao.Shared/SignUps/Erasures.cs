namespace HuiminBao.SignUps;

/// <summary>Why a sign-up's personal data was erased (<see cref="SignUpRecord.Erasure"/>).</summary>
public static class Erasures
{
    /// <summary>Ops erased it on the person's request (<c>DELETE /api/ops/signups/{id}</c>).</summary>
    public const string Request = "request";

    /// <summary>Its plan year's retention period ran out (<c>Retention:PurgeAfter</c> after the window closed).</summary>
    public const string Retention = "retention";
}
