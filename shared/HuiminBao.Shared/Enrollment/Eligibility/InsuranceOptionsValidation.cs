using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HuiminBao.Enrollment.Eligibility;

/// <summary>
/// The link to the 医保 service carries every applicant's ID number, so in <c>http</c> mode it must be
/// encrypted and authenticated: outside Development a plain-http <c>Insurance:BaseUrl</c> or a missing
/// <c>Insurance:ApiKey</c> refuses to start. In Development plain http is accepted to a loopback
/// address only (a stand-in on this machine), and the key may be left unset.
/// </summary>
public sealed class InsuranceOptionsValidation(IHostEnvironment environment) : IValidateOptions<InsuranceOptions>
{
    public ValidateOptionsResult Validate(string? name, InsuranceOptions options)
    {
        if (options.Mode != InsuranceModes.Http || !Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var uri))
            return ValidateOptionsResult.Success;

        var failures = new List<string>();
        if (uri.Scheme != Uri.UriSchemeHttps)
        {
            if (!environment.IsDevelopment())
                failures.Add($"Insurance:BaseUrl must be https in the {environment.EnvironmentName} environment: ID numbers travel on this link.");
            else if (!uri.IsLoopback)
                failures.Add("Insurance:BaseUrl may be plain http in Development only for a loopback address (a local stand-in); use https for anything else.");
        }
        if (options.EffectiveApiKey is null && !environment.IsDevelopment())
            failures.Add($"Insurance:ApiKey must be set in http mode in the {environment.EnvironmentName} environment (Key Vault secret insurance-api-key); it is sent in the {options.ApiKeyHeader} header.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
