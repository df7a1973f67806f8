using System.Text.Json;
using HuiminBao.Domain;

namespace HuiminBao.Intake;

/// <summary>
/// Reads a sign-up body field by field, so a wrong type or a bad value in one place is reported
/// beside every other failing field instead of stopping at the first.
/// </summary>
public static class SignUpForm
{
    public const int MaxInsured = 8;
    private const int MaxIdNumberInput = 40;
    private const int MaxMobileInput = 24;
    private const int MaxRelationInput = 16;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 8 };

    /// <summary>Parses and validates; <paramref name="errors"/> is empty exactly when a sign-up is returned.</summary>
    /// <param name="consentVersions">The privacy-notice versions <c>consent</c> may name (<see cref="PrivacyOptions"/>).</param>
    public static ValidSignUp? Read(ReadOnlyMemory<byte> body, EnrollmentWindow window, IReadOnlySet<string> consentVersions, out IReadOnlyList<FieldError> errors)
    {
        // The parser checks UTF-8 only in the strings it decodes; a bad byte elsewhere (say, in an unknown
        // property name) would slip through and could reach storage later. Refuse it up front.
        if (!System.Text.Unicode.Utf8.IsValid(body.Span))
        {
            errors = [FieldError.Of("$", ErrorCodes.MalformedJson)];
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException)
        {
            errors = [FieldError.Of("$", ErrorCodes.MalformedJson)];
            return null;
        }

        using (document)
        {
            if (DuplicateProperties.Find(document.RootElement) is { Count: > 0 } duplicates)
            {
                errors = [.. duplicates.Select(path => FieldError.Of(path, ErrorCodes.DuplicateField))];
                return null;
            }
            var list = new List<FieldError>();
            var signUp = Read(document.RootElement, window, consentVersions, list);
            errors = list;
            return list.Count == 0 ? signUp : null;
        }
    }

    private static ValidSignUp? Read(JsonElement root, EnrollmentWindow window, IReadOnlySet<string> consentVersions, List<FieldError> errors)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add(FieldError.Of("$", ErrorCodes.WrongType));
            return null;
        }

        var planYear = ReadPlanYear(root, window, errors);
        var applicant = ReadApplicant(root, window.Today, errors);
        var insured = ReadInsured(root, window.Today, errors);

        if (applicant is not null && insured is not null)
            CheckHousehold(applicant, insured, errors);
        var consent = ConsentField.Read(root, consentVersions, errors);

        return errors.Count == 0 ? new ValidSignUp(planYear, applicant!, insured!, consent!) : null;
    }

    private static int ReadPlanYear(JsonElement root, EnrollmentWindow window, List<FieldError> errors)
    {
        if (!root.TryGetProperty("planYear", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            errors.Add(FieldError.Of("planYear", ErrorCodes.Required));
            return 0;
        }
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out var year))
        {
            errors.Add(FieldError.Of("planYear", ErrorCodes.WrongType));
            return 0;
        }
        var windowError = window.Check(year);
        if (windowError is not null)
            errors.Add(FieldError.Of("planYear", windowError));
        return year;
    }

    private static Applicant? ReadApplicant(JsonElement root, DateOnly today, List<FieldError> errors)
    {
        if (!TryObject(root, "applicant", "applicant", errors, out var element))
            return null;
        var before = errors.Count;
        var name = ReadName(element, "applicant.name", errors);
        var id = ReadIdNumber(element, "applicant.idNumber", today, errors);
        var mobile = ReadMobile(element, "applicant.mobile", errors);
        return errors.Count == before ? new Applicant(name!, id!, mobile!) : null;
    }

    private static List<InsuredPerson>? ReadInsured(JsonElement root, DateOnly today, List<FieldError> errors)
    {
        if (!root.TryGetProperty("insured", out var array) || array.ValueKind == JsonValueKind.Null)
        {
            errors.Add(FieldError.Of("insured", ErrorCodes.Required));
            return null;
        }
        if (array.ValueKind != JsonValueKind.Array)
        {
            errors.Add(FieldError.Of("insured", ErrorCodes.WrongType));
            return null;
        }
        var count = array.GetArrayLength();
        if (count == 0)
        {
            errors.Add(FieldError.Of("insured", ErrorCodes.HouseholdEmpty));
            return null;
        }
        if (count > MaxInsured)
        {
            // Checking every entry of a huge array is work an attacker chooses for us; the size alone decides.
            errors.Add(FieldError.Of("insured", ErrorCodes.HouseholdTooLarge));
            return null;
        }

        var before = errors.Count;
        var people = new List<InsuredPerson>(count);
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var path = $"insured[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add(FieldError.Of(path, ErrorCodes.WrongType));
                continue;
            }
            var name = ReadName(item, path + ".name", errors);
            var id = ReadIdNumber(item, path + ".idNumber", today, errors);
            var relation = ReadRelation(item, path + ".relation", errors);
            if (name is not null && id is not null && relation is not null)
                people.Add(new InsuredPerson(name, id, relation.Value));
        }
        return errors.Count == before ? people : null;
    }

    private static void CheckHousehold(Applicant applicant, List<InsuredPerson> insured, List<FieldError> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var selfCount = 0;
        for (var i = 0; i < insured.Count; i++)
        {
            var person = insured[i];
            if (!seen.Add(person.IdNumber))
                errors.Add(FieldError.Of($"insured[{i}].idNumber", ErrorCodes.IdNumberDuplicate));
            if (person.Relation != Relation.Self)
                continue;
            if (++selfCount > 1)
                errors.Add(FieldError.Of($"insured[{i}].relation", ErrorCodes.SelfMoreThanOne));
            else if (person.IdNumber != applicant.IdNumber)
                errors.Add(FieldError.Of($"insured[{i}].idNumber", ErrorCodes.SelfMismatch));
        }
    }

    private static string? ReadName(JsonElement parent, string path, List<FieldError> errors)
    {
        var raw = ReadString(parent, path, PersonName.MaxLength * 2, errors);
        if (raw is null)
            return null;
        var name = PersonName.Normalize(raw);
        if (name.Length > PersonName.MaxLength)
        {
            errors.Add(FieldError.Of(path, ErrorCodes.TooLong));
            return null;
        }
        if (!PersonName.IsValid(name))
        {
            errors.Add(FieldError.Of(path, ErrorCodes.NameInvalid));
            return null;
        }
        return name;
    }

    private static string? ReadIdNumber(JsonElement parent, string path, DateOnly today, List<FieldError> errors)
    {
        var raw = ReadString(parent, path, MaxIdNumberInput, errors);
        if (raw is null)
            return null;
        var id = IdNumber.Normalize(raw);
        var code = IdNumber.Check(id, today);
        if (code is null)
            return id;
        errors.Add(FieldError.Of(path, code));
        return null;
    }

    private static string? ReadMobile(JsonElement parent, string path, List<FieldError> errors)
    {
        var raw = ReadString(parent, path, MaxMobileInput, errors);
        if (raw is null)
            return null;
        var mobile = MobileNumber.Normalize(raw);
        if (MobileNumber.IsValid(mobile))
            return mobile;
        errors.Add(FieldError.Of(path, ErrorCodes.MobileInvalid));
        return null;
    }

    private static Relation? ReadRelation(JsonElement parent, string path, List<FieldError> errors)
    {
        var raw = ReadString(parent, path, MaxRelationInput, errors);
        if (raw is null)
            return null;
        if (Relations.TryParse(raw, out var relation))
            return relation;
        errors.Add(FieldError.Of(path, ErrorCodes.RelationInvalid));
        return null;
    }

    private static string? ReadString(JsonElement parent, string path, int maxLength, List<FieldError> errors)
    {
        var name = path[(path.LastIndexOf('.') + 1)..];
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            errors.Add(FieldError.Of(path, ErrorCodes.Required));
            return null;
        }
        if (element.ValueKind != JsonValueKind.String)
        {
            errors.Add(FieldError.Of(path, ErrorCodes.WrongType));
            return null;
        }
        var value = element.GetString()!;
        if (value.Length > maxLength)
        {
            errors.Add(FieldError.Of(path, ErrorCodes.TooLong));
            return null;
        }
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(FieldError.Of(path, ErrorCodes.Required));
            return null;
        }
        return value;
    }

    private static bool TryObject(JsonElement parent, string property, string path, List<FieldError> errors, out JsonElement element)
    {
        if (!parent.TryGetProperty(property, out element) || element.ValueKind == JsonValueKind.Null)
        {
            errors.Add(FieldError.Of(path, ErrorCodes.Required));
            return false;
        }
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(FieldError.Of(path, ErrorCodes.WrongType));
            return false;
        }
        return true;
    }
}
