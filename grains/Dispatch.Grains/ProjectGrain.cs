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
    /// <summary>The plans offices put per year (年度计划); the list adds implied and carried-over years (<see cref="AnnualList"/>).</summary>
    [Id(12)] public Dictionary<int, AnnualPlan> Plans { get; set; } = [];
    /// <summary>The first 开工/复工 reported in each year: a continuing project resumes every year, each year keeps its own.</summary>
    [Id(13)] public Dictionary<int, DateOnly> YearStarts { get; set; } = [];
    /// <summary>The light from each review that changed it, oldest first: lights as of any date.</summary>
    [Id(14)] public List<LightChange> LightChanges { get; set; } = [];

    /// <summary>A copy to review an earlier date on without touching the current state.</summary>
    public ProjectState Snapshot() => new()
    {
        Profile = Profile, Reports = [.. Reports], Reached = new(Reached), Light = Light, ReviewedAsOf = ReviewedAsOf,
        Warnings = [.. Warnings], WarningSequence = WarningSequence, LightHistory = new(LightHistory), Problems = [.. Problems],
        ProblemSequence = ProblemSequence, ClosedOut = [.. ClosedOut], ClosedOutAt = new(ClosedOutAt),
        Plans = new(Plans), YearStarts = new(YearStarts), LightChanges = [.. LightChanges],
    };

    /// <summary>
    /// A copy as the office knew the project at the end of <paramref name="asOf"/> (China time), for a meeting held late:
    /// reports received after it are left out, with the milestones and year starts only they reported, and so are the
    /// lights of later reviews. A report replaced since by a later one for its period is gone from both.
    /// </summary>
    public ProjectState Snapshot(DateOnly asOf, MilestoneCatalog catalog)
    {
        var then = Snapshot();
        then.LightChanges.RemoveAll(c => c.From > asOf);
        if (Profile is not { } profile || then.Reports.RemoveAll(r => r.ReceivedAt.ChinaDay() > asOf) == 0)
        {
            return then;
        }
        string Named(string name) => (ProjectRules.FindPlanned(profile.Milestones, name, catalog)?.Name ?? name).Trim();
        var lateReached = Reports.Except(then.Reports).SelectMany(r => r.MilestonesReached).ToList();
        var names = lateReached.Select(m => Named(m.Name)).ToHashSet();
        var years = lateReached.Where(m => catalog.IsStart(Named(m.Name))).Select(m => m.Date.Year).ToHashSet();
        foreach (var name in names)
        {
            then.Reached.Remove(name);
        }
        foreach (var year in years)
        {
            then.YearStarts.Remove(year);
        }
        // Replayed in the order they arrived, as the grain took them: a later report's date wins, a year keeps its first start.
        foreach (var reached in then.Reports.OrderBy(r => r.ReceivedAt).SelectMany(r => r.MilestonesReached))
        {
            var name = Named(reached.Name);
            if (names.Contains(name))
            {
                then.Reached[name] = reached.Date;
            }
            if (years.Contains(reached.Date.Year) && catalog.IsStart(name)
                && (!then.YearStarts.TryGetValue(reached.Date.Year, out var known) || reached.Date < known))
            {
                then.YearStarts[reached.Date.Year] = reached.Date;
            }
        }
        return then;
    }
}

