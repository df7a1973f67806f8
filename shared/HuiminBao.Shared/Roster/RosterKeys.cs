using System.Security.Cryptography;
using System.Text;
using HuiminBao.Security;
using Microsoft.Extensions.Options;

namespace HuiminBao.Roster;

/// <summary>
/// The roster's own keyed hash, beside <see cref="KeyedHashes.PersonKey"/>: a name, bound to its ID
/// number, under a sub-key of its own. Bound to the ID so two people of the same name hash apart,
/// and a table dump shows no name frequencies.
/// </summary>
public sealed class RosterKeys(IOptions<SecurityOptions> options)
{
    private readonly byte[] _nameKey = SecretKeys.Derive(SecretKeys.Decode(options.Value.IdHashKey), "roster-name");

    /// <summary>32 lowercase hex characters (128 bits): enough to compare, shorter to store 4 million times.</summary>
    public string NameKey(string normalizedIdNumber, string normalizedName) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_nameKey, Encoding.UTF8.GetBytes(normalizedIdNumber + "\n" + normalizedName)).AsSpan(0, 16));
}
