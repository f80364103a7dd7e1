namespace Dispatch.Grains;

/// <summary>
/// Group commit for one grain's state. A region hears from each of its projects during a meeting; written one
/// change at a time, its whole roster and inbox would be stored once per project. Here the changes made while a
/// write is in flight share the next write. A caller's task completes only when a write that includes its change
/// has completed (or fails with that write's error), so nothing is acknowledged before it is stored. Every write
/// of the grain's state must go through here: two writes in flight at once would race on the ETag.
/// </summary>
public sealed class CoalescedWrites(Func<Task> write)
{
    private Task _current = Task.CompletedTask;
    private TaskCompletionSource? _next;

    /// <summary>Stores the state as it is now: joins the write waiting to start, or queues one behind the write in flight.</summary>
    public Task WriteAsync()
    {
        if (_next is { } waiting)
        {
            return waiting.Task;
        }
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _next = done;
        _ = WriteAfterAsync(_current, done);
        return done.Task;
    }

    private async Task WriteAfterAsync(Task previous, TaskCompletionSource done)
    {
        // The previous write's callers saw its error; this write goes on regardless. The grain's scheduler is kept.
        await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        _next = null;
        try
        {
            var writing = write();
            _current = writing;
            await writing;
            done.SetResult();
        }
        catch (Exception e)
        {
            done.SetException(e);
        }
    }
}
