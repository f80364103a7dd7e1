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

    public DateOnly DeadlineFor(ProjectKind kind, int year)
    {
        var text = kind == ProjectKind.New ? StartDeadline : ResumeDeadline;
        return DateOnly.ParseExact($"{year}-{text}", "yyyy-MM-dd");
    }
}

/// <summary>What the rules read of a project.</summary>
public sealed record ProjectFacts(
    ProjectKind Kind,
    ProjectStage Stage,
    decimal? AnnualPlanInvestment,
    IReadOnlyList<Milestone> Milestones,
    DateOnly? PlannedStart,
    IReadOnlyList<YearInvestment> InvestmentByYear,
    IReadOnlyList<string> ReportPeriods,
    IReadOnlyList<ProblemView> Problems);

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

    /// <summary>序时进度: investment completed this year against the time-proportional annual plan.</summary>
    public static WarningFinding? InvestmentBehindPlan(ProjectFacts facts, DateOnly asOf, WarningThresholds t)
    {
        if (facts.AnnualPlanInvestment is not > 0m || facts.Stage >= ProjectStage.Completed)
        {
            return null;
        }
        var plan = facts.AnnualPlanInvestment.Value;
        var done = facts.InvestmentByYear.FirstOrDefault(y => y.Year == asOf.Year)?.Completed ?? 0m;
        var expected = Period.YearElapsedFraction(asOf);
        var gap = expected - done / plan;
        var level = gap > t.InvestmentRedBehind ? Light.Red : gap >= t.InvestmentYellowBehind ? Light.Yellow : (Light?)null;
        if (level is null)
        {
            return null;
        }
        return new(WarningRule.InvestmentBehindPlan, asOf.Year.ToString(System.Globalization.CultureInfo.InvariantCulture), level.Value,
            $"年度投资完成 {done} 万元，为计划 {plan} 万元的 {done / plan:P1}，落后序时进度 {gap * 100:0.0} 个百分点 (investment {gap * 100:0.0} points behind the time-proportional plan)");
    }

    /// <summary>应开尽开: planned to start or resume this year and not begun by the region's deadline.</summary>
    public static WarningFinding? NotStartedByDeadline(ProjectFacts facts, DateOnly asOf, WarningThresholds t)
    {
        var start = ProjectRules.StartMilestone(facts.Kind, facts.Milestones);
        var planned = start?.PlannedDate ?? facts.PlannedStart;
        if (planned is not { } plannedDate || plannedDate.Year != asOf.Year)
        {
            return null;
        }
        var deadline = t.DeadlineFor(facts.Kind, asOf.Year);
        var begun = start?.ActualDate is { } actual && actual <= asOf || facts.Stage >= ProjectStage.Started;
        if (begun || asOf <= deadline)
        {
            return null;
        }
        var verb = facts.Kind == ProjectKind.New ? "开工" : "复工";
        return new(WarningRule.NotStartedByDeadline, asOf.Year.ToString(System.Globalization.CultureInfo.InvariantCulture), Light.Red,
            $"截至 {deadline:yyyy-MM-dd} 应{verb}而未{verb} (not {(facts.Kind == ProjectKind.New ? "started" : "resumed")} by the deadline {deadline:yyyy-MM-dd})");
    }

    /// <summary>A project under construction that has not reported in the current reporting period.</summary>
    public static WarningFinding? NoProgressReport(ProjectFacts facts, DateOnly asOf, WarningThresholds t)
    {
        if (facts.Stage is < ProjectStage.Started or >= ProjectStage.Completed)
        {
            return null;
        }
        var current = Period.Of(t.ReportingCadence, asOf);
        var reported = facts.ReportPeriods.Any(key => Period.TryParse(key, out var p) && p.Start <= current.End && p.End >= current.Start);
        return reported ? null : new(WarningRule.NoProgressReport, current.Key, Light.Yellow,
            $"{current.Key} 未填报进度 (no progress report for {current.Key})");
    }

    /// <summary>A problem (问题) past its deadline and not resolved.</summary>
    public static IEnumerable<WarningFinding> ProblemOverdue(ProjectFacts facts, DateOnly asOf)
    {
        foreach (var p in facts.Problems)
        {
            if (p.Status != ProblemStatus.Resolved && p.Deadline < asOf)
            {
                yield return new(WarningRule.ProblemOverdue, p.Id, Light.Red,
                    $"问题「{p.Title}」限期 {p.Deadline:yyyy-MM-dd} 未解决 (problem '{p.Title}' past its deadline {p.Deadline:yyyy-MM-dd})");
            }
        }
    }

    /// <summary>A project's light is the worst of its open warnings.</summary>
    public static Light LightOf(IEnumerable<Light> openWarningLevels) => openWarningLevels.DefaultIfEmpty(Light.Green).Max();
}
