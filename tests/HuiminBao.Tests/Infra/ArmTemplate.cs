using System.Collections.Immutable;
using System.Text;
using System.Text.Json.Nodes;
using static HuiminBao.Tests.Infra.ArmExpression;

namespace HuiminBao.Tests.Infra;

/// <summary>One resource a compiled template deploys, with every expression in it evaluated as far as it can be.</summary>
/// <param name="Type">Resource type, e.g. <c>Microsoft.Storage/storageAccounts</c>.</param>
/// <param name="Body">The resource as ARM would see it, holes where values are only known at deployment.</param>
/// <param name="Conditional">Deployed only if a condition that cannot be known before deployment holds.</param>
/// <param name="Where">Nested deployments leading to it, for messages.</param>
internal sealed record ArmResource(string Type, JsonObject Body, bool Conditional, string Where)
{
    public JsonNode? Name => Property(Body, "name");

    public string NameText => AsText(Name) ?? "";

    public JsonObject? Properties => Property(Body, "properties") as JsonObject;

    public bool IsType(string type) => string.Equals(Type, type, StringComparison.OrdinalIgnoreCase);

    /// <summary>The last segment of the name: the queue's own name for <c>account/default/signups</c>.</summary>
    public string LeafName => NameText[(NameText.LastIndexOf('/') + 1)..];

    /// <summary>How other resources in the same resource group refer to this one: <c>resourceId(type, name)</c>.</summary>
    public string IdText => $"{HoleOpen}{RenderCall("resourceId", [JsonValue.Create(Type), Name])}{HoleClose}";

    public override string ToString() => $"{Type} '{NameText}' ({Where})";
}

/// <summary>
/// Walks a compiled ARM template (the JSON <c>bicep build</c> writes) into the flat list of resources
/// it deploys, following Bicep modules (nested deployments with inner expression scope) and copy
/// loops, binding each module's parameters to the parent's values.
/// </summary>
internal static class ArmTemplate
{
    public static IReadOnlyList<ArmResource> Resources(JsonObject template) => Resources(template, parameters: null);

    /// <summary>
    /// The resources the template deploys with its own parameters set to <paramref name="parameters"/>
    /// (as a parameters file sets them); a parameter not given keeps its default.
    /// </summary>
    public static IReadOnlyList<ArmResource> Resources(JsonObject template, IReadOnlyDictionary<string, JsonNode?>? parameters)
    {
        var into = new List<ArmResource>();
        Collect(new Scope(template, bound: null, parentContext: null, "main", parameters), into, conditional: false);
        return into;
    }

    private static void Collect(Scope scope, List<ArmResource> into, bool conditional)
    {
        foreach (var node in ResourceNodes(scope.Template))
        {
            if (TryGetBool(Property(node, "existing"), out var existing) && existing)
                continue;
            var type = AsText(Property(node, "type")) ?? "";
            foreach (var context in LoopContexts(scope, node))
            {
                var condition = Property(node, "condition") is { } c ? context.Evaluate(c) : JsonValue.Create(true);
                if (TryGetBool(condition, out var deploys) && !deploys)
                    continue;
                var isConditional = conditional || !TryGetBool(condition, out _);

                if (string.Equals(type, "Microsoft.Resources/deployments", StringComparison.OrdinalIgnoreCase))
                {
                    var properties = Property(node, "properties") as JsonObject;
                    if (Property(properties, "template") is JsonObject inner)
                    {
                        var name = AsText(context.Evaluate(Property(node, "name")));
                        Collect(new Scope(inner, Property(properties, "parameters") as JsonObject, context, $"{scope.Path}/{name}"), into, isConditional);
                    }
                    continue;
                }

                var body = new JsonObject();
                foreach (var (key, value) in node)
                {
                    if (key is "copy" or "condition")
                        continue;
                    body[key] = context.Evaluate(value);
                }
                into.Add(new ArmResource(type, body, isConditional, scope.Path));
            }
        }
    }

    // languageVersion 2.0 (symbolic names) writes resources as an object keyed by symbolic name.
    private static IEnumerable<JsonObject> ResourceNodes(JsonObject template) => Property(template, "resources") switch
    {
        JsonArray array => array.OfType<JsonObject>(),
        JsonObject byName => byName.Select(p => p.Value).OfType<JsonObject>(),
        _ => [],
    };

