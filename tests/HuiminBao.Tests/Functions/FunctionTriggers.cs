using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HuiminBao.Tests.Functions;

public sealed record HttpFunction(string Name, string Method, string Route, bool RequiresKey);

/// <summary>Reads each function's trigger (route, queue, schedule) out of the Functions app's sources.</summary>
public static class FunctionTriggers
{
    public static (IReadOnlyList<HttpFunction> Http, IReadOnlyList<string> Queues, IReadOnlyList<string> Schedules) Read()
    {
        var compilation = FunctionsCompilation.Compile(FunctionsCompilation.ParseSources());
        var http = new List<HttpFunction>();
        var queues = new List<string>();
        var schedules = new List<string>();
        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var method in tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>())
            {
                var function = Attributes(method.AttributeLists).FirstOrDefault(a => Named(a, "Function"));
                if (function is null)
                    continue;
                var name = Constant(model, function.ArgumentList!.Arguments[0].Expression);
                foreach (var trigger in method.ParameterList.Parameters.SelectMany(p => Attributes(p.AttributeLists)))
                {
                    var args = trigger.ArgumentList?.Arguments ?? default;
                    if (Named(trigger, "HttpTrigger"))
                    {
                        var level = args[0].Expression.ToString();
                        var route = Constant(model, args.Single(a => a.NameEquals?.Name.Identifier.Text == "Route").Expression);
                        foreach (var verb in args.Skip(1).Where(a => a.NameEquals is null))
                            http.Add(new HttpFunction(name, Constant(model, verb.Expression).ToUpperInvariant(), "/api/" + route, level.EndsWith(".Function", StringComparison.Ordinal)));
                    }
                    else if (Named(trigger, "QueueTrigger"))
                    {
                        queues.Add(Constant(model, args[0].Expression));
                    }
                    else if (Named(trigger, "TimerTrigger"))
                    {
                        schedules.Add(Constant(model, args[0].Expression));
                    }
                }
            }
        }
        return (http, queues, schedules);
    }

    private static IEnumerable<AttributeSyntax> Attributes(SyntaxList<AttributeListSyntax> lists) => lists.SelectMany(l => l.Attributes);

    private static bool Named(AttributeSyntax attribute, string name) =>
        attribute.Name.ToString() is var text && (text == name || text == name + "Attribute" || text.EndsWith("." + name, StringComparison.Ordinal));

    /// <summary>A literal, a const from shared (QueueNames.SignUps) or nameof(...): what the attribute will really hold.</summary>
    private static string Constant(SemanticModel model, ExpressionSyntax expression) =>
        model.GetConstantValue(expression) is { HasValue: true, Value: string value }
            ? value
            : throw new InvalidOperationException($"Trigger argument '{expression}' at {expression.GetLocation().GetLineSpan()} is not a compile-time constant.");
}
