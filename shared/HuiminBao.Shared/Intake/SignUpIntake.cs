using System.Text;
using HuiminBao.Diagnostics;
using HuiminBao.Domain;
using HuiminBao.Security;
using HuiminBao.SignUps;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HuiminBao.Intake;

/// <summary>
/// <c>POST /api/signups</c>: checks the token and every field, then hands a valid sign-up to
/// <see cref="SignUpAdmission"/>, which makes it durable and queued. Invalid input stores nothing.
/// </summary>
public sealed partial class SignUpIntake(
    SessionTokens tokens,
    KeyedHashes hashes,
    SignUpStore store,
    SignUpAdmission admission,
    IOptions<EnrollmentOptions> enrollment,
    IOptions<PrivacyOptions> privacy,
    IOptions<IntakeOptions> options,
    TimeProvider time,
    ILogger<SignUpIntake> logger)
{
    private const int MaxIdempotencyKeyLength = 64;

    public async Task<Outcome<SignUpAccepted>> SubmitAsync(SignUpSubmission submission, CancellationToken cancellationToken)
    {
        var token = tokens.Check(submission.Authorization);
        if (token.OpenId is not { } openId)
            return ApiProblem.Unauthorized(token.ErrorCode!);
        if (submission.IdempotencyKey is { } key && !IsValidIdempotencyKey(key))
            return ApiProblem.BadRequest(ErrorCodes.IdempotencyKeyInvalid);
        if (!BoundedBody.IsJson(submission.ContentType))
            return ApiProblem.UnsupportedMediaType();

        var body = await BoundedBody.ReadAsync(submission.Body, options.Value.MaxBodyBytes, cancellationToken);
        if (body is null)
            return ApiProblem.TooLarge();

        var window = EnrollmentWindow.Now(enrollment, time);
        var signUp = SignUpForm.Read(body, window, privacy.Value.Versions, out var errors);
        if (signUp is null)
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                var codes = string.Join(',', errors.Select(e => e.Code).Distinct());
                LogRejected(logger, errors.Count, codes);
            }
            return ApiProblem.Validation(errors);
        }

        var canonical = Canonical(signUp);
        var fingerprint = hashes.Fingerprint(canonical);
        var consent = new SignUpConsent(signUp.Consent, ConsentField.MinorsIn(signUp, window.Today));
        if (submission.IdempotencyKey is { } idempotencyKey)
            return await admission.AdmitAsync(Draft(hashes.SignUpId($"key|{openId}|{idempotencyKey}"), openId, signUp, fingerprint, consent), cancellationToken);

        // Without a key, the same person posting the same household again in this plan year means the
        // same sign-up until it is decided; after that, the next generation (SignUpAdmission).
        return await admission.AdmitAsync(generation => Draft(hashes.SignUpId(BodyScope(openId, fingerprint, generation)), openId, signUp, fingerprint, consent), cancellationToken);
    }

    /// <summary>Generation 0 keeps the scope sign-ups had before generations existed, so their ids still match.</summary>
    private static string BodyScope(string openId, string fingerprint, int generation) =>
        generation == 0 ? $"body|{openId}|{fingerprint}" : $"body|{openId}|{fingerprint}|{generation}";

    private SignUpDraft Draft(string signUpId, string openId, ValidSignUp signUp, string fingerprint, SignUpConsent consent)
    {
        var persons = signUp.Insured.Select(p => QueuedPersons.Of(hashes, p.IdNumber, p.Name, p.Relation.ToWire())).ToList();
        return new SignUpDraft(
            signUpId,
            openId,
            hashes.OwnerKey(openId),
            signUp.PlanYear,
            fingerprint,
            store.Seal(signUpId, SealedSignUps.From(openId, signUp)),
            persons) { Consent = consent };
    }

    /// <summary>One line per field in a fixed order; '|' and newlines can't occur in validated values.</summary>
    private static string Canonical(ValidSignUp signUp)
    {
        var builder = new StringBuilder();
        builder.Append(signUp.PlanYear).Append('\n')
            .Append(signUp.Applicant.Name).Append('|').Append(signUp.Applicant.IdNumber).Append('|').Append(signUp.Applicant.Mobile).Append('\n');
        foreach (var person in signUp.Insured)
            builder.Append(person.Name).Append('|').Append(person.IdNumber).Append('|').Append(person.Relation.ToWire()).Append('\n');
        return builder.ToString();
    }

    private static bool IsValidIdempotencyKey(string key) =>
        key.Length is > 0 and <= MaxIdempotencyKeyLength
        && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or ':' or '.');

    [LoggerMessage(EventId = LogEvents.Intake + 1, Level = LogLevel.Information, Message = "Sign-up rejected: {ErrorCount} field errors ({Codes})")]
    private static partial void LogRejected(ILogger logger, int errorCount, string codes);
}
