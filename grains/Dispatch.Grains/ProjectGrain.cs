using Dispatch.Contracts;
using Dispatch.Grains.Domain;
using Microsoft.Extensions.Options;

namespace Dispatch.Grains;

[GenerateSerializer, Alias("Dispatch.ProjectState")]
public sealed class ProjectState
{
    [Id(0)] public ProjectProfile? Profile { get; set; }
    [Id(1)] public List<ProgressReport> Reports { get; set; } = [];
    /// <summary>Actual dates of milestones reached, as reports stated them.</summary>
    [Id(2)] public Dictionary<string, DateOnly> Reached { get; set; } = [];
    [Id(3)] public Light Light { get; set; }
    [Id(4)] public DateOnly? ReviewedAsOf { get; set; }
    [Id(5)] public List<WarningView> Warnings { get; set; } = [];
    [Id(6)] public int WarningSequence { get; set; }
    /// <summary>Worst light per month (yyyy-MM): a project that caught up is green now, its red months still count.</summary>
    [Id(7)] public Dictionary<string, Light> LightHistory { get; set; } = [];
    [Id(8)] public List<ProblemView> Problems { get; set; } = [];
    [Id(9)] public int ProblemSequence { get; set; }
    /// <summary>
    /// Causes (rule|subject) an official closed out, as stored before <see cref="ClosedOutAt"/> kept their level; each
    /// moves there, at the level of its last warning, on the next review.
    /// </summary>
    [Id(10)] public HashSet<string> ClosedOut { get; set; } = [];
    /// <summary>
    /// Causes (rule|subject) an official closed out (销号) while they persist, with the level they were closed at: not
    /// raised again while they stay at that level or below, raised again when they worsen, forgotten when they go away.
    /// </summary>
    [Id(11)] public Dictionary<string, Light> ClosedOutAt { get; set; } = [];

    /// <summary>A copy to review an earlier date on without touching the current state.</summary>
    public ProjectState Snapshot() => new()
    {
        Profile = Profile, Reports = [.. Reports], Reached = new(Reached), Light = Light, ReviewedAsOf = ReviewedAsOf,
        Warnings = [.. Warnings], WarningSequence = WarningSequence, LightHistory = new(LightHistory), Problems = [.. Problems],
        ProblemSequence = ProblemSequence, ClosedOut = [.. ClosedOut], ClosedOutAt = new(ClosedOutAt),
    };
}

