namespace Dispatch.Contracts;

/// <summary>
/// What a city official looks for ("every red project under the city"): a region's projects, directly or in its whole
/// subtree, filtered by light, stage, tier, kind, leader, industry and name, red first, a page at a time.
/// </summary>
public sealed record ProjectQuery(
    bool Subtree,
    IReadOnlySet<Light>? Lights,
    ProjectStage? Stage,
    ProjectTier? Tier,
    ProjectKind? Kind,
    string? Leader,
    string? Industry,
    string? Text,
    int Page,
    int PageSize)
{
    public const int MaxPageSize = 1000;

    /// <summary>A subtree larger than this is refused: narrow it to a city or a district, or filter first.</summary>
    public const int MaxProjectsScanned = 20_000;

    public bool Matches(ProjectView p) =>
        (Lights is null || Lights.Contains(p.Light))
        && (Stage is null || p.Stage == Stage)
        && (Tier is null || p.Tier == Tier)
        && (Kind is null || p.Kind == Kind)
        && (Leader is null || (p.Leader?.Contains(Leader, StringComparison.OrdinalIgnoreCase) ?? false))
        && (Industry is null || (p.Industry?.Contains(Industry, StringComparison.OrdinalIgnoreCase) ?? false))
        && (Text is null || p.Name.Contains(Text, StringComparison.OrdinalIgnoreCase) || p.Id.Contains(Text, StringComparison.OrdinalIgnoreCase));

}

/// <summary>Finds projects under a region for the API and the CLI alike.</summary>
public static class ProjectFinder
{
    /// <summary>The matching projects, red first, and how many matched in all; null when the subtree is too large to scan.</summary>
    public static async Task<(IReadOnlyList<ProjectView> Page, int Total)?> FindAsync(IGrainFactory grains, string regionId, ProjectQuery query,
        CancellationToken cancellationToken)
    {
        var regions = query.Subtree ? await SubtreeAsync(grains, regionId) : [regionId];
        var ids = new List<string>();
        foreach (var id in regions)
        {
            ids.AddRange(await grains.GetGrain<IRegionGrain>(id).GetProjectIdsAsync());
            if (ids.Count > ProjectQuery.MaxProjectsScanned)
            {
                return null;
            }
        }
        var views = new ProjectView?[ids.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, ids.Count), new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken },
            async (i, _) => views[i] = await grains.GetGrain<IProjectGrain>(ids[i]).GetAsync());
        var matching = views.OfType<ProjectView>().Where(query.Matches)
            .OrderByDescending(p => p.Light).ThenBy(p => p.RegionId, StringComparer.Ordinal).ThenBy(p => p.Id, StringComparer.Ordinal).ToList();
        return (matching.Skip((query.Page - 1) * query.PageSize).Take(query.PageSize).ToList(), matching.Count);
    }

    private static async Task<List<string>> SubtreeAsync(IGrainFactory grains, string id)
    {
        var found = new List<string>();
        var next = new Queue<string>([id]);
        while (next.TryDequeue(out var current) && found.Count < 10_000)
        {
            found.Add(current);
            foreach (var child in await grains.GetGrain<IRegionGrain>(current).GetChildIdsAsync())
            {
                next.Enqueue(child);
            }
        }
        return found;
    }
}
