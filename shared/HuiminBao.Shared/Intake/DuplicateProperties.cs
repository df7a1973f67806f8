using System.Text.Json;

namespace HuiminBao.Intake;

/// <summary>
/// JSON lets an object name a property twice and parsers disagree about which one counts (ours
/// would take the last). A body that says two things about one field is refused rather than read
/// one way here and another way by a proxy, a log or a later reader.
/// </summary>
public static class DuplicateProperties
{
    /// <summary>The paths (<c>applicant.name</c>, <c>insured[1].relation</c>) of every property named more than once in its object.</summary>
    public static IReadOnlyList<string> Find(JsonElement root)
    {
        var found = new List<string>();
        Walk(root, "", found);
        return found;
    }

    private static void Walk(JsonElement element, string path, List<string> found)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
            {
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    var at = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                    if (!seen.Add(property.Name))
                    {
                        if (!found.Contains(at))
                            found.Add(at);
                        continue;
                    }
                    Walk(property.Value, at, found);
                }
                break;
            }
            case JsonValueKind.Array:
            {
                var index = 0;
                foreach (var item in element.EnumerateArray())
                    Walk(item, $"{(path.Length == 0 ? "$" : path)}[{index++}]", found);
                break;
            }
        }
    }
}