public sealed class ProjectGrain(
    [PersistentState("project", DispatchStorage.Name)] IPersistentState<ProjectState> state,
    TimeProvider clock,
    WorkingCalendar calendar,
    IOptions<DispatchOptions> options) : Grain, IProjectGrain
{
    /// <summary>
    /// False until this activation has told its regions what it stored. A silo that dies between a project's write and
    /// its calls to its regions leaves them behind; the next activation's first review catches them up.
    /// </summary>
    private bool _regionsInSync;

    private string Id => this.GetPrimaryKeyString();

    /// <summary>Most dated light changes kept; older ones go (the monthly <see cref="ProjectState.LightHistory"/> stays).</summary>
    private const int MaxLightChanges = 1_000;

    private MilestoneCatalog? _catalog;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        MigrateStoredState(state.State);
        return Task.CompletedTask;
    }

    /// <summary>
    /// State stored before the annual list had one <c>annualPlanInvestment</c>: it becomes the plan of the year it
    /// belongs to. State stored before dated light changes starts them with its light as of its last review.
    /// </summary>
    private void MigrateStoredState(ProjectState s)
    {
        if (s.Profile is not { } profile)
        {
            return;
        }
        if (s.Plans.Count == 0 && profile.AnnualPlanInvestment is { } amount)
        {
            ApplyShorthand(s, profile, amount);
        }
        if (s.LightChanges.Count == 0 && s.ReviewedAsOf is { } reviewed)
        {
            s.LightChanges.Add(new LightChange(reviewed, s.Light));
        }
    }

    /// <summary>A profile's single annual plan investment is the planned investment of the year it belongs to.</summary>
    private void ApplyShorthand(ProjectState s, ProjectProfile profile, decimal amount)
    {
        var milestones = ProjectRules.EffectiveMilestones(profile, s.Reached);
        var year = AnnualList.ShorthandYear(profile, milestones, (s.ReviewedAsOf ?? clock.ChinaToday()).Year, Catalog);
        s.Plans[year] = AnnualList.WithShorthand(s.Plans.GetValueOrDefault(year), year, KindIn(s, profile, milestones, year), amount);
    }

    /// <summary>续建 once the project started in an earlier year, else the profile's kind.</summary>
    private ProjectKind KindIn(ProjectState s, ProjectProfile profile, IReadOnlyList<Milestone> milestones, int year) =>
        s.YearStarts.Keys.Any(y => y < year) || ProjectRules.StartedOn(milestones, Catalog) is { } started && started.Year < year
            ? ProjectKind.Continuing : profile.Kind;

    /// <summary>The year's plans as the list holds them, through this year (or the last year planned, if later).</summary>
    private IReadOnlyList<AnnualPlan> PlansOf(ProjectState s)
    {
        var lastYear = Math.Max(clock.ChinaToday().Year, Math.Max(s.Plans.Count > 0 ? s.Plans.Keys.Max() : 0, s.ReviewedAsOf?.Year ?? 0));
        return AnnualList.Plans(lastYear, s.Profile!, ProjectRules.EffectiveMilestones(s.Profile!, s.Reached), s.Plans, s.YearStarts, Catalog);
    }

    /// <summary>Records the light from a day on, one entry per day, oldest dropped past <see cref="MaxLightChanges"/>.</summary>
    private static void RecordLight(ProjectState s, DateOnly from) => RecordLight(s, from, s.Light);

    private static void RecordLight(ProjectState s, DateOnly from, Light light)
    {
        if (s.LightChanges.Count > 0 && s.LightChanges[^1] is { } last)
        {
            if (last.Light == light)
            {
                return;
            }
            if (last.From >= from)
            {
                s.LightChanges[^1] = new LightChange(last.From, light);
                return;
            }
        }
        else if (light == Light.Green)
        {
            return;
        }
        s.LightChanges.Add(new LightChange(from, light));
        if (s.LightChanges.Count > MaxLightChanges)
        {
            s.LightChanges.RemoveAt(0);
        }
    }

    /// <summary>
    /// Lights as of past days follow the facts as entered. When a project is entered (a city loading its list in March)
    /// or its profile or a year's plan changes, its light at each month end since last year's end, and on each day a
    /// review recorded a change, is worked out again as a review held late on that day would find it: from the profile
    /// and plans as they now stand and the reports received by then. So an as-of view of September counts a project
    /// planned for 1 September and put on the list in December as it stood in September, and the ranking's previous
    /// period counts a project entered this month as it stood then rather than green.
    /// </summary>
    private void RederivePastLights(ProjectState s, DateOnly reviewDay)
    {
        var since = new DateOnly(reviewDay.Year - 1, 12, 31);
        var days = new SortedSet<DateOnly>(s.LightChanges.Where(c => c.From >= since && c.From < reviewDay).Select(c => c.From));
        var milestones = ProjectRules.EffectiveMilestones(s.Profile!, s.Reached);
        // Before the first planned date nothing can be due: those month ends are green.
        if (milestones.Select(m => (DateOnly?)m.PlannedDate).Append(s.Profile!.PlannedStart).Concat(s.Plans.Values.Select(p => p.PlannedStart)).Min() is { } first)
        {
            for (var monthEnd = since; monthEnd < reviewDay; monthEnd = monthEnd.AddDays(1).AddMonths(1).AddDays(-1))
            {
                if (monthEnd >= first)
                {
                    days.Add(monthEnd);
                }
            }
        }
        s.LightChanges.RemoveAll(c => c.From >= since);
        foreach (var day in days)
        {
            var then = s.Snapshot(day, Catalog);
            Review(then, day);
            RecordLight(s, day, then.Light);
        }
    }

    /// <summary>
    /// The day an office's change is reviewed as of: today, as the office acts today (a project last reviewed in April
    /// and put on the list in July is lit as of July), or the last review's day if a review ran ahead of the clock.
    /// </summary>
    private DateOnly ChangeDay(ProjectState s) =>
        s.ReviewedAsOf is { } reviewed && reviewed > clock.ChinaToday() ? reviewed : clock.ChinaToday();

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
        if (profile.AnnualPlanInvestment is { } amount)
        {
            ApplyShorthand(state.State, profile, amount);
        }
        var day = ChangeDay(state.State);
        RederivePastLights(state.State, day);
        Review(day);
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
        : new ProjectStanding(Summary(), state.State.Warnings.ToList(), state.State.Problems.ToList()));

    public Task<ProjectAccessFacts?> GetAccessFactsAsync() => Task.FromResult(state.State.Profile is not { } profile ? null
        : new ProjectAccessFacts(profile.RegionId,
            state.State.Warnings.Where(w => w.Status != WarningStatus.Closed).Select(w => new WarningPlace(w.Id, w.RegionId, [.. w.Path])).ToList(),
            state.State.Problems.Select(p => new ProblemPlace(p.Id, p.OwnerRegionId, p.Flagged, p.SupervisorRegionId)).ToList()));

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
            if (Catalog.IsStart(name) && (!state.State.YearStarts.TryGetValue(reached.Date.Year, out var known) || reached.Date < known))
            {
                state.State.YearStarts[reached.Date.Year] = reached.Date;
            }
        }
        var reportDay = period.End < today ? period.End : today;
        var before = state.State.Warnings.ToList();
        Review(state.State.ReviewedAsOf is { } last && last > reportDay ? last : reportDay);
        await RouteCityCoordinatedAsync();
        await state.WriteStateAsync();
        DispatchMetrics.ReportReceived();
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
        var plan = AnnualList.PlanOf(asOf.Year, profile, milestones, s.Plans, s.YearStarts, Catalog);
        var facts = new ProjectFacts(plan?.Kind ?? profile.Kind, ProjectRules.StageOf(profile, milestones, asOf, Catalog), plan?.PlannedInvestment,
            milestones, plan?.PlannedStart ?? profile.PlannedStart, ProjectRules.InvestmentByYear(s.Reports), s.Reports.Select(r => r.Period).ToList(), s.Problems)
        {
            Catalog = Catalog,
            Plan = plan ?? ProjectFacts.OffTheList(asOf.Year, profile.Kind),
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
        RecordLight(s, asOf);
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
            // A late meeting for an earlier period sees the project as it was known then, and leaves today's state alone.
            var then = s.Snapshot(asOf, Catalog);
            return ReviewOf(then, Review(then, asOf));
        }
        var before = (s.Light, Warnings: s.Warnings.ToList(), History: s.LightHistory.Count, Month: s.LightHistory.GetValueOrDefault($"{asOf:yyyy-MM}"),
            Problems: s.Problems.ToList(), Changes: s.LightChanges.Count);
        var findings = Review(asOf);
        await RouteCityCoordinatedAsync();
        var problemsBefore = await EscalateOverdueProblemsAsync(asOf);
        var changed = before.Light != s.Light || !before.Warnings.SequenceEqual(s.Warnings) || before.History != s.LightHistory.Count
            || before.Month != s.LightHistory[$"{asOf:yyyy-MM}"] || !before.Problems.SequenceEqual(s.Problems) || before.Changes != s.LightChanges.Count;
        if (changed)
        {
            await state.WriteStateAsync();
            await TellRegionAsync();
            await NotifyAsync(before.Warnings);
            foreach (var escalated in s.Problems.Where(p => p.Steps is [.., { Action: ProblemAction.Escalated } step]
                && problemsBefore.FirstOrDefault(b => b.Id == p.Id)?.Steps?.LastOrDefault() != step))
            {
                await PublishProblemAsync(RegionEventType.ProblemEscalated, escalated);
            }
        }
        if (!_regionsInSync)
        {
            await TellRegionAsync();
            await TellInboxesAsync(s.Warnings);
            await TellProblemRegionsAsync(problemsBefore, s.Problems);
        }
        else if (!problemsBefore.SequenceEqual(s.Problems))
        {
            await TellProblemRegionsAsync(problemsBefore, s.Problems.Except(problemsBefore).ToList());
        }
        _regionsInSync = true;
        return ReviewOf(s, findings);
    }

    public Task<ChangeResult<AnnualPlan>> SetPlanAsync(int year, AnnualPlanRequest request, string by) =>
        KeepStoredOnFailureAsync(() => SetPlanCoreAsync(year, request, by));

    private async Task<ChangeResult<AnnualPlan>> SetPlanCoreAsync(int year, AnnualPlanRequest request, string by)
    {
        if (state.State.Profile is not { } profile)
        {
            return ChangeResult<AnnualPlan>.Failed("projectId", $"No project '{Id}' is known; define it first (PUT /api/projects/{Id}).");
        }
        if (request is null)
        {
            return ChangeResult<AnnualPlan>.Failed("body", "Send the year's plan.");
        }
        var errors = AnnualList.Validate(year, request, profile, clock.ChinaToday()).ToList();
        if (InputRules.ValidateSignOff(by, null) is { Count: > 0 } signOff)
        {
            errors.AddRange(signOff);
        }
        if (errors.Count > 0)
        {
            return ChangeResult<AnnualPlan>.Failed(errors);
        }
        var s = state.State;
        var plan = AnnualList.FromRequest(year, request, s.Plans.GetValueOrDefault(year), KindIn(s, profile, Milestones(), year), by.Trim(), clock.GetUtcNow());
        var before = s.Warnings.ToList();
        s.Plans[year] = plan;
        var day = ChangeDay(s);
        RederivePastLights(s, day);
        Review(day);
        await state.WriteStateAsync();
        await TellRegionAsync();
        await NotifyAsync(before);
        return ChangeResult<AnnualPlan>.Ok(PlansOf(s).First(p => p.Year == year));
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
        var actor = new ProblemActor(request.RaisedBy ?? "", clock.GetUtcNow(), clock.ChinaToday());
        var problem = ProblemLifecycle.Raise($"{Id}.q{state.State.ProblemSequence}", Id, request, owner, actor, Clocks);
        problem = problem with { Path = ProblemPath(problem, await RegionChainAsync()) };
        state.State.Problems.Add(problem);
        await state.WriteStateAsync();
        await TellProblemRegionsAsync([], [problem]);
        return ChangeResult<ProblemView>.Ok(problem);
    }

    public Task<ChangeResult<ProblemView>> ResolveProblemAsync(string problemId, string by, string? note) =>
        ChangeProblemAsync(problemId, by, "closes the problem out", (p, actor, _) => ProblemLifecycle.Verify(p, note, actor));

    public Task<ChangeResult<ProblemView>> AcceptProblemAsync(string problemId, string by, ProblemAcceptance acceptance) =>
        ChangeProblemAsync(problemId, by, "accepts the problem", (p, actor, _) => acceptance is null
            ? ChangeResult<ProblemView>.Failed("body", "Send the responsible office, the leader and the deadline.")
            : ProblemLifecycle.Accept(p, acceptance, actor));

    public Task<ChangeResult<ProblemView>> TransferProblemAsync(string problemId, string by, ProblemTransfer transfer) =>
        ChangeProblemAsync(problemId, by, "transfers the problem", (p, actor, chain) => transfer is null
            ? ChangeResult<ProblemView>.Failed("body", "Send the level or office to transfer to, and the reason.")
            : ProblemLifecycle.Transfer(p, transfer, transfer.ToLevel is { } level ? chain.FirstOrDefault(r => r.Level == level) : null, actor, Clocks));

    public Task<ChangeResult<ProblemView>> FlagProblemAsync(string problemId, string by, ProblemFlagRequest flag) =>
        ChangeProblemAsync(problemId, by, "flags the problem", (p, actor, chain) => flag is null
            ? ChangeResult<ProblemView>.Failed("body", "Send the grade, the new deadline and the supervising official.")
            : ProblemLifecycle.Flag(p, flag, chain.SkipWhile(r => r.Id != p.OwnerRegionId).Skip(1).Select(r => r.Id).ToList(), actor));

    public Task<ChangeResult<ProblemView>> ReportProblemSolvedAsync(string problemId, string by, string? note) =>
        ChangeProblemAsync(problemId, by, "reports the problem solved", (p, actor, _) => ProblemLifecycle.ReportSolved(p, note, actor, Clocks));

    public Task<ChangeResult<ProblemView>> RejectProblemAsync(string problemId, string by, string? reason) =>
        ChangeProblemAsync(problemId, by, "sends the problem back", (p, actor, _) => ProblemLifecycle.Reject(p, reason, actor));

    private ProblemClocks Clocks => new(options.Value.Problems, calendar);

    /// <summary>
    /// Takes one step of a problem's life (<see cref="ProblemLifecycle"/>) signed by <paramref name="by"/>; stores it
    /// and tells the regions on its path only when the step changed something. The step sees the project's regions
    /// from its own up (<see cref="RegionChainAsync"/>).
    /// </summary>
    private Task<ChangeResult<ProblemView>> ChangeProblemAsync(string problemId, string by, string what,
        Func<ProblemView, ProblemActor, IReadOnlyList<RegionStep>, ChangeResult<ProblemView>> step) => KeepStoredOnFailureAsync(async () =>
    {
        var index = state.State.Problems.FindIndex(p => p.Id == problemId);
        if (index < 0)
        {
            return ChangeResult<ProblemView>.Failed("problemId", $"Project '{Id}' has no problem '{problemId}'.");
        }
        if (string.IsNullOrWhiteSpace(by))
        {
            return ChangeResult<ProblemView>.Failed("by", $"Say who {what} (by).");
        }
        if (InputRules.ValidateSignOff(by, null) is { Count: > 0 } signOff)
        {
            return ChangeResult<ProblemView>.Failed(signOff);
        }
        var problem = state.State.Problems[index];
        var chain = await RegionChainAsync();
        var result = step(problem, new ProblemActor(by.Trim(), clock.GetUtcNow(), clock.ChinaToday()), chain);
        if (!result.Succeeded || ReferenceEquals(result.Value, problem))
        {
            return result;
        }
        var changed = result.Value! with { Path = ProblemPath(result.Value!, chain) };
        state.State.Problems[index] = changed;
        var before = state.State.Warnings.ToList();
        if (state.State.ReviewedAsOf is { } asOf)
        {
            Review(asOf);
        }
        await state.WriteStateAsync();
        await TellRegionAsync();
        await NotifyAsync(before);
        await TellProblemRegionsAsync([problem], [changed]);
        if (changed.Flag is { } flag && flag != problem.Flag)
        {
            await PublishProblemAsync(RegionEventType.ProblemFlagged, changed);
        }
        return ChangeResult<ProblemView>.Ok(changed);
    });

    /// <summary>The project's region and those above it, nearest first.</summary>
    private async Task<IReadOnlyList<RegionStep>> RegionChainAsync()
    {
        var chain = new List<RegionStep>();
        for (var current = state.State.Profile?.RegionId; current is not null && chain.Count < 8;)
        {
            if (await GrainFactory.GetGrain<IRegionGrain>(current).GetDefinitionAsync() is not { } d)
            {
                break;
            }
            chain.Add(new RegionStep(current, d.Level));
            current = d.ParentId;
        }
        return chain;
    }

    /// <summary>The regions that list a problem: from the project's region up to the higher of its owner and supervisor.</summary>
    private static IReadOnlyList<string> ProblemPath(ProblemView p, IReadOnlyList<RegionStep> chain)
    {
        var ids = chain.Select(r => r.Id).ToList();
        var top = Math.Max(ids.IndexOf(p.OwnerRegionId), ids.IndexOf(p.SupervisorRegionId));
        // A project moved since to a region outside its owner's chain: the owner still lists it.
        return top < 0 ? [p.OwnerRegionId] : ids.Take(top + 1).ToList();
    }

    /// <summary>
    /// Gives the regions on the problems' paths, before and after a change, their copies (one call per region): a region
    /// the path left drops its copy.
    /// </summary>
    private async Task TellProblemRegionsAsync(IReadOnlyList<ProblemView> before, IReadOnlyList<ProblemView> after)
    {
        var regions = before.Concat(after).SelectMany(p => p.Path ?? []).Distinct().ToList();
        foreach (var region in regions)
        {
            await GrainFactory.GetGrain<IRegionGrain>(region).ReceiveProblemsAsync(after);
        }
    }

    public Task<ChangeResult<WarningView>> AcknowledgeWarningAsync(string warningId, string by, string? measure = null, DateOnly? plannedBy = null) =>
        KeepStoredOnFailureAsync(() => AcknowledgeWarningCoreAsync(warningId, by, measure, plannedBy));

    private async Task<ChangeResult<WarningView>> AcknowledgeWarningCoreAsync(string warningId, string by, string? measure, DateOnly? plannedBy)
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
        if (InputRules.ValidateAcknowledgement(by, measure, plannedBy, clock.ChinaToday()) is { Count: > 0 } invalid)
        {
            return ChangeResult<WarningView>.Failed(invalid);
        }
        var warning = state.State.Warnings[index];
        if (warning.Status == WarningStatus.Closed)
        {
            return ChangeResult<WarningView>.Failed("warningId", $"Warning '{warningId}' is already closed.");
        }
        if (warning.Status == WarningStatus.Acknowledged)
        {
            // Acknowledged at this level already: its resolve window runs from the first acknowledgement.
            return ChangeResult<WarningView>.Ok(warning);
        }
        var before = state.State.Warnings.ToList();
        warning = warning with
        {
            Status = WarningStatus.Acknowledged, AcknowledgedBy = by.Trim(), AcknowledgedAt = clock.GetUtcNow(),
            Measure = string.IsNullOrWhiteSpace(measure) ? null : measure.Trim(), PlannedBy = plannedBy,
        };
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
        RecordLight(state.State, state.State.ReviewedAsOf ?? clock.ChinaToday());
        await state.WriteStateAsync();
        await TellRegionAsync();
        await NotifyAsync(before);
        return ChangeResult<WarningView>.Ok(warning);
    }

    public Task EscalateWarningAsync(string warningId, string fromRegionId, WarningStatus status) =>
        KeepStoredOnFailureAsync(async () => { await EscalateWarningCoreAsync(warningId, fromRegionId, status); return true; });

    private async Task EscalateWarningCoreAsync(string warningId, string fromRegionId, WarningStatus status)
    {
        var index = state.State.Warnings.FindIndex(w => w.Id == warningId);
        if (status == WarningStatus.Closed || index < 0 || state.State.Warnings[index] is not { } warning
            || warning.Status != status || warning.RegionId != fromRegionId)
        {
            return;
        }
        var parent = (await GrainFactory.GetGrain<IRegionGrain>(fromRegionId).GetDefinitionAsync())?.ParentId;
        if (parent is null)
        {
            return;
        }
        var before = state.State.Warnings.ToList();
        var reason = status == WarningStatus.Open ? HandOffReason.NotAcknowledged : HandOffReason.NotResolved;
        state.State.Warnings[index] = HandOff(warning, parent, reason, clock.GetUtcNow());
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
                s.Warnings[i] = HandOff(w, city, HandOffReason.CityCoordinated, now);
            }
        }
    }

    /// <summary>
    /// A warning passed to <paramref name="parent"/>: open there, waiting for that level's acknowledgement; what this
    /// level acknowledged and planned stays in its hand-off.
    /// </summary>
    private static WarningView HandOff(WarningView w, string parent, HandOffReason reason, DateTimeOffset now) => w with
    {
        RegionId = parent, Path = [.. w.Path, parent], InboxSince = now, Status = WarningStatus.Open,
        AcknowledgedBy = null, AcknowledgedAt = null, Measure = null, PlannedBy = null,
        HandOffs = [.. w.HandOffs ?? [], new WarningHandOff(w.RegionId, parent, now, reason, w.AcknowledgedBy, w.AcknowledgedAt, w.Measure, w.PlannedBy)],
    };

    /// <summary>
    /// 挂牌督办: a problem whose step is missed (not accepted in time, not solved by the deadline, not verified in
    /// time) goes up one level, flagged there (<see cref="ProblemLifecycle.Escalate"/>). Problems stored before paths
    /// get theirs. Answers the problems as they were, for the regions to hear of what changed.
    /// </summary>
    private async Task<IReadOnlyList<ProblemView>> EscalateOverdueProblemsAsync(DateOnly asOf)
    {
        var s = state.State;
        var before = s.Problems.ToList();
        IReadOnlyList<RegionStep>? chain = null;
        for (var i = 0; i < s.Problems.Count; i++)
        {
            var p = s.Problems[i];
            if (ProblemLifecycle.Missed(p, asOf))
            {
                var owner = await GrainFactory.GetGrain<IRegionGrain>(p.OwnerRegionId).GetDefinitionAsync();
                var parent = owner is { ParentId: { } id } ? new RegionStep(id, owner.Level - 1) : null;
                p = ProblemLifecycle.Escalate(p, asOf, parent, Clocks, clock.GetUtcNow());
            }
            if (p.Path is null || p != before[i])
            {
                chain ??= await RegionChainAsync();
                s.Problems[i] = p with { Path = ProblemPath(p, chain) };
            }
        }
        return before;
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
            if (type == RegionEventType.WarningRaised)
            {
                DispatchMetrics.WarningRaised(w);
            }
            else if (type == RegionEventType.WarningEscalated)
            {
                DispatchMetrics.WarningEscalated(w);
            }
            await GrainFactory.GetGrain<IRegionEventsGrain>(w.Path[0]).PublishAsync(
                new RegionEvent(type, w.RegionId, clock.GetUtcNow(), w, null, $"{w.ProjectName}: {w.Reason}"));
        }
    }

    /// <summary>
    /// Tells the live-alert hub of the project's region that a problem was flagged or went up a level; the event's region
    /// is the one that now supervises it.
    /// </summary>
    private Task PublishProblemAsync(RegionEventType type, ProblemView p) =>
        GrainFactory.GetGrain<IRegionEventsGrain>(p.Path is [var first, ..] ? first : state.State.Profile!.RegionId).PublishAsync(
            new RegionEvent(type, p.SupervisorRegionId, clock.GetUtcNow(), null, null, $"{state.State.Profile!.Name}: {p.Title}", p));

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
        s.Problems.Where(p => p.Status != ProblemStatus.Closed).ToList(),
        RegionRules.Tally([Summary(s)], s.ReviewedAsOf!.Value));

    private Task TellRegionAsync() => GrainFactory.GetGrain<IRegionGrain>(state.State.Profile!.RegionId).UpdateProjectAsync(Summary());

    private ProjectSummary Summary() => Summary(state.State);

    private ProjectSummary Summary(ProjectState s) =>
        ProjectRules.Summarize(Id, s.Profile!, ProjectRules.EffectiveMilestones(s.Profile!, s.Reached), s.Reports, s.Light,
            s.ReviewedAsOf ?? clock.ChinaToday(), PlansOf(s), [.. s.LightChanges], Catalog);

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
        var plans = PlansOf(s);
        var current = plans.FirstOrDefault(plan => plan.Year == asOf.Year);
        return new ProjectView(Id, p.Name, p.RegionId, current?.Kind ?? p.Kind, ProjectRules.StageOf(p, milestones, asOf, Catalog), s.Light,
            ProjectRules.TierOf(p.TotalInvestment), p.TotalInvestment, current is { OnList: true } ? current.PlannedInvestment : null,
            ProjectRules.InvestmentByYear(s.Reports).FirstOrDefault(y => y.Year == asOf.Year)?.Completed ?? 0m,
            latest?.PercentComplete, p.Industry, p.Company, p.PlannedStart, p.PlannedCompletion, p.Leader, p.Steward,
            milestones, [.. s.Reports], s.Warnings.Where(w => w.Status != WarningStatus.Closed).ToList(), [.. s.Problems], s.ReviewedAsOf,
            s.LightHistory.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new PeriodLight(kv.Key, kv.Value)).ToList(),
            plans);
    }
}
