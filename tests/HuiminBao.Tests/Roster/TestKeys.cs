using HuiminBao.Roster;
using HuiminBao.Security;
using Microsoft.Extensions.Options;

namespace HuiminBao.Tests.Roster;

/// <summary>The development keys, for unit tests that need the keyed hashes or the upload seal without a host.</summary>
internal static class TestKeys
{
    public static IOptions<SecurityOptions> Security { get; } = Options.Create(new SecurityOptions
    {
        IdHashKey = DevelopmentKeys.IdHashKey,
        DataKey = DevelopmentKeys.DataKey,
        SessionKey = DevelopmentKeys.SessionKey,
    });

    public static KeyedHashes Hashes { get; } = new(Security);

    public static RosterUploadSeal Seal { get; } = new(Security);
}
