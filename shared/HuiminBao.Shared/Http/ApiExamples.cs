using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using HuiminBao.Audit;
using HuiminBao.Domain;
using HuiminBao.Health;
using HuiminBao.Intake;
using HuiminBao.Privacy;
using HuiminBao.Queues;
using HuiminBao.Reviews;
using HuiminBao.Roster;
using HuiminBao.SignUps;
using HuiminBao.Tallies;

namespace HuiminBao.Http;

/// <summary>
/// The examples of the API description: one made-up household signing up for plan year 2026 on
/// 6 March, Beijing time. 张三 applies for himself, his wife 李四 and their daughter 张小雨. Their ID
/// numbers are invented for these examples, with a correct check character so the example body is
/// accepted as it stands (a test sends it through the sign-up form). Answers are built with the
/// code that builds real answers (masking, outcome texts, the tally CSV, the import view), so the
/// examples read as the API does.
/// </summary>
public static class ApiExamples
{
    public const int PlanYear = 2026;

    /// <summary>A privacy-notice version, as <c>Privacy:ConsentVersions</c> names them.</summary>
    public const string ConsentVersion = "2026-01";
    public const string SignUpId = "mfrggzdfmztwq2lknnwg23tu";
    public const string IdempotencyKey = "7f8e1c1e-zhangsan-2026";
    public const string ImportId = "3b1f9c2e7d4a4f0b8e6c1a2d5f7b9e3c";
    public const string DropId = "c0ffee4b2d9e4c7a8f1e2d3c4b5a6978";

    private static readonly DateTimeOffset Now = new(2026, 3, 6, 15, 30, 12, BeijingTime.Offset);

    public static readonly ApplicantInput Applicant = new("张三", "410502199001011236", "13800138000");

    public static readonly SignUpRequest SignUp = new(PlanYear, Applicant,
    [
        new("张三", "410502199001011236", "self"),
        new("李四", "410503199203041245", "spouse"),
        new("张小雨", "410502201806150022", "child"),
    ], ConsentVersion);

    public static readonly SessionRequest Login = new("0a3Xk1ll2e0aZ81bWcll2s5gK04Xk1lS");

    public static readonly SessionIssued Session = new(
        "eyJzdWIiOiJvNnpBSnMzb2g0U3VuSjV3OE0tbGJfbDJGSzRrIiwiaWF0IjoxNzcyNzgyMjEyLCJleHAiOjE3NzI3ODk0MTJ9.3q2-7w9Vxk0Jp1Yf6b4rT8nH2cE5aL0uS9dG7mK1zQ",
        Now.AddHours(2));

    public static readonly SignUpAccepted Accepted = new(SignUpId, SignUpStatus.Pending);

    /// <summary>A moment later: the applicant and his daughter enrolled, his wife enrolled already through another sign-up.</summary>
    public static readonly SignUpView Decided = new(SignUpId, SignUpStatus.PartiallyEnrolled, PlanYear, Now,
    [
        Insured(SignUp.Insured[0], PersonOutcome.Enrolled, null),
        Insured(SignUp.Insured[1], PersonOutcome.AlreadyEnrolled, OutcomeReasons.EnrolledElsewhere),
        Insured(SignUp.Insured[2], PersonOutcome.Enrolled, null),
    ], NotificationStates.Sent);

    /// <summary>What the sign-up form answers for a mistyped ID number and mobile.</summary>
    public static readonly ApiProblem SignUpInvalid = ApiProblem.Validation(
    [
        FieldError.Of("applicant.mobile", ErrorCodes.MobileInvalid),
        FieldError.Of("insured[1].idNumber", ErrorCodes.IdNumberChecksum),
    ]);

    public static readonly TallyReport Tally = TallyOf(
        (new DateOnly(2026, 3, 5), 152_340, "410502", "resident"),
        (new DateOnly(2026, 3, 6), 61_892, "410505", "employee"));

    public static string TallyCsvText => TallyCsv.Write(Tally);

    public static readonly AuditList Audit = new(new DateOnly(2026, 3, 6), new DateOnly(2026, 3, 6),
    [
        new(Now.AddMinutes(-5), "wang.fang", ApiRoutes.RequeueReview.Name, "POST", "id=" + SignUpId, 202, Now.AddMinutes(-5).AddMilliseconds(84)),
        new(Now.AddMinutes(-9), "dashboard", ApiRoutes.GetTallies.Name, "GET", "", 200, Now.AddMinutes(-9).AddMilliseconds(41)),
    ], Truncated: false);

    private static readonly DateTimeOffset ThisMinute = Now.AddTicks(-(Now.Ticks % TimeSpan.TicksPerMinute));