    private static IEnumerable<Context> LoopContexts(Scope scope, JsonObject node)
    {
        if (Property(node, "copy") is not JsonObject copy)
        {
            yield return new Context(scope, null, ImmutableDictionary<string, int>.Empty);
            yield break;
        }
        var count = new Context(scope, null, ImmutableDictionary<string, int>.Empty).Evaluate(Property(copy, "count"));
        if (!TryGetInt(count, out var n))
        {
            yield return new Context(scope, null, ImmutableDictionary<string, int>.Empty);
            yield break;
        }
        for (var i = 0; i < n; i++)
            yield return new Context(scope, i, ImmutableDictionary<string, int>.Empty);
    }

    /// <summary>One template (the main one or a module's), with its parameters bound to its parent's values.</summary>
    private sealed class Scope(JsonObject template, JsonObject? bound, Context? parentContext, string path, IReadOnlyDictionary<string, JsonNode?>? given = null)
    {
        private readonly Dictionary<string, JsonNode?> _parameters = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, JsonNode?> _variables = new(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _evaluating = new(StringComparer.OrdinalIgnoreCase);

        public JsonObject Template { get; } = template;

        public string Path { get; } = path;

        public JsonNode? Parameter(string name) => Memo(_parameters, "parameters:" + name, () =>
        {
            if (Property(bound, name) is JsonObject binding && parentContext is { } parent)
            {
                return Property(binding, "value") is { } value ? parent.Evaluate(value) : Hole($"parameters('{name}')");
            }
            // A binding Bicep writes as one expression: "[if(cond, createObject('value', a), createObject('value', b))]".
            if (Property(bound, name) is JsonValue expression && parentContext is { } outer)
            {
                return outer.Evaluate(expression) is JsonObject chosen && Property(chosen, "value") is { } value
                    ? value.DeepClone()
                    : Hole($"parameters('{name}')");
            }
            if (given is not null && given.FirstOrDefault(g => string.Equals(g.Key, name, StringComparison.OrdinalIgnoreCase)) is { Key: not null } set)
                return set.Value?.DeepClone();
            var declaration = Property(Property(Template, "parameters") as JsonObject, name) as JsonObject;
            return Property(declaration, "defaultValue") is { } defaultValue
                ? new Context(this, null, ImmutableDictionary<string, int>.Empty).Evaluate(defaultValue)
                : Hole($"parameters('{name}')");
        }, name);

        public JsonNode? Variable(string name) => Memo(_variables, "variables:" + name, () =>
        {
            var variables = Property(Template, "variables") as JsonObject;
            return Property(variables, name) is { } value
                ? new Context(this, null, ImmutableDictionary<string, int>.Empty).Evaluate(value)
                : Hole($"variables('{name}')");
        }, name);

        private JsonNode? Memo(Dictionary<string, JsonNode?> memo, string key, Func<JsonNode?> evaluate, string name)
        {
            if (memo.TryGetValue(name, out var known))
                return known?.DeepClone();
            if (!_evaluating.Add(key))
                throw new InvalidOperationException($"{key} refers to itself in {Path}");
            var value = evaluate();
            _evaluating.Remove(key);
            memo[name] = value;
            return value?.DeepClone();
        }
    }

    /// <summary>Where an expression is evaluated: its template, and the loop iteration if any.</summary>
    private sealed record Context(Scope Scope, int? ResourceIndex, ImmutableDictionary<string, int> PropertyIndexes)
    {
        public JsonNode? Evaluate(JsonNode? node)
        {
            switch (node)
            {
                case null:
                    return null;
                case JsonValue v when v.TryGetValue<string>(out var s):
                    if (IsExpression(s))
                        return Evaluate(Parse(s[1..^1]));
                    return JsonValue.Create(s.StartsWith("[[", StringComparison.Ordinal) ? s[1..] : s);
                case JsonObject o:
                    return EvaluateObject(o);
                case JsonArray a:
                    return new JsonArray([.. a.Select(Evaluate)]);
                default:
                    return node.DeepClone();
            }
        }

