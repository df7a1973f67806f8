using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace HuiminBao.Tests.Infra;

/// <summary>
/// A partial evaluator for ARM template expressions (<c>"[format('{0}/x', parameters('name'))]"</c>).
/// What can be known before deployment (literals, parameters bound by a parent template, variables,
/// <c>format</c>, <c>concat</c>, <c>copyIndex</c>, ...) is evaluated; what cannot (<c>reference</c>,
/// <c>resourceId</c>, <c>uniqueString</c>, ...) stays as a hole: the canonical text of the call,
/// written <c>⟨...⟩</c> inside a string. Two expressions that name the same thing from different
/// nested templates then evaluate to the same text, which is what lets the checks follow an
/// identity from the module that creates it to the modules that grant it roles.
/// </summary>
internal static class ArmExpression
{
    public const char HoleOpen = '⟨';
    public const char HoleClose = '⟩';

    public static bool IsExpression(string text) =>
        text.Length >= 2 && text[0] == '[' && text[^1] == ']' && !text.StartsWith("[[", StringComparison.Ordinal);

    public static Expr Parse(string expression) => new Parser(expression).ParseAll();

    public static JsonNode Hole(string expressionText) => JsonValue.Create($"{HoleOpen}{expressionText}{HoleClose}");

    /// <summary>True when the value is nothing but one unknown: <c>⟨reference(...).principalId⟩</c>.</summary>
    public static bool IsWholeHole(JsonNode? value, out string expressionText)
    {
        expressionText = "";
        if (value is not JsonValue v || !v.TryGetValue<string>(out var s) || s.Length < 2 || s[0] != HoleOpen || s[^1] != HoleClose)
            return false;
        var depth = 0;
        for (var i = 0; i < s.Length; i++)
        {
            depth += s[i] == HoleOpen ? 1 : s[i] == HoleClose ? -1 : 0;
            if (depth == 0 && i < s.Length - 1)
                return false;
        }
        expressionText = s[1..^1];
        return true;
    }

