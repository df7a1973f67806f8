using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using HuiminBao.Domain;
using HuiminBao.Http;
using HuiminBao.Notifications;
using HuiminBao.Security;
using HuiminBao.Storage;

namespace HuiminBao.SignUps;

/// <summary><c>GET /api/signups/{id}</c>: a sign-up's status, for the openid that made it and nobody else.</summary>
public sealed class SignUpStatusQuery(StorageAccount storage, SessionTokens tokens, KeyedHashes hashes, PersonalDataCipher cipher)
{
    private const int MaxIdLength = 64;

    public async Task<Outcome<SignUpView>> GetAsync(string? authorization, string signUpId, CancellationToken cancellationToken)
    {
        var token = tokens.Check(authorization);
        if (token.OpenId is null)
            return ApiProblem.Unauthorized(token.ErrorCode!);
        if (!IsWellFormed(signUpId))
            return ApiProblem.NotFound();

        // One range query returns the sign-up and, once there is one, its notification row beside it.
        var table = storage.Table(TableNames.SignUps);
        TableEntity? record = null;
        string? notification = null;
        try
        {
            var (from, to) = SignUpKeys.Rows(signUpId);
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {SignUpKeys.Partition(signUpId)} and RowKey ge {from} and RowKey le {to}");
            await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                if (row.RowKey == SignUpKeys.RecordRow(signUpId))
                    record = row;
                else if (row.RowKey == SignUpKeys.NotificationRow(signUpId))
                    notification = row.GetString(nameof(NotificationRecord.State));
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return ApiProblem.NotFound();
        }

        // Someone else's sign-up answers exactly like a missing one, so ids can't be probed.
        if (record is null || record.GetString(nameof(SignUpRecord.OwnerKey)) != hashes.OwnerKey(token.OpenId))
            return ApiProblem.NotFound();

        return View(ToRecord(record), cipher) with { Notification = NotificationStates.ToView(notification) };
    }

    /// <summary>The columns <see cref="View"/> reads, from the untyped row the partition query returns.</summary>
    private static SignUpRecord ToRecord(TableEntity row) => new()
    {
        PartitionKey = row.PartitionKey,
        RowKey = row.RowKey,
        OwnerKey = row.GetString(nameof(SignUpRecord.OwnerKey)) ?? "",
        PlanYear = row.GetInt32(nameof(SignUpRecord.PlanYear)) ?? 0,
        Status = row.GetString(nameof(SignUpRecord.Status)) ?? "",
        AcceptedAt = row.GetDateTimeOffset(nameof(SignUpRecord.AcceptedAt)) ?? default,
        Sealed = row.GetString(nameof(SignUpRecord.Sealed)) ?? "",
        Persons = row.GetString(nameof(SignUpRecord.Persons)) ?? "[]",
    };

    internal static SignUpView View(SignUpRecord record, PersonalDataCipher cipher)
    {
        var sealedSignUp = JsonSerializer.Deserialize(cipher.Open(record.Sealed, record.SignUpId), PipelineJson.Default.SealedSignUp)!;
        var persons = JsonSerializer.Deserialize(record.Persons, PipelineJson.Default.ListPersonState) ?? [];
        var insured = sealedSignUp.Insured.Select((person, i) =>
        {
            var state = i < persons.Count ? persons[i] : null;
            var outcome = state?.Outcome ?? PersonOutcome.Pending;
            return new InsuredView(PersonName.Mask(person.Name), IdNumber.Mask(person.IdNumber), person.Relation, outcome, OutcomeReasons.Text(outcome, state?.Reason));
        }).ToList();
        return new SignUpView(record.SignUpId, record.Status, record.PlanYear, record.AcceptedAt, insured);
    }

    private static bool IsWellFormed(string id) =>
        id.Length is > 0 and <= MaxIdLength && id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c));
}
