using Dispatch.Contracts;
using Dispatch.Grains.Domain;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace Dispatch.Grains;

/// <summary>
/// Gathers a caller's to-do list (待办) from the regions of their scope (inboxes, problem lists, the meetings they
/// follow) or their projects, and leaves the choosing and ordering to <see cref="TodoLists"/>. Keeps no state.
/// </summary>
[StatelessWorker]
public sealed class TodoGrain(TimeProvider clock, WorkingCalendar calendar, IOptions<DispatchOptions> options) : Grain, ITodoGrain
{
    public async Task<TodoList> GetAsync(Caller caller, string? regionId = null)
    {
        var today = clock.ChinaToday();
        if (caller.Role == Role.Reporter)
        {
            return await ForProjectsAsync(caller, today);
        }
        if (caller.Role == Role.Viewer)
        {
            return TodoLists.Empty(caller, regionId, today, "A viewer's token reads and acts on nothing, so it has no to-do list (待办).");
        }
        var scope = regionId ?? caller.RegionId;
        if (scope is null)
        {
            return TodoLists.Empty(caller, null, today,
                "An operator acts on every region; name one (regionId) to see its to-do list (待办) as its officials see it.");
        }
        var regions = await SubtreeAsync(scope);
        if (regions.Count == 0)
        {
            return TodoLists.Empty(caller, scope, today, $"No region '{scope}' is known.");
        }
        var gathered = await FanOut.MapAsync(regions, options.Value.MeetingFanOut, async r =>
        {
            var region = GrainFactory.GetGrain<IRegionGrain>(r.Id);
            var (warnings, problems, followed) = (region.GetWarningsAsync(null), region.GetProblemsAsync(null, null, null), region.GetFollowedMeetingsAsync());
            // Each region answers for what sits in it and for its own projects' reports; the copies up the path are left out.
            return (Warnings: (await warnings).Where(w => w.RegionId == r.Id || w.Path[0] == r.Id).Select(w => Held(w, r)).ToList(), Problems: await problems, Followed: await followed);
        });
        var meetings = gathered.SelectMany(g => g.Followed).Distinct().ToList();
        var minutes = await FanOut.MapAsync(meetings, options.Value.MeetingFanOut, m => GrainFactory.GetGrain<IMeetingGrain>(m).GetAsync());
        var sources = new TodoSources(
            regions.Select(r => r.Id).ToHashSet(),
            new HashSet<string>(),
            gathered.SelectMany(g => g.Warnings).ToList(),
            gathered.SelectMany(g => g.Problems).ToList(),
            minutes.OfType<MeetingView>().SelectMany(m => m.Decisions.Select(d => new MinutedDecision(m.Id, d))).ToList());
        return TodoLists.Select(caller, scope, sources, clock.GetUtcNow(), today, options.Value.Warnings);
    }

    /// <summary>A reporter's list: the overdue reports of their own projects, from the projects' warnings.</summary>
    private async Task<TodoList> ForProjectsAsync(Caller caller, DateOnly today)
    {
        var projects = await FanOut.MapAsync(caller.ProjectIds, options.Value.MeetingFanOut, id => GrainFactory.GetGrain<IProjectGrain>(id).GetAsync());
        var sources = new TodoSources(new HashSet<string>(), caller.ProjectIds.ToHashSet(),
            projects.OfType<ProjectView>().SelectMany(p => p.Warnings).Select(w => new HeldWarning(w, null)).ToList(), [], []);
        return TodoLists.Select(caller, null, sources, clock.GetUtcNow(), today, options.Value.Warnings);
    }

    /// <summary>The region and every region under it, with their levels and whether they have a parent; empty when unknown.</summary>
    private async Task<List<(string Id, RegionDefinition Definition)>> SubtreeAsync(string rootId)
    {
        var found = new List<(string, RegionDefinition)>();
        IReadOnlyList<string> level = [rootId];
        while (level.Count > 0)
        {
            var definitions = await Task.WhenAll(level.Select(id => GrainFactory.GetGrain<IRegionGrain>(id).GetDefinitionAsync()));
            var known = level.Zip(definitions).Where(x => x.Second is not null).Select(x => (x.First, x.Second!)).ToList();
            found.AddRange(known);
            var children = await Task.WhenAll(known.Select(x => GrainFactory.GetGrain<IRegionGrain>(x.First).GetChildIdsAsync()));
            level = children.SelectMany(c => c).Distinct().Where(id => found.All(f => f.Item1 != id)).ToList();
        }
        return found;
    }

    /// <summary>
    /// A warning with the instant it passes up unless acknowledged, for one waiting in this region (as the region's own
    /// escalation clock counts it); at the top nothing passes up.
    /// </summary>
    private HeldWarning Held(WarningView w, (string Id, RegionDefinition Definition) region) =>
        new(w, w.RegionId == region.Id && w.Status == WarningStatus.Open && region.Definition.ParentId is not null && w.InboxSince is { } since
            ? calendar.Deadline(since, options.Value.Escalation.Acknowledge(region.Definition.Level))
            : null);
}
