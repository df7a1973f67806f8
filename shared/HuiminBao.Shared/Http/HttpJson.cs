using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HuiminBao.Http;

/// <summary>Response bodies: camelCase, nulls omitted.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ProblemBody))]
[JsonSerializable(typeof(SignUps.SignUpAccepted))]
[JsonSerializable(typeof(SignUps.SignUpView))]
[JsonSerializable(typeof(Intake.SessionIssued))]
[JsonSerializable(typeof(Intake.SessionRequest))]
[JsonSerializable(typeof(Intake.SignUpRequest))]
[JsonSerializable(typeof(Reviews.ReviewList))]
[JsonSerializable(typeof(Reviews.Requeued))]
[JsonSerializable(typeof(Tallies.TallyReport))]
[JsonSerializable(typeof(Audit.AuditList))]
[JsonSerializable(typeof(Health.PipelineHealth))]
[JsonSerializable(typeof(Privacy.ResealProgress))]
public sealed partial class HttpJson : JsonSerializerContext
{
    /// <summary>Chinese text stays readable in responses instead of \u escapes; bodies are always JSON, never HTML.</summary>
    public static HttpJson Web { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    });
}
