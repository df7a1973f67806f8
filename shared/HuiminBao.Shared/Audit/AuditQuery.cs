using System.Globalization;
using HuiminBao.Domain;

namespace HuiminBao.Audit;

public sealed record AuditEntry(DateTimeOffset At, string Caller, string Route, string Method, string Target, int? Status, DateTimeOffset? CompletedAt);

public sealed record AuditList(DateOnly From, DateOnly To, IReadOnlyList<AuditEntry> Entries, bool Truncated);

/// <summary><c>GET /api/ops/audit?from=&amp;to=</c>: every ops action in a range of Beijing days, newest first.</summary>
public sealed class AuditQuery(AuditLog log, TimeProvider time)
{
    public const int MaxDays = 31;
    public const int MaxEntries = 1000;

    public async Task<Outcome<AuditList>> GetAsync(string? from, string? to, CancellationToken cancellationToken)
    {
        var today = BeijingTime.Today(time);
        var errors = new List<FieldError>();
        var last = ParseDay(to, "to", errors) ?? today;
        var first = ParseDay(from, "from", errors) ?? last;
        if (errors.Count == 0 && first > last)
            errors.Add(FieldError.Of("from", ErrorCodes.DateRangeInverted));
        else if (errors.Count == 0 && last.DayNumber - first.DayNumber + 1 > MaxDays)
            errors.Add(FieldError.Of("to", ErrorCodes.AuditRangeTooLong));
        if (errors.Count > 0)
            return ApiProblem.Validation(errors);

        // One more than shown, to say whether there is more.
        var rows = await log.ReadAsync(first, last, MaxEntries + 1, cancellationToken);
        var entries = rows.Take(MaxEntries).Select(r => new AuditEntry(r.At, r.Caller, r.Route, r.Method, r.Target, r.Status, r.CompletedAt)).ToList();
        return new AuditList(first, last, entries, rows.Count > MaxEntries);
    }

    private static DateOnly? ParseDay(string? value, string field, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return day;
        errors.Add(FieldError.Of(field, ErrorCodes.DateInvalid));
        return null;
    }
}
