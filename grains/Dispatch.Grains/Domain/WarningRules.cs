using Dispatch.Contracts;

namespace Dispatch.Grains.Domain;

/// <summary>Thresholds of the warning rules; defaults are those of real city platforms (see README).</summary>
public sealed record WarningThresholds
{
    /// <summary>A milestone overdue by more than this many days is red; by fewer, yellow.</summary>
    public int MilestoneRedAfterDays { get; init; } = 15;
    /// <summary>序时进度 gap (fraction of the annual plan) from which investment is yellow.</summary>
    public decimal InvestmentYellowBehind { get; init; } = 0.10m;
    /// <summary>序时进度 gap beyond which investment is red.</summary>
    public decimal InvestmentRedBehind { get; init; } = 0.30m;
    /// <summary>Day of the year by which continuing projects (续建) must have resumed, as MM-dd.</summary>
    public string ResumeDeadline { get; init; } = "04-30";
    /// <summary>Day of the year by which new projects (新建) must have started, as MM-dd.</summary>
    public string StartDeadline { get; init; } = "06-30";
    /// <summary>The period in which a project under construction must report (填报) at least once.</summary>
    public Cadence ReportingCadence { get; init; } = Cadence.Monthly;
    /// <summary>
    /// The report for a period is due by this day of the next period (每月5日前报上月: the March report by 5 April);
    /// "no progress report" fires from the day after. Held to the length of the next period.
    /// </summary>
    public int ReportDueDay { get; init; } = 5;

    /// <summary>The region's deadline (应开尽开) for a kind of project in a year.</summary>
    public DateOnly DeadlineFor(ProjectKind kind, int year)
    {
        var text = kind == ProjectKind.New ? StartDeadline : ResumeDeadline;
        return DateOnly.ParseExact($"{year}-{text}", "yyyy-MM-dd");
    }

    /// <summary>The last day on which the report for <paramref name="period"/> is on time.</summary>
    public DateOnly ReportDueBy(Period period)
    {
        var next = period.Next();
        var day = Math.Clamp(ReportDueDay, 1, next.DayCount);
        return next.Start.AddDays(day - 1);
    }

    /// <summary>The latest period of <see cref="ReportingCadence"/> whose report is due (its due day has passed) on <paramref name="asOf"/>.</summary>
    public Period PeriodDueOn(DateOnly asOf)
    {
        var previous = Period.Of(ReportingCadence, asOf).Previous();
        return asOf > ReportDueBy(previous) ? previous : previous.Previous();
    }
}

/// <summary>
/// What the rules read of a project. <see cref="Stage"/> is <see cref="ProjectRules.StageOf"/> as of the review;
/// milestone names are read through <see cref="Catalog"/> (its aliases).
/// </summary>
public sealed record ProjectFacts(
    ProjectKind Kind,
    ProjectStage Stage,
    decimal? AnnualPlanInvestment,
    IReadOnlyList<Milestone> Milestones,
    DateOnly? PlannedStart,
    IReadOnlyList<YearInvestment> InvestmentByYear,
    IReadOnlyList<string> ReportPeriods,
    IReadOnlyList<ProblemView> Problems)
{
    /// <summary>The milestone names and their variants (<c>Dispatch:Milestones:Aliases</c>).</summary>
    public MilestoneCatalog Catalog { get; init; } = MilestoneCatalog.Default;

    /// <summary>The project's own planned start (resume) date: its 开工/复工 milestone's planned date, else <see cref="PlannedStart"/>.</summary>
    public DateOnly? PlannedStartDate => ProjectRules.PlannedStartOf(Kind, Milestones, PlannedStart, Catalog);

    /// <summary>
    /// The project's line on the review year's list (<see cref="AnnualList"/>), or null when the review has no list
    /// (then <see cref="AnnualPlanInvestment"/> and the planned start stand for it). Projects reviewed by a grain
    /// always have one: <see cref="OffTheList"/> when the project is not on that year's list.
    /// </summary>
    public AnnualPlan? Plan { get; init; }

    /// <summary>A plan that takes a project off a year's list: not judged on that year's investment or start.</summary>
    public static AnnualPlan OffTheList(int year, ProjectKind kind) =>
        new(year, kind, PlanListing.Withdrawn, null, null, null, null, null, null, null, null, null, PlanOrigin.PlannedStart);
}

/// <summary>A cause found by a rule: (rule, subject) identifies it within a project.</summary>
public sealed record WarningFinding(WarningRule Rule, string Subject, Light Level, string Reason);

