namespace HuiminBao.Storage;

/// <summary>
/// Whose storage call this is, for <see cref="StorageLanes"/>: intake's (a person is waiting on the
/// answer) or anyone else's. It flows with the async call chain, so intake marks its request once
/// and every call it makes directly is intake's. Group writers, whose calls carry many callers' items,
/// set it around each call themselves from what they carry.
/// </summary>
public static class StoragePriority
{
    private static readonly AsyncLocal<bool> IntakeFlag = new();

    public static bool IsIntake => IntakeFlag.Value;

    /// <summary>Calls made until the scope is disposed are intake's.</summary>
    public static Scope Intake() => Set(true);

    /// <summary>Calls made until the scope is disposed are not intake's, whoever started the work.</summary>
    public static Scope Other() => Set(false);

    private static Scope Set(bool intake)
    {
        var previous = IntakeFlag.Value;
        IntakeFlag.Value = intake;
        return new Scope(previous);
    }

    public readonly struct Scope(bool previous) : IDisposable
    {
        public void Dispose() => IntakeFlag.Value = previous;
    }
}
