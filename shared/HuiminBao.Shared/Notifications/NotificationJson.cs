using System.Text.Json;
using System.Text.Json.Serialization;

namespace HuiminBao.Notifications;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(NotificationQueued))]
[JsonSerializable(typeof(NotificationBatch))]
public sealed partial class NotificationJson : JsonSerializerContext;
