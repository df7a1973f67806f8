using HuiminBao.Storage;
using Microsoft.Extensions.Logging;

namespace HuiminBao.SignUps;

/// <summary>The one group-commit writer for the <c>signups</c> table, shared by intake, validation and notification in a process.</summary>
public sealed class SignUpWrites(StorageAccount storage, ILogger<SignUpWrites> logger)
    : PartitionGroupCommit(storage.Table(TableNames.SignUps), logger);