    public static bool IsKnown(JsonNode? value) => value switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => !s.Contains(HoleOpen, StringComparison.Ordinal),
        JsonObject o => o.All(p => IsKnown(p.Value)),
        JsonArray a => a.All(IsKnown),
        _ => true,
    };

    /// <summary>The value as it would be written inside an expression, so holes compose canonically.</summary>
    public static string Render(JsonNode? value)
    {
        if (value is null)
            return "null()";
        if (IsWholeHole(value, out var expression))
            return expression;
        if (value is JsonValue v)
        {
            if (v.TryGetValue<string>(out var s))
                return "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'";
            if (v.TryGetValue<bool>(out var b))
                return b ? "true()" : "false()";
            return v.ToJsonString();
        }
        return value.ToJsonString();
    }

    public static string RenderCall(string name, IEnumerable<JsonNode?> args) => $"{name}({string.Join(", ", args.Select(Render))})";

    /// <summary>The value as text inside a string (holes stay as holes), or null for objects and arrays.</summary>
    public static string? AsText(JsonNode? value) => value switch
    {
        null => "",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "True" : "False",
        JsonValue v => v.ToJsonString(),
        _ => null,
    };

    public static bool TryGetInt(JsonNode? value, out int result)
    {
        result = 0;
        if (value is not JsonValue v)
            return false;
        if (v.TryGetValue<int>(out result))
            return true;
        if (v.TryGetValue<long>(out var l))
        {
            result = (int)l;
            return true;
        }
        if (v.TryGetValue<double>(out var d) && d == Math.Floor(d))
        {
            result = (int)d;
            return true;
        }
        return v.TryGetValue<string>(out var s) && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out result);
    }

    public static bool TryGetBool(JsonNode? value, out bool result)
    {
        result = false;
        return value is JsonValue v && v.TryGetValue(out result);
    }

    /// <summary>A property by ARM's rules: names are case-insensitive.</summary>
    public static JsonNode? Property(JsonObject? obj, string name)
    {
        if (obj is null)
            return null;
        if (obj.TryGetPropertyValue(name, out var exact))
            return exact;
        foreach (var (key, value) in obj)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
                return value;
        }
        return null;
    }

    public abstract record Expr;

    public sealed record Literal(JsonNode? Value) : Expr;

    public sealed record Call(string Name, IReadOnlyList<Expr> Args) : Expr;

    public sealed record Member(Expr Target, string Name) : Expr;

    public sealed record Index(Expr Target, Expr Key) : Expr;

    private sealed class Parser(string text)
    {
        private int _pos;

        public Expr ParseAll()
        {
            var expr = ParseExpr();
            SkipSpace();
            if (_pos != text.Length)
                throw Error("unexpected text");
            return expr;
        }

        private Expr ParseExpr()
        {
            var expr = ParsePrimary();
            while (true)
            {
                SkipSpace();
                if (TryConsume('.'))
                {
                    expr = new Member(expr, ReadIdentifier());
                }
                else if (TryConsume('['))
                {
                    var key = ParseExpr();
                    SkipSpace();
                    Expect(']');
                    expr = new Index(expr, key);
                }
                else
                {
                    return expr;
                }
            }
        }

        private Expr ParsePrimary()
        {
            SkipSpace();
            if (_pos >= text.Length)
                throw Error("expression ends early");
            var c = text[_pos];
            if (c == '\'')
                return new Literal(JsonValue.Create(ReadString()));
            if (char.IsAsciiDigit(c) || c == '-')
                return new Literal(ReadNumber());

            var name = ReadIdentifier();
            // User-defined functions are namespaced: __bicep.myFunction(...)
            if (_pos < text.Length && text[_pos] == '.' && LooksLikeNamespacedCall())
            {
                _pos++;
                name += "." + ReadIdentifier();
            }
            SkipSpace();
            Expect('(');
            var args = new List<Expr>();
            SkipSpace();
            if (!TryConsume(')'))
            {
                do
                {
                    args.Add(ParseExpr());
                    SkipSpace();
                }
                while (TryConsume(','));
                Expect(')');
            }
            return new Call(name, args);
        }

        private bool LooksLikeNamespacedCall()
        {
            var i = _pos + 1;
            while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
                i++;
            while (i < text.Length && char.IsWhiteSpace(text[i]))
                i++;
            return i < text.Length && text[i] == '(';
        }

        private string ReadIdentifier()
        {
            SkipSpace();
            var start = _pos;
            while (_pos < text.Length && (char.IsAsciiLetterOrDigit(text[_pos]) || text[_pos] == '_' || text[_pos] == '$'))
                _pos++;
            if (_pos == start)
                throw Error("identifier expected");
            return text[start.._pos];
        }

        private string ReadString()
        {
            var builder = new StringBuilder();
            _pos++;
            while (true)
            {
                if (_pos >= text.Length)
                    throw Error("unterminated string");
                var c = text[_pos++];
                if (c != '\'')
                {
                    builder.Append(c);
                    continue;
                }
                if (_pos < text.Length && text[_pos] == '\'')
                {
                    builder.Append('\'');
                    _pos++;
                    continue;
                }
                return builder.ToString();
            }
        }

        private JsonValue ReadNumber()
        {
            var start = _pos;
            if (text[_pos] == '-')
                _pos++;
            while (_pos < text.Length && (char.IsAsciiDigit(text[_pos]) || text[_pos] == '.'))
                _pos++;
            var token = text[start.._pos];
            return long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)
                ? JsonValue.Create(l)
                : JsonValue.Create(double.Parse(token, CultureInfo.InvariantCulture));
        }

        private void SkipSpace()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos]))
                _pos++;
        }

        private bool TryConsume(char c)
        {
            if (_pos < text.Length && text[_pos] == c)
            {
                _pos++;
                return true;
            }
            return false;
        }

        private void Expect(char c)
        {
            if (!TryConsume(c))
                throw Error($"'{c}' expected");
        }

        private FormatException Error(string what) => new($"ARM expression: {what} at {_pos} in [{text}]");
    }
}
