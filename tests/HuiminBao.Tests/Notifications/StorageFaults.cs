using Azure.Core;
using Azure.Core.Pipeline;
using HuiminBao.Tests.Infrastructure;

namespace HuiminBao.Tests.Notifications;

/// <summary>
/// A process death at a chosen storage write, armed when the test is ready (so start-up and warm-up
/// writes don't count). <see cref="CrashAfter"/>: the write reached storage and the handler never
/// learns it. <see cref="FailBefore"/>: the process died before the write left.
/// </summary>
public sealed class StorageFaults : HttpPipelinePolicy
{
    private readonly Lock _lock = new();
    private int _countdown = -1;
    private bool _beforeWrite;

    public void CrashAfter(int writesLetThrough) => Arm(writesLetThrough, beforeWrite: false);

    public void FailBefore(int writesLetThrough) => Arm(writesLetThrough, beforeWrite: true);

    private void Arm(int writesLetThrough, bool beforeWrite)
    {
        lock (_lock)
            (_countdown, _beforeWrite) = (writesLetThrough, beforeWrite);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) => throw new NotSupportedException("async only");

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var isWrite = message.Request.Method != RequestMethod.Get && message.Request.Method != RequestMethod.Head;
        bool fire, before;
        lock (_lock)
        {
            fire = isWrite && _countdown == 0;
            before = _beforeWrite;
            if (isWrite && _countdown >= 0)
                _countdown--;
        }
        if (fire && before)
            throw new SimulatedCrashException($"simulated crash before {message.Request.Method} {message.Request.Uri.Path}");
        await ProcessNextAsync(message, pipeline);
        if (fire)
            throw new SimulatedCrashException($"simulated crash after {message.Request.Method} {message.Request.Uri.Path}");
    }
}
