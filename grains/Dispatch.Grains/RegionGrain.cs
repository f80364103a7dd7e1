using Dispatch.Contracts;
using Dispatch.Grains.Domain;

namespace Dispatch.Grains;

[GenerateSerializer, Alias("Dispatch.RegionState")]
public sealed class RegionState
{
    [Id(0)] public RegionDefinition? Definition { get; set; }
    [Id(1)] public List<string> Children { get; set; } = [];
    /// <summary>The project roster: what this region knows of each project it owns directly.</summary>
    [Id(2)] public Dictionary<string, ProjectSummary> Projects { get; set; } = [];
    /// <summary>Ids of the meetings this region has held or started.</summary>
    [Id(3)] public List<string> Meetings { get; set; } = [];
}

public sealed class RegionGrain(
    [PersistentState("region", DispatchStorage.Name)] IPersistentState<RegionState> state,
    TimeProvider clock) : Grain, IRegionGrain
{
    private string Id => this.GetPrimaryKeyString();

    public async Task<ChangeResult<RegionView>> DefineAsync(RegionDefinition definition)
    {
        var parent = string.IsNullOrWhiteSpace(definition.ParentId) || definition.ParentId == Id ? null
            : await GrainFactory.GetGrain<IRegionGrain>(definition.ParentId).GetDefinitionAsync();
        var errors = RegionRules.Validate(Id, definition, parent);
        if (errors.Count > 0)
        {
            return ChangeResult<RegionView>.Failed(errors);
        }
        if (state.State.Definition is { } old && old.Level != definition.Level && (state.State.Children.Count > 0 || state.State.Projects.Count > 0))
        {
            return ChangeResult<RegionView>.Failed("level", $"'{Id}' has children or projects; its level cannot change from {old.Level.ToString().ToLowerInvariant()}.");
        }
        var previous = state.State.Definition;
        var previousParent = previous?.ParentId;
        definition = definition with { ParentId = string.IsNullOrWhiteSpace(definition.ParentId) ? null : definition.ParentId };
        if (state.State.Definition != definition)
        {
            state.State.Definition = definition;
            await state.WriteStateAsync();
        }
        if (previousParent is not null && previousParent != definition.ParentId)
        {
            await GrainFactory.GetGrain<IRegionGrain>(previousParent).RemoveChildAsync(Id);
        }
        if (definition.ParentId is not null)
        {
            await GrainFactory.GetGrain<IRegionGrain>(definition.ParentId).AddChildAsync(Id);
        }
        if (previous is not null && previous.Level != definition.Level)
        {
            await GrainFactory.GetGrain<IRegionIndexGrain>(RegionIndexGrain.KeyOf(previous.Level)).RemoveAsync(Id);
        }
        await GrainFactory.GetGrain<IRegionIndexGrain>(RegionIndexGrain.KeyOf(definition.Level)).AddAsync(Id);
        return ChangeResult<RegionView>.Ok((await GetAsync(null))!);
    }

    public Task<RegionDefinition?> GetDefinitionAsync() => Task.FromResult(state.State.Definition);

    public async Task<RegionView?> GetAsync(DateOnly? asOf)
    {
        if (state.State.Definition is not { } d)
        {
            return null;
        }
        var date = asOf ?? clock.ChinaToday();
        var tally = await TallyAsync(date);
        return new RegionView(Id, d.Name, d.Level, d.ParentId, tally.Lights, RegionRules.RatesOf(tally), tally.ProjectCount,
            state.State.Children, d.DivisionCode, date);
    }

    public async Task<IReadOnlyList<RegionView>> GetChildrenAsync(DateOnly? asOf)
    {
        var views = await Task.WhenAll(state.State.Children.Select(c => GrainFactory.GetGrain<IRegionGrain>(c).GetAsync(asOf)));
        return views.OfType<RegionView>().ToList();
    }

    public Task<IReadOnlyList<string>> GetChildIdsAsync() => Task.FromResult<IReadOnlyList<string>>(state.State.Children.ToList());

    public async Task<RegionTally> TallyAsync(DateOnly asOf)
    {
        var own = RegionRules.Tally(state.State.Projects.Values, asOf);
        var children = await Task.WhenAll(state.State.Children.Select(c => GrainFactory.GetGrain<IRegionGrain>(c).TallyAsync(asOf)));
        return children.Aggregate(own, (sum, child) => sum.Add(child));
    }

    public async Task AddChildAsync(string childId)
    {
        if (!state.State.Children.Contains(childId))
        {
            state.State.Children.Add(childId);
            await state.WriteStateAsync();
        }
    }

    public async Task RemoveChildAsync(string childId)
    {
        if (state.State.Children.Remove(childId))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task UpdateProjectAsync(ProjectSummary summary)
    {
        if (state.State.Projects.TryGetValue(summary.ProjectId, out var known) && SameSummary(known, summary))
        {
            return;
        }
        state.State.Projects[summary.ProjectId] = summary;
        await state.WriteStateAsync();
    }

    public async Task RemoveProjectAsync(string projectId)
    {
        if (state.State.Projects.Remove(projectId))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> GetProjectIdsAsync() => Task.FromResult<IReadOnlyList<string>>(state.State.Projects.Keys.ToList());

    public async Task<ChangeResult<MeetingView>> RunMeetingAsync(Cadence cadence, DateOnly asOf)
    {
        if (state.State.Definition is null)
        {
            return ChangeResult<MeetingView>.Failed("regionId", $"No region '{Id}' is known.");
        }
        if (!Enum.IsDefined(cadence))
        {
            return ChangeResult<MeetingView>.Failed("cadence", "cadence must be weekly, halfMonthly, monthly, bimonthly, quarterly or yearly.");
        }
        var period = Period.Of(cadence, asOf);
        var meeting = GrainFactory.GetGrain<IMeetingGrain>(MeetingView.KeyOf(Id, cadence, period.Key));
        return ChangeResult<MeetingView>.Ok(await meeting.HoldAsync(asOf));
    }

    public async Task<IReadOnlyList<MeetingView>> GetMeetingsAsync(Cadence? cadence, string? period)
    {
        var keys = state.State.Meetings
            .Where(k => cadence is null || k.Split('/')[1] == cadence.Value.ToString().ToLowerInvariant())
            .Where(k => period is null || k.Split('/')[2] == period)
            .ToList();
        var meetings = await Task.WhenAll(keys.Select(k => GrainFactory.GetGrain<IMeetingGrain>(k).GetAsync()));
        return meetings.OfType<MeetingView>().OrderByDescending(m => m.AsOf).ThenBy(m => m.Cadence).ToList();
    }

    public async Task RecordMeetingAsync(string meetingId)
    {
        if (!state.State.Meetings.Contains(meetingId))
        {
            state.State.Meetings.Add(meetingId);
            await state.WriteStateAsync();
        }
    }

    private static bool SameSummary(ProjectSummary a, ProjectSummary b) =>
        a with { InvestmentByYear = [] } == b with { InvestmentByYear = [] } && a.InvestmentByYear.SequenceEqual(b.InvestmentByYear);
}
