using HuiminBao.Domain;
using HuiminBao.Security;

namespace HuiminBao.SignUps;

/// <summary><c>GET /api/signups/{id}</c>: a sign-up's status, for the openid that made it and nobody else.</summary>
public sealed class SignUpStatusQuery(SignUpStore store, SessionTokens tokens, KeyedHashes hashes)
{
    public async Task<Outcome<SignUpView>> GetAsync(string? authorization, string signUpId, CancellationToken cancellationToken)
    {
        var token = tokens.Check(authorization);
        if (token.OpenId is null)
            return ApiProblem.Unauthorized(token.ErrorCode!);
        if (!SignUpKeys.IsWellFormed(signUpId))
            return ApiProblem.NotFound();

        // One range query returns the sign-up and, once there is one, its notification row beside it.
        var (record, notification) = await store.FindWithNotificationAsync(signUpId, cancellationToken);

        // Someone else's sign-up answers exactly like a missing one, so ids can't be probed.
        if (record is null || record.OwnerKey != hashes.OwnerKey(token.OpenId))
            return ApiProblem.NotFound();
        // The owner learns why the sign-up can't be shown; the owner key is kept for exactly this answer.
        if (record.IsErased)
            return ApiProblem.Erased();

        return View(record, store.Open(record)) with { Notification = NotificationStates.ToView(notification) };
    }

    internal static SignUpView View(SignUpRecord record, SealedSignUp personal)
    {
        var persons = PersonStates.Read(record.Persons);
        var insured = personal.Insured.Select((person, i) =>
        {
            var state = i < persons.Count ? persons[i] : null;
            var (outcome, reason) = OutcomeDisclosure.For(person.Relation, state?.Outcome ?? PersonOutcome.Pending, state?.Reason);
            return new InsuredView(PersonName.Mask(person.Name), IdNumber.Mask(person.IdNumber), person.Relation, outcome, OutcomeReasons.Text(outcome, reason));
        }).ToList();
        return new SignUpView(record.SignUpId, record.Status, record.PlanYear, record.AcceptedAt, insured);
    }
}
