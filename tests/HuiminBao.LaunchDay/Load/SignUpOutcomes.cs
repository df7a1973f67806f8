using System.Collections.Concurrent;
using HuiminBao.LaunchDay.Harness;

namespace HuiminBao.LaunchDay.Load;

/// <summary>Every sign-up a run sent: the ids of those answered 202, and the requests that were refused or got no answer, for the client's retry.</summary>
public sealed class SignUpOutcomes
{
    private readonly ConcurrentBag<string> _accepted = [];
    private readonly ConcurrentQueue<GeneratedSignUp> _refused = new();
    private int _acceptedCount;

    public int AcceptedCount => Volatile.Read(ref _acceptedCount);

    public IReadOnlyCollection<string> AcceptedIds => _accepted;

    public void Accepted(string signUpId)
    {
        _accepted.Add(signUpId);
        Interlocked.Increment(ref _acceptedCount);
    }

    public void Refused(GeneratedSignUp signUp) => _refused.Enqueue(signUp);

    /// <summary>The refused requests so far, each handed out once.</summary>
    public List<GeneratedSignUp> TakeRefused()
    {
        var taken = new List<GeneratedSignUp>();
        while (_refused.TryDequeue(out var next))
            taken.Add(next);
        return taken;
    }
}
