using HuiminBao.DevHost.Azurite;

namespace HuiminBao.Tests.Infrastructure;

/// <summary>A storage connection whose endpoints are ports nothing listens on: every attempt is refused, as in an outage.</summary>
public static class UnreachableStorage
{
    public static string ConnectionString()
    {
        var (blob, queue, table) = (AzuriteLauncher.FreePort(), AzuriteLauncher.FreePort(), AzuriteLauncher.FreePort());
        var account = AzuriteInstance.DevelopmentAccount;
        return $"DefaultEndpointsProtocol=http;AccountName={account};AccountKey={AzuriteInstance.DevelopmentKey};" +
            $"BlobEndpoint=http://127.0.0.1:{blob}/{account};QueueEndpoint=http://127.0.0.1:{queue}/{account};TableEndpoint=http://127.0.0.1:{table}/{account};";
    }
}