/// <summary>The warning rules (预警规则): pure functions of a project's facts and an as-of date.</summary>
public static class WarningRules
{
    public static IReadOnlyList<WarningFinding> Evaluate(ProjectFacts facts, DateOnly asOf, WarningThresholds thresholds)
    {
        var findings = new List<WarningFinding>();
        findings.AddRange(MilestoneOverdue(facts, asOf, thresholds));
        if (InvestmentBehindPlan(facts, asOf, thresholds) is { } investment)
        {
            findings.Add(investment);
        }
        if (NotStartedByDeadline(facts, asOf, thresholds) is { } notStarted)
        {
            findings.Add(notStarted);
        }
        if (NoProgressReport(facts, asOf, thresholds) is { } noReport)
        {
            findings.Add(noReport);
        }
        findings.AddRange(ProblemOverdue(facts, asOf));
        return findings;
    }

    /// <summary>倒排工期: planned date passed and not reached; red when more than the threshold overdue.</summary>
    public static IEnumerable<WarningFinding> MilestoneOverdue(ProjectFacts facts, DateOnly asOf, WarningThresholds t)
    {
        foreach (var m in facts.Milestones)
        {
            var reached = m.ActualDate is { } actual && actual <= asOf;
            if (reached || m.PlannedDate >= asOf)
            {
                continue;
            }
            var days = asOf.DayNumber - m.PlannedDate.DayNumber;
            var level = days > t.MilestoneRedAfterDays ? Light.Red : Light.Yellow;
            yield return new(WarningRule.MilestoneOverdue, m.Name,
                level, $"节点「{m.Name}」计划 {m.PlannedDate:yyyy-MM-dd}，已逾期 {days} 天未完成 (milestone '{m.Name}' planned {m.PlannedDate:yyyy-MM-dd}, {days} days overdue)");
        }
    }

    /// <summary>
    /// 序时进度: investment completed this year against the time-proportional annual plan, counted from the day the
    /// project is due to start (resume) this year (its planned 开工/复工 date, else its planned start, when that falls in
    /// this year; 1 January when it fell in an earlier year or is not known). A project not yet due to start, this year
    /// or in a later one, is not judged on investment.
    /// </summary>
    public static WarningFinding? InvestmentBehindPlan(ProjectFacts facts, DateOnly asOf, WarningThresholds t)
    {
        if (facts.Stage >= ProjectStage.Completed || DueShare(facts, asOf) is not { } due)
        {
            return null;
        }
        var (plan, expected) = due;
        var done = facts.InvestmentByYear.FirstOrDefault(y => y.Year == asOf.Year)?.Completed ?? 0m;
        var gap = expected - done / plan;
        var level = gap > t.InvestmentRedBehind ? Light.Red : gap >= t.InvestmentYellowBehind ? Light.Yellow : (Light?)null;
        if (level is null)
        {
            return null;
        }
        return new(WarningRule.InvestmentBehindPlan, asOf.Year.ToString(System.Globalization.CultureInfo.InvariantCulture), level.Value,
            $"年度投资完成 {done} 万元，为计划 {plan} 万元的 {done / plan:P1}，落后序时进度 {gap * 100:0.0} 个百分点 (investment {gap * 100:0.0} points behind the time-proportional plan)");
    }

    /// <summary>
    /// The year's planned investment and the share of it due by <paramref name="asOf"/> (序时进度), or null when the
    /// project is not judged on investment: not on the year's list, nothing planned, or not yet due to start. The share
    /// follows the monthly plan (分月计划) when one is given, else runs evenly from the planned start (resume) to 31 December.
    /// </summary>
    public static (decimal Plan, decimal Share)? DueShare(ProjectFacts facts, DateOnly asOf)
    {
        if (facts.Plan is { } plan)
        {
            if (!plan.OnList || plan.Year != asOf.Year || plan.PlannedInvestment is not > 0m)
            {
                return null;
            }
            var from = plan.PlannedStart is { } start && start.Year == asOf.Year ? start : new DateOnly(asOf.Year, 1, 1);
            if (asOf < from)
            {
                return null;
            }
            return (plan.PlannedInvestment.Value, plan.MonthlyPlan is { Count: 12 } months ? AnnualList.MonthlyShare(months, asOf) : ElapsedShare(from, asOf));
        }
        if (facts.AnnualPlanInvestment is not > 0m || ProgressFrom(facts, asOf.Year) is not { } since || asOf < since)
        {
            return null;
        }
        return (facts.AnnualPlanInvestment.Value, ElapsedShare(since, asOf));
    }

    /// <summary>
    /// The day 序时进度 of <paramref name="year"/> counts from: the planned start (resume) when it falls in that year,
    /// 1 January when it fell earlier or is not known, null when it falls in a later year (not due this year).
    /// </summary>
    public static DateOnly? ProgressFrom(ProjectFacts facts, int year) => facts.PlannedStartDate switch
    {
        { } planned when planned.Year > year => null,
        { } planned when planned.Year == year => planned,
        _ => new DateOnly(year, 1, 1),
    };

