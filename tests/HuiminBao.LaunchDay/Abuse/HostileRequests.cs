using System.Net.Http.Headers;
using System.Text;

namespace HuiminBao.LaunchDay.Abuse;

/// <summary>Who the hostile requests are aimed at: the attacker's own valid token, bad tokens, and victims' sign-ups.</summary>
/// <param name="AttackerToken">A valid token of the attacker's own openid.</param>
/// <param name="ForeignToken">A well-formed token signed with some other key.</param>
/// <param name="ExpiredToken">A token signed with the right key that has expired.</param>
/// <param name="Victims">Real sign-ups of other users, with each one's own valid token (for replaying against another's).</param>
public sealed record HostileTargets(string AttackerToken, string ForeignToken, string ExpiredToken, IReadOnlyList<(string SignUpId, string Token)> Victims);

/// <summary>
/// Generates hostile requests against every public and ops route, seeded so a failure can be
/// replayed: broken JSON and types, huge and deep bodies, invalid UTF-8, control, bidi and injection
/// strings in one field or all of them and in the route and headers, forged, none-signed, expired and
/// replayed tokens, other users' sign-up ids, and ops routes without their key. Everything random is
/// drawn when a request is generated, so sending them in parallel is safe. The real people put into
/// bodies are kept in <see cref="People"/> so a scan can prove none of them was stored or logged.
/// </summary>
public sealed class HostileRequests(int seed, HostileTargets targets, int planYear)
{
    private static readonly string[] PathInjections =
    [
        "x'%20or%20'1'%20eq%20'1", "x'%20or%20PartitionKey%20ne%20'", "%27%29%20or%20%28RowKey%20ne%20%27", "..%2F..%2Fapi%2Fops%2Freviews",
        "%00", "*", "%24filter%3DPartitionKey%20ne%20''", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "%F0%9F%98%80", "%C0%AE%C0%AE%2F", new string('a', 4000),
        "signup'%3B%20DROP%20TABLE%20signups%3B--", "1%20OR%201%3D1", "x%0D%0ASet-Cookie:%20a%3Db",
    ];

    private static readonly string[] BadIdempotencyKeys =
    [
        "' or 1=1 --", "k 1", "../../etc/passwd", "%00", "<script>", new string('k', 65), "a;b", "PartitionKey eq 'x'", "\"quoted\"", "k\t1",
    ];

    private readonly Random _random = new(seed);
    private readonly HostileBodies _bodies = new(new Random(seed + 1), new HostilePeople(seed), planYear);

    /// <summary>Every real-looking person a generated body contains.</summary>
    public IReadOnlyList<PlaintextPerson> People => _bodies.People.Used;

    public IEnumerable<HostileRequest> Generate(int count)
    {
        // Strangers' sign-ups are valid requests that change storage; StrangerSignUps sends them before the snapshot.
        var kinds = Enum.GetValues<HostileKind>().Where(k => k != HostileKind.StrangersWithWrongNames).ToArray();
        for (var i = 0; i < count; i++)
            yield return Make(kinds[i % kinds.Length]);
    }

    /// <summary>Beyond "no 5xx and nothing accepted": the exact answer some kinds must get.</summary>
    public static bool IsExpected(HostileKind kind, int status) => kind switch
    {
        HostileKind.OtherUsersSignUp or HostileKind.ReplayedToken => status == 404,
        HostileKind.OpsWithoutKey or HostileKind.RosterUploadWithoutKey => status == 401,
        HostileKind.ForgedToken or HostileKind.AlgNoneToken or HostileKind.ExpiredOrForeignToken => status == 401,
        HostileKind.WrongContentType => status == 415,
        HostileKind.BadIdempotencyKey or HostileKind.DuplicateKeys => status == 400,
        HostileKind.StrangersWithWrongNames => status == 202,
        HostileKind.WrongMethod => status is 401 or 404 or 405,
        _ => status is >= 400 and < 500,
    };

