using System.Collections.Immutable;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace HuiminBao.Tests.Functions;

/// <summary>The least <see cref="FunctionContext"/> worker middleware and trigger methods need, without the Functions host.</summary>
internal sealed class TestFunctionContext : FunctionContext
{
    /// <summary>The item the ASP.NET Core integration's proxying middleware sets, which <c>GetHttpContext()</c> reads.</summary>
    private const string HttpContextItem = "HttpRequestContext";

    public TestFunctionContext(IServiceProvider services, string functionName, string triggerType, IReadOnlyDictionary<string, object?>? bindingData = null, HttpContext? http = null)
    {
        InstanceServices = services;
        FunctionDefinition = new Definition(functionName, triggerType);
        BindingContext = new Bindings(bindingData ?? new Dictionary<string, object?>());
        if (http is not null)
            Items[HttpContextItem] = http;
    }

    public override string InvocationId { get; } = Guid.NewGuid().ToString("n");
    public override string FunctionId => FunctionDefinition.Id;
    public override TraceContext TraceContext { get; } = new Trace();
    public override BindingContext BindingContext { get; }
    public override RetryContext RetryContext { get; } = new Retries();
    public override IServiceProvider InstanceServices { get; set; }
    public override FunctionDefinition FunctionDefinition { get; }
    public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();
    public override IInvocationFeatures Features { get; } = new FeatureSet();
    public override CancellationToken CancellationToken => CancellationToken.None;

    private sealed class Definition(string name, string triggerType) : FunctionDefinition
    {
        public override ImmutableArray<FunctionParameter> Parameters => [];
        public override string PathToAssembly => typeof(HuiminBao.Functions.Hosting.FunctionsApp).Assembly.Location;
        public override string EntryPoint => name + ".Run";
        public override string Id => name;
        public override string Name => name;
        public override IImmutableDictionary<string, BindingMetadata> InputBindings { get; } =
            ImmutableDictionary<string, BindingMetadata>.Empty.Add("trigger", new Binding(triggerType));
        public override IImmutableDictionary<string, BindingMetadata> OutputBindings { get; } = ImmutableDictionary<string, BindingMetadata>.Empty;
    }

    private sealed class Binding(string type) : BindingMetadata
    {
        public override string Name => "trigger";
        public override string Type => type;
        public override BindingDirection Direction => BindingDirection.In;
    }

    private sealed class Bindings(IReadOnlyDictionary<string, object?> data) : BindingContext
    {
        public override IReadOnlyDictionary<string, object?> BindingData => data;
    }

    private sealed class Trace : TraceContext
    {
        public override string TraceParent => "";
        public override string TraceState => "";
    }

    private sealed class Retries : RetryContext
    {
        public override int RetryCount => 0;
        public override int MaxRetryCount => 0;
    }

    private sealed class FeatureSet : Dictionary<Type, object>, IInvocationFeatures
    {
        public T? Get<T>() => TryGetValue(typeof(T), out var value) ? (T)value : default;

        public void Set<T>(T instance)
        {
            if (instance is null)
                Remove(typeof(T));
            else
                this[typeof(T)] = instance;
        }
    }
}