    public static readonly PipelineHealth Health = new(Now,
    [
        new(ThisMinute.AddMinutes(-2), 1860, 1795),
        new(ThisMinute.AddMinutes(-1), 1912, 1930),
        new(ThisMinute, 640, 611),
    ], 1912, 4.0, 16.0,
    [
        new(QueueNames.SignUps, 37, 1.8),
        new(QueueNames.Notifications, 12, 0.9),
        new(QueueNames.SignUpsPoison, 0, null),
    ], 0, "closed", 0, []);

    public static readonly ResealProgress Reseal = new("k2026b", 500, 488, AccessTokenResealed: true, "MjAyNi0xMnxhYmM", Done: false);

    public static readonly ReviewList Reviews = new([new ReviewItem(SignUpId, Now.AddMinutes(-20), PlanYear, 3)]);

    public static readonly Requeued Requeued = new(SignUpId, SignUpStatus.Pending);

    /// <summary>The bureau's file as ops upload it (UTF-8 here; GBK is read as well).</summary>
    public static readonly string RosterCsv = string.Join("\r\n",
        "身份证号,姓名,险种,行政区划,参保状态",
        "410502199001011236,张三,职工,410502,正常",
        "410503199203041245,李四,居民,410503,正常",
        "410502201806150022,张小雨,居民,410502,暂停",
        "");

    public static readonly RosterImportView RosterImport = RosterImportView.From(new RosterImportRecord
    {
        RowKey = ImportId,
        State = RosterImportStates.Completed,
        Source = RosterUpload.SourceName,
        Bytes = 196_408_331,
        Encoding = RosterEncoding.Gb18030,
        AsOf = "2026-03-01",
        CreatedAt = Now.AddHours(-3),
        StartedAt = Now.AddHours(-3).AddSeconds(2),
        CompletedAt = Now.AddHours(-3).AddMinutes(9),
        RowsRead = 4_340_118,
        RowsImported = 4_340_117,
        RowsBad = 1,
        BadRows = JsonSerializer.Serialize([new RosterBadRow(1734, ErrorCodes.IdNumberChecksum)], RosterJson.Default.ListRosterBadRow),
        Runs = 1,
    });

    public static readonly RosterImportView RosterQueued = RosterImportView.From(new RosterImportRecord
    {
        RowKey = ImportId,
        State = RosterImportStates.Queued,
        Source = RosterUpload.SourceName,
        Bytes = 96_204_117,
        Encoding = RosterEncoding.Gb18030,
        AsOf = "2026-03-01",
        CreatedAt = Now,
    });

    public static readonly RosterDropView RosterDrop = new(DropId,
        $"https://sthuiminbao.blob.core.chinacloudapi.cn/roster-drops/{DropId}.csv?sv=2025-07-05&se=2026-03-06T08%3A00%3A12Z&sr=b&sp=cw&sig=...",
        "PUT", new Dictionary<string, string> { ["x-ms-blob-type"] = "BlockBlob" }, Now.AddMinutes(30), $"/api/{RosterDrops.ImportPath(DropId)}");

    /// <summary>An example as the API writes it: camelCase, nulls left out, Chinese unescaped.</summary>
    public static string Json(object example) => JsonSerializer.Serialize(example, example.GetType(), Options);

    private static readonly JsonSerializerOptions Options = new(HttpJson.Web.Options)
    {
        TypeInfoResolver = JsonTypeInfoResolver.Combine(HttpJson.Default, RosterJson.Default),
    };

    private static InsuredView Insured(InsuredInput person, string outcome, string? reason) =>
        new(PersonName.Mask(person.Name), IdNumber.Mask(person.IdNumber), person.Relation, outcome, OutcomeReasons.Text(outcome, reason));

    private static TallyReport TallyOf(params (DateOnly Day, long Enrolled, string District, string Scheme)[] days)
    {
        long cumulative = 0;
        var tallied = days.Select(d =>
        {
            cumulative += d.Enrolled;
            return new TallyDay(d.Day, d.Enrolled, cumulative,
                new Dictionary<string, long> { [d.District] = d.Enrolled },
                new Dictionary<string, long> { [d.Scheme] = d.Enrolled },
                new Dictionary<string, long> { ["self"] = d.Enrolled });
        }).ToList();
        // As the report lists them: every known district, zero included, most enrolled first.
        var districts = Districts.Known
            .Select(k => (k.Code, k.Name, Count: tallied.Sum(d => d.Districts.GetValueOrDefault(k.Code))))
            .Select(k => new DistrictTally(k.Code, k.Name, k.Count, k.Count))
            .OrderByDescending(d => d.Cumulative).ToList();
        var schemes = tallied.SelectMany(d => d.Schemes).ToDictionary(s => s.Key, s => s.Value);
        return new TallyReport(PlanYear, days[0].Day, days[0].Day, days[^1].Day, days[^1].Day, Now,
            cumulative, cumulative, tallied, districts, schemes, new Dictionary<string, long> { ["self"] = cumulative });
    }
}
