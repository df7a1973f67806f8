using System.Text.Json.Serialization;

namespace HuiminBao.Enrollment.Eligibility;

/// <summary>
/// <c>POST /api/v1/insured/query</c> on the 医保 service: <c>{"idNumber":"...","name":"..."}</c>, the
/// real-name check's two elements (二要素). They travel in the body, never in the URL, so they stay
/// out of access logs and HttpClient's request logging on both sides. The name goes as the applicant
/// typed it (after intake's normalisation); the service compares it with its record its own way.
/// </summary>
public sealed record YibaoQuery(string IdNumber, string Name);

/// <summary>200 (name and ID number match the record): the person's enrolment. <c>scheme</c> 职工/居民, <c>status</c> 正常/暂停/终止, as the bureau writes them.</summary>
public sealed record YibaoInsured(string? IdNumber, string? Scheme, string? District, string? Status, string? AsOf);

/// <summary>
/// Any error: <c>{"code":"NOT_FOUND","message":"..."}</c>. Only <see cref="NotFoundCode"/> on a 404
/// means "not insured"; only <see cref="NameMismatchCode"/> on a 422 means "the ID number is on
/// record under another name", an answer that carries nothing else about the record.
/// </summary>
public sealed record YibaoError(string? Code, string? Message)
{
    public const string NotFoundCode = "NOT_FOUND";
    public const string NameMismatchCode = "NAME_MISMATCH";
}

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(YibaoQuery))]
[JsonSerializable(typeof(YibaoInsured))]
[JsonSerializable(typeof(YibaoError))]
public sealed partial class YibaoJson : JsonSerializerContext;