public sealed class ProjectGrain(
    [PersistentState("project", DispatchStorage.Name)] IPersistentState<ProjectState> state,
    TimeProvider clock,
    IOptions<DispatchOptions> options) : Grain, IProjectGrain
{
    /// <summary>
    /// False until this activation has told its regions what it stored. A silo that dies between a project's write and
    /// its calls to its regions leaves them behind; the next activation's first review catches them up.
    /// </summary>
    private bool _regionsInSync;

    private string Id => this.GetPrimaryKeyString();

    private MilestoneCatalog? _catalog;

    /// <summary>Milestone names and their variants, from <c>Dispatch:Milestones:Aliases</c>.</summary>
    private MilestoneCatalog Catalog => _catalog ??= options.Value.Milestones.Catalog();

    /// <summary>
    /// Runs a change that validates before it mutates. If it still fails part-way (a write, a call to a region), the
    /// half-made change must not stay in memory for the next accepted write to store: the activation takes back what
    /// storage holds (the whole change if it was written, none of it if not), or goes away when storage cannot answer.
    /// </summary>
    private async Task<T> KeepStoredOnFailureAsync<T>(Func<Task<T>> change)
    {
        try
        {
            return await change();
        }
        catch (Exception)
        {
            _regionsInSync = false;
            try
            {
                await state.ReadStateAsync();
            }
            catch (Exception)
            {
                DeactivateOnIdle();
            }
            throw;
        }
    }

    public Task<ChangeResult<ProjectView>> UpsertAsync(ProjectProfile profile) => KeepStoredOnFailureAsync(() => UpsertCoreAsync(profile));

    private async Task<ChangeResult<ProjectView>> UpsertCoreAsync(ProjectProfile profile)
    {
        profile = profile with { Milestones = profile.Milestones ?? [] };
        var region = string.IsNullOrWhiteSpace(profile.RegionId) ? null
            : await GrainFactory.GetGrain<IRegionGrain>(profile.RegionId).GetDefinitionAsync();
        var errors = ProjectRules.Validate(profile, region?.Level, clock.ChinaToday(), Catalog);
        if (errors.Count > 0)
        {
            return ChangeResult<ProjectView>.Failed(errors);
        }
        var previousRegion = state.State.Profile?.RegionId;
        var before = state.State.Warnings.ToList();
        state.State.Profile = profile;
        Review(state.State.ReviewedAsOf ?? clock.ChinaToday());
        await RouteCityCoordinatedAsync();
        await state.WriteStateAsync();
        if (previousRegion is not null && previousRegion != profile.RegionId)
        {
            await GrainFactory.GetGrain<IRegionGrain>(previousRegion).RemoveProjectAsync(Id);
        }
        await TellRegionAsync();
        await NotifyAsync(before);
        return ChangeResult<ProjectView>.Ok(View());
    }

    public Task<ProjectView?> GetAsync() => Task.FromResult(state.State.Profile is null ? null : View());

    public Task<ProjectStanding?> GetStandingAsync() => Task.FromResult(state.State.Profile is null ? null
        : new ProjectStanding(Summary(), state.State.Warnings.ToList()));

    public Task<ProjectAccessFacts?> GetAccessFactsAsync() => Task.FromResult(state.State.Profile is not { } profile ? null
        : new ProjectAccessFacts(profile.RegionId,
            state.State.Warnings.Where(w => w.Status != WarningStatus.Closed).Select(w => new WarningPlace(w.Id, w.RegionId, [.. w.Path])).ToList(),
            state.State.Problems.Select(p => new ProblemPlace(p.Id, p.OwnerRegionId, p.Flagged)).ToList()));

    public Task<ChangeResult<ProjectView>> ReportAsync(ProgressReport report) => KeepStoredOnFailureAsync(() => ReportCoreAsync(report));

    private async Task<ChangeResult<ProjectView>> ReportCoreAsync(ProgressReport report)
    {
        if (state.State.Profile is not { } profile)
        {
            return ChangeResult<ProjectView>.Failed("projectId", $"No project '{Id}' is known; define it first (PUT /api/projects/{Id}).");
        }
        var today = clock.ChinaToday();
        report = report with { MilestonesReached = report.MilestonesReached ?? [], ReceivedAt = clock.GetUtcNow() };
        var errors = ProjectRules.ValidateReport(report, profile, today, Catalog);
        if (errors.Count > 0)
        {
            return ChangeResult<ProjectView>.Failed(errors);
        }
        var period = Period.Parse(report.Period);
        state.State.Reports.RemoveAll(r => r.Period == period.Key);
        state.State.Reports.Add(report with { Period = period.Key });
        state.State.Reports.Sort((a, b) => Period.Parse(a.Period).End.CompareTo(Period.Parse(b.Period).End));
        foreach (var reached in report.MilestonesReached)
        {
            var name = ProjectRules.FindPlanned(profile.Milestones, reached.Name, Catalog)!.Name.Trim();
            state.State.Reached[name] = reached.Date;
        }
        var reportDay = period.End < today ? period.End : today;
        var before = state.State.Warnings.ToList();
        Review(state.State.ReviewedAsOf is { } last && last > reportDay ? last : reportDay);
        await RouteCityCoordinatedAsync();
        await state.WriteStateAsync();
        await TellRegionAsync();
        await NotifyAsync(before);
        return ChangeResult<ProjectView>.Ok(View());
    }

    private IReadOnlyList<Milestone> Milestones() => ProjectRules.EffectiveMilestones(state.State.Profile!, state.State.Reached);

    /// <summary>
    /// Applies the warning rules as of a date: raises new causes, updates known ones whose level moved, closes those
    /// gone. A stored warning keeps the reason of the day it was raised or changed level, so a review that finds the
    /// same causes changes nothing and writes nothing; the findings carry today's wording (days overdue, points behind).
    /// </summary>
    private IReadOnlyList<WarningFinding> Review(DateOnly asOf) => Review(state.State, asOf);

    private IReadOnlyList<WarningFinding> Review(ProjectState s, DateOnly asOf)
    {
        var profile = s.Profile!;
        var milestones = ProjectRules.EffectiveMilestones(profile, s.Reached);
        var facts = new ProjectFacts(profile.Kind, ProjectRules.StageOf(profile, milestones, asOf, Catalog), profile.AnnualPlanInvestment,
            milestones, profile.PlannedStart, ProjectRules.InvestmentByYear(s.Reports), s.Reports.Select(r => r.Period).ToList(), s.Problems)
        {
            Catalog = Catalog,
        };
        var findings = WarningRules.Evaluate(facts, asOf, options.Value.Warnings);
        var now = clock.GetUtcNow();
        for (var i = 0; i < s.Warnings.Count; i++)
        {
            var w = s.Warnings[i];
            if (w.Status == WarningStatus.Closed)
            {
                continue;
            }
            var finding = findings.FirstOrDefault(f => f.Rule == w.Rule && f.Subject == w.Subject);
            s.Warnings[i] = finding is null
                ? w with { Status = WarningStatus.Closed, ClosedBy = "system", ClosedAt = now, CloseNote = $"cause gone as of {asOf:yyyy-MM-dd}" }
                : finding.Level == w.Level ? w : w with { Level = finding.Level, Reason = finding.Reason };
        }
        foreach (var key in s.ClosedOut)
        {
            // Stored before closed-out causes kept their level: the level of the cause's last warning.
            var last = s.Warnings.LastOrDefault(w => CauseKey(w.Rule, w.Subject) == key);
            s.ClosedOutAt.TryAdd(key, last?.Level ?? Light.Red);
        }
        s.ClosedOut.Clear();
        foreach (var key in s.ClosedOutAt.Keys.Where(key => !findings.Any(f => CauseKey(f.Rule, f.Subject) == key)).ToList())
        {
            s.ClosedOutAt.Remove(key);
        }
        foreach (var f in findings)
        {
            if (s.Warnings.Any(w => w.Rule == f.Rule && w.Subject == f.Subject && w.Status != WarningStatus.Closed))
            {
                continue;
            }
            var key = CauseKey(f.Rule, f.Subject);
            if (s.ClosedOutAt.TryGetValue(key, out var closedAt))
            {
                if (f.Level <= closedAt)
                {
                    continue;
                }
                // Closed out at a lower level, and worse now (yellow → red): raised again.
                s.ClosedOutAt.Remove(key);
            }
            s.WarningSequence++;
            s.Warnings.Add(new WarningView($"{Id}.w{s.WarningSequence}", Id, profile.Name, profile.RegionId, f.Rule, f.Subject, f.Level,
                WarningStatus.Open, now, asOf, f.Reason, [profile.RegionId], now, null, null, null, null, null));
        }
        s.Light = WarningRules.LightOf(s.Warnings.Where(w => w.Status != WarningStatus.Closed).Select(w => w.Level));
        var month = $"{asOf:yyyy-MM}";
        s.LightHistory[month] = s.LightHistory.TryGetValue(month, out var seen) && seen > s.Light ? seen : s.Light;
        s.ReviewedAsOf = asOf;
        return findings;
    }

    public Task<ProjectReview?> ReviewAsync(DateOnly asOf) => KeepStoredOnFailureAsync(() => ReviewCoreAsync(asOf));

    private async Task<ProjectReview?> ReviewCoreAsync(DateOnly asOf)
    {
        var s = state.State;
        if (s.Profile is null)
        {
            return null;
        }
        if (s.ReviewedAsOf is { } last && asOf < last)
        {
            // A late meeting for an earlier period sees the project as it was then, and leaves today's state alone.
            var then = s.Snapshot();
            return ReviewOf(then, Review(then, asOf));
        }
        var before = (s.Light, Warnings: s.Warnings.ToList(), History: s.LightHistory.Count, Month: s.LightHistory.GetValueOrDefault($"{asOf:yyyy-MM}"),
            Problems: s.Problems.ToList());
        var findings = Review(asOf);
        await RouteCityCoordinatedAsync();
        await EscalateOverdueProblemsAsync(asOf);
        var changed = before.Light != s.Light || !before.Warnings.SequenceEqual(s.Warnings) || before.History != s.LightHistory.Count
            || before.Month != s.LightHistory[$"{asOf:yyyy-MM}"] || !before.Problems.SequenceEqual(s.Problems);
        if (changed)
        {
            await state.WriteStateAsync();
            await TellRegionAsync();
            await NotifyAsync(before.Warnings);
        }
        else if (!_regionsInSync)
        {
            await TellRegionAsync();
            await TellInboxesAsync(s.Warnings);
        }
        _regionsInSync = true;
        return ReviewOf(s, findings);
    }

    public Task<ChangeResult<ProblemView>> AddProblemAsync(ProblemRequest request) => KeepStoredOnFailureAsync(() => AddProblemCoreAsync(request));

    private async Task<ChangeResult<ProblemView>> AddProblemCoreAsync(ProblemRequest request)
    {
        if (state.State.Profile is not { } profile)
        {
            return ChangeResult<ProblemView>.Failed("projectId", $"No project '{Id}' is known.");
        }
        var errors = InputRules.ValidateProblem(request, state.State.Problems.Count);
        if (errors.Count > 0)
        {
            return ChangeResult<ProblemView>.Failed(errors);
        }
        var owner = await OwnerRegionAsync(profile.RegionId, request.OwnerLevel);
        state.State.ProblemSequence++;
        var problem = new ProblemView($"{Id}.q{state.State.ProblemSequence}", Id, request.Title.Trim(), request.Category.Trim(), request.OwnerLevel,
            owner, request.Owner, request.Deadline, ProblemStatus.Open, false, clock.GetUtcNow(), request.MeetingId, null, null, null);
        state.State.Problems.Add(problem);
        await state.WriteStateAsync();
        return ChangeResult<ProblemView>.Ok(problem);
    }

    public Task<ChangeResult<ProblemView>> ResolveProblemAsync(string problemId, string by, string? note) => KeepStoredOnFailureAsync(() => ResolveProblemCoreAsync(problemId, by, note));

    private async Task<ChangeResult<ProblemView>> ResolveProblemCoreAsync(string problemId, string by, string? note)
    {
        var index = state.State.Problems.FindIndex(p => p.Id == problemId);
        if (index < 0)
        {
            return ChangeResult<ProblemView>.Failed("problemId", $"Project '{Id}' has no problem '{problemId}'.");
        }
        if (string.IsNullOrWhiteSpace(by))
        {
            return ChangeResult<ProblemView>.Failed("by", "Say who closes the problem out (by).");
        }
        if (InputRules.ValidateSignOff(by, note) is { Count: > 0 } signOff)
        {
            return ChangeResult<ProblemView>.Failed(signOff);
        }
        var problem = state.State.Problems[index];
        if (problem.Status == ProblemStatus.Resolved)
        {
            return ChangeResult<ProblemView>.Ok(problem);
        }
        problem = problem with { Status = ProblemStatus.Resolved, ResolvedBy = by, ResolvedAt = clock.GetUtcNow(), ResolutionNote = note };
        state.State.Problems[index] = problem;
        var before = state.State.Warnings.ToList();
        if (state.State.ReviewedAsOf is { } asOf)
        {
            Review(asOf);
        }
        await state.WriteStateAsync();
        await TellRegionAsync();
        await NotifyAsync(before);
        return ChangeResult<ProblemView>.Ok(problem);
    }

    public Task<ChangeResult<WarningView>> AcknowledgeWarningAsync(string warningId, string by) => KeepStoredOnFailureAsync(() => AcknowledgeWarningCoreAsync(warningId, by));

    private async Task<ChangeResult<WarningView>> AcknowledgeWarningCoreAsync(string warningId, string by)
    {
        var index = state.State.Warnings.FindIndex(w => w.Id == warningId);
        if (index < 0)
        {
            return ChangeResult<WarningView>.Failed("warningId", $"No warning '{warningId}'.");
        }
        if (string.IsNullOrWhiteSpace(by))
        {
            return ChangeResult<WarningView>.Failed("by", "Say who acknowledges the warning (by).");
        }
        if (InputRules.ValidateSignOff(by, null) is { Count: > 0 } signOff)
        {
            return ChangeResult<WarningView>.Failed(signOff);
        }
        var warning = state.State.Warnings[index];
        if (warning.Status == WarningStatus.Closed)
        {
            return ChangeResult<WarningView>.Failed("warningId", $"Warning '{warningId}' is already closed.");
        }
        if (warning.Status == WarningStatus.Acknowledged)
        {
            return ChangeResult<WarningView>.Ok(warning);
        }
        var before = state.State.Warnings.ToList();
        warning = warning with { Status = WarningStatus.Acknowledged, AcknowledgedBy = by.Trim(), AcknowledgedAt = clock.GetUtcNow() };
        state.State.Warnings[index] = warning;
        await state.WriteStateAsync();
        await NotifyAsync(before);
        return ChangeResult<WarningView>.Ok(warning);
    }

    public Task<ChangeResult<WarningView>> CloseWarningAsync(string warningId, string by, string? note) => KeepStoredOnFailureAsync(() => CloseWarningCoreAsync(warningId, by, note));

    private async Task<ChangeResult<WarningView>> CloseWarningCoreAsync(string warningId, string by, string? note)
    {
        var index = state.State.Warnings.FindIndex(w => w.Id == warningId);
        if (index < 0)
        {
            return ChangeResult<WarningView>.Failed("warningId", $"No warning '{warningId}'.");
        }
        if (string.IsNullOrWhiteSpace(by))
        {
            return ChangeResult<WarningView>.Failed("by", "Say who closes the warning out (by).");
        }
        if (InputRules.ValidateSignOff(by, note) is { Count: > 0 } signOff)
        {
            return ChangeResult<WarningView>.Failed(signOff);
        }
        var warning = state.State.Warnings[index];
        if (warning.Status == WarningStatus.Closed)
        {
            return ChangeResult<WarningView>.Ok(warning);
        }
        var before = state.State.Warnings.ToList();
        warning = warning with { Status = WarningStatus.Closed, ClosedBy = by.Trim(), ClosedAt = clock.GetUtcNow(), CloseNote = note };
        state.State.Warnings[index] = warning;
        state.State.ClosedOutAt[CauseKey(warning.Rule, warning.Subject)] = warning.Level;
        state.State.Light = WarningRules.LightOf(state.State.Warnings.Where(w => w.Status != WarningStatus.Closed).Select(w => w.Level));
        await state.WriteStateAsync();
        await TellRegionAsync();
        await NotifyAsync(before);
        return ChangeResult<WarningView>.Ok(warning);
    }

    public Task EscalateWarningAsync(string warningId, string fromRegionId) => KeepStoredOnFailureAsync(async () => { await EscalateWarningCoreAsync(warningId, fromRegionId); return true; });

    private async Task EscalateWarningCoreAsync(string warningId, string fromRegionId)
    {
        var index = state.State.Warnings.FindIndex(w => w.Id == warningId);
        if (index < 0 || state.State.Warnings[index] is not { Status: WarningStatus.Open } warning || warning.RegionId != fromRegionId)
        {
            return;
        }
        var parent = (await GrainFactory.GetGrain<IRegionGrain>(fromRegionId).GetDefinitionAsync())?.ParentId;
        if (parent is null)
        {
            return;
        }
        var before = state.State.Warnings.ToList();
        state.State.Warnings[index] = warning with { RegionId = parent, Path = [.. warning.Path, parent], InboxSince = clock.GetUtcNow() };
        await state.WriteStateAsync();
        await NotifyAsync(before);
    }

    /// <summary>A red warning on a city-coordinated project (≥ 50,000 万) goes to the city at once.</summary>
    private async Task RouteCityCoordinatedAsync()
    {
        var s = state.State;
        if (ProjectRules.TierOf(s.Profile!.TotalInvestment) != ProjectTier.CityCoordinated
            || !s.Warnings.Any(w => w is { Status: WarningStatus.Open, Level: Light.Red } && w.RegionId == s.Profile.RegionId))
        {
            return;
        }
        var region = await GrainFactory.GetGrain<IRegionGrain>(s.Profile.RegionId).GetDefinitionAsync();
        if (region is not { Level: RegionLevel.District, ParentId: { } city })
        {
            return;
        }
        var now = clock.GetUtcNow();
        for (var i = 0; i < s.Warnings.Count; i++)
        {
            if (s.Warnings[i] is { Status: WarningStatus.Open, Level: Light.Red } w && w.RegionId == s.Profile.RegionId)
            {
                s.Warnings[i] = w with { RegionId = city, Path = [.. w.Path, city], InboxSince = now };
            }
        }
    }

    /// <summary>
    /// 挂牌督办: a problem its owner level has not solved by the deadline goes up one level, flagged there.
    /// </summary>
    private async Task EscalateOverdueProblemsAsync(DateOnly asOf)
    {
        var s = state.State;
        for (var i = 0; i < s.Problems.Count; i++)
        {
            var p = s.Problems[i];
            if (p.Status == ProblemStatus.Resolved || p.Flagged || p.Deadline >= asOf)
            {
                continue;
            }
            var owner = await GrainFactory.GetGrain<IRegionGrain>(p.OwnerRegionId).GetDefinitionAsync();
            s.Problems[i] = owner is { ParentId: { } parent }
                ? p with { OwnerRegionId = parent, OwnerLevel = owner.Level - 1, Flagged = true }
                : p with { Flagged = true };
        }
    }

    /// <summary>Tells every region on a changed warning's path (one call per region), and the live-alert hub of the project's region.</summary>
    private async Task NotifyAsync(IReadOnlyList<WarningView> before)
    {
        var previous = before.ToDictionary(w => w.Id);
        var changed = state.State.Warnings.Where(w => !previous.TryGetValue(w.Id, out var old) || old != w).ToList();
        if (changed.Count == 0)
        {
            return;
        }
        await TellInboxesAsync(changed);
        foreach (var w in changed)
        {
            var old = previous.GetValueOrDefault(w.Id);
            var type = old is null ? RegionEventType.WarningRaised
                : w.Status == WarningStatus.Closed && old.Status != WarningStatus.Closed ? RegionEventType.WarningClosed
                : w.Status == WarningStatus.Acknowledged && old.Status == WarningStatus.Open ? RegionEventType.WarningAcknowledged
                : w.Path.Count > old.Path.Count ? RegionEventType.WarningEscalated
                : RegionEventType.WarningUpdated;
            await GrainFactory.GetGrain<IRegionEventsGrain>(w.Path[0]).PublishAsync(
                new RegionEvent(type, w.RegionId, clock.GetUtcNow(), w, null, $"{w.ProjectName}: {w.Reason}"));
        }
    }

    /// <summary>Gives every region on the warnings' paths its copies, one call per region.</summary>
    private async Task TellInboxesAsync(IEnumerable<WarningView> warnings)
    {
        foreach (var region in warnings.SelectMany(w => w.Path, (w, regionId) => (w, regionId)).GroupBy(x => x.regionId, x => x.w))
        {
            await GrainFactory.GetGrain<IRegionGrain>(region.Key).ReceiveWarningsAsync(region.ToList());
        }
    }

    private static string CauseKey(WarningRule rule, string subject) => $"{rule}|{subject}";

    /// <summary>The region of the owner level above (or at) the project's own region.</summary>
    private async Task<string> OwnerRegionAsync(string regionId, RegionLevel level)
    {
        var current = regionId;
        while (await GrainFactory.GetGrain<IRegionGrain>(current).GetDefinitionAsync() is { } d && d.Level > level && d.ParentId is not null)
        {
            current = d.ParentId;
        }
        return current;
    }

    /// <summary>The project as a meeting sees it: open warnings worded as of the meeting's day.</summary>
    private ProjectReview ReviewOf(ProjectState s, IReadOnlyList<WarningFinding> findings) => new(Id, s.Profile!.Name,
        s.Profile.RegionId, s.Light,
        s.Warnings.Where(w => w.Status != WarningStatus.Closed)
            .Select(w => findings.FirstOrDefault(f => f.Rule == w.Rule && f.Subject == w.Subject) is { } f ? w with { Reason = f.Reason } : w)
            .ToList(),
        s.Problems.Where(p => p.Status != ProblemStatus.Resolved).ToList());

    private Task TellRegionAsync() => GrainFactory.GetGrain<IRegionGrain>(state.State.Profile!.RegionId).UpdateProjectAsync(Summary());

    private ProjectSummary Summary()
    {
        var s = state.State;
        return ProjectRules.Summarize(Id, s.Profile!, Milestones(), s.Reports, s.Light, s.ReviewedAsOf ?? clock.ChinaToday(), Catalog);
    }

    /// <summary>
    /// The project as callers see it. Views are immutable to Orleans and reach a caller in the same silo uncopied, so
    /// they hold copies of the state's lists: the next change must not alter a view that is still being serialized.
    /// </summary>
    private ProjectView View()
    {
        var s = state.State;
        var p = s.Profile!;
        var milestones = Milestones();
        var asOf = s.ReviewedAsOf ?? clock.ChinaToday();
        var latest = s.Reports.LastOrDefault();
        return new ProjectView(Id, p.Name, p.RegionId, p.Kind, ProjectRules.StageOf(p, milestones, asOf, Catalog), s.Light,
            ProjectRules.TierOf(p.TotalInvestment), p.TotalInvestment, p.AnnualPlanInvestment,
            ProjectRules.InvestmentByYear(s.Reports).FirstOrDefault(y => y.Year == asOf.Year)?.Completed ?? 0m,
            latest?.PercentComplete, p.Industry, p.Company, p.PlannedStart, p.PlannedCompletion, p.Leader, p.Steward,
            milestones, [.. s.Reports], s.Warnings.Where(w => w.Status != WarningStatus.Closed).ToList(), [.. s.Problems], s.ReviewedAsOf,
            s.LightHistory.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new PeriodLight(kv.Key, kv.Value)).ToList());
    }
}
