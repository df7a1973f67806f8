using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HuiminBao.Roster;

/// <summary>The roster's queue message, stored JSON columns and ops responses: camelCase, source-generated.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RosterImportQueued))]
[JsonSerializable(typeof(List<RosterBadRow>))]
[JsonSerializable(typeof(RosterImportView))]
[JsonSerializable(typeof(RosterDropView))]
[JsonSerializable(typeof(List<RosterImportView>))]
[JsonSerializable(typeof(Dictionary<string, long>))]
public sealed partial class RosterJson : JsonSerializerContext
{
    /// <summary>For responses: Chinese stays readable instead of \u escapes.</summary>
    public static RosterJson Web { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    });
}