        private JsonObject EvaluateObject(JsonObject o)
        {
            var result = new JsonObject();
            foreach (var (key, value) in o)
            {
                // Property loops: "copy": [ { "name": "appSettings", "count": n, "input": {...} } ].
                if (key == "copy" && value is JsonArray loops && loops.All(l => l is JsonObject lo && Property(lo, "input") is not null))
                {
                    foreach (var loop in loops.OfType<JsonObject>())
                    {
                        var loopName = AsText(Property(loop, "name")) ?? "";
                        var items = new JsonArray();
                        if (TryGetInt(Evaluate(Property(loop, "count")), out var n))
                        {
                            for (var i = 0; i < n; i++)
                                items.Add((this with { PropertyIndexes = PropertyIndexes.SetItem(loopName, i) }).Evaluate(Property(loop, "input")));
                        }
                        else
                        {
                            // A count known only at deployment: one item stands for all, its index a hole.
                            items.Add((this with { PropertyIndexes = PropertyIndexes.Remove(loopName) }).Evaluate(Property(loop, "input")));
                        }
                        result[loopName] = items;
                    }
                    continue;
                }
                var evaluatedKey = IsExpression(key) ? AsText(Evaluate(JsonValue.Create(key))) ?? key : key;
                result[evaluatedKey] = Evaluate(value);
            }
            return result;
        }

        public JsonNode? Evaluate(Expr expr) => expr switch
        {
            Literal l => l.Value?.DeepClone(),
            Member m => MemberOf(Evaluate(m.Target), m.Name),
            ArmExpression.Index i => IndexOf(Evaluate(i.Target), Evaluate(i.Key)),
            Call c => Call(c),
            _ => throw new InvalidOperationException(expr.ToString()),
        };

        private static JsonNode? MemberOf(JsonNode? target, string name) => target is JsonObject o && Property(o, name) is { } value
            ? value.DeepClone()
            : Hole($"{Render(target)}.{name}");

        private static JsonNode? IndexOf(JsonNode? target, JsonNode? key)
        {
            if (target is JsonArray a && TryGetInt(key, out var i) && i >= 0 && i < a.Count)
                return a[i]?.DeepClone();
            if (target is JsonObject o && IsKnown(key) && AsText(key) is { } name && Property(o, name) is { } value)
                return value.DeepClone();
            return Hole($"{Render(target)}[{Render(key)}]");
        }

