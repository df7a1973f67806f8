namespace HuiminBao.Notifications;

/// <summary>
/// One applicant's notification, queued by the validation stage once the sign-up is decided:
/// everything the applicant's WeChat message needs, with masked names only.
/// </summary>
public sealed record NotificationQueued(
    string SignUpId,
    string OpenId,
    int PlanYear,
    string Status,
    IReadOnlyList<NotifiedPerson> Persons);

/// <param name="Reason">A reason code for a person not enrolled (see <c>OutcomeReasons</c>), or null.</param>
public sealed record NotifiedPerson(string MaskedName, string Relation, string Outcome, string? Reason);

/// <summary>The <c>notifications</c> queue message: notifications decided at about the same moment (<see cref="NotificationSends"/>), each handled on its own.</summary>
public sealed record NotificationBatch(IReadOnlyList<NotificationQueued> Notifications)
{
    public static NotificationBatch Of(NotificationQueued notification) => new([notification]);
}
