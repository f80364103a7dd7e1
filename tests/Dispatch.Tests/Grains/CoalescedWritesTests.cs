using Dispatch.Grains;

namespace Dispatch.Tests.Grains;

/// <summary>The group commit a region's state writes go through, without a silo: a write is a recorded snapshot.</summary>
public sealed class CoalescedWritesTests
{
    private int _value;
    private readonly List<int> _stored = [];
    private readonly Queue<TaskCompletionSource> _gates = new();

    private CoalescedWrites Writes() => new(() =>
    {
        lock (_stored)
        {
            _stored.Add(_value);
        }
        return _gates.TryDequeue(out var gate) ? gate.Task : Task.CompletedTask;
    });

    private TaskCompletionSource Gate()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _gates.Enqueue(gate);
        return gate;
    }

    /// <summary>A change and its write, then a second change while that write is in flight.</summary>
    private (Task One, Task Two) ChangeTwice(CoalescedWrites writes)
    {
        _value = 1;
        var one = writes.WriteAsync();
        _value = 2;
        return (one, writes.WriteAsync());
    }

    [Fact]
    public async Task Changes_made_while_a_write_is_in_flight_share_the_next_write()
    {
        var writes = Writes();
        var first = Gate();
        var (one, two) = ChangeTwice(writes);
        _value = 3;
        var three = writes.WriteAsync();

        Assert.Same(two, three);
        Assert.Equal([1], _stored);
        Assert.False(one.IsCompleted || two.IsCompleted);

        first.SetResult();
        await Task.WhenAll(one, two);
        Assert.Equal([1, 3], _stored);
    }

    [Fact]
    public async Task A_caller_hears_only_after_a_write_that_includes_its_change()
    {
        var writes = Writes();
        var first = Gate();
        var second = Gate();
        var (one, two) = ChangeTwice(writes);

        first.SetResult();
        await one;
        await WaitUntilAsync(() => _stored.Count == 2);
        Assert.False(two.IsCompleted);
        second.SetResult();
        await two;
        Assert.Equal([1, 2], _stored);
    }

    [Fact]
    public async Task A_failed_write_fails_its_callers_and_the_next_write_still_runs()
    {
        var writes = Writes();
        var first = Gate();
        var (one, two) = ChangeTwice(writes);

        first.SetException(new InvalidOperationException("disk full"));
        Assert.Equal("disk full", (await Assert.ThrowsAsync<InvalidOperationException>(() => one)).Message);
        await two;
        Assert.Equal([1, 2], _stored);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }
        Assert.True(condition());
    }
}
