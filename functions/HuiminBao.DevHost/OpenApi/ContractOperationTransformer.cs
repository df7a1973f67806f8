using System.Text.Json.Nodes;
using HuiminBao.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace HuiminBao.DevHost.OpenApi;

/// <summary>
/// Fills in an operation from its route's <see cref="ApiContract"/>: parameters the handler reads
/// off the request, examples, response headers, who may call it, and for each error status the
/// codes it can carry (an enum on <c>code</c>, and on <c>errors[].code</c> for validation) with an
/// example of each, written by the same <see cref="ProblemResults"/> the API answers with.
/// </summary>
internal sealed class ContractOperationTransformer : IOpenApiOperationTransformer
{
    private static readonly OpenApiSchema Text = new() { Type = JsonSchemaType.String };

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<ApiContract>().FirstOrDefault() is not { } contract)
            return Task.CompletedTask;
        var document = context.Document ?? throw new InvalidOperationException("The operation transformer runs without its document.");
        AddParameters(operation, contract);
        AddRequestExample(operation, contract);
        AddResponses(operation, contract);
        AddProblems(operation, contract, document);
        AddSecurity(operation, contract, document);
        return Task.CompletedTask;
    }

    private static void AddParameters(OpenApiOperation operation, ApiContract contract)
    {
        operation.Parameters ??= [];
        foreach (var declared in contract.Parameters)
        {
            var location = declared.In switch
            {
                ContractParameterIn.Path => ParameterLocation.Path,
                ContractParameterIn.Query => ParameterLocation.Query,
                _ => ParameterLocation.Header,
            };
            // Path parameters are there already, from the template; the contract says what they name.
            if (operation.Parameters.OfType<OpenApiParameter>().FirstOrDefault(p => p.Name == declared.Name && p.In == location) is not { } parameter)
            {
                parameter = new OpenApiParameter { Name = declared.Name, In = location, Schema = Text };
                operation.Parameters.Add(parameter);
            }
            parameter.Description = declared.Description;
            parameter.Required = declared.Required || location == ParameterLocation.Path;
            parameter.Example = JsonValue.Create(declared.Example);
        }
    }

    private static void AddRequestExample(OpenApiOperation operation, ApiContract contract)
    {
        if (contract.Request is not { } body || operation.RequestBody is not OpenApiRequestBody request)
            return;
        request.Description = body.Description;
        request.Required = true;
        request.Content ??= new Dictionary<string, OpenApiMediaType>();
        foreach (var contentType in body.ContentTypes)
        {
            var media = Media(request.Content, contentType, body.Type);
            media.Example = ExampleOf(body.Example);
        }
    }

    private static void AddResponses(OpenApiOperation operation, ApiContract contract)
    {
        operation.Responses ??= [];
        foreach (var answer in contract.Responses)
        {
            var response = Response(operation, answer.Status);
            // Two answers with one status (JSON, or CSV when asked) share the response.
            var first = contract.Responses.First(r => r.Status == answer.Status) == answer;
            response.Description = first ? answer.Description : response.Description + "；" + answer.Description;
            response.Content ??= new Dictionary<string, OpenApiMediaType>();
            foreach (var contentType in answer.ContentTypes)
            {
                var media = Media(response.Content, contentType, answer.Type);
                if (answer.Example is { } example)
                    media.Example = ExampleOf(example);
            }
            foreach (var header in answer.Headers)
                AddHeader(response, header.Name, header.Description, header.Example);
        }
    }

    private static void AddProblems(OpenApiOperation operation, ApiContract contract, OpenApiDocument document)
    {
        foreach (var problems in contract.AllProblems.GroupBy(p => p.Status))
        {
            var codes = problems.Select(p => p.Code).Distinct().ToList();
            var response = Response(operation, problems.Key);
            response.Description = string.Join("；", problems.Select(p => $"{p.Code}：{p.Title}"));
            var constraint = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Properties = new Dictionary<string, IOpenApiSchema> { ["code"] = Values(codes) },
            };
            if (problems.Any(p => p.Errors is not null) && contract.FieldCodes.Count > 0)
            {
                constraint.Properties["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Array,
                    Items = new OpenApiSchema { Type = JsonSchemaType.Object, Properties = new Dictionary<string, IOpenApiSchema> { ["code"] = Values(contract.FieldCodes) } },
                };
            }
            var media = new OpenApiMediaType
            {
                Schema = new OpenApiSchema { AllOf = [new OpenApiSchemaReference(nameof(ProblemBody), document), constraint] },
                Examples = new Dictionary<string, IOpenApiExample>(),
            };
            foreach (var problem in problems)
            {
                var key = media.Examples.ContainsKey(problem.Code) ? $"{problem.Code}-{media.Examples.Count + 1}" : problem.Code;
                media.Examples[key] = new OpenApiExample { Summary = problem.Title, Value = ExampleOf(ProblemResults.ToBody(problem, null)) };
            }
            response.Content = new Dictionary<string, OpenApiMediaType> { [ProblemResults.ContentType] = media };
            if (problems.Key is 429 or 503)
                AddHeader(response, "Retry-After", "建议等待多少秒后重试", "5");
        }
    }

    private static void AddSecurity(OpenApiOperation operation, ApiContract contract, OpenApiDocument document)
    {
        string[] alternatives = contract.Route.Access switch
        {
            RouteAccess.OpsKey => [ContractDocumentTransformer.FunctionKey, ContractDocumentTransformer.FunctionKeyQuery],
            RouteAccess.OpsConsole => [ContractDocumentTransformer.ConsoleCookie],
            _ when contract.SessionToken => [ContractDocumentTransformer.Bearer],
            _ => [],
        };
        if (alternatives.Length == 0)
            return;
        operation.Security = [.. alternatives.Select(scheme => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, document)] = [] })];
    }

    private static OpenApiResponse Response(OpenApiOperation operation, int status)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.TryGetValue(key, out var existing) && existing is OpenApiResponse response)
            return response;
        response = new OpenApiResponse();
        operation.Responses[key] = response;
        return response;
    }

    /// <summary>The media type's entry; where the contract names no type (a page, a file, this document) a plain schema says what it is.</summary>
    private static OpenApiMediaType Media(IDictionary<string, OpenApiMediaType> content, string contentType, Type? type)
    {
        if (!content.TryGetValue(contentType, out var media))
        {
            media = new OpenApiMediaType();
            content[contentType] = media;
        }
        if (type is null)
            media.Schema = contentType == "application/json" ? new OpenApiSchema { Type = JsonSchemaType.Object } : Text;
        return media;
    }

    private static void AddHeader(OpenApiResponse response, string name, string description, string example)
    {
        response.Headers ??= new Dictionary<string, IOpenApiHeader>();
        response.Headers[name] = new OpenApiHeader { Description = description, Schema = Text, Example = JsonValue.Create(example) };
    }

    private static OpenApiSchema Values(IEnumerable<string> values) =>
        new() { Type = JsonSchemaType.String, Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))] };

    private static JsonNode? ExampleOf(object example) =>
        example is string text ? JsonValue.Create(text) : JsonNode.Parse(ApiExamples.Json(example));
}
