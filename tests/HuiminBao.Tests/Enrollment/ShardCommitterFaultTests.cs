using Azure.Core;
using HuiminBao.Enrollment;
using HuiminBao.Storage;
using HuiminBao.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace HuiminBao.Tests.Enrollment;

/// <summary>An enrollment shard keeps working after something other than storage breaks inside its group commit.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ShardCommitterFaultTests(AzuriteFixture azurite)
{
    private const int PlanYear = 2026;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_non_storage_failure_while_resolving_a_conflict_fails_that_caller_and_the_shard_goes_on()
    {
        // Reading the existing enrollment after a conflict throws what a serializer would on an unreadable row.
        var fault = new ThrowOnRequest(m => m.Request.Method == RequestMethod.Get && m.Request.Uri.Path.Contains("/enrollments(", StringComparison.Ordinal),
            () => new InvalidCastException("EnrolledAt is not a DateTimeOffset"));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [StorageAccount.Setting] = azurite.NewAccount() }).Build();
        var storage = new StorageAccount(configuration, new StorageCallCounter(), [new StoragePipelinePolicy(fault, HttpPipelinePosition.PerCall)]);
        await storage.Table(TableNames.Enrollments).CreateIfNotExistsAsync();
        var ledger = new EnrollmentLedger(storage, NullLogger<EnrollmentLedger>.Instance);
        // Three people of the same shard (the first two hex characters pick it).
        var (taken, next, last) = ("00" + new string('a', 62), "00" + new string('b', 62), "00" + new string('c', 62));
        Assert.Equal(EnrollResult.Enrolled, await ledger.EnrollAsync(Enrollment(taken, "signup-first"), default).WaitAsync(Patience));

        fault.Arm();
        var conflicted = ledger.EnrollAsync(Enrollment(taken, "signup-second"), default);

        await Assert.ThrowsAsync<InvalidCastException>(() => conflicted.WaitAsync(Patience));
        Assert.Equal(1, fault.Thrown);
        var after = await Task.WhenAll(ledger.EnrollAsync(Enrollment(next, "signup-third"), default), ledger.EnrollAsync(Enrollment(last, "signup-fourth"), default)).WaitAsync(Patience);
        Assert.Equal([EnrollResult.Enrolled, EnrollResult.Enrolled], after);
        Assert.Equal(EnrollResult.AlreadyEnrolled, await ledger.EnrollAsync(Enrollment(taken, "signup-second"), default).WaitAsync(Patience));
    }

    private static PersonEnrollment Enrollment(string personKey, string signUpId) =>
        new(PlanYear, personKey, signUpId, "self", "410502", "resident", new DateOnly(PlanYear, 3, 6), DateTimeOffset.UnixEpoch);
}
