namespace HuiminBao.Intake;

/// <summary>
/// The <c>POST /api/signups</c> body as the mini-program sends it. <see cref="SignUpForm"/> reads
/// the body field by field rather than into this record, so that every bad field is reported at
/// once; the record names the shape for the API description and its examples, and a test holds the
/// two together (an example built from it passes the form, and each field it names is one the
/// form requires).
/// </summary>
/// <param name="Consent">The version of the privacy notice and personal-data authorization the applicant accepted (<c>Privacy:ConsentVersions</c>).</param>
public sealed record SignUpRequest(int PlanYear, ApplicantInput Applicant, IReadOnlyList<InsuredInput> Insured, string Consent);

public sealed record ApplicantInput(string Name, string IdNumber, string Mobile);

/// <param name="Relation">To the applicant: <c>self</c>, <c>spouse</c>, <c>child</c> or <c>parent</c>.</param>
public sealed record InsuredInput(string Name, string IdNumber, string Relation);
