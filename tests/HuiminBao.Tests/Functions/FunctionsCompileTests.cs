using Microsoft.CodeAnalysis;

namespace HuiminBao.Tests.Functions;

public sealed class FunctionsCompileTests
{
    [Fact]
    public void Functions_app_compiles_against_shared_apart_from_the_missing_worker_sdk()
    {
        var compilation = FunctionsCompilation.Compile(FunctionsCompilation.ParseSources());

        var defects = FunctionsCompilation.Defects(compilation);

        Assert.True(defects.Count == 0, string.Join('\n', defects.Select(d => d.ToString())));
        // The check only means something if it really compiled the functions against shared.
        Assert.Contains(compilation.SyntaxTrees, t => t.FilePath.EndsWith("SubmitSignUp.cs", StringComparison.Ordinal));
        Assert.Contains(compilation.References, r => r.Display!.EndsWith("HuiminBao.Shared.dll", StringComparison.Ordinal));
    }

    [Fact]
    public void Compile_check_fails_when_a_function_calls_a_shared_method_that_does_not_exist()
    {
        const string broken = """
            using HuiminBao.Intake;
            using Microsoft.AspNetCore.Http;
            using Microsoft.Azure.Functions.Worker;

            namespace HuiminBao.Functions.Intake;

            public sealed class SubmitSignUpBroken(SignUpIntake intake)
            {
                [Function(nameof(SubmitSignUpBroken))]
                public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "broken")] HttpRequest request, CancellationToken cancellationToken) =>
                    intake.SubmitEverythingAsync(request, cancellationToken);
            }
            """;

        var compilation = FunctionsCompilation.Compile(FunctionsCompilation.ParseSources([("Broken.cs", broken)]));

        var defect = Assert.Single(FunctionsCompilation.Defects(compilation));
        Assert.Equal("CS1061", defect.Id);
        Assert.Contains("SubmitEverythingAsync", defect.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_check_fails_on_a_wrong_argument_to_a_shared_handler()
    {
        const string broken = """
            using HuiminBao.SignUps;
            using Microsoft.Azure.Functions.Worker;

            namespace HuiminBao.Functions.Intake;

            public sealed class GetSignUpBroken(SignUpStatusQuery query)
            {
                [Function(nameof(GetSignUpBroken))]
                public Task Run(int id, CancellationToken cancellationToken) => query.GetAsync(null, id, cancellationToken);
            }
            """;

        var compilation = FunctionsCompilation.Compile(FunctionsCompilation.ParseSources([("Broken.cs", broken)]));

        Assert.Contains(FunctionsCompilation.Defects(compilation), d => d.Id == "CS1503");
    }
}
