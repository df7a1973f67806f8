using HuiminBao.Domain;

namespace HuiminBao.SignUps;

/// <summary>
/// What the applicant is told about each insured person, in the status response and the WeChat
/// message alike. The applicant is whoever holds the WeChat account: nothing proves they are the
/// person they name, not even as <c>self</c>, so an answer must not teach a stranger's ID number
/// anything its name didn't already unlock.
/// <list type="bullet">
/// <item>Not on record, on record under another name, and on record but not active are one answer
/// (<see cref="PersonOutcome.IdentityMismatch"/>, reason <see cref="OutcomeReasons.NotVerified"/>):
/// telling them apart would say whether an ID number is insured in the city to anyone who types it
/// with a made-up name. What to do is the same in every case: check name and ID number, and if they
/// are right, the person needs basic insurance first.</item>
/// <item>Only the applicant's own person (<c>self</c>) whose name matched the record hears the
/// precise reason, 暂停 or 终止: that is their own insurance, and they can act on it.</item>
/// <item>Enrolled and already enrolled are told as they are: both need the right name, and the
/// applicant needs them to know whom they still have to insure.</item>
/// </list>
/// Storage keeps the precise outcome and reason; this is applied when they are shown.
/// </summary>
public static class OutcomeDisclosure
{
    private static readonly string Self = Relation.Self.ToWire();

    public static (string Outcome, string? Reason) For(string relation, string outcome, string? reason)
    {
        if (outcome is not (PersonOutcome.NotInsured or PersonOutcome.IdentityMismatch))
            return (outcome, reason);
        var ownVerifiedInsurance = relation == Self && outcome == PersonOutcome.NotInsured && reason is OutcomeReasons.Suspended or OutcomeReasons.Terminated;
        return ownVerifiedInsurance ? (outcome, reason) : (PersonOutcome.IdentityMismatch, OutcomeReasons.NotVerified);
    }
}
