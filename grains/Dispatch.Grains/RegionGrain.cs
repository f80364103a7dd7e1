using Dispatch.Contracts;
using Dispatch.Grains.Domain;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dispatch.Grains;

[GenerateSerializer, Alias("Dispatch.RegionState")]
public sealed class RegionState
{
    [Id(0)] public RegionDefinition? Definition { get; set; }
    [Id(1)] public List<string> Children { get; set; } = [];
    /// <summary>
    /// The project roster: the projects this region owns directly. Stored when a project joins or leaves; the
    /// summaries are refreshed from the projects at activation and kept current in memory.
    /// </summary>
    [Id(2)] public Dictionary<string, ProjectSummary> Projects { get; set; } = [];
    /// <summary>Ids of the meetings this region has held or started.</summary>
    [Id(3)] public List<string> Meetings { get; set; } = [];
    /// <summary>The region's targets per year (年度目标).</summary>
    [Id(4)] public Dictionary<int, RegionTarget> Targets { get; set; } = [];
    /// <summary>Meetings whose open decisions with a due date this region owns or decided (议定事项督办).</summary>
    [Id(5)] public List<string> FollowedMeetings { get; set; } = [];
    /// <summary>The cadences a city or the province holds and at which level (调度安排); null follows the defaults.</summary>
    [Id(6)] public List<CadenceSetting>? Cadences { get; set; }
    /// <summary>Settings this region left lately, so their schedules still ask it for the period under way.</summary>
    [Id(7)] public List<CadenceDeparture> CadenceDepartures { get; set; } = [];
}