    /// <summary>
    /// The share of the plan due by <paramref name="asOf"/> when it runs from <paramref name="from"/> to 31 December:
    /// days from <paramref name="from"/> through <paramref name="asOf"/>, both included, over the days from
    /// <paramref name="from"/> through 31 December. 31 December gives exactly 1; from 1 January it is the share of the year elapsed.
    /// </summary>
    public static decimal ElapsedShare(DateOnly from, DateOnly asOf)
    {
        if (asOf < from)
        {
            return 0m;
        }
        var yearEnd = new DateOnly(from.Year, 12, 31);
        var end = asOf < yearEnd ? asOf : yearEnd;
        return (decimal)(end.DayNumber - from.DayNumber + 1) / (yearEnd.DayNumber - from.DayNumber + 1);
    }

    /// <summary>
    /// 应开尽开: planned to start or resume this year and not begun by its deadline, the later of the region's deadline
    /// (<see cref="WarningThresholds.StartDeadline"/>, <see cref="WarningThresholds.ResumeDeadline"/>) and the project's
    /// own planned date: a project planned for September is late from the day after its planned date, not on 1 July.
    /// </summary>
    public static WarningFinding? NotStartedByDeadline(ProjectFacts facts, DateOnly asOf, WarningThresholds t)
    {
        ProjectKind kind;
        DateOnly? plannedDate;
        bool started;
        if (facts.Plan is { } plan)
        {
            // The year's list: its kind, its own planned date (none for a carried-over plan: the region's deadline), its own start.
            if (!plan.OnList || plan.Year != asOf.Year || facts.Stage >= ProjectStage.Completed)
            {
                return null;
            }
            (kind, plannedDate, started) = (plan.Kind, plan.PlannedStart, plan.ActualStart is { } actual && actual <= asOf);
        }
        else if (facts.PlannedStartDate is { } date && date.Year == asOf.Year)
        {
            (kind, plannedDate, started) = (facts.Kind, date, ProjectRules.IsStarted(facts.Milestones, asOf, facts.Catalog));
        }
        else
        {
            return null;
        }
        var regional = t.DeadlineFor(kind, asOf.Year);
        var deadline = plannedDate is { } own && own > regional ? own : regional;
        if (started || asOf <= deadline)
        {
            return null;
        }
        var verb = kind == ProjectKind.New ? "开工" : "复工";
        return new(WarningRule.NotStartedByDeadline, asOf.Year.ToString(System.Globalization.CultureInfo.InvariantCulture), Light.Red,
            $"截至 {deadline:yyyy-MM-dd} 应{verb}而未{verb} (not {(kind == ProjectKind.New ? "started" : "resumed")} by the deadline {deadline:yyyy-MM-dd})");
    }

    /// <summary>
    /// 未填报: a project under construction without a report for the period that is due. The report for a period is due
    /// by <see cref="WarningThresholds.ReportDueDay"/> of the next period (每月5日前报上月), so on 3 April nothing is asked
    /// for March and on 6 April March's report is. It is asked of projects started by the end of that period and not
    /// completed. A report of that period, or of a shorter one (a week, a half-month) ending in it, counts; a report of
    /// another period does not (February's says nothing about March), nor does a longer one (a quarterly or yearly
    /// report never stands in for a monthly one).
    /// </summary>
    public static WarningFinding? NoProgressReport(ProjectFacts facts, DateOnly asOf, WarningThresholds t)
    {
        if (facts.Stage >= ProjectStage.Completed)
        {
            return null;
        }
        var due = t.PeriodDueOn(asOf);
        if (ProjectRules.StartedOn(facts.Milestones, facts.Catalog) is not { } started || started > due.End)
        {
            return null;
        }
        var reported = facts.ReportPeriods.Any(key => Period.TryParse(key, out var p) && p.Cadence <= due.Cadence && due.Contains(p.End));
        var by = t.ReportDueBy(due);
        return reported ? null : new(WarningRule.NoProgressReport, due.Key, Light.Yellow,
            $"{due.Key} 未填报进度，应于 {by:yyyy-MM-dd} 前填报 (no progress report for {due.Key}, due by {by:yyyy-MM-dd})");
    }

    /// <summary>A problem (问题) past its deadline and not solved: neither reported solved (办结) nor closed out.</summary>
    public static IEnumerable<WarningFinding> ProblemOverdue(ProjectFacts facts, DateOnly asOf)
    {
        foreach (var p in facts.Problems)
        {
            if (p.Status is ProblemStatus.Raised or ProblemStatus.Accepted && p.Deadline < asOf)
            {
                yield return new(WarningRule.ProblemOverdue, p.Id, Light.Red,
                    $"问题「{p.Title}」限期 {p.Deadline:yyyy-MM-dd} 未解决 (problem '{p.Title}' past its deadline {p.Deadline:yyyy-MM-dd})");
            }
        }
    }

    /// <summary>A project's light is the worst of its open warnings.</summary>
    public static Light LightOf(IEnumerable<Light> openWarningLevels) => openWarningLevels.DefaultIfEmpty(Light.Green).Max();
}
