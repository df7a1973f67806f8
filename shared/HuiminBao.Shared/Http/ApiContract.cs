using HuiminBao.Domain;

namespace HuiminBao.Http;

/// <summary>
/// What a route promises its callers beyond its verb, path and access (<see cref="ApiRoute"/>): what
/// it takes, what it answers and which problems it can answer, in the words the OpenAPI document
/// shows (zh-CN). The local host applies it to its endpoints and the document is generated from
/// those, so <c>docs/openapi.json</c> is the code's account of itself, not a hand-written copy.
/// Problems are real <see cref="ApiProblem"/> instances, so their zh-CN text in the document is
/// the text the API answers with.
/// </summary>
/// <param name="Tag">The group the route is listed under (<see cref="ApiContracts.Tags"/>).</param>
public sealed record ApiContract(ApiRoute Route, string Tag, string Summary, string Description)
{
    /// <summary>
    /// Whether the caller sends the mini-program's bearer session token. Mini-program routes do,
    /// except those that hand one out or need none (the login, the API description).
    /// </summary>
    public bool SessionToken { get; init; } = Route.Access == RouteAccess.MiniProgram;

    /// <summary>Whether the route's handler reads or writes storage, so a storage outage answers 503.</summary>
    public bool UsesStorage { get; init; } = true;

    public ContractBody? Request { get; init; }

    /// <summary>Query parameters and headers the handler reads, and what the template's path parameters name.</summary>
    public IReadOnlyList<ContractParameter> Parameters { get; init; } = [];

    /// <summary>The successful answers.</summary>
    public IReadOnlyList<ContractResponse> Responses { get; init; } = [];

    /// <summary>The problems the handler itself answers, one instance of each code.</summary>
    public IReadOnlyList<ApiProblem> Problems { get; init; } = [];

    /// <summary>The codes a validation problem from this route can carry in <c>errors[].code</c>.</summary>
    public IReadOnlyList<string> FieldCodes { get; init; } = [];

    /// <summary>
    /// Every problem the route can answer: the handler's, then what the request policy answers for
    /// any route of its kind (<see cref="RequestPolicy.Refusals"/>). One code may come with two
    /// texts (a roster over the upload limit, or over the request limit); both are kept.
    /// </summary>
    public IReadOnlyList<ApiProblem> AllProblems =>
        [.. Problems.Concat(RequestPolicy.Refusals(Route, UsesStorage))
            .DistinctBy(p => (p.Status, p.Code, p.Title))
            .OrderBy(p => p.Status)];
}

/// <summary>A request body: its media types, its shape (null for a file) and an example.</summary>
/// <param name="Example">An instance of <paramref name="Type"/>, or the file's text.</param>
public sealed record ContractBody(IReadOnlyList<string> ContentTypes, Type? Type, object Example, string Description);

/// <summary>A successful answer: status, media types, shape (null for a page or a file) and an example.</summary>
public sealed record ContractResponse(int Status, string Description, IReadOnlyList<string> ContentTypes, Type? Type, object? Example)
{
    public IReadOnlyList<ContractHeader> Headers { get; init; } = [];
}

public sealed record ContractHeader(string Name, string Description, string Example);

public enum ContractParameterIn
{
    Path,
    Query,
    Header,
}

public sealed record ContractParameter(string Name, ContractParameterIn In, string Description, string Example, bool Required = false);
