using Dispatch.Contracts;

namespace Dispatch.Grains;

[GenerateSerializer, Alias("Dispatch.RegionIndexState")]
public sealed class RegionIndexState
{
    [Id(0)] public SortedSet<string> RegionIds { get; set; } = new(StringComparer.Ordinal);
}

public sealed class RegionIndexGrain(
    [PersistentState("regionIndex", DispatchStorage.Name)] IPersistentState<RegionIndexState> state) : Grain, IRegionIndexGrain
{
    public static string KeyOf(RegionLevel level) => level.ToString().ToLowerInvariant();

    public async Task AddAsync(string regionId)
    {
        if (state.State.RegionIds.Add(regionId))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task RemoveAsync(string regionId)
    {
        if (state.State.RegionIds.Remove(regionId))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> ListAsync() => Task.FromResult<IReadOnlyList<string>>(state.State.RegionIds.ToList());
}
