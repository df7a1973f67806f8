using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace HuiminBao.Storage;

/// <summary>
/// When no attempt reached the storage service (connection refused or reset, network timeouts),
/// Azure.Core's retry policy throws an <see cref="AggregateException"/> of the attempts' exceptions,
/// not the <see cref="RequestFailedException"/> that every caller here catches as "storage failed".
/// Placed before the retry policy, this turns it into one <see cref="RequestFailedException"/>
/// (status 0, the attempts as inner exception), so an outage is handled like any other storage
/// failure: intake answers 503 <c>storage-unavailable</c>, and a queue listener polls again instead
/// of dying and taking the host with it. A cancellation by the caller stays a cancellation.
/// </summary>
internal sealed class UnreachableStoragePolicy : HttpPipelinePolicy
{
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            ProcessNext(message, pipeline);
        }
        catch (AggregateException e)
        {
            throw Translate(e, message);
        }
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            await ProcessNextAsync(message, pipeline);
        }
        catch (AggregateException e)
        {
            throw Translate(e, message);
        }
    }

    private static Exception Translate(AggregateException attempts, HttpMessage message) =>
        message.CancellationToken.IsCancellationRequested
            ? new OperationCanceledException("The storage call was cancelled while retrying.", attempts, message.CancellationToken)
            : new RequestFailedException(0, $"Storage unreachable after {attempts.InnerExceptions.Count} attempts: {attempts.InnerExceptions[^1].Message}", attempts);
}
