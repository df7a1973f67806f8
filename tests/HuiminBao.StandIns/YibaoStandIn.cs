using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HuiminBao.StandIns;

/// <summary>
/// A city 医保 bureau's insured-person service with the real-name check (二要素):
/// <c>POST /api/v1/insured/query</c> with <c>{"idNumber":"...","name":"..."}</c>, answering 200 with
/// the person's scheme, district and status as the bureau writes them (职工/居民, 正常/暂停/终止) when
/// name and ID number match its record, 422 <c>{"code":"NAME_MISMATCH"}</c> (and nothing about the
/// record) when the ID number is on record under another name, 404 <c>{"code":"NOT_FOUND"}</c> for
/// someone it has no record of, and 400 for a malformed request (no name is malformed). Every call
/// must carry the bureau's API key in the <c>X-Api-Key</c> header (or the header given): without it,
/// or with another key, the answer is 401 <c>{"code":"UNAUTHORIZED"}</c>. Names are
/// compared the way such services do: NFKC, whitespace and the middle dot's variants ignored.
/// Faults are scriptable: server errors, slow answers and connection resets, for the next calls or
/// for all of them.
/// </summary>
public sealed class YibaoStandIn(string apiKey = YibaoStandIn.TestApiKey, string apiKeyHeader = YibaoStandIn.DefaultApiKeyHeader)
{
    public const string QueryPath = "/api/v1/insured/query";
    public const string TestApiKey = "yibao-stand-in-test-key-0001";
    public const string DefaultApiKeyHeader = "X-Api-Key";

    private readonly ConcurrentDictionary<string, Insured> _insured = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<YibaoFault> _nextFaults = new();
    private readonly ConcurrentQueue<string> _paths = new();
    private volatile YibaoFault? _standingFault;
    private int _queries;
    private int _refused;

    public string ApiKey => apiKey;

    /// <summary>Calls refused for a missing or wrong API key.</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>Requests that reached the service, faults included.</summary>
    public int Queries => Volatile.Read(ref _queries);

    /// <summary>Every request path and query string seen, to check that no ID number travels in a URL.</summary>
    public IReadOnlyCollection<string> Paths => _paths;

    public void Insure(string idNumber, string name, string scheme = "职工", string status = "正常", string district = "410502", string asOf = "2026-01-01") =>
        _insured[idNumber] = new Insured(Comparable(name), scheme, status, district, asOf);

    /// <summary>The next calls meet these faults, in order, then the service answers normally again.</summary>
    public void FailNext(params YibaoFault[] faults)
    {
        foreach (var fault in faults)
            _nextFaults.Enqueue(fault);
    }

    /// <summary>Every call meets <paramref name="fault"/> until <see cref="Recover"/>.</summary>
    public void FailAlways(YibaoFault fault) => _standingFault = fault;

    public void Recover()
    {
        _standingFault = null;
        _nextFaults.Clear();
    }

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost(QueryPath, QueryAsync);
    }

    private async Task QueryAsync(HttpContext context)
    {
        Interlocked.Increment(ref _queries);
        _paths.Enqueue(context.Request.Path + context.Request.QueryString);
        if (context.Request.Headers[apiKeyHeader].ToString() != apiKey)
        {
            Interlocked.Increment(ref _refused);
            await WriteAsync(context, 401, """{"code":"UNAUTHORIZED","message":"接口密钥缺失或无效"}""");
            return;
        }
        var fault = _nextFaults.TryDequeue(out var next) ? next : _standingFault;
        switch (fault?.Kind)
        {
            case YibaoFaultKind.Reset:
                context.Abort();
                return;
            case YibaoFaultKind.ServerError:
                await WriteAsync(context, 500, """{"code":"SYSTEM_ERROR","message":"系统繁忙，请稍后再试"}""");
                return;
            case YibaoFaultKind.Unavailable:
                await WriteAsync(context, 503, """{"code":"SERVICE_UNAVAILABLE","message":"服务维护中"}""");
                return;
            case YibaoFaultKind.Slow:
                try
                {
                    await Task.Delay(fault.Delay, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                break;
        }

        string? idNumber, name;
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            idNumber = StringOf(body.RootElement, "idNumber");
            name = StringOf(body.RootElement, "name");
        }
        catch (JsonException)
        {
            idNumber = name = null;
        }
        if (string.IsNullOrEmpty(idNumber) || idNumber.Length != 18)
        {
            await WriteAsync(context, 400, """{"code":"INVALID_ID_NUMBER","message":"身份证号格式不正确"}""");
            return;
        }
        if (string.IsNullOrWhiteSpace(name))
        {
            await WriteAsync(context, 400, """{"code":"INVALID_NAME","message":"姓名不能为空"}""");
            return;
        }
        if (!_insured.TryGetValue(idNumber, out var insured))
        {
            await WriteAsync(context, 404, """{"code":"NOT_FOUND","message":"未查询到该人员的参保信息"}""");
            return;
        }
        if (insured.Name != Comparable(name))
        {
            await WriteAsync(context, 422, """{"code":"NAME_MISMATCH","message":"姓名与身份证号不一致"}""");
            return;
        }
        var masked = string.Concat(idNumber.AsSpan(0, 6), "********", idNumber.AsSpan(14));
        await WriteAsync(context, 200, JsonSerializer.Serialize(new { idNumber = masked, scheme = insured.Scheme, district = insured.District, status = insured.Status, asOf = insured.AsOf }));
    }

    private static string? StringOf(JsonElement root, string property) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The bureau's comparison: NFKC, no whitespace, one middle dot for all its variants.</summary>
    private static string Comparable(string name)
    {
        var builder = new StringBuilder();
        foreach (var c in name.Normalize(NormalizationForm.FormKC))
        {
            if (char.IsWhiteSpace(c))
                continue;
            builder.Append(c is '.' or '•' or '・' or '‧' or '∙' ? '·' : c);
        }
        return builder.ToString();
    }

    private static async Task WriteAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(json, context.RequestAborted);
    }

    private sealed record Insured(string Name, string Scheme, string Status, string District, string AsOf);
}

public enum YibaoFaultKind
{
    ServerError,
    Unavailable,
    Slow,
    Reset,
}

/// <summary>One scripted misbehaviour of the 医保 service.</summary>
public sealed record YibaoFault(YibaoFaultKind Kind, TimeSpan Delay = default)
{
    public static YibaoFault ServerError { get; } = new(YibaoFaultKind.ServerError);

    public static YibaoFault Unavailable { get; } = new(YibaoFaultKind.Unavailable);

    /// <summary>The connection is dropped without an answer (HttpContext.Abort): a reset to the client.</summary>
    public static YibaoFault Reset { get; } = new(YibaoFaultKind.Reset);

    /// <summary>Answers normally, after <paramref name="delay"/>.</summary>
    public static YibaoFault Slow(TimeSpan delay) => new(YibaoFaultKind.Slow, delay);
}
