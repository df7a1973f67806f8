using Azure;
using Azure.Data.Tables;
using HuiminBao.Roster;
using HuiminBao.Storage;

namespace HuiminBao.Enrollment.Eligibility;

/// <summary>
/// Looks a person up in the roster ops imported: one point read by partition and row key, so the
/// cost is the same for a roster of 4 million as for 4. A storage failure is transient.
/// </summary>
public sealed class RosterLookup(StorageAccount storage) : IInsuranceLookup
{
    private static readonly string[] Columns = [RosterTable.Scheme, RosterTable.Status, RosterTable.District];

    public bool NeedsIdNumber => false;

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
        return new InsuranceStatus(true, entity.GetString(RosterTable.Status), entity.GetString(RosterTable.Scheme), entity.GetString(RosterTable.District));
    }
}
