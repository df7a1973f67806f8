using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HuiminBao.DevHost.OpenApi;

/// <summary>
/// The one way the document is written, so that generating it twice gives the same bytes and the
/// staleness test compares like with like: two-space indent, <c>\n</c> line ends, Chinese as
/// written (not <c>\u</c> escapes, so diffs are readable), component maps in name order.
/// </summary>
public static class OpenApiJson
{
    private static readonly JsonSerializerOptions Written = new()
    {
        WriteIndented = true,
        IndentSize = 2,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Canonical(string json)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        if (root["components"] is JsonObject components)
        {
            foreach (var name in components.Select(c => c.Key).ToList())
            {
                if (components[name] is JsonObject map)
                    components[name] = Sorted(map);
            }
        }
        return root.ToJsonString(Written) + "\n";
    }

    private static JsonObject Sorted(JsonObject map)
    {
        var entries = map.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => (e.Key, Value: e.Value?.DeepClone())).ToList();
        var sorted = new JsonObject();
        foreach (var (key, value) in entries)
            sorted[key] = value;
        return sorted;
    }
}
