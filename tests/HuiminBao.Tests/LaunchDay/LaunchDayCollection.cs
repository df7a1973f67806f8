namespace HuiminBao.Tests.LaunchDay;

/// <summary>
/// Tests that start a whole pipeline stack (their own Azurite and a local host process). They run one
/// at a time, beside the other collections, so two of them never fight over the two cores.
/// </summary>
[CollectionDefinition(Name)]
public sealed class LaunchDayCollection
{
    public const string Name = "launch-day";
}
