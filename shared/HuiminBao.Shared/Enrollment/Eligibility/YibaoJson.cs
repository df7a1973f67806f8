using System.Text.Json.Serialization;

namespace HuiminBao.Enrollment.Eligibility;

/// <summary>
/// <c>POST /api/v1/insured/query</c> on the 医保 service. The ID number travels in the body, never
/// in the URL, so it stays out of access logs and HttpClient's request logging on both sides.
/// </summary>
public sealed record YibaoQuery(string IdNumber);

/// <summary>200: the person's enrolment. <c>scheme</c> 职工/居民, <c>status</c> 正常/暂停/终止, as the bureau writes them.</summary>
public sealed record YibaoInsured(string? IdNumber, string? Scheme, string? District, string? Status, string? AsOf);

/// <summary>Any error: <c>{"code":"NOT_FOUND","message":"..."}</c>. Only <see cref="NotFoundCode"/> on a 404 means "not insured".</summary>
public sealed record YibaoError(string? Code, string? Message)
{
    public const string NotFoundCode = "NOT_FOUND";
}

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(YibaoQuery))]
[JsonSerializable(typeof(YibaoInsured))]
[JsonSerializable(typeof(YibaoError))]
public sealed partial class YibaoJson : JsonSerializerContext;
