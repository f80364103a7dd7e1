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

    /// <summary>A copy to review an earlier date on without touching the current state.</summary>
    public ProjectState Snapshot() => new()
    {
        Profile = Profile, Reports = [.. Reports], Reached = new(Reached), Light = Light, ReviewedAsOf = ReviewedAsOf,
        Warnings = [.. Warnings], WarningSequence = WarningSequence, LightHistory = new(LightHistory), Problems = [.. Problems],
        ProblemSequence = ProblemSequence,
    };
}

public sealed class ProjectGrain(
    [PersistentState("project", DispatchStorage.Name)] IPersistentState<ProjectState> state,
    TimeProvider clock,
    IOptions<DispatchOptions> options) : Grain, IProjectGrain
{
    private string Id => this.GetPrimaryKeyString();

    public async Task<ChangeResult<ProjectView>> UpsertAsync(ProjectProfile profile)
    {
        profile = profile with { Milestones = profile.Milestones ?? [] };
        var region = string.IsNullOrWhiteSpace(profile.RegionId) ? null
            : await GrainFactory.GetGrain<IRegionGrain>(profile.RegionId).GetDefinitionAsync();
        var errors = ProjectRules.Validate(profile, region?.Level, clock.ChinaToday());
        if (errors.Count > 0)
        {
            return ChangeResult<ProjectView>.Failed(errors);
        }
        var previousRegion = state.State.Profile?.RegionId;
        state.State.Profile = profile;
        Review(state.State.ReviewedAsOf ?? clock.ChinaToday());
        await state.WriteStateAsync();
        if (previousRegion is not null && previousRegion != profile.RegionId)
        {
            await GrainFactory.GetGrain<IRegionGrain>(previousRegion).RemoveProjectAsync(Id);
        }
        await TellRegionAsync();
        return ChangeResult<ProjectView>.Ok(View());
    }

    public Task<ProjectView?> GetAsync() => Task.FromResult(state.State.Profile is null ? null : View());

    public async Task<ChangeResult<ProjectView>> ReportAsync(ProgressReport report)
    {
        if (state.State.Profile is not { } profile)
        {
            return ChangeResult<ProjectView>.Failed("projectId", $"No project '{Id}' is known; define it first (PUT /api/projects/{Id}).");
        }
        var today = clock.ChinaToday();
        report = report with { MilestonesReached = report.MilestonesReached ?? [], ReceivedAt = clock.GetUtcNow() };
        var errors = ProjectRules.ValidateReport(report, profile, today);
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
            var name = profile.Milestones.First(m => string.Equals(m.Name.Trim(), reached.Name.Trim(), StringComparison.OrdinalIgnoreCase)).Name.Trim();
            state.State.Reached[name] = reached.Date;
        }
        var reportDay = period.End < today ? period.End : today;
        Review(state.State.ReviewedAsOf is { } last && last > reportDay ? last : reportDay);
        await state.WriteStateAsync();
        await TellRegionAsync();
        return ChangeResult<ProjectView>.Ok(View());
    }

    private IReadOnlyList<Milestone> Milestones() => ProjectRules.EffectiveMilestones(state.State.Profile!, state.State.Reached);

    /// <summary>Applies the warning rules as of a date: raises new causes, updates known ones, closes those gone.</summary>
    private void Review(DateOnly asOf) => Review(state.State, asOf);

    private void Review(ProjectState s, DateOnly asOf)
    {
        var profile = s.Profile!;
        var milestones = ProjectRules.EffectiveMilestones(profile, s.Reached);
        var facts = new ProjectFacts(profile.Kind, ProjectRules.StageOf(profile, milestones, asOf), profile.AnnualPlanInvestment,
            milestones, profile.PlannedStart, ProjectRules.InvestmentByYear(s.Reports), s.Reports.Select(r => r.Period).ToList(), s.Problems);
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
                : w with { Level = finding.Level, Reason = finding.Reason };
        }
        foreach (var f in findings)
        {
            if (s.Warnings.Any(w => w.Rule == f.Rule && w.Subject == f.Subject && w.Status != WarningStatus.Closed))
            {
                continue;
            }
            s.WarningSequence++;
            s.Warnings.Add(new WarningView($"{Id}.w{s.WarningSequence}", Id, profile.Name, profile.RegionId, f.Rule, f.Subject, f.Level,
                WarningStatus.Open, now, asOf, f.Reason, [profile.RegionId], now, null, null, null, null, null));
        }
        s.Light = WarningRules.LightOf(s.Warnings.Where(w => w.Status != WarningStatus.Closed).Select(w => w.Level));
        var month = $"{asOf:yyyy-MM}";
        s.LightHistory[month] = s.LightHistory.TryGetValue(month, out var seen) && seen > s.Light ? seen : s.Light;
        s.ReviewedAsOf = asOf;
    }

    public async Task<ProjectReview?> ReviewAsync(DateOnly asOf)
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
            Review(then, asOf);
            return ReviewOf(then);
        }
        var before = (s.Light, Warnings: s.Warnings.ToList(), History: s.LightHistory.Count, Month: s.LightHistory.GetValueOrDefault($"{asOf:yyyy-MM}"));
        Review(asOf);
        var changed = before.Light != s.Light || !before.Warnings.SequenceEqual(s.Warnings) || before.History != s.LightHistory.Count
            || before.Month != s.LightHistory[$"{asOf:yyyy-MM}"];
        if (changed)
        {
            await state.WriteStateAsync();
            await TellRegionAsync();
        }
        return ReviewOf(s);
    }

    public async Task<ChangeResult<ProblemView>> AddProblemAsync(ProblemRequest request)
    {
        if (state.State.Profile is not { } profile)
        {
            return ChangeResult<ProblemView>.Failed("projectId", $"No project '{Id}' is known.");
        }
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(request.Title))
        {
            errors.Add(new("title", "A problem needs a title."));
        }
        if (string.IsNullOrWhiteSpace(request.Category))
        {
            errors.Add(new("category", "A problem needs a category (用地, 融资, 能耗指标, 审批, 水电热, 拆迁, …)."));
        }
        if (!Enum.IsDefined(request.OwnerLevel))
        {
            errors.Add(new("ownerLevel", "ownerLevel must be district, city or province."));
        }
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

    public async Task<ChangeResult<ProblemView>> ResolveProblemAsync(string problemId, string by, string? note)
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
        var problem = state.State.Problems[index];
        if (problem.Status == ProblemStatus.Resolved)
        {
            return ChangeResult<ProblemView>.Ok(problem);
        }
        problem = problem with { Status = ProblemStatus.Resolved, ResolvedBy = by, ResolvedAt = clock.GetUtcNow(), ResolutionNote = note };
        state.State.Problems[index] = problem;
        if (state.State.ReviewedAsOf is { } asOf)
        {
            Review(asOf);
        }
        await state.WriteStateAsync();
        await TellRegionAsync();
        return ChangeResult<ProblemView>.Ok(problem);
    }

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

    private ProjectReview ReviewOf(ProjectState s) => new(Id, s.Profile!.Name,
        s.Profile.RegionId, s.Light, s.Warnings.Where(w => w.Status != WarningStatus.Closed).ToList(),
        s.Problems.Where(p => p.Status != ProblemStatus.Resolved).ToList());

    private Task TellRegionAsync()
    {
        var s = state.State;
        var summary = ProjectRules.Summarize(Id, s.Profile!, Milestones(), s.Reports, s.Light, s.ReviewedAsOf ?? clock.ChinaToday());
        return GrainFactory.GetGrain<IRegionGrain>(s.Profile!.RegionId).UpdateProjectAsync(summary);
    }

    private ProjectView View()
    {
        var s = state.State;
        var p = s.Profile!;
        var milestones = Milestones();
        var asOf = s.ReviewedAsOf ?? clock.ChinaToday();
        var latest = s.Reports.LastOrDefault();
        return new ProjectView(Id, p.Name, p.RegionId, p.Kind, ProjectRules.StageOf(p, milestones, asOf), s.Light,
            ProjectRules.TierOf(p.TotalInvestment), p.TotalInvestment, p.AnnualPlanInvestment,
            ProjectRules.InvestmentByYear(s.Reports).FirstOrDefault(y => y.Year == asOf.Year)?.Completed ?? 0m,
            latest?.PercentComplete, p.Industry, p.Company, p.PlannedStart, p.PlannedCompletion, p.Leader, p.Steward,
            milestones, s.Reports, s.Warnings.Where(w => w.Status != WarningStatus.Closed).ToList(), s.Problems, s.ReviewedAsOf,
            s.LightHistory.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new PeriodLight(kv.Key, kv.Value)).ToList());
    }
}