    private HostileRequest Make(HostileKind kind)
    {
        var attacker = targets.AttackerToken;
        switch (kind)
        {
            case HostileKind.MalformedJson: return SignUp(kind, _bodies.Malformed());
            case HostileKind.TruncatedJson: return SignUp(kind, _bodies.Truncated());
            case HostileKind.WrongTypes: return SignUp(kind, _bodies.WrongType());
            case HostileKind.NumberEdgeCases: return SignUp(kind, _bodies.BadPlanYear());
            case HostileKind.DuplicateKeys: return SignUp(kind, _bodies.DuplicateKeyLastHostile());
            case HostileKind.HugeArray: return SignUp(kind, _bodies.HugeArray());
            case HostileKind.HugeString: return SignUp(kind, _bodies.HugeString());
            case HostileKind.DeepNesting: return SignUp(kind, _bodies.DeepNesting());
            case HostileKind.InvalidUtf8: return SignUp(kind, _bodies.InvalidUtf8());
            case HostileKind.ControlAndBidi: return SignUp(kind, _bodies.ControlInOneField());
            case HostileKind.ControlInEveryField: return SignUp(kind, _bodies.ControlInEveryField());
            case HostileKind.Injection: return SignUp(kind, _bodies.InjectionInOneField());
            case HostileKind.InjectionInEveryField: return SignUp(kind, _bodies.InjectionInEveryField());
            case HostileKind.InjectionInPath:
            {
                var path = "/api/signups/" + Pick(PathInjections);
                return _random.Next(3) == 0
                    ? new(kind, () => WithHeader(new HttpRequestMessage(HttpMethod.Post, "/api/ops/reviews/" + Pick(PathInjections) + "/requeue"), "x-functions-key", "guess"))
                    : new(kind, () => Get(path, attacker));
            }
            case HostileKind.BadIdempotencyKey:
            {
                var body = Encoding.UTF8.GetBytes(_bodies.Valid());
                var key = Pick(BadIdempotencyKeys);
                return new(kind, () => WithHeader(Post("/api/signups", attacker, body), "Idempotency-Key", key));
            }
            case HostileKind.WrongContentType:
            {
                var body = Encoding.UTF8.GetBytes(_bodies.Valid());
                // No Content-Type at all is read as JSON on purpose (what wx.request sends by default), so it isn't hostile.
                var type = Pick(["text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/json", "application/javascript"]);
                return new(kind, () => Post("/api/signups", attacker, body, type));
            }
            case HostileKind.WrongMethod:
            {
                var victim = Pick(targets.Victims).SignUpId;
                var (method, path) = Pick<(HttpMethod, string)>([(HttpMethod.Put, $"/api/signups/{victim}"), (HttpMethod.Delete, $"/api/signups/{victim}"), (HttpMethod.Patch, $"/api/signups/{victim}"), (HttpMethod.Get, "/api/signups"), (HttpMethod.Delete, "/api/ops/reviews")]);
                return new(kind, () => new HttpRequestMessage(method, path) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", attacker) } });
            }
            case HostileKind.ForgedToken: return SignUpWithToken(kind, HostileTokens.Forge(attacker, _random));
            case HostileKind.AlgNoneToken: return SignUpWithToken(kind, HostileTokens.AlgNone(Pick(["o-victim-0", "o-attacker", "admin"]), _random));
            case HostileKind.ExpiredOrForeignToken: return SignUpWithToken(kind, _random.Next(2) == 0 ? targets.ForeignToken : targets.ExpiredToken);
            case HostileKind.OtherUsersSignUp:
            {
                var path = $"/api/signups/{Pick(targets.Victims).SignUpId}";
                return new(kind, () => Get(path, attacker));
            }
            case HostileKind.ReplayedToken:
            {
                // A token captured from one user, replayed against another user's sign-up.
                var from = _random.Next(targets.Victims.Count);
                var to = (from + 1 + _random.Next(targets.Victims.Count - 1)) % targets.Victims.Count;
                var path = $"/api/signups/{targets.Victims[to].SignUpId}";
                var token = targets.Victims[from].Token;
                return new(kind, () => Get(path, token));
            }
            case HostileKind.OpsWithoutKey: return OpsWithoutKey(kind, attacker);
            case HostileKind.RosterUploadWithoutKey:
            {
                var csv = _bodies.RosterCsv();
                var key = Pick<string?>([null, "guess-" + _random.Next(), ""]);
                return new(kind, () =>
                {
                    var request = new HttpRequestMessage(HttpMethod.Post, "/api/ops/roster-imports") { Content = new ByteArrayContent(csv) };
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
                    return key is null ? request : WithHeader(request, "x-functions-key", key);
                });
            }
            case HostileKind.BadSession:
            {
                var body = Encoding.UTF8.GetBytes(_bodies.BadSession());
                return new(kind, () => Post("/api/sessions", null, body));
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    private HostileRequest OpsWithoutKey(HostileKind kind, string attacker)
    {
        var victim = Pick(targets.Victims).SignUpId;
        var guess = "guess-" + _random.Next();
        var injected = Uri.EscapeDataString(Pick(HostileBodies.Injections));
        return Pick<HostileRequest>([
            new(kind, () => Get("/api/ops/reviews", null)),
            new(kind, () => Get("/api/ops/reviews?code=" + injected, null)),
            new(kind, () => WithHeader(new HttpRequestMessage(HttpMethod.Post, $"/api/ops/reviews/{victim}/requeue"), "x-functions-key", guess)),
            new(kind, () => Get("/api/tallies?from=2026-01-01&to=2026-12-31", attacker)),
            new(kind, () => Get("/api/dashboard", null)),
            new(kind, () => Get("/api/dashboard?code=" + injected, null)),
            new(kind, () => Get("/api/ops/roster-imports", attacker)),
            new(kind, () => WithHeader(Get("/api/tallies", null), "x-functions-key", injected)),
        ]);
    }

    private HostileRequest SignUp(HostileKind kind, byte[] body) => new(kind, () => Post("/api/signups", targets.AttackerToken, body));

    private HostileRequest SignUp(HostileKind kind, string body) => SignUp(kind, Encoding.UTF8.GetBytes(body));

    private HostileRequest SignUpWithToken(HostileKind kind, string token)
    {
        var body = Encoding.UTF8.GetBytes(_bodies.Valid());
        return new(kind, () => Post("/api/signups", token, body));
    }

    private T Pick<T>(IReadOnlyList<T> options) => options[_random.Next(options.Count)];

    private static HttpRequestMessage Post(string path, string? token, byte[] body, string? contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        if (contentType is not null)
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        if (token is not null)
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        return request;
    }

    private static HttpRequestMessage Get(string path, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        return request;
    }

    private static HttpRequestMessage WithHeader(HttpRequestMessage request, string name, string value)
    {
        request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }
}
