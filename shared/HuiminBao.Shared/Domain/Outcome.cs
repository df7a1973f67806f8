namespace HuiminBao.Domain;

/// <summary>What a handler answers: a value, or a problem for the caller. Hosts map it to HTTP.</summary>
public readonly struct Outcome<T> where T : class
{
    private Outcome(T? value, ApiProblem? problem)
    {
        Value = value;
        Problem = problem;
    }

    public T? Value { get; }

    public ApiProblem? Problem { get; }

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(ApiProblem problem) => new(null, problem);
}
