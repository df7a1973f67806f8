using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using HuiminBao.Tests.Infrastructure;

namespace HuiminBao.Tests.Abuse;

/// <summary>What a hostile request is meant to probe, for reporting.</summary>
public enum HostileKind
{
    MalformedJson,
    TruncatedJson,
    WrongTypes,
    HugeArray,
    HugeString,
    DeepNesting,
    InvalidUtf8,
    ControlAndBidi,
    Injection,
    ForgedToken,
    ExpiredOrForeignToken,
    OtherUsersSignUp,
    OpsWithoutKey,
    BadSession,
}

public sealed record HostileRequest(HostileKind Kind, Func<HttpRequestMessage> Build);

/// <summary>
/// Generates hostile requests against the public routes, seeded so a failure can be replayed.
/// The real people used in bodies are returned so a scan can prove none of them was stored or logged.
/// </summary>
public sealed class HostileRequests(int seed, string validToken, string foreignToken, IReadOnlyList<string> othersSignUpIds, int planYear)
{
    private static readonly string[] Injections =
    [
        "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "'; DROP TABLE signups; --", "' OR '1'='1",
        "PartitionKey eq 'x' or true", "') or (RowKey ne '", "$filter=PartitionKey ne ''", "../../etc/passwd", "%00", "{{7*7}}",
        "${jndi:ldap://x/a}", "\u0000", "\\u0000", "😀😀😀", "Robert'); DROP TABLE Students;--", "1; WAITFOR DELAY '0:0:5'--",
    ];

    private static readonly string[] Controls = ["\u202E", "\u200F", "\u0007", "\u001B[31m", "\r\n", "\u2028", "\uFEFF", "\u061C"];

    private readonly Random _random = new(seed);

    public List<Person> PeopleUsed { get; } = [];

    public IEnumerable<HostileRequest> Generate(int count)
    {
        var kinds = Enum.GetValues<HostileKind>();
        for (var i = 0; i < count; i++)
            yield return Make(kinds[i % kinds.Length]);
    }

