namespace HuiminBao.Notifications;

/// <summary>
/// The <c>notifications</c> queue message the validation stage sends once a sign-up is decided:
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
