using Azure.Data.Tables;
using HuiminBao.Security;
using HuiminBao.SignUps;

namespace HuiminBao.Tests.Privacy;

/// <summary>
/// Every sealed value in a storage account's tables, opened with the data keys: what someone who
/// holds the keys could still read. A value is opened with the associated data the code seals it
/// with (a sign-up's id, or <c>partition/row</c> for a shared-state row); one that opens with
/// none of them is reported, so a new kind of sealed value can't slip past the scan unread.
/// </summary>
internal static class SealedValueScan
{
    public sealed record Opened(string Where, string Plaintext);

    public static async Task<(IReadOnlyList<Opened> Opened, IReadOnlyList<string> Unopened)> OpenAllAsync(string connectionString, PersonalDataCipher cipher)
    {
        var opened = new List<Opened>();
        var unopened = new List<string>();
        var tables = new TableServiceClient(connectionString);
        await foreach (var table in tables.QueryAsync())
        {
            await foreach (var entity in tables.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                foreach (var (key, value) in entity)
                {
                    if (value is not string text || PersonalDataCipher.KeyIdOf(text) is null)
                        continue;
                    var where = $"table {table.Name} {entity.PartitionKey}/{entity.RowKey}.{key}";
                    if (TryOpen(cipher, text, entity, out var plaintext))
                        opened.Add(new Opened(where, plaintext));
                    else
                        unopened.Add(where);
                }
            }
        }
        return (opened, unopened);
    }

    private static bool TryOpen(PersonalDataCipher cipher, string sealedValue, TableEntity entity, out string plaintext)
    {
        foreach (var context in new[] { SignUpKeys.SignUpIdOf(entity.RowKey), $"{entity.PartitionKey}/{entity.RowKey}" })
        {
            try
            {
                plaintext = cipher.Open(sealedValue, context);
                return true;
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
            }
        }
        plaintext = "";
        return false;
    }
}