    private HostileRequest Make(HostileKind kind) => kind switch
    {
        HostileKind.MalformedJson => SignUp(kind, Pick(["{", "}", "{\"planYear\":}", "nul", "{'planYear': 2026}", "{\"a\":1,,}", "[]]", "\"just a string\"", "{\"planYear\":2026 \"applicant\":{}}"])),
        HostileKind.TruncatedJson => SignUp(kind, Truncate(ValidBody())),
        HostileKind.WrongTypes => SignUp(kind, Mutate(n => SetRandomField(n, Pick<JsonNode?>([JsonValue.Create(42), JsonValue.Create(true), new JsonArray(), new JsonObject(), null, JsonValue.Create(1e308)])))),
        HostileKind.HugeArray => SignUp(kind, Mutate(n => n["insured"] = new JsonArray([.. Enumerable.Range(0, _random.Next(9, 5000)).Select(_ => (JsonNode)new JsonObject { ["name"] = "张三", ["idNumber"] = "11010519491231002X", ["relation"] = "child" })]))),
        HostileKind.HugeString => SignUp(kind, Mutate(n => SetRandomField(n, JsonValue.Create(new string('汉', _random.Next(100, 30_000)))))),
        HostileKind.DeepNesting => SignUp(kind, "{\"planYear\":" + new string('[', _random.Next(10, 5000)) + new string(']', 3)),
        HostileKind.InvalidUtf8 => new(kind, () => Post("/api/signups", validToken, InvalidUtf8(ValidBody()))),
        HostileKind.ControlAndBidi => SignUp(kind, Mutate(n => SetRandomStringField(n, s => s.Insert(_random.Next(s.Length + 1), Pick(Controls))))),
        HostileKind.Injection => SignUp(kind, Mutate(n => SetRandomStringField(n, _ => Pick(Injections)))),
        HostileKind.ForgedToken => new(kind, () => Post("/api/signups", Forge(validToken), Encoding.UTF8.GetBytes(ValidBody()))),
        HostileKind.ExpiredOrForeignToken => new(kind, () => Post("/api/signups", foreignToken, Encoding.UTF8.GetBytes(ValidBody()))),
        HostileKind.OtherUsersSignUp => new(kind, () => Get($"/api/signups/{Pick(othersSignUpIds)}", validToken)),
        HostileKind.OpsWithoutKey => new(kind, () => Pick<Func<HttpRequestMessage>>([
            () => Get("/api/ops/reviews", null),
            () => Get("/api/ops/reviews?code=" + Uri.EscapeDataString(Pick(Injections)), null),
            () => WithHeader(new HttpRequestMessage(HttpMethod.Post, $"/api/ops/reviews/{Pick(othersSignUpIds)}/requeue"), "x-functions-key", "guess-" + _random.Next()),
            () => Get("/api/tallies?from=2026-01-01&to=2026-12-31", validToken),
        ])()),
        HostileKind.BadSession => new(kind, () => Post("/api/sessions", null, Encoding.UTF8.GetBytes(Pick(["{\"code\":\"" + Pick(Injections).Replace("\"", "", StringComparison.Ordinal) + "\"}", "{\"code\":null}", "{\"code\":[1]}", "{", "{\"code\":\"" + new string('a', 5000) + "\"}"])))),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private HostileRequest SignUp(HostileKind kind, string body) => new(kind, () => Post("/api/signups", validToken, Encoding.UTF8.GetBytes(body)));

    /// <summary>A body that would be valid, with real-looking people in it (recorded for the plaintext scan).</summary>
    private string ValidBody()
    {
        var applicant = Infrastructure.People.Next();
        var child = Infrastructure.People.Next("410503");
        PeopleUsed.Add(applicant);
        PeopleUsed.Add(child);
        return Infrastructure.People.SignUpJson(planYear, applicant, (applicant, "self"), (child, "child"));
    }

    private string Mutate(Action<JsonNode> change)
    {
        var node = JsonNode.Parse(ValidBody())!;
        change(node);
        return node.ToJsonString();
    }

    private void SetRandomField(JsonNode root, JsonNode? value)
    {
        switch (_random.Next(6))
        {
            case 0: root["planYear"] = value; break;
            case 1: root["applicant"] = value; break;
            case 2: root["insured"] = value; break;
            case 3: root["applicant"]!["idNumber"] = value; break;
            case 4: root["insured"]![0]!["relation"] = value; break;
            default: root["insured"]![1]!["name"] = value; break;
        }
    }

    private void SetRandomStringField(JsonNode root, Func<string, string> change)
    {
        var (parent, field) = _random.Next(6) switch
        {
            0 => (root["applicant"]!, "name"),
            1 => (root["applicant"]!, "idNumber"),
            2 => (root["applicant"]!, "mobile"),
            3 => (root["insured"]![1]!, "name"),
            4 => (root["insured"]![1]!, "idNumber"),
            _ => (root["insured"]![1]!, "relation"),
        };
        parent[field] = change(parent[field]!.GetValue<string>());
    }

    private string Truncate(string body) => body[.._random.Next(1, body.Length - 1)];

    private byte[] InvalidUtf8(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body).ToList();
        var at = bytes.IndexOf((byte)'"', _random.Next(bytes.Count / 2)) + 1;
        bytes.InsertRange(Math.Max(at, 1), Pick<byte[]>([[0xC3, 0x28], [0xFF], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80]]));
        return [.. bytes];
    }

    private string Forge(string token)
    {
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        return _random.Next(3) switch
        {
            // Someone else's openid in the claims, signature kept.
            0 => Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"sub\":\"o-victim\",\"iat\":1,\"exp\":4102444800}")).TrimEnd('=').Replace('+', '-').Replace('/', '_') + token[dot..],
            1 => token[..dot] + ".",
            _ => "eyJhbGciOiJub25lIn0." + token[..dot],
        };
    }

    private T Pick<T>(IReadOnlyList<T> options) => options[_random.Next(options.Count)];

    private static HttpRequestMessage Post(string path, string? token, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private static HttpRequestMessage Get(string path, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private static HttpRequestMessage WithHeader(HttpRequestMessage request, string name, string value)
    {
        request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }
}
