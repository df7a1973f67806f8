using System.Text.Json.Nodes;
using HuiminBao.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace HuiminBao.DevHost.OpenApi;

/// <summary>
/// The schemas of the API's own bodies: a property the API always writes (or a request must carry)
/// is required, which is every property not declared nullable, since answers leave nulls out; and
/// the mini-program's fields get their zh-CN meaning and, for strings with a fixed set of values,
/// those values (<see cref="ApiSchemaNotes"/>). Numbers are numbers: the generator assumes the web
/// default that reads <c>"2026"</c> as 2026, but the API reads and writes its JSON with its own code,
/// which refuses a quoted number (<c>wrong-type</c>).
/// </summary>
internal sealed class ContractSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (schema.Type is { } type && type.HasFlag(JsonSchemaType.String) && (type.HasFlag(JsonSchemaType.Integer) || type.HasFlag(JsonSchemaType.Number)))
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }

        var info = context.JsonTypeInfo;
        if (context.JsonPropertyInfo is not null || info.Kind != System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object
            || info.Type.Namespace?.StartsWith("HuiminBao", StringComparison.Ordinal) != true || schema.Properties is null)
            return Task.CompletedTask;

        schema.Required = new HashSet<string>(info.Properties.Where(p => !p.IsGetNullable && schema.Properties.ContainsKey(p.Name)).Select(p => p.Name));
        foreach (var (name, property) in schema.Properties)
        {
            if (ApiSchemaNotes.For(info.Type, name) is not { } note)
                continue;
            switch (property)
            {
                case OpenApiSchema inline:
                    inline.Description = note.Description;
                    if (note.Values is { } values)
                        inline.Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))];
                    break;
                case OpenApiSchemaReference reference:
                    reference.Description = note.Description;
                    break;
            }
        }
        return Task.CompletedTask;
    }
}
