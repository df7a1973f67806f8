using HuiminBao.Storage;

namespace HuiminBao.Tests.Storage;

/// <summary>The group-commit loop survives a commit that breaks its promise not to throw.</summary>
public sealed class SerialBatcherTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_commit_that_throws_fails_its_waiting_callers_and_the_next_items_still_commit()
    {
        var batcher = new Batcher { ThrowOnce = new InvalidOperationException("a bug, not storage") };

        var broken = batcher.Submit(1);
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => broken.WaitAsync(Patience));
        var later = await Task.WhenAll(Enumerable.Range(2, 5).Select(batcher.Submit)).WaitAsync(Patience);

        Assert.Equal("a bug, not storage", failure.Message);
        Assert.Equal([2, 3, 4, 5, 6], later);
    }

    [Fact]
    public async Task Items_that_waited_behind_a_throwing_commit_are_taken_by_the_next_one()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var batcher = new Batcher { ThrowOnce = new FormatException("counter unreadable"), Gate = release.Task };

        var first = batcher.Submit(1);
        await batcher.Entered.Task.WaitAsync(Patience);
        var waiting = Enumerable.Range(2, 3).Select(batcher.Submit).ToList();
        release.SetResult();

        await Assert.ThrowsAsync<FormatException>(() => first.WaitAsync(Patience));
        var answered = await Task.WhenAll(waiting).WaitAsync(Patience);
        Assert.Equal([2, 3, 4], answered);
    }

    /// <summary>Commits a batch by answering each item with itself; the first commit may throw instead.</summary>
    private sealed class Batcher : SerialBatcher<Batcher.Pending>
    {
        private Exception? _throw;

        public Exception? ThrowOnce
        {
            init => _throw = value;
        }

        public Task Gate { get; init; } = Task.CompletedTask;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<int> Submit(int value)
        {
            var pending = new Pending(value);
            Enqueue(pending);
            return pending.Outcome.Task;
        }

        protected override List<Pending> Take() => TakeDistinct(10, p => p.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));

        protected override async Task CommitAsync(List<Pending> batch)
        {
            Entered.TrySetResult();
            await Gate;
            if (Interlocked.Exchange(ref _throw, null) is { } failure)
                throw failure;
            foreach (var pending in batch)
                pending.Outcome.TrySetResult(pending.Value);
        }

        protected override void Fail(Pending pending, Exception failure) => pending.Outcome.TrySetException(failure);

        public sealed record Pending(int Value)
        {
            public TaskCompletionSource<int> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }
}
