using Azure;
using Azure.Data.Tables;
using HuiminBao.Diagnostics;
using HuiminBao.Domain;
using HuiminBao.Roster;
using HuiminBao.Storage;
using Microsoft.Extensions.Logging;

namespace HuiminBao.Enrollment.Eligibility;

/// <summary>
/// Looks a person up in the roster ops imported: one point read by partition and row key, so the
/// cost is the same for a roster of 4 million as for 4. The name given is compared as its keyed
/// hash with the one the import kept; a storage failure is transient.
/// </summary>
public sealed partial class RosterLookup(StorageAccount storage, ILogger<RosterLookup> logger) : IInsuranceLookup
{
    private static readonly string[] Columns = [RosterTable.Scheme, RosterTable.Status, RosterTable.District, RosterTable.NameKey, RosterTable.NameForm];

    public bool NeedsIdentity => false;

    public async Task<InsuranceStatus> LookupAsync(PersonToCheck person, CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> response;
        try
        {
            response = await storage.Table(TableNames.Roster).GetEntityIfExistsAsync<TableEntity>(
                RosterTable.PartitionOf(person.PersonKey), person.PersonKey, Columns, cancellationToken);
        }
        catch (RequestFailedException e)
        {
            throw new InsuranceLookupUnavailableException($"Roster table unavailable ({e.Status})", e);
        }
        catch (AggregateException e) when (e.InnerExceptions.All(i => i is RequestFailedException))
        {
            // What the storage SDK throws when every retry failed to connect.
            throw new InsuranceLookupUnavailableException("Roster table unreachable", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new InsuranceLookupUnavailableException("Roster table timed out", e);
        }
        if (!response.HasValue || response.Value is not { } entity)
            return InsuranceStatus.NotFound;

        if (entity.GetString(RosterTable.NameKey) is not { Length: > 0 } nameKey || entity.GetInt32(RosterTable.NameForm) != PersonName.ComparisonVersion)
        {
            LogNameMissing(logger, entity.PartitionKey);
            throw new RosterNameMissingException("The roster row has no name of the current comparison form; re-import the roster with its 姓名 column.");
        }
        if (!string.Equals(nameKey, person.NameKey, StringComparison.Ordinal))
            return InsuranceStatus.NameMismatch;
        return InsuranceStatus.Insured(entity.GetString(RosterTable.Status) ?? "", entity.GetString(RosterTable.Scheme), entity.GetString(RosterTable.District));
    }

    [LoggerMessage(EventId = LogEvents.Eligibility + 10, Level = LogLevel.Error, Message = "Roster row in partition {Partition} has no usable name key: the sign-up can't be decided on the ID number alone and will go to review; re-import the roster")]
    private static partial void LogNameMissing(ILogger logger, string partition);
}
