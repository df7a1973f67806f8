using System.Buffers.Text;
using System.Text;

namespace HuiminBao.LaunchDay.Abuse;

/// <summary>Bearer tokens an attacker could make without the signing key.</summary>
internal static class HostileTokens
{
    private static readonly long FarFuture = new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    /// <summary>A valid token tampered with: someone else's claims under its signature, its signature cut, doubled or swapped.</summary>
    public static string Forge(string valid, Random random)
    {
        var dot = valid.IndexOf('.', StringComparison.Ordinal);
        var (claims, signature) = (valid[..dot], valid[(dot + 1)..]);
        return random.Next(6) switch
        {
            0 => Encode($"{{\"sub\":\"o-victim-0\",\"iat\":1,\"exp\":{FarFuture}}}") + "." + signature,
            1 => claims + ".",
            2 => claims + "." + signature[..^2],
            3 => claims + "." + signature + signature,
            4 => valid + "." + signature,
            _ => new string('A', 2000) + "." + signature,
        };
    }

    /// <summary>"Signed" with alg none, as a three-part JWT and in this API's two-part shape.</summary>
    public static string AlgNone(string subject, Random random)
    {
        var claims = Encode($"{{\"sub\":\"{subject}\",\"iat\":{TimeProvider.System.GetUtcNow().ToUnixTimeSeconds()},\"exp\":{FarFuture}}}");
        return random.Next(3) switch
        {
            0 => Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + claims + ".",
            1 => claims + ".",
            _ => claims + "." + Encode("none"),
        };
    }

    private static string Encode(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
}
