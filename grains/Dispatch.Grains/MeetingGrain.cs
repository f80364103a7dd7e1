using Dispatch.Contracts;
using Dispatch.Grains.Domain;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;

namespace Dispatch.Grains;

[GenerateSerializer, Alias("Dispatch.MeetingState")]
public sealed class MeetingState
{
    [Id(0)] public MeetingView? Meeting { get; set; }
}

public sealed class MeetingGrain(
    [PersistentState("meeting", DispatchStorage.Name)] IPersistentState<MeetingState> state,
    TimeProvider clock,
    IOptions<DispatchOptions> options,
    ILogger<MeetingGrain> logger) : Grain, IMeetingGrain, IRemindable
{
    private const string DecisionsReminder = "decisions";
    private static readonly TimeSpan s_decisionsCheckEvery = TimeSpan.FromHours(1);
    private DateOnly? _reminderFor;

    public Task<MeetingView?> GetAsync() => Task.FromResult(state.State.Meeting);

    /// <summary>
    /// Minutes stored before decisions had owner regions get their owners (<see cref="DecisionFollowUps.InferOwners"/>)
    /// and are followed up from then on. The regions hear of it after activation, on a turn of its own: a region that
    /// follows these minutes asks them for their warnings while it activates, and must not wait on this activation.
    /// </summary>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Meeting is not { } meeting || meeting.Decisions.All(d => d.OwnerRegionId is not null))
        {
            return;
        }
        var projectRegions = new Dictionary<string, string>();
        foreach (var projectId in meeting.Decisions.Where(d => d.OwnerRegionId is null).Select(d => d.ProjectId).OfType<string>().Distinct())
        {
            if (await GrainFactory.GetGrain<IProjectGrain>(projectId).GetAccessFactsAsync() is { } facts
                && await RegionTree.IsWithinAsync(GrainFactory, facts.RegionId, meeting.RegionId))
            {
                projectRegions[projectId] = facts.RegionId;
            }
        }
        await WriteOrUndoAsync(meeting with { Decisions = DecisionFollowUps.InferOwners(meeting.RegionId, meeting.Decisions, projectRegions) }, meeting);
        logger.LogInformation("Meeting {Meeting}: owners inferred for decisions stored without them", meeting.Id);
        this.RegisterGrainTimer(async _ =>
        {
            await FollowAsync(DecisionFollowUps.RegionsFollowing(meeting.RegionId, state.State.Meeting!.Decisions), true);
            await RaiseOverdueAsync();
            await KeepReminderAsync();
        }, new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
    }

    public async Task<MeetingView> HoldAsync(DateOnly asOf)
    {
        if (state.State.Meeting is { Status: MeetingStatus.Held } held)
        {
            return held;
        }
        var (regionId, cadence, period) = ParseKey();
        if (MeetingPeriods.WhyNotOn(period, asOf, options.Value.Warnings) is { } notYet)
        {
            throw new ArgumentOutOfRangeException(nameof(asOf), notYet);
        }
        // A meeting interrupted by a crash kept its as-of date: resuming it reviews the same day.
        var meeting = state.State.Meeting ?? new MeetingView(this.GetPrimaryKeyString(), regionId, cadence, period.Key,
            MeetingStatus.Running, asOf, null, null, []);
        if (state.State.Meeting is null && !await TryWriteAsync(meeting))
        {
            return state.State.Meeting is { Status: MeetingStatus.Held } other ? other : await HoldAsync(asOf);
        }
        await GrainFactory.GetGrain<IRegionGrain>(regionId).RecordMeetingAsync(meeting.Id);
        var agenda = await BuildAgendaAsync(regionId, period, meeting.AsOf);
        var done = meeting with { Status = MeetingStatus.Held, HeldAt = clock.GetUtcNow(), Agenda = agenda };
        if (!await TryWriteAsync(done))
        {
            return state.State.Meeting ?? done;
        }
        DispatchMetrics.MeetingHeld(cadence);
        try
        {
            await GrainFactory.GetGrain<IRegionEventsGrain>(regionId).PublishAsync(new RegionEvent(RegionEventType.MeetingHeld, regionId,
                done.HeldAt!.Value, null, done.Id, $"{done.Id}: {agenda.Projects.Count} projects on the agenda, {agenda.ProjectsReviewed} reviewed"));
        }
        catch (Exception e)
        {
            // The meeting is held and stored; a live alert is best effort.
            logger.LogWarning(e, "Live alert for meeting {Meeting} not delivered", done.Id);
        }
        logger.LogInformation("Meeting {Meeting} held as of {AsOf}: {Reviewed} projects reviewed, {OnAgenda} on the agenda",
            done.Id, done.AsOf, agenda.ProjectsReviewed, agenda.Projects.Count);
        return done;
    }

    public async Task<ChangeResult<MeetingView>> DecideAsync(DecisionRequest decision)
    {
        if (state.State.Meeting is not { Status: MeetingStatus.Held } meeting)
        {
            return ChangeResult<MeetingView>.Failed("meeting", $"Meeting '{this.GetPrimaryKeyString()}' has not been held; hold it first.");
        }
        if (InputRules.ValidateDecision(decision, meeting.Decisions.Count) is { Count: > 0 } errors)
        {
            return ChangeResult<MeetingView>.Failed(errors);
        }
        if (decision.ProjectId is { } projectId
            && (await GrainFactory.GetGrain<IProjectGrain>(projectId).GetAccessFactsAsync() is not { } project
                || !await RegionTree.IsWithinAsync(GrainFactory, project.RegionId, meeting.RegionId)))
        {
            return ChangeResult<MeetingView>.Failed("projectId", $"A meeting of {meeting.RegionId} decides on projects in {meeting.RegionId} or under it; '{projectId}' is not one of them.");
        }
        var ownerRegionId = decision.OwnerRegionId ?? meeting.RegionId;
        if (ownerRegionId != meeting.RegionId
            && (await GrainFactory.GetGrain<IRegionGrain>(ownerRegionId).GetDefinitionAsync() is null
                || !await RegionTree.IsWithinAsync(GrainFactory, ownerRegionId, meeting.RegionId)))
        {
            return ChangeResult<MeetingView>.Failed("ownerRegionId", $"A meeting of {meeting.RegionId} assigns decisions to {meeting.RegionId} or a region under it; '{ownerRegionId}' is not one of them.");
        }
        string? problemId = null;
        if (decision.ProblemTitle is not null)
        {
            if (decision.ProjectId is null || decision.Deadline is null || decision.OwnerLevel is null)
            {
                var field = decision.ProjectId is null ? "projectId" : decision.Deadline is null ? "deadline" : "ownerLevel";
                return ChangeResult<MeetingView>.Failed(field, "A decision that assigns a problem needs projectId, ownerLevel and deadline.");
            }
            var problem = await GrainFactory.GetGrain<IProjectGrain>(decision.ProjectId).AddProblemAsync(new ProblemRequest(
                decision.ProblemTitle, decision.Category ?? "其他", decision.OwnerLevel.Value, decision.Deadline.Value, decision.Owner, decision.By, meeting.Id));
            if (!problem.Succeeded)
            {
                return ChangeResult<MeetingView>.Failed(problem.Errors);
            }
            problemId = problem.Value!.Id;
        }
        var entry = new Decision(meeting.Decisions.Count + 1, decision.Text, decision.By, clock.GetUtcNow(), decision.ProjectId, problemId,
            decision.Owner, decision.Deadline, ownerRegionId);
        if (DecisionFollowUps.IsFollowed(entry))
        {
            // Followed before stored: a region following minutes without such a decision only asks in vain.
            await FollowAsync(DecisionFollowUps.RegionsFollowing(meeting.RegionId, [entry]), true);
        }
        await WriteOrUndoAsync(meeting with { Decisions = [.. meeting.Decisions, entry] }, meeting);
        // A decision recorded after its due date is overdue at once, not at the next tick.
        await RaiseOverdueAsync();
        await KeepReminderAsync();
        return ChangeResult<MeetingView>.Ok(state.State.Meeting!);
    }

    public async Task<ChangeResult<MeetingView>> MarkDecisionDoneAsync(int number, string by, string? note)
    {
        if (state.State.Meeting is not { } meeting || meeting.Decisions.FirstOrDefault(d => d.Number == number) is not { } decision)
        {
            return ChangeResult<MeetingView>.Failed("number", $"Meeting '{this.GetPrimaryKeyString()}' has no decision {number}.");
        }
        if (InputRules.ValidateSignOff(by, note) is { Count: > 0 } errors)
        {
            return ChangeResult<MeetingView>.Failed(errors);
        }
        if (decision.Status == DecisionStatus.Done)
        {
            return ChangeResult<MeetingView>.Ok(meeting);
        }
        var done = DecisionFollowUps.MarkDone(decision, by, note, clock.GetUtcNow());
        var updated = meeting with { Decisions = meeting.Decisions.Select(d => d.Number == number ? done : d).ToList() };
        await WriteOrUndoAsync(updated, meeting);
        if (done.Warning is { } closed && closed != decision.Warning)
        {
            await GrainFactory.GetGrain<IRegionGrain>(closed.RegionId).ReceiveWarningsAsync([closed]);
        }
        // Regions left with nothing to follow here stop asking; a failure here only leaves a region asking in vain.
        var before = DecisionFollowUps.RegionsFollowing(meeting.RegionId, meeting.Decisions);
        await FollowAsync(before.Except(DecisionFollowUps.RegionsFollowing(meeting.RegionId, updated.Decisions)), false);
        await KeepReminderAsync();
        return ChangeResult<MeetingView>.Ok(updated);
    }

    public async Task<IReadOnlyList<DecisionFollowUp>> FollowUpAsync(string regionId, DateOnly asOf)
    {
        if (state.State.Meeting is not { } meeting)
        {
            return [];
        }
        await RaiseOverdueAsync();
        return DecisionFollowUps.FollowUpsFor(meeting.Id, meeting.RegionId, state.State.Meeting.Decisions, regionId, asOf);
    }

    public Task<IReadOnlyList<WarningView>> GetDecisionWarningsAsync(string regionId) => Task.FromResult<IReadOnlyList<WarningView>>(
        state.State.Meeting?.Decisions.Select(d => d.Warning).OfType<WarningView>().Where(w => w.RegionId == regionId).ToList() ?? []);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != DecisionsReminder)
        {
            return;
        }
        await RaiseOverdueAsync();
        await KeepReminderAsync();
    }

    /// <summary>
    /// Raises the warnings of decisions overdue today and (again) hands every open one to its owner's inbox, so an inbox
    /// that missed one catches up at the next tick or meeting; the inbox ignores what it already holds.
    /// </summary>
    private async Task RaiseOverdueAsync()
    {
        if (state.State.Meeting is not { } meeting)
        {
            return;
        }
        var (decisions, raised) = DecisionFollowUps.RaiseOverdue(meeting.Id, meeting.Decisions, clock.ChinaToday(), clock.GetUtcNow());
        if (raised.Count > 0)
        {
            await WriteOrUndoAsync(meeting with { Decisions = decisions }, meeting);
            logger.LogInformation("Meeting {Meeting}: {Count} decisions overdue", meeting.Id, raised.Count);
        }
        var open = decisions.Select(d => d.Warning).OfType<WarningView>().Where(w => w.Status == WarningStatus.Open);
        await Task.WhenAll(open.GroupBy(w => w.RegionId).Select(g => GrainFactory.GetGrain<IRegionGrain>(g.Key).ReceiveWarningsAsync(g.ToList())));
    }

    private Task FollowAsync(IEnumerable<string> regionIds, bool follow) =>
        Task.WhenAll(regionIds.Select(r => GrainFactory.GetGrain<IRegionGrain>(r).FollowDecisionsAsync(this.GetPrimaryKeyString(), follow)));

    /// <summary>
    /// A durable reminder while a followed decision has not yet fallen overdue, due when the first one does (China
    /// midnight) and then hourly, so a restart delays a warning by at most an hour; the deadlines are stored, not the ticks.
    /// </summary>
    private async Task KeepReminderAsync()
    {
        var next = DecisionFollowUps.NextOverdueDay(state.State.Meeting?.Decisions ?? []);
        if (next == _reminderFor)
        {
            return;
        }
        if (next is { } day)
        {
            var due = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8)) - clock.GetUtcNow();
            await this.RegisterOrUpdateReminder(DecisionsReminder, due > TimeSpan.FromMinutes(1) ? due : TimeSpan.FromMinutes(1), s_decisionsCheckEvery);
        }
        else if (await this.GetReminder(DecisionsReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
        _reminderFor = next;
    }

    /// <summary>Stores the minutes; a failed write keeps nothing of the change, and the activation goes when idle.</summary>
    private async Task WriteOrUndoAsync(MeetingView updated, MeetingView before)
    {
        state.State.Meeting = updated;
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception)
        {
            // Not stored, so not kept: the next change must not store this one with it.
            state.State.Meeting = before;
            DeactivateOnIdle();
            throw;
        }
    }

    private async Task<MeetingAgenda> BuildAgendaAsync(string regionId, Period period, DateOnly asOf)
    {
        var region = GrainFactory.GetGrain<IRegionGrain>(regionId);
        var reviews = await ReviewProjectsAsync(await region.GetProjectIdsAsync(), asOf);
        // Before the inbox is read: following up raises what fell overdue since the last reminder tick.
        var followUps = await FollowUpsAsync(region, regionId, asOf);
        // The children ranked as the ranking route ranks them, with the change against the end of the period before
        // the one judged.
        var children = region.GetChildrenAsync(asOf);
        var previousChildren = region.GetChildrenAsync(period.Previous().End);
        // The region's own projects count as their reviews saw them (a late meeting's review leaves out what arrived
        // after its date); the children's counts are their tallies as of the date.
        var childTallies = await Task.WhenAll((await region.GetChildIdsAsync()).Select(c => GrainFactory.GetGrain<IRegionGrain>(c).TallyAsync(asOf)));
        var tally = reviews.Select(r => r.Tally).Concat(childTallies).Aggregate(RegionTally.Empty, (sum, t) => sum.Add(t));
        // Above the districts, what reached this region's inbox is on the agenda too (挂牌督办 and escalations), as far
        // as it had been raised by the meeting's as-of date.
        var reviewed = reviews.SelectMany(r => r.Warnings).ToList();
        var reachedHere = (await region.GetWarningsAsync(null))
            .Where(w => w.RegionId == regionId && w.Status != WarningStatus.Closed && w.RaisedAsOf <= asOf && reviewed.All(r => r.Id != w.Id))
            .ToList();
        // 挂牌督办: what this region flagged below it stays on its agenda until closed out.
        var problems = reviews.SelectMany(r => r.Problems).ToList();
        var flagged = (await region.GetProblemsAsync(ProblemRole.Supervisor, null, true))
            .Where(p => p.Status != ProblemStatus.Closed && problems.All(known => known.Id != p.Id));
        var onAgenda = reviews
            .Where(r => r.Light != Light.Green)
            .Select(r => new AgendaProject(r.ProjectId, r.Name, r.RegionId, r.Light, r.Warnings.Select(w => w.Reason).ToList()))
            .Concat(reachedHere.Where(w => w.Rule != WarningRule.DecisionOverdue).GroupBy(w => w.ProjectId).Select(g => new AgendaProject(g.Key, g.First().ProjectName, g.First().Path[0],
                g.Max(w => w.Level), g.Select(w => w.Reason).ToList())))
            .OrderByDescending(p => p.Light).ThenBy(p => p.ProjectId, StringComparer.Ordinal)
            .ToList();
        return new MeetingAgenda(
            onAgenda,
            [.. reviewed, .. reachedHere],
            problems.Concat(flagged).OrderBy(p => p.Deadline).ToList(),
            RegionRules.RatesOf(tally),
            tally.Lights,
            Ranking.Rank(await children, await previousChildren, options.Value.Ranking),
            reviews.Count,
            period.Key,
            followUps);
    }

    /// <summary>The decisions to follow up (议定事项督办) of every meeting the region follows, most overdue first.</summary>
    private async Task<IReadOnlyList<DecisionFollowUp>> FollowUpsAsync(IRegionGrain region, string regionId, DateOnly asOf)
    {
        var meetings = (await region.GetFollowedMeetingsAsync()).Where(m => m != this.GetPrimaryKeyString()).ToList();
        var lists = await FanOut.MapAsync(meetings, options.Value.MeetingFanOut, m => GrainFactory.GetGrain<IMeetingGrain>(m).FollowUpAsync(regionId, asOf));
        return DecisionFollowUps.MostOverdueFirst(lists.SelectMany(l => l));
    }

    /// <summary>Reviews the roster with bounded concurrency: a district of 1,000 projects is not 1,000 parallel calls.</summary>
    private async Task<List<ProjectReview>> ReviewProjectsAsync(IReadOnlyList<string> projectIds, DateOnly asOf) =>
        (await FanOut.MapAsync(projectIds, options.Value.MeetingFanOut, id => GrainFactory.GetGrain<IProjectGrain>(id).ReviewAsync(asOf)))
            .OfType<ProjectReview>().ToList();

    /// <summary>Writes the meeting; false when another activation wrote first (the state is then re-read).</summary>
    private async Task<bool> TryWriteAsync(MeetingView meeting)
    {
        var before = state.State.Meeting;
        state.State.Meeting = meeting;
        try
        {
            await state.WriteStateAsync();
            return true;
        }
        catch (InconsistentStateException)
        {
            state.State.Meeting = before;
            await state.ReadStateAsync();
            return false;
        }
        catch (Exception)
        {
            // A write that failed otherwise leaves the meeting as it was stored; the caller sees the error.
            state.State.Meeting = before;
            DeactivateOnIdle();
            throw;
        }
    }

    private (string RegionId, Cadence Cadence, Period Period) ParseKey()
    {
        var parts = this.GetPrimaryKeyString().Split('/');
        if (parts.Length != 3 || !Enum.TryParse<Cadence>(parts[1], ignoreCase: true, out var cadence))
        {
            throw new InvalidOperationException($"'{this.GetPrimaryKeyString()}' is not a meeting key region/cadence/period.");
        }
        return (parts[0], cadence, Period.Parse(cadence, parts[2]));
    }
}
