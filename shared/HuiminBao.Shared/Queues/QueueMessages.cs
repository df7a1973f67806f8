using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace HuiminBao.Queues;

/// <summary>Reads a queue message's JSON the same way in both hosts; bad JSON throws, so the message is retried and then poisoned.</summary>
public static class QueueMessages
{
    public static T Read<T>(string json, JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(json, type) ?? throw new JsonException($"Empty {typeof(T).Name} message.");

    public static T Read<T>(BinaryData body, JsonTypeInfo<T> type) =>
        body.ToObjectFromJson(type) ?? throw new JsonException($"Empty {typeof(T).Name} message.");
}