public sealed class RegionGrain(
    [PersistentState("region", DispatchStorage.Name)] IPersistentState<RegionState> state,
    TimeProvider clock,
    WorkingCalendar calendar,
    IOptions<DispatchOptions> options,
    ILogger<RegionGrain> logger) : Grain, IRegionGrain, IRemindable
{
    private const string EscalationReminder = "escalation";

    /// <summary>The silo's <c>ReminderOptions.MinimumReminderPeriod</c> is set to this.</summary>
    public static readonly TimeSpan MinimumReminderPeriod = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_retryEscalationAfter = TimeSpan.FromSeconds(30);
    /// <summary>Escalations under way, by warning: the step (status) they left and when to try again.</summary>
    private readonly Dictionary<string, (WarningStatus Status, DateTimeOffset RetryAt)> _escalating = [];
    private IGrainTimer? _escalationTimer;
    private DateTimeOffset? _armedFor;
    private bool? _hasReminder;
    private readonly CoalescedWrites _writes = new(() => state.WriteStateAsync());

    /// <summary>
    /// The warning inbox: every warning whose path passed through this region, by id. Not stored: it is a copy of
    /// the projects' warnings (the projects own them), rebuilt at activation from the roster's projects and the
    /// children's inboxes, then kept current by the projects' notifications.
    /// </summary>
    private readonly Dictionary<string, WarningView> _inbox = [];

    /// <summary>
    /// The problems whose path passes through this region (问题清单), by id: a copy of the projects' problems, rebuilt
    /// like the inbox and kept current by the projects' notifications; listed by owner or supervisor.
    /// </summary>
    private readonly Dictionary<string, ProblemView> _problems = [];

    private string Id => this.GetPrimaryKeyString();

    private RegionLevel Level => state.State.Definition?.Level ?? RegionLevel.District;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await RebuildAsync();
        if (PendingHere().Any())
        {
            await KeepReminderAsync();
        }
        ArmEscalationTimer();
    }

    /// <summary>Refreshes the roster summaries and the inbox from the projects themselves and from the children.</summary>
    private async Task RebuildAsync()
    {
        var standings = await FanOut.MapAsync(state.State.Projects.Keys.ToList(), options.Value.MeetingFanOut,
            id => GrainFactory.GetGrain<IProjectGrain>(id).GetStandingAsync());
        foreach (var standing in standings.OfType<ProjectStanding>())
        {
            state.State.Projects[standing.Summary.ProjectId] = standing.Summary;
            Take(standing.Warnings.Where(w => w.Path.Contains(Id)));
            TakeProblems(standing.Problems ?? []);
        }
        var fromChildren = await Task.WhenAll(state.State.Children.Select(c => GrainFactory.GetGrain<IRegionGrain>(c).GetWarningsThroughAsync(Id)));
        Take(fromChildren.SelectMany(w => w));
        var problemsFromChildren = await Task.WhenAll(state.State.Children.Select(c => GrainFactory.GetGrain<IRegionGrain>(c).GetProblemsThroughAsync(Id)));
        TakeProblems(problemsFromChildren.SelectMany(p => p));
        // Decisions' warnings are the meetings' own, held only in their owner's inbox.
        var fromMeetings = await Task.WhenAll(state.State.FollowedMeetings.Select(m => GrainFactory.GetGrain<IMeetingGrain>(m).GetDecisionWarningsAsync(Id)));
        Take(fromMeetings.SelectMany(w => w));
        PruneClosed();
    }

    /// <summary>Takes warnings into the inbox; answers whether any was new or changed.</summary>
    private bool Take(IEnumerable<WarningView> warnings)
    {
        var changed = false;
        foreach (var warning in warnings)
        {
            if (_inbox.TryGetValue(warning.Id, out var known) && known == warning)
            {
                continue;
            }
            _inbox[warning.Id] = warning;
            if (!_escalating.TryGetValue(warning.Id, out var underway) || underway.Status != warning.Status || warning.RegionId != Id)
            {
                _escalating.Remove(warning.Id);
            }
            changed = true;
        }
        return changed;
    }

    public async Task ReceiveWarningsAsync(IReadOnlyList<WarningView> warnings)
    {
        if (!Take(warnings))
        {
            return;
        }
        PruneClosed();
        await KeepReminderAsync();
        ArmEscalationTimer();
    }

    /// <summary>Keeps the problems whose path passes here, drops those whose path left.</summary>
    private void TakeProblems(IEnumerable<ProblemView> problems)
    {
        foreach (var problem in problems)
        {
            if (problem.Path?.Contains(Id) == true)
            {
                _problems[problem.Id] = problem;
            }
            else
            {
                _problems.Remove(problem.Id);
            }
        }
    }

    public Task ReceiveProblemsAsync(IReadOnlyList<ProblemView> problems)
    {
        TakeProblems(problems);
        PruneClosed();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ProblemView>> GetProblemsThroughAsync(string regionId) =>
        Task.FromResult<IReadOnlyList<ProblemView>>(_problems.Values.Where(p => p.Path!.Contains(regionId)).ToList());

    public Task<IReadOnlyList<ProblemView>> GetProblemsAsync(ProblemRole? role, ProblemStatus? status, bool? flagged) => Task.FromResult<IReadOnlyList<ProblemView>>(
        _problems.Values
            .Where(p => role switch
            {
                ProblemRole.Owner => p.OwnerRegionId == Id,
                ProblemRole.Supervisor => p.SupervisorRegionId == Id,
                _ => p.OwnerRegionId == Id || p.SupervisorRegionId == Id,
            })
            .Where(p => (status is null || p.Status == status) && (flagged is null || p.Flagged == flagged))
            .OrderBy(p => p.Status == ProblemStatus.Closed).ThenBy(p => p.Deadline).ThenBy(p => p.Id, StringComparer.Ordinal)
            .ToList());

    public Task<IReadOnlyList<WarningView>> GetWarningsThroughAsync(string regionId) =>
        Task.FromResult<IReadOnlyList<WarningView>>(_inbox.Values.Where(w => w.Path.Contains(regionId)).ToList());

    public Task<IReadOnlyList<WarningView>> GetWarningsAsync(WarningStatus? status) => Task.FromResult<IReadOnlyList<WarningView>>(
        _inbox.Values
            .Where(w => status is null || w.Status == status)
            .OrderByDescending(w => w.Level).ThenBy(w => w.RaisedAt).ThenBy(w => w.Id, StringComparer.Ordinal)
            .ToList());

    public Task<int> CheckEscalationsAsync()
    {
        var now = clock.GetUtcNow();
        var due = PendingHere().Where(w => DueAt(w) <= now).ToList();
        foreach (var w in due)
        {
            _escalating[w.Id] = (w.Status, now + s_retryEscalationAfter);
            // Not awaited: the project writes back into this inbox, which must not wait on this turn. A lost call is
            // retried by the next tick, since the warning stays due here until the project moves it.
            GrainFactory.GetGrain<IProjectGrain>(w.ProjectId).EscalateWarningAsync(w.Id, Id, w.Status).ContinueWith(
                t => logger.LogWarning(t.Exception, "Escalating {Warning} from {Region} failed; the next tick retries", w.Id, Id),
                CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Current);
        }
        ArmEscalationTimer();
        return Task.FromResult(due.Count);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != EscalationReminder)
        {
            return;
        }
        await CheckEscalationsAsync();
        await KeepReminderAsync();
    }

    /// <summary>
    /// Warnings held here now and not closed out: those whose deadline this region watches (none at the top). An open
    /// one waits for an acknowledgement, an acknowledged one for its cause to go. An overdue decision stays with its
    /// owner: the deciding meeting's region follows it up on its own agenda.
    /// </summary>
    private IEnumerable<WarningView> PendingHere() => state.State.Definition?.ParentId is null
        ? []
        : _inbox.Values.Where(w => w.Status != WarningStatus.Closed && w.RegionId == Id && w.Rule != WarningRule.DecisionOverdue);

    /// <summary>
    /// When a warning waiting here passes up: its deadline on the working-day clock (computed from stored instants, so
    /// a restart recomputes the same), or a retry if an escalation is already under way.
    /// </summary>
    private DateTimeOffset DueAt(WarningView w)
    {
        var escalation = options.Value.Escalation;
        var deadline = w.Status == WarningStatus.Acknowledged && w.AcknowledgedAt is { } acknowledged
            ? calendar.Deadline(acknowledged, escalation.Resolve(Level))
            : calendar.Deadline(w.InboxSince!.Value, escalation.Acknowledge(Level));
        return _escalating.TryGetValue(w.Id, out var retry) && retry.RetryAt > deadline ? retry.RetryAt : deadline;
    }

    /// <summary>
    /// A grain timer for the next deadline, precise while the region is active. Every inbox change asks for it; the
    /// timer is replaced only when the next deadline moved.
    /// </summary>
    private void ArmEscalationTimer()
    {
        var pending = PendingHere().ToList();
        DateTimeOffset? when = pending.Count == 0 ? null : pending.Min(DueAt);
        if (when == _armedFor && (_escalationTimer is not null || when is null))
        {
            return;
        }
        _escalationTimer?.Dispose();
        _escalationTimer = null;
        _armedFor = when;
        if (when is null)
        {
            return;
        }
        var due = when.Value - clock.GetUtcNow();
        _escalationTimer = this.RegisterGrainTimer(
            _ =>
            {
                _armedFor = null;
                return CheckEscalationsAsync();
            },
            new GrainTimerCreationOptions(due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan));
    }

    /// <summary>A durable reminder while warnings wait here, so a silo restart neither loses nor forgets a deadline.</summary>
    private async Task KeepReminderAsync()
    {
        var pending = PendingHere().Any();
        if (pending == _hasReminder)
        {
            return;
        }
        var reminder = await this.GetReminder(EscalationReminder);
        if (pending && reminder is null)
        {
            // A tick every quarter of the shorter window (10 s to an hour) bounds how late an escalation can be after a restart.
            var escalation = options.Value.Escalation;
            var shortest = TimeSpan.FromTicks(Math.Min(escalation.Acknowledge(Level).Length.Ticks, escalation.Resolve(Level).Length.Ticks));
            var period = TimeSpan.FromTicks(Math.Clamp(shortest.Ticks / 4, MinimumReminderPeriod.Ticks, TimeSpan.FromHours(1).Ticks));
            await this.RegisterOrUpdateReminder(EscalationReminder, period, period);
        }
        else if (!pending && reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
        _hasReminder = pending;
    }

    private void PruneClosed()
    {
        var cutoff = clock.GetUtcNow() - options.Value.Escalation.KeepClosed;
        foreach (var id in _inbox.Values.Where(w => w.Status == WarningStatus.Closed && w.ClosedAt < cutoff).Select(w => w.Id).ToList())
        {
            _inbox.Remove(id);
        }
        foreach (var id in _problems.Values.Where(p => p.Status == ProblemStatus.Closed && p.ResolvedAt < cutoff).Select(p => p.Id).ToList())
        {
            _problems.Remove(id);
        }
    }

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
            await WriteOrUndoAsync(() => state.State.Definition = previous);
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
        var today = clock.ChinaToday();
        if (asOf is { } given && Limits.CheckAsOf(given, today) is not null)
        {
            // The HTTP API answers 400 before asking; a CLI or grain caller gets nothing for a date out of range.
            return null;
        }
        var date = asOf ?? today;
        var tally = await TallyAsync(date);
        var subset = options.Value.Bulletin.Subset;
        return new RegionView(Id, d.Name, d.Level, d.ParentId, tally.Lights, RegionRules.RatesOf(tally), tally.ProjectCount,
            [.. state.State.Children], d.DivisionCode, date, RegionRules.TiersOf(tally), RegionRules.RatesOf(tally.Of(subset)), subset,
            RegionRules.ProgressOf(state.State.Targets.GetValueOrDefault(date.Year), tally));
    }

    public async Task<ChangeResult<RegionTarget>> SetTargetAsync(RegionTarget target)
    {
        if (state.State.Definition is null)
        {
            return ChangeResult<RegionTarget>.Failed("regionId", $"No region '{Id}' is known.");
        }
        if (RegionRules.ValidateTarget(target.Year, target, clock.ChinaToday()) is { Count: > 0 } errors)
        {
            return ChangeResult<RegionTarget>.Failed(errors);
        }
        var previous = state.State.Targets.GetValueOrDefault(target.Year);
        if (previous != target)
        {
            state.State.Targets[target.Year] = target;
            await WriteOrUndoAsync(() =>
            {
                if (previous is null)
                {
                    state.State.Targets.Remove(target.Year);
                }
                else
                {
                    state.State.Targets[target.Year] = previous;
                }
            });
        }
        return ChangeResult<RegionTarget>.Ok(target);
    }

    public async Task<IReadOnlyList<RegionView>> GetChildrenAsync(DateOnly? asOf)
    {
        if (asOf is { } given && Limits.CheckAsOf(given, clock.ChinaToday()) is not null)
        {
            return [];
        }
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
            await WriteOrUndoAsync(() => state.State.Children.Remove(childId));
        }
    }

    public async Task RemoveChildAsync(string childId)
    {
        if (state.State.Children.Remove(childId))
        {
            await WriteOrUndoAsync(() => state.State.Children.Add(childId));
        }
    }

    public async Task UpdateProjectAsync(ProjectSummary summary)
    {
        var joined = !state.State.Projects.TryGetValue(summary.ProjectId, out var known);
        if (!joined && SameSummary(known!, summary))
        {
            return;
        }
        state.State.Projects[summary.ProjectId] = summary;
        if (joined)
        {
            await WriteOrUndoAsync(() => state.State.Projects.Remove(summary.ProjectId));
        }
    }

    public async Task RemoveProjectAsync(string projectId)
    {
        if (state.State.Projects.Remove(projectId, out var removed))
        {
            await WriteOrUndoAsync(() => state.State.Projects[projectId] = removed);
        }
    }

    public Task<IReadOnlyList<string>> GetProjectIdsAsync() => Task.FromResult<IReadOnlyList<string>>(state.State.Projects.Keys.ToList());

    public async Task<ChangeResult<MeetingView>> RunMeetingAsync(Cadence cadence, DateOnly asOf, string? period = null)
    {
        if (state.State.Definition is null)
        {
            return ChangeResult<MeetingView>.Failed("regionId", $"No region '{Id}' is known.");
        }
        if (!Enum.IsDefined(cadence))
        {
            return ChangeResult<MeetingView>.Failed("cadence", "cadence must be weekly, halfMonthly, monthly, bimonthly, quarterly or yearly.");
        }
        if (Limits.CheckAsOf(asOf, clock.ChinaToday()) is { } badAsOf)
        {
            return ChangeResult<MeetingView>.Failed([badAsOf]);
        }
        var thresholds = options.Value.Warnings;
        Period judged;
        if (period is null)
        {
            judged = MeetingPeriods.Judged(cadence, asOf, thresholds);
        }
        else
        {
            try
            {
                judged = Period.Parse(cadence, period);
            }
            catch (FormatException e)
            {
                return ChangeResult<MeetingView>.Failed("period", e.Message);
            }
            if (judged.Start < Limits.EarliestDate)
            {
                return ChangeResult<MeetingView>.Failed("period", $"period must begin on or after {Limits.EarliestDate:yyyy-MM-dd}, not {judged.Start:yyyy-MM-dd}.");
            }
            if (MeetingPeriods.WhyNotOn(judged, asOf, thresholds) is { } notYet)
            {
                return ChangeResult<MeetingView>.Failed("period", notYet);
            }
        }
        var meeting = GrainFactory.GetGrain<IMeetingGrain>(MeetingView.KeyOf(Id, cadence, judged.Key));
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
            await WriteOrUndoAsync(() => state.State.Meetings.Remove(meetingId));
        }
    }

    public async Task FollowDecisionsAsync(string meetingId, bool follow)
    {
        if (follow && !state.State.FollowedMeetings.Contains(meetingId))
        {
            state.State.FollowedMeetings.Add(meetingId);
            await WriteOrUndoAsync(() => state.State.FollowedMeetings.Remove(meetingId));
        }
        else if (!follow && state.State.FollowedMeetings.Remove(meetingId))
        {
            await WriteOrUndoAsync(() => state.State.FollowedMeetings.Add(meetingId));
        }
    }

    public async Task<IReadOnlyList<DecisionFollowUp>> GetFollowUpsAsync(DateOnly asOf)
    {
        var lists = await FanOut.MapAsync(state.State.FollowedMeetings.ToList(), options.Value.MeetingFanOut,
            m => GrainFactory.GetGrain<IMeetingGrain>(m).FollowUpAsync(Id, asOf));
        return DecisionFollowUps.MostOverdueFirst(lists.SelectMany(l => l));
    }

    public Task<IReadOnlyList<string>> GetFollowedMeetingsAsync() =>
        Task.FromResult<IReadOnlyList<string>>(state.State.FollowedMeetings.ToList());

    public Task<RegionCadences?> GetCadencesAsync() => Task.FromResult(state.State.Definition is { } d
        ? new RegionCadences(Id, state.State.Cadences?.ToList() ?? CadencePlans.Defaults(Id, d.Level), state.State.Cadences is not null,
            state.State.CadenceDepartures.ToList())
        : null);

    public async Task<ChangeResult<RegionCadences>> SetCadencesAsync(IReadOnlyList<CadenceSetting>? settings)
    {
        if (state.State.Definition is not { } d)
        {
            return ChangeResult<RegionCadences>.Failed("regionId", $"No region '{Id}' is known.");
        }
        if (settings is not null && CadencePlans.Validate(d.Level, settings) is { Count: > 0 } errors)
        {
            return ChangeResult<RegionCadences>.Failed(errors);
        }
        var previous = state.State.Cadences;
        var previousDepartures = state.State.CadenceDepartures;
        state.State.Cadences = settings?.Select(CadencePlans.Normalize).OrderBy(s => s.Cadence).ToList();
        state.State.CadenceDepartures = CadencePlans.Departures(previousDepartures, previous ?? CadencePlans.Defaults(Id, d.Level),
            state.State.Cadences ?? CadencePlans.Defaults(Id, d.Level), clock.GetUtcNow());
        await WriteOrUndoAsync(() =>
        {
            state.State.Cadences = previous;
            state.State.CadenceDepartures = previousDepartures;
        });
        return ChangeResult<RegionCadences>.Ok((await GetCadencesAsync())!);
    }

    /// <summary>
    /// Stores the state; if the write fails, this call's change is taken back so that no later write stores it, and the
    /// activation goes away when idle so the next one starts from what storage holds.
    /// </summary>
    private async Task WriteOrUndoAsync(Action undo)
    {
        try
        {
            await _writes.WriteAsync();
        }
        catch (Exception)
        {
            undo();
            DeactivateOnIdle();
            throw;
        }
    }

    private static bool SameSummary(ProjectSummary a, ProjectSummary b) =>
        Bare(a) == Bare(b) && a.InvestmentByYear.SequenceEqual(b.InvestmentByYear) && Same(a.Plans, b.Plans)
        && Same(a.LightChanges, b.LightChanges) && Same(a.Figures, b.Figures);

    private static ProjectSummary Bare(ProjectSummary s) => s with { InvestmentByYear = [], Plans = null, LightChanges = null, Figures = null };

    private static bool Same<T>(IReadOnlyList<T>? a, IReadOnlyList<T>? b) => a is null || b is null ? a is null && b is null : a.SequenceEqual(b);
}
