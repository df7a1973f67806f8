using System.Text;
using System.Text.Json.Nodes;

namespace HuiminBao.LaunchDay.Abuse;

/// <summary>
/// Sign-up bodies that are wrong in one chosen way, built from a body that would otherwise be valid
/// (real-looking people, the open plan year), so the answer shows the server caught that one thing.
/// </summary>
internal sealed class HostileBodies(Random random, HostilePeople people, int planYear)
{
    public static readonly string[] Injections =
    [
        "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "'; DROP TABLE signups; --", "' OR '1'='1",
        "PartitionKey eq 'x' or true", "') or (RowKey ne '", "$filter=PartitionKey ne ''", "x' or PartitionKey ne '' or '1' eq '1",
        "../../etc/passwd", "%00", "{{7*7}}", "${jndi:ldap://x/a}", "\u0000", "\\u0000", "😀😀😀", "Robert'); DROP TABLE Students;--",
        "1; WAITFOR DELAY '0:0:5'--", "=cmd|' /C calc'!A0", "<!--#exec cmd=\"ls\"-->", "\r\nSet-Cookie: a=b",
    ];

    private static readonly string[] Controls = ["\u202E", "\u200F", "\u0007", "\u001B[31m", "\r\n", "\u2028", "\uFEFF", "\u061C", "\u0000", "\u200B", "\u2066"];

    private static readonly string[] StringFields = ["applicant.name", "applicant.idNumber", "applicant.mobile", "insured.name", "insured.idNumber", "insured.relation"];

    public HostilePeople People { get; } = people;

    /// <summary>A body that would be valid: an applicant insuring themself and a child.</summary>
    public string Valid()
    {
        var applicant = People.Next();
        var child = People.Next();
        return HostilePeople.SignUpJson(planYear, applicant, (applicant, "self"), (child, "child"));
    }

    public string Malformed() => Pick(["{", "}", "{\"planYear\":}", "nul", "{'planYear': 2026}", "{\"a\":1,,}", "[]]", "\"just a string\"", "{\"planYear\":2026 \"applicant\":{}}", "", "\u0000", "{\"planYear\":2026}garbage"]);

    public string Truncated()
    {
        var body = Valid();
        return body[..random.Next(1, body.Length - 1)];
    }

    public string WrongType() => Mutate(n => SetRandomField(n, Pick<JsonNode?>([JsonValue.Create(42), JsonValue.Create(true), new JsonArray(), new JsonObject(), null, JsonValue.Create(1e308), JsonValue.Create(-1)])));

    /// <summary>Numbers JSON allows (or nearly) that are no plan year.</summary>
    public string BadPlanYear()
    {
        var body = Valid();
        var year = Pick(["1e400", "-2026", "9223372036854775808", "NaN", "Infinity", "0x7EA", "20.26", (planYear - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "\"2026\""]);
        return body.Replace($"\"planYear\":{planYear}", $"\"planYear\":{year}", StringComparison.Ordinal);
    }

    /// <summary>A valid body with a key repeated at the end holding a hostile value: last-wins parsers see that.</summary>
    public string DuplicateKeyLastHostile()
    {
        var body = Valid();
        var tail = Pick([",\"insured\":\"x\"", ",\"planYear\":1", ",\"applicant\":null", ",\"insured\":[]", ",\"applicant\":{\"name\":\"' OR '1'='1\"}"]);
        return body[..^1] + tail + "}";
    }

    public string HugeArray() => Mutate(n => n["insured"] = new JsonArray([.. Enumerable.Range(0, random.Next(9, 5000)).Select(_ => (JsonNode)new JsonObject { ["name"] = "张三", ["idNumber"] = "11010519491231002X", ["relation"] = "child" })]));

    public string HugeString() => Mutate(n => SetRandomField(n, JsonValue.Create(new string('汉', random.Next(100, 30_000)))));

    public string DeepNesting() => random.Next(2) == 0
        ? "{\"planYear\":" + new string('[', random.Next(10, 5000)) + new string(']', 3)
        : NestedApplicant(random.Next(65, 2000));

    public byte[] InvalidUtf8()
    {
        var bytes = Encoding.UTF8.GetBytes(Valid()).ToList();
        var at = bytes.IndexOf((byte)'"', random.Next(bytes.Count / 2)) + 1;
        bytes.InsertRange(Math.Max(at, 1), Pick<byte[]>([[0xC3, 0x28], [0xFF], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC0, 0xAF], [0xE2, 0x82]]));
        return [.. bytes];
    }

    public string ControlInOneField() => Mutate(n => Change(n, Pick(StringFields), InsertControl));

    public string ControlInEveryField() => Mutate(n =>
    {
        foreach (var field in StringFields)
            Change(n, field, InsertControl);
    });

    public string InjectionInOneField() => Mutate(n => Change(n, Pick(StringFields), _ => Pick(Injections)));

    public string InjectionInEveryField() => Mutate(n =>
    {
        foreach (var field in StringFields)
            Change(n, field, _ => Pick(Injections));
    });

    public string BadSession() => Pick([
        "{\"code\":\"" + Pick(Injections).Replace("\"", "", StringComparison.Ordinal).Replace("\\", "", StringComparison.Ordinal).Replace("\r\n", "", StringComparison.Ordinal) + "\"}",
        "{\"code\":null}", "{\"code\":[1]}", "{", "{\"code\":\"" + new string('a', 5000) + "\"}", "{\"code\":\"\"}", "{\"code\":\"\\u202E\"}",
    ]);

    /// <summary>A bureau roster file naming real-looking people, for uploads without the ops key.</summary>
    public byte[] RosterCsv()
    {
        var rows = Enumerable.Range(0, random.Next(1, 5)).Select(_ => People.Next())
            .Select(p => $"{p.IdNumber},{p.Name},职工,410502,正常");
        return Encoding.UTF8.GetBytes("身份证号,姓名,险种,行政区划,参保状态\n" + string.Join('\n', rows) + "\n");
    }

    private string InsertControl(string value) => value.Insert(random.Next(value.Length + 1), Pick(Controls));

    private string Mutate(Action<JsonNode> change)
    {
        var node = JsonNode.Parse(Valid())!;
        change(node);
        return node.ToJsonString();
    }

    private void SetRandomField(JsonNode root, JsonNode? value)
    {
        switch (random.Next(6))
        {
            case 0: root["planYear"] = value; break;
            case 1: root["applicant"] = value; break;
            case 2: root["insured"] = value; break;
            case 3: root["applicant"]!["idNumber"] = value; break;
            case 4: root["insured"]![0]!["relation"] = value; break;
            default: root["insured"]![1]!["name"] = value; break;
        }
    }

    /// <summary>applicant.x changes the applicant; insured.x changes every insured person's x.</summary>
    private static void Change(JsonNode root, string field, Func<string, string> change)
    {
        var (parent, name) = (field.Split('.')[0], field.Split('.')[1]);
        List<JsonNode> targets = parent == "applicant" ? [root["applicant"]!] : [.. root["insured"]!.AsArray().Select(p => p!)];
        foreach (var target in targets)
            target[name] = change(target[name]!.GetValue<string>());
    }

    /// <summary>Written as text: JsonNode itself refuses to write this deep.</summary>
    private string NestedApplicant(int depth) =>
        $"{{\"planYear\":{planYear},\"applicant\":" + string.Concat(Enumerable.Repeat("{\"name\":", depth)) + "\"x\"" + new string('}', depth) + ",\"insured\":[]}";

    private T Pick<T>(T[] options) => options[random.Next(options.Length)];
}
