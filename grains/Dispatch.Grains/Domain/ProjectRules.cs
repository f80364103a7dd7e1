using Dispatch.Contracts;

namespace Dispatch.Grains.Domain;

/// <summary>Validation, stage, tier and roster summary of a project: pure functions of its profile and reports.</summary>
public static class ProjectRules
{
    /// <summary>5 亿 = 50,000 万: city-coordinated (市政府统筹).</summary>
    public const decimal CityCoordinatedFrom = 50_000m;
    /// <summary>1 亿 = 10,000 万: county-coordinated.</summary>
    public const decimal CountyCoordinatedFrom = 10_000m;
    /// <summary>5,000 万: tracked as a key project (重点项目).</summary>
    public const decimal KeyProjectFrom = 5_000m;

    public static ProjectTier TierOf(decimal? totalInvestment) => totalInvestment switch
    {
        >= CityCoordinatedFrom => ProjectTier.CityCoordinated,
        >= CountyCoordinatedFrom => ProjectTier.CountyCoordinated,
        >= KeyProjectFrom => ProjectTier.Key,
        _ => ProjectTier.Ordinary,
    };

    /// <summary>
    /// Checks a profile; <paramref name="regionLevel"/> is the level of its region, null when no such region exists.
    /// Returns every field at fault, so a person can fix them all at once.
    /// </summary>
    public static IReadOnlyList<FieldError> Validate(ProjectProfile profile, RegionLevel? regionLevel, DateOnly today, MilestoneCatalog? catalog = null)
    {
        catalog ??= MilestoneCatalog.Default;
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(profile.Name))
        {
            errors.Add(new("name", "A project needs a name."));
        }
        if (string.IsNullOrWhiteSpace(profile.RegionId))
        {
            errors.Add(new("regionId", "A project needs the id of the district (or city) that owns it."));
        }
        else if (regionLevel is null)
        {
            errors.Add(new("regionId", $"No region '{profile.RegionId}' is known; define it first (PUT /api/regions/{profile.RegionId})."));
        }
        else if (regionLevel == RegionLevel.Province)
        {
            errors.Add(new("regionId", $"'{profile.RegionId}' is a province; a project belongs to a district or a city."));
        }
        if (!Enum.IsDefined(profile.Kind))
        {
            errors.Add(new("kind", "kind must be 'new' (新建) or 'continuing' (续建)."));
        }
        InputRules.CheckText(errors, "name", profile.Name, Limits.MaxShortText);
        InputRules.CheckText(errors, "regionId", profile.RegionId, Limits.MaxShortText);
        InputRules.CheckText(errors, "industry", profile.Industry, Limits.MaxShortText);
        InputRules.CheckText(errors, "leader", profile.Leader, Limits.MaxShortText);
        InputRules.CheckText(errors, "steward", profile.Steward, Limits.MaxShortText);
        InputRules.CheckText(errors, "company", profile.Company, Limits.MaxShortText);
        InputRules.CheckText(errors, "notes", profile.Notes, Limits.MaxLongText);
        InputRules.CheckAmount(errors, "totalInvestment", profile.TotalInvestment);
        InputRules.CheckAmount(errors, "annualPlanInvestment", profile.AnnualPlanInvestment);
        if (profile.TotalInvestment is { } total && profile.AnnualPlanInvestment is { } annual && annual > total)
        {
            errors.Add(new("annualPlanInvestment", $"This year's planned investment ({annual} 万) exceeds the total investment ({total} 万)."));
        }
        InputRules.CheckPlannedDate(errors, "plannedStart", profile.PlannedStart);
        InputRules.CheckPlannedDate(errors, "plannedCompletion", profile.PlannedCompletion);
        if (profile.PlannedStart is { } start && profile.PlannedCompletion is { } completion && completion < start)
        {
            errors.Add(new("plannedCompletion", $"Planned completion {completion:yyyy-MM-dd} is before the planned start {start:yyyy-MM-dd}."));
        }
        var milestones = profile.Milestones ?? [];
        if (!InputRules.CheckCount(errors, "milestones", milestones.Count, Limits.MaxMilestones, "milestones in the plan"))
        {
            return errors;
        }
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < milestones.Count; i++)
        {
            var m = milestones[i];
            var field = $"milestones[{i}]";
            if (m is null || string.IsNullOrWhiteSpace(m.Name))
            {
                errors.Add(new($"{field}.name", "Each milestone needs a name."));
                continue;
            }
            InputRules.CheckText(errors, $"{field}.name", m.Name, Limits.MaxShortText);
            if (!seen.Add(m.Name.Trim()))
            {
                errors.Add(new($"{field}.name", $"Milestone '{m.Name}' appears twice in the plan."));
            }
            InputRules.CheckPlannedDate(errors, $"{field}.plannedDate", m.PlannedDate);
            InputRules.CheckActualDate(errors, $"{field}.actualDate", m.ActualDate, today, $"Milestone '{m.Name}'");
        }
        CheckStageOrder(errors, milestones, catalog);
        return errors;
    }

    /// <summary>Checks a report against the project it is for.</summary>
    public static IReadOnlyList<FieldError> ValidateReport(ProgressReport report, ProjectProfile profile, DateOnly today, MilestoneCatalog? catalog = null)
    {
        catalog ??= MilestoneCatalog.Default;
        var errors = new List<FieldError>();
        if (report.Period is { Length: > Limits.MaxPeriodText })
        {
            errors.Add(new("period", $"period is {report.Period.Length:N0} characters long; a period key has at most {Limits.MaxPeriodText}."));
        }
        else if (!Period.TryParse(report.Period ?? "", out var period))
        {
            errors.Add(new("period", $"'{report.Period}' is not a reporting period; use e.g. 2024-03 (month), 2024-W12 (week) or 2024-03-H1 (half-month)."));
        }
        else if (period.Start > today)
        {
            errors.Add(new("period", $"Period {period.Key} has not begun yet (today is {today:yyyy-MM-dd})."));
        }
        else if (period.End.Year < FirstPlannedYear(profile))
        {
            errors.Add(new("period", $"Period {period.Key} lies before {FirstPlannedYear(profile)}, the first year of the project's plan."));
        }
        InputRules.CheckAmount(errors, "investmentCompleted", report.InvestmentCompleted);
        if (profile.TotalInvestment is { } total && report.InvestmentCompleted > total && report.InvestmentCompleted <= Limits.MaxAmount)
        {
            errors.Add(new("investmentCompleted", $"investmentCompleted ({report.InvestmentCompleted} 万) exceeds the project's total investment ({total} 万)."));
        }
        if (report.PercentComplete is < 0 or > 100)
        {
            errors.Add(new("percentComplete", $"percentComplete must be between 0 and 100, not {report.PercentComplete}."));
        }
        InputRules.CheckText(errors, "narrative", report.Narrative, Limits.MaxLongText);
        var reached = report.MilestonesReached ?? [];
        if (!InputRules.CheckCount(errors, "milestonesReached", reached.Count, Limits.MaxMilestonesReached, "milestones reached in one report"))
        {
            return errors;
        }
        for (var i = 0; i < reached.Count; i++)
        {
            var m = reached[i];
            var field = $"milestonesReached[{i}]";
            if (m is null || string.IsNullOrWhiteSpace(m.Name))
            {
                errors.Add(new($"{field}.name", "Each milestone reached needs a name."));
                continue;
            }
            if (m.Name.Length > Limits.MaxShortText)
            {
                InputRules.CheckText(errors, $"{field}.name", m.Name, Limits.MaxShortText);
                continue;
            }
            if (FindPlanned(profile.Milestones, m.Name, catalog) is null)
            {
                errors.Add(new($"{field}.name", $"The plan has no milestone '{m.Name}'; known: {string.Join(", ", profile.Milestones.Select(p => p.Name))}."));
            }
            InputRules.CheckActualDate(errors, $"{field}.date", m.Date, today, $"Milestone '{m.Name}'");
        }
        return errors;
    }

    /// <summary>
    /// The first year a project can report for: the year of its earliest planned date (planned start or milestone), or
    /// <see cref="Limits.EarliestDate"/>'s year when it has no plan.
    /// </summary>
    public static int FirstPlannedYear(ProjectProfile profile)
    {
        var first = profile.PlannedStart;
        foreach (var m in profile.Milestones ?? [])
        {
            if (m is not null && (first is null || m.PlannedDate < first))
            {
                first = m.PlannedDate;
            }
        }
        return Math.Max(first?.Year ?? Limits.EarliestDate.Year, Limits.EarliestDate.Year);
    }

    /// <summary>
    /// The plan's milestone a report names: the one of that very name, else the one standing for the same name
    /// (a report of 正式开工 reaches the plan's 开工).
    /// </summary>
    public static Milestone? FindPlanned(IReadOnlyList<Milestone> plan, string name, MilestoneCatalog? catalog = null)
    {
        catalog ??= MilestoneCatalog.Default;
        return plan.FirstOrDefault(p => string.Equals(p.Name.Trim(), name.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? plan.FirstOrDefault(p => catalog.SameMilestone(p.Name, name));
    }

    /// <summary>The plan with the actual dates that reports added to it.</summary>
    public static IReadOnlyList<Milestone> EffectiveMilestones(ProjectProfile profile, IReadOnlyDictionary<string, DateOnly> reached) =>
        profile.Milestones
            .Select(m => m.ActualDate is null && reached.TryGetValue(m.Name.Trim(), out var date) ? m with { ActualDate = date } : m)
            .ToList();

    /// <summary>
    /// The stage follows from the milestones reached by <paramref name="asOf"/> (names matched through the catalog's
    /// aliases). A declared stage is a floor, but the stage is 开工 (started) or later only once the project has started
    /// (<see cref="IsStarted"/>): a declared stage of started or later counts from the day 开工 or 复工 is reached, and
    /// before then the stage is at most 前期手续 (approvals).
    /// </summary>
    public static ProjectStage StageOf(ProjectProfile profile, IReadOnlyList<Milestone> milestones, DateOnly asOf, MilestoneCatalog? catalog = null)
    {
        catalog ??= MilestoneCatalog.Default;
        var stage = profile.DeclaredStage ?? ProjectStage.Planned;
        foreach (var m in milestones)
        {
            if (m.ActualDate is { } actual && actual <= asOf && catalog.StageOf(m.Name) is { } reachedStage && reachedStage > stage)
            {
                stage = reachedStage;
            }
        }
        return stage >= ProjectStage.Started && !IsStarted(milestones, asOf, catalog) ? Min(stage, ProjectStage.Approvals) : stage;
    }

    private static ProjectStage Min(ProjectStage a, ProjectStage b) => a < b ? a : b;

    /// <summary>
    /// The one definition of "started" (开工 for a new project, 复工 for a continuing one): the first day a 开工 or 复工
    /// milestone (or a variant of either) was reached, null when none has been. Rules, rates, stage and views all use it.
    /// </summary>
    public static DateOnly? StartedOn(IReadOnlyList<Milestone> milestones, MilestoneCatalog? catalog = null)
    {
        catalog ??= MilestoneCatalog.Default;
        DateOnly? first = null;
        foreach (var m in milestones)
        {
            if (m.ActualDate is { } actual && (first is null || actual < first) && catalog.IsStart(m.Name))
            {
                first = actual;
            }
        }
        return first;
    }

    /// <summary>Started (开工 or 复工 reached) on or before <paramref name="asOf"/>.</summary>
    public static bool IsStarted(IReadOnlyList<Milestone> milestones, DateOnly asOf, MilestoneCatalog? catalog = null) =>
        StartedOn(milestones, catalog) is { } started && started <= asOf;

    /// <summary>The 开工 (new) or 复工 (continuing) milestone, or a variant of it, if the plan has one; else any start milestone.</summary>
    public static Milestone? StartMilestone(ProjectKind kind, IReadOnlyList<Milestone> milestones, MilestoneCatalog? catalog = null)
    {
        catalog ??= MilestoneCatalog.Default;
        var name = MilestoneCatalog.StartName(kind);
        return milestones.FirstOrDefault(m => string.Equals(catalog.Canonical(m.Name), name, StringComparison.OrdinalIgnoreCase))
            ?? milestones.FirstOrDefault(m => catalog.IsStart(m.Name));
    }

    /// <summary>
    /// When the project is due to start (resume) in <paramref name="year"/>: its start milestone's planned date, else its
    /// planned start. Null when it has neither.
    /// </summary>
    public static DateOnly? PlannedStartOf(ProjectKind kind, IReadOnlyList<Milestone> milestones, DateOnly? plannedStart, MilestoneCatalog? catalog = null) =>
        StartMilestone(kind, milestones, catalog)?.PlannedDate ?? plannedStart;

    /// <summary>
    /// Investment completed per year: the latest report of each year (reports carry the year's running total).
    /// A report counts in the year its period ends in (2025-W01, 2024-12-30 to 2025-01-05, is a 2025 report; 2024-W01
    /// starts on 2024-01-01 and is a 2024 report). "Latest" is by the day its figure stands at: the end of its period,
    /// or the day it was received when that came first (a yearly report filed in March is the figure of March, and a
    /// monthly report for April filed later in the year supersedes it).
    /// </summary>
    public static IReadOnlyList<YearInvestment> InvestmentByYear(IEnumerable<ProgressReport> reports)
    {
        // Every review and every report computes this: one pass, no grouping.
        var latest = new SortedList<int, (DateOnly AsOf, DateTimeOffset ReceivedAt, decimal Completed)>();
        foreach (var report in reports)
        {
            var end = Period.Parse(report.Period).End;
            var asOf = FigureDate(end, report.ReceivedAt);
            if (!latest.TryGetValue(end.Year, out var seen) || (asOf, report.ReceivedAt).CompareTo((seen.AsOf, seen.ReceivedAt)) >= 0)
            {
                latest[end.Year] = (asOf, report.ReceivedAt, report.InvestmentCompleted);
            }
        }
        var years = new List<YearInvestment>(latest.Count);
        foreach (var (year, (_, _, completed)) in latest)
        {
            years.Add(new YearInvestment(year, completed));
        }
        return years;
    }

    /// <summary>The day a report's figure stands at: the end of its period, or the (China) day it was received if earlier.</summary>
    private static DateOnly FigureDate(DateOnly end, DateTimeOffset receivedAt)
    {
        if (receivedAt == default)
        {
            return end;
        }
        var received = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(receivedAt, Period.ChinaStandardTime).DateTime);
        return received < end ? received : end;
    }

    /// <summary>
    /// The year-to-date figures of the reports as they stood, the latest of each month per year (reports carry the
    /// year's running total; see <see cref="InvestmentByYear"/> for which report counts in which year and when).
    /// </summary>
    public static IReadOnlyList<InvestmentFigure> InvestmentFigures(IEnumerable<ProgressReport> reports)
    {
        var latest = new SortedList<(int Year, int Month), (DateOnly AsOf, DateTimeOffset ReceivedAt, decimal Completed)>();
        foreach (var report in reports)
        {
            var end = Period.Parse(report.Period).End;
            var asOf = FigureDate(end, report.ReceivedAt);
            var key = (end.Year, asOf.Year == end.Year ? asOf.Month : 1);
            if (!latest.TryGetValue(key, out var seen) || (asOf, report.ReceivedAt).CompareTo((seen.AsOf, seen.ReceivedAt)) >= 0)
            {
                latest[key] = (asOf, report.ReceivedAt, report.InvestmentCompleted);
            }
        }
        return latest.Select(kv => new InvestmentFigure(kv.Key.Year, kv.Value.AsOf, kv.Value.Completed)).OrderBy(f => f.AsOf).ToList();
    }

    /// <summary>What the project's region keeps of it: the current year's plan, its annual list, dated lights and figures.</summary>
    public static ProjectSummary Summarize(string projectId, ProjectProfile profile, IReadOnlyList<Milestone> milestones,
        IEnumerable<ProgressReport> reports, Light light, DateOnly asOf, IReadOnlyList<AnnualPlan> plans,
        IReadOnlyList<LightChange> lightChanges, MilestoneCatalog? catalog = null)
    {
        catalog ??= MilestoneCatalog.Default;
        var reportList = reports as IReadOnlyCollection<ProgressReport> ?? reports.ToList();
        var current = plans.FirstOrDefault(p => p.Year == asOf.Year);
        return new ProjectSummary(
            projectId,
            current?.Kind ?? profile.Kind,
            light,
            current is null ? PlannedStartOf(profile.Kind, milestones, profile.PlannedStart, catalog) : current.PlannedStart,
            current is null ? StartedOn(milestones, catalog) : current.ActualStart,
            current?.PlannedInvestment ?? 0m,
            InvestmentByYear(reportList),
            StageOf(profile, milestones, asOf, catalog),
            plans,
            profile.TotalInvestment,
            AnnualList.PlannedOn(milestones, ProjectStage.Completed, catalog) ?? profile.PlannedCompletion,
            AnnualList.ReachedOn(milestones, ProjectStage.Completed, catalog),
            AnnualList.PlannedOn(milestones, ProjectStage.InProduction, catalog),
            AnnualList.ReachedOn(milestones, ProjectStage.InProduction, catalog),
            lightChanges,
            InvestmentFigures(reportList));
    }

    private static void CheckStageOrder(List<FieldError> errors, IReadOnlyList<Milestone> milestones, MilestoneCatalog catalog)
    {
        var started = milestones.Select((m, i) => (m, i)).FirstOrDefault(x => x.m is not null && catalog.StageOf(x.m.Name ?? "") == ProjectStage.Started);
        if (started.m is null)
        {
            return;
        }
        for (var i = 0; i < milestones.Count; i++)
        {
            var m = milestones[i];
            if (m?.Name is null || catalog.StageOf(m.Name) is not (ProjectStage.Completed or ProjectStage.InProduction or ProjectStage.FullCapacity))
            {
                continue;
            }
            if (m.ActualDate is not null && started.m.ActualDate is null)
            {
                errors.Add(new($"milestones[{i}].actualDate", $"'{m.Name}' cannot be reached before the project has started ('{started.m.Name}' has no actual date)."));
            }
            else if (m.ActualDate is { } done && started.m.ActualDate is { } begun && done < begun)
            {
                errors.Add(new($"milestones[{i}].actualDate", $"'{m.Name}' on {done:yyyy-MM-dd} is before '{started.m.Name}' on {begun:yyyy-MM-dd}."));
            }
            if (m.PlannedDate < started.m.PlannedDate)
            {
                errors.Add(new($"milestones[{i}].plannedDate", $"'{m.Name}' is planned for {m.PlannedDate:yyyy-MM-dd}, before '{started.m.Name}' ({started.m.PlannedDate:yyyy-MM-dd})."));
            }
        }
    }
}
