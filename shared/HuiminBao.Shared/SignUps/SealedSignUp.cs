using HuiminBao.Domain;

namespace HuiminBao.SignUps;

/// <summary>The personal part of a sign-up, which is only ever stored sealed.</summary>
public sealed record SealedSignUp(string OpenId, SealedApplicant Applicant, IReadOnlyList<SealedInsured> Insured);

public sealed record SealedApplicant(string Name, string IdNumber, string Mobile);

public sealed record SealedInsured(string Name, string IdNumber, string Relation);

public static class SealedSignUps
{
    public static SealedSignUp From(string openId, ValidSignUp signUp) => new(
        openId,
        new SealedApplicant(signUp.Applicant.Name, signUp.Applicant.IdNumber, signUp.Applicant.Mobile),
        [.. signUp.Insured.Select(p => new SealedInsured(p.Name, p.IdNumber, p.Relation.ToWire()))]);
}
