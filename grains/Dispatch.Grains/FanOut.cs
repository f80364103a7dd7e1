namespace Dispatch.Grains;

/// <summary>Calls to many grains with a bound on how many are in flight at once.</summary>
public static class FanOut
{
    /// <summary>Applies <paramref name="call"/> to every item, at most <paramref name="degree"/> at a time; results in item order.</summary>
    public static async Task<TResult[]> MapAsync<TItem, TResult>(IReadOnlyList<TItem> items, int degree, Func<TItem, Task<TResult>> call)
    {
        var results = new TResult[items.Count];
        var next = -1;
        async Task Worker()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < items.Count)
            {
                results[i] = await call(items[i]);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, Math.Clamp(degree, 1, Math.Max(1, items.Count))).Select(_ => Worker()));
        return results;
    }
}
