namespace HuiminBao.Domain;

/// <summary>Basic-insurance states as this system spells them; <see cref="InsuranceTerms"/> maps the bureau's words to them.</summary>
public static class InsuranceStates
{
    public const string Active = "active";
    public const string Suspended = "suspended";
    public const string Terminated = "terminated";
}

public static class InsuranceSchemes
{
    /// <summary>职工基本医疗保险.</summary>
    public const string Employee = "employee";

    /// <summary>城乡居民基本医疗保险.</summary>
    public const string Resident = "resident";
}
