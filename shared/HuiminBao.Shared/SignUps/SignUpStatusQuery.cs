using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using HuiminBao.Domain;
using HuiminBao.Http;
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

        var table = storage.Table(TableNames.SignUps);
        NullableResponse<SignUpRecord> found;
        try
        {
            found = await table.GetEntityIfExistsAsync<SignUpRecord>(signUpId, SignUpRecord.RecordRowKey, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return ApiProblem.NotFound();
        }

        // Someone else's sign-up answers exactly like a missing one, so ids can't be probed.
        if (!found.HasValue || found.Value!.OwnerKey != hashes.OwnerKey(token.OpenId))
            return ApiProblem.NotFound();

        return View(found.Value, cipher);
    }

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