        private JsonNode? Call(Call call)
        {
            var args = call.Args.Select(Evaluate).ToList();
            var unknown = Hole(RenderCall(call.Name, args));
            var known = args.All(IsKnown);
            switch (call.Name.ToLowerInvariant())
            {
                case "parameters" when known && AsText(args[0]) is { } name:
                    return Scope.Parameter(name);
                case "variables" when known && AsText(args[0]) is { } name:
                    return Scope.Variable(name);
                case "copyindex":
                    return CopyIndex(args) ?? unknown;
                case "format":
                    return Format(args) ?? unknown;
                case "concat":
                    if (args.Count > 0 && args.All(a => a is JsonArray))
                        return new JsonArray([.. args.SelectMany(a => ((JsonArray)a!).Select(x => x?.DeepClone()))]);
                    return args.All(a => a is not JsonArray and not JsonObject)
                        ? JsonValue.Create(string.Concat(args.Select(AsText)))
                        : unknown;
                case "tolower" when known && args[0] is JsonValue:
                    return JsonValue.Create(AsText(args[0])!.ToLowerInvariant());
                case "toupper" when known && args[0] is JsonValue:
                    return JsonValue.Create(AsText(args[0])!.ToUpperInvariant());
                case "string" when known && args[0] is JsonValue:
                    return JsonValue.Create(AsText(args[0]));
                case "createarray":
                    return new JsonArray([.. args]);
                case "createobject" when args.Count % 2 == 0 && Enumerable.Range(0, args.Count / 2).All(k => IsKnown(args[2 * k])):
                    var obj = new JsonObject();
                    for (var k = 0; k < args.Count; k += 2)
                        obj[AsText(args[k])!] = args[k + 1];
                    return obj;
                case "if" when TryGetBool(args[0], out var condition):
                    return condition ? args[1] : args[2];
                case "equals" when known:
                    return JsonValue.Create(JsonNode.DeepEquals(args[0], args[1]));
                case "not" when TryGetBool(args[0], out var b):
                    return JsonValue.Create(!b);
                case "and" when args.All(a => TryGetBool(a, out _)):
                    return JsonValue.Create(args.All(a => a!.GetValue<bool>()));
                case "or" when args.All(a => TryGetBool(a, out _)):
                    return JsonValue.Create(args.Any(a => a!.GetValue<bool>()));
                case "empty" when known:
                    return JsonValue.Create(args[0] switch
                    {
                        null => true,
                        JsonArray a => a.Count == 0,
                        JsonObject o => o.Count == 0,
                        var v => AsText(v)!.Length == 0,
                    });
                case "length" when known:
                    return args[0] switch
                    {
                        JsonArray a => JsonValue.Create(a.Count),
                        JsonObject o => JsonValue.Create(o.Count),
                        var v => JsonValue.Create(AsText(v)!.Length),
                    };
                case "min" when args.Count > 0 && args.All(a => TryGetInt(a, out _)):
                    return JsonValue.Create(args.Select(a => { TryGetInt(a, out var v); return v; }).Min());
                case "max" when args.Count > 0 && args.All(a => TryGetInt(a, out _)):
                    return JsonValue.Create(args.Select(a => { TryGetInt(a, out var v); return v; }).Max());
                case "greater" or "less" or "greaterorequals" or "lessorequals" when TryGetInt(args[0], out var left) && TryGetInt(args[1], out var right):
                    return JsonValue.Create(call.Name.ToLowerInvariant() switch
                    {
                        "greater" => left > right,
                        "less" => left < right,
                        "greaterorequals" => left >= right,
                        _ => left <= right,
                    });
                case "add" when TryGetInt(args[0], out var augend) && TryGetInt(args[1], out var addend):
                    return JsonValue.Create(augend + addend);
                case "replace" when known && args.Count == 3 && args.All(a => a is JsonValue):
                    return JsonValue.Create(AsText(args[0])!.Replace(AsText(args[1])!, AsText(args[2]), StringComparison.Ordinal));
                case "coalesce":
                    foreach (var arg in args)
                    {
                        if (arg is null)
                            continue;
                        return IsWholeHole(arg, out _) ? unknown : arg;
                    }
                    return null;
                case "tryget" when args.Count >= 2:
                    {
                        var target = args[0];
                        foreach (var key in args.Skip(1))
                        {
                            if (target is null)
                                return null;
                            if (!IsKnown(key) || !(target is JsonObject or JsonArray))
                                return unknown;
                            target = target is JsonArray array
                                ? (TryGetInt(key, out var at) && at >= 0 && at < array.Count ? array[at] : null)
                                : Property((JsonObject)target, AsText(key)!);
                        }
                        return target?.DeepClone();
                    }
                case "true":
                    return JsonValue.Create(true);
                case "false":
                    return JsonValue.Create(false);
                case "null":
                    return null;
                default:
                    return unknown;
            }
        }

        private JsonValue? CopyIndex(List<JsonNode?> args)
        {
            int? index = ResourceIndex;
            var offset = 0;
            foreach (var arg in args)
            {
                if (TryGetInt(arg, out var number))
                    offset = number;
                else if (AsText(arg) is { } loop)
                    index = PropertyIndexes.TryGetValue(loop, out var propertyIndex) ? propertyIndex : null;
            }
            return index is { } i ? JsonValue.Create(i + offset) : null;
        }

        private static JsonValue? Format(List<JsonNode?> args)
        {
            if (args.Count == 0 || !IsKnown(args[0]) || AsText(args[0]) is not { } template)
                return null;
            var values = args.Skip(1).Select(AsText).ToList();
            if (values.Any(v => v is null))
                return null;
            var result = new StringBuilder();
            for (var i = 0; i < template.Length; i++)
            {
                var c = template[i];
                if (c == '{' && i + 1 < template.Length && template[i + 1] == '{')
                {
                    result.Append('{');
                    i++;
                }
                else if (c == '}' && i + 1 < template.Length && template[i + 1] == '}')
                {
                    result.Append('}');
                    i++;
                }
                else if (c == '{')
                {
                    var end = template.IndexOf('}', i);
                    var spec = template[(i + 1)..end].Split(':')[0];
                    result.Append(values[int.Parse(spec, System.Globalization.CultureInfo.InvariantCulture)]);
                    i = end;
                }
                else
                {
                    result.Append(c);
                }
            }
            return JsonValue.Create(result.ToString());
        }
    }
}
