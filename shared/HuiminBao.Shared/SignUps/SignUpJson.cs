using System.Text.Json;
using System.Text.Json.Serialization;

namespace HuiminBao.SignUps;

/// <summary>Serialisation of messages and stored JSON columns: camelCase, source-generated.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SignUpQueued))]
[JsonSerializable(typeof(SignUpBatch))]
[JsonSerializable(typeof(SealedSignUp))]
[JsonSerializable(typeof(List<PersonState>))]
public sealed partial class SignUpJson : JsonSerializerContext;
