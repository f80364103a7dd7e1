using Dispatch.Contracts;
using Dispatch.Grains.Domain;

namespace Dispatch.Tests.Domain;

/// <summary>
/// Each rule at its thresholds: one day before, on, and after, under an office's normal practice (reports for a month
/// filed in the first days of the next, projects starting in September, projects in their second year). Every expected
/// value says beside it how an office works it out by hand.
/// </summary>
public sealed class WarningRulesTests
{
    private static readonly WarningThresholds s_defaults = new();

    private static ProjectFacts Facts(ProjectKind kind = ProjectKind.New, ProjectStage stage = ProjectStage.Approvals, decimal? plan = null,
        Milestone[]? milestones = null, decimal done = 0m, string[]? reports = null, ProblemView[]? problems = null, DateOnly? plannedStart = null) =>
        new(kind, stage, plan, milestones ?? [], plannedStart, [new YearInvestment(2024, done)], reports ?? [], problems ?? []);

    /// <summary>A new project that started (开工) on 15 January 2024 and is under construction.</summary>
    private static ProjectFacts UnderConstruction(params string[] reports) =>
        Facts(stage: ProjectStage.Started, milestones: [new Milestone("开工", new(2024, 1, 15), new(2024, 1, 15))], reports: reports);

    [Theory]
    [InlineData("2024-03-01", null)]
    [InlineData("2024-03-02", Light.Yellow)]
    [InlineData("2024-03-16", Light.Yellow)]
    [InlineData("2024-03-17", Light.Red)]
    public void Milestone_overdue_is_yellow_then_red_after_15_days(string asOf, Light? expected)
    {
        var facts = Facts(milestones: [new Milestone("开工", new(2024, 3, 1))]);
        var finding = WarningRules.MilestoneOverdue(facts, DateOnly.Parse(asOf), s_defaults).SingleOrDefault();
        Assert.Equal(expected, finding?.Level);
        if (finding is not null)
        {
            Assert.Equal(("开工", WarningRule.MilestoneOverdue), (finding.Subject, finding.Rule));
        }
    }

    [Fact]
    public void A_milestone_reached_is_not_overdue_but_one_reached_after_the_as_of_date_still_is()
    {
        Assert.Empty(WarningRules.MilestoneOverdue(Facts(milestones: [new Milestone("开工", new(2024, 3, 1), new(2024, 3, 5))]), new(2024, 3, 20), s_defaults));
        Assert.Single(WarningRules.MilestoneOverdue(Facts(milestones: [new Milestone("开工", new(2024, 3, 1), new(2024, 3, 25))]), new(2024, 3, 20), s_defaults));
    }

    [Theory]
    [InlineData(901, null)]
    [InlineData(900, Light.Yellow)]
    [InlineData(700, Light.Yellow)]
    [InlineData(699, Light.Red)]
    public void Investment_behind_the_time_proportional_plan_is_yellow_from_10_points_and_red_beyond_30(int done, Light? expected)
    {
        // On 31 December the whole annual plan (1,000 万) is due.
        var finding = WarningRules.InvestmentBehindPlan(Facts(plan: 1000m, done: done), new(2024, 12, 31), s_defaults);
        Assert.Equal(expected, finding?.Level);
    }

    [Fact]
    public void Investment_is_measured_against_the_share_of_the_year_elapsed()
    {
        // 2024-07-01 is day 183 of 366: half the plan is due, so 400 of 1,000 is exactly 10 points behind.
        Assert.Equal(Light.Yellow, WarningRules.InvestmentBehindPlan(Facts(plan: 1000m, done: 400m), new(2024, 7, 1), s_defaults)?.Level);
        Assert.Null(WarningRules.InvestmentBehindPlan(Facts(plan: 1000m, done: 401m), new(2024, 7, 1), s_defaults));
        Assert.Null(WarningRules.InvestmentBehindPlan(Facts(plan: null, done: 0m), new(2024, 12, 31), s_defaults));
        Assert.Null(WarningRules.InvestmentBehindPlan(Facts(plan: 1000m, stage: ProjectStage.Completed), new(2024, 12, 31), s_defaults));
    }

    [Theory]
    // Due to start on 1 September: not yet due in April or on 31 August, so not behind with nothing done.
    [InlineData("2024-04-15", 0, null)]
    [InlineData("2024-08-31", 0, null)]
    // On 1 September 1 day of the 122 from 1 September to 31 December is due: 0.8 % of the plan, not 10 points behind.
    [InlineData("2024-09-01", 0, null)]
    // On 30 November 91 of those 122 days have passed (30 + 31 + 30): 74.59 % of 1,000 万 is due, 745.9 万.
    // 646 万 is 9.99 points behind (green); 645 万 is 10.09 points behind (yellow).
    [InlineData("2024-11-30", 646, null)]
    [InlineData("2024-11-30", 645, Light.Yellow)]
    // 446 万 is 29.99 points behind (still yellow); 445 万 is 30.09 points behind (red).
    [InlineData("2024-11-30", 446, Light.Yellow)]
    [InlineData("2024-11-30", 445, Light.Red)]
    // Nothing done by 30 November: 74.6 points behind.
    [InlineData("2024-11-30", 0, Light.Red)]
    public void Time_proportional_progress_runs_from_the_planned_start_in_september(string asOf, int done, Light? expected)
    {
        var facts = Facts(plan: 1000m, done: done, milestones: [new Milestone("开工", new(2024, 9, 1))]);
        Assert.Equal(expected, WarningRules.InvestmentBehindPlan(facts, DateOnly.Parse(asOf), s_defaults)?.Level);
        // The same when the plan has no 开工 node and only a planned start.
        Assert.Equal(expected, WarningRules.InvestmentBehindPlan(Facts(plan: 1000m, done: done, plannedStart: new(2024, 9, 1)), DateOnly.Parse(asOf), s_defaults)?.Level);
    }

    [Fact]
    public void A_project_in_its_second_year_is_judged_from_1_January()
    {
        // Started on 1 September 2023; in 2024 its year runs from 1 January: on 1 July, day 183 of 366, half the
        // plan is due, so 400 of 1,000 万 is exactly 10 points behind (yellow) and 401 万 is not.
        var started = new Milestone("开工", new(2023, 9, 1), new(2023, 9, 1));
        Assert.Equal(Light.Yellow, WarningRules.InvestmentBehindPlan(Facts(stage: ProjectStage.Started, plan: 1000m, done: 400m, milestones: [started]), new(2024, 7, 1), s_defaults)?.Level);
        Assert.Null(WarningRules.InvestmentBehindPlan(Facts(stage: ProjectStage.Started, plan: 1000m, done: 401m, milestones: [started]), new(2024, 7, 1), s_defaults));
    }

    [Fact]
    public void A_project_due_to_start_next_year_is_not_judged_on_investment()
    {
        // Planned to start on 1 March 2025: nothing of its plan is due in 2024, even on 31 December.
        Assert.Null(WarningRules.InvestmentBehindPlan(Facts(plan: 1000m, plannedStart: new(2025, 3, 1)), new(2024, 12, 31), s_defaults));
    }

    [Theory]
    // From 1 January: 1 July 2024 is day 183 of 366, exactly half.
    [InlineData("2024-01-01", "2024-07-01", 0.5)]
    [InlineData("2024-01-01", "2024-12-31", 1.0)]
    // From 1 September: 1 of 122 days, then all 122.
    [InlineData("2024-09-01", "2024-09-01", 0.00819672131147541)]
    [InlineData("2024-09-01", "2024-12-31", 1.0)]
    [InlineData("2024-09-01", "2024-08-31", 0.0)]
    public void The_share_due_counts_days_from_the_start_through_31_December(string from, string asOf, double share) =>
        Assert.Equal(share, (double)WarningRules.ElapsedShare(DateOnly.Parse(from), DateOnly.Parse(asOf)), 12);

    [Theory]
    [InlineData(ProjectKind.New, "2024-06-29", false)]
    [InlineData(ProjectKind.New, "2024-06-30", false)]
    [InlineData(ProjectKind.New, "2024-07-01", true)]
    [InlineData(ProjectKind.Continuing, "2024-04-29", false)]
    [InlineData(ProjectKind.Continuing, "2024-04-30", false)]
    [InlineData(ProjectKind.Continuing, "2024-05-01", true)]
    public void Not_started_by_the_regions_deadline_is_red(ProjectKind kind, string asOf, bool red)
    {
        var name = kind == ProjectKind.New ? "开工" : "复工";
        var finding = WarningRules.NotStartedByDeadline(Facts(kind, milestones: [new Milestone(name, new(2024, 4, 1))]), DateOnly.Parse(asOf), s_defaults);
        Assert.Equal(red ? Light.Red : null, finding?.Level);
        var started = Facts(kind, ProjectStage.Started, milestones: [new Milestone(name, new(2024, 4, 1), new(2024, 4, 2))]);
        Assert.Null(WarningRules.NotStartedByDeadline(started, DateOnly.Parse(asOf), s_defaults));
    }

    [Theory]
    // A new project planned for 1 September is due on 1 September, not by 30 June: not red on 1 July nor on 1 September.
    [InlineData(ProjectKind.New, "2024-09-01", "2024-07-01", false)]
    [InlineData(ProjectKind.New, "2024-09-01", "2024-09-01", false)]
    // It is late from the day after its planned date.
    [InlineData(ProjectKind.New, "2024-09-01", "2024-09-02", true)]
    // A continuing project planned to resume on 15 May: late from 16 May, not from 1 May.
    [InlineData(ProjectKind.Continuing, "2024-05-15", "2024-05-01", false)]
    [InlineData(ProjectKind.Continuing, "2024-05-15", "2024-05-15", false)]
    [InlineData(ProjectKind.Continuing, "2024-05-15", "2024-05-16", true)]
    // Planned before the region's deadline: the region's deadline holds (30 June, 30 April).
    [InlineData(ProjectKind.New, "2024-03-01", "2024-06-30", false)]
    [InlineData(ProjectKind.New, "2024-03-01", "2024-07-01", true)]
    public void The_start_deadline_is_the_later_of_the_regions_and_the_projects_own(ProjectKind kind, string planned, string asOf, bool red)
    {
        var name = kind == ProjectKind.New ? "开工" : "复工";
        var finding = WarningRules.NotStartedByDeadline(Facts(kind, milestones: [new Milestone(name, DateOnly.Parse(planned))]), DateOnly.Parse(asOf), s_defaults);
        Assert.Equal(red ? Light.Red : null, finding?.Level);
        if (finding is not null)
        {
            var regional = s_defaults.DeadlineFor(kind, 2024);
            var deadline = DateOnly.Parse(planned) > regional ? DateOnly.Parse(planned) : regional;
            Assert.Contains($"{deadline:yyyy-MM-dd}", finding.Reason);
        }
    }

    [Fact]
    public void A_project_started_under_a_variant_name_is_started()
    {
        // 正式开工 is 开工: reached on 10 June, the project is not late on 1 July.
        var facts = Facts(milestones: [new Milestone("正式开工", new(2024, 6, 1), new(2024, 6, 10))]);
        Assert.Null(WarningRules.NotStartedByDeadline(facts, new(2024, 7, 1), s_defaults));
        // Reached only on 2 July: on 1 July it was not started yet.
        var late = Facts(milestones: [new Milestone("开工建设", new(2024, 6, 1), new(2024, 7, 2))]);
        Assert.Equal(Light.Red, WarningRules.NotStartedByDeadline(late, new(2024, 7, 1), s_defaults)?.Level);
    }

    [Fact]
    public void The_start_deadline_is_configuration()
    {
        var thresholds = new WarningThresholds { StartDeadline = "05-31" };
        var facts = Facts(milestones: [new Milestone("开工", new(2024, 4, 1))]);
        Assert.Equal(Light.Red, WarningRules.NotStartedByDeadline(facts, new(2024, 6, 1), thresholds)?.Level);
        Assert.Null(WarningRules.NotStartedByDeadline(facts, new(2024, 6, 1), s_defaults));
    }

    [Fact]
    public void On_18_March_with_Februarys_report_filed_a_project_is_green_for_reporting()
    {
        // 每月5日前报上月: February's report was due by 5 March and is filed; March's is not due until 5 April.
        Assert.Null(WarningRules.NoProgressReport(UnderConstruction("2024-02"), new(2024, 3, 18), s_defaults));
        // Without February's report the office chases February (due 5 March), not March.
        var missing = WarningRules.NoProgressReport(UnderConstruction(), new(2024, 3, 18), s_defaults);
        Assert.Equal(("2024-02", Light.Yellow), (missing?.Subject, missing?.Level));
    }

    [Theory]
    // On 3 April March's report is not yet due (5 April) and February's is filed: nothing is asked.
    [InlineData("2024-04-03", null)]
    // 5 April is the last day to report March on time.
    [InlineData("2024-04-05", null)]
    // From 6 April March's report is late: yellow for 2024-03 (February's report says nothing about March).
    [InlineData("2024-04-06", "2024-03")]
    [InlineData("2024-04-30", "2024-03")]
    // From 6 May it is April's report that is late.
    [InlineData("2024-05-06", "2024-04")]
    public void A_months_report_is_due_by_the_5th_of_the_next_month(string asOf, string? latePeriod)
    {
        var finding = WarningRules.NoProgressReport(UnderConstruction("2024-01", "2024-02"), DateOnly.Parse(asOf), s_defaults);
        Assert.Equal(latePeriod, finding?.Subject);
        Assert.Equal(latePeriod is null ? null : Light.Yellow, finding?.Level);
    }

    [Fact]
    public void Marchs_report_filed_on_3_April_keeps_the_project_green_after_the_due_day()
    {
        // Reported in the first days of April, as offices do: nothing is late on 6 April, nor until 5 May.
        Assert.Null(WarningRules.NoProgressReport(UnderConstruction("2024-02", "2024-03"), new(2024, 4, 6), s_defaults));
        Assert.Null(WarningRules.NoProgressReport(UnderConstruction("2024-02", "2024-03"), new(2024, 5, 5), s_defaults));
    }

    [Theory]
    // A weekly report whose week ends in March (2024-W13 is 25–31 March) is a report for March.
    [InlineData("2024-W13", null)]
    // A half-month of March likewise.
    [InlineData("2024-03-H2", null)]
    // 2024-W14 (1–7 April) ends in April: it says nothing about March.
    [InlineData("2024-W14", "2024-03")]
    // Quarterly and yearly reports never stand in for the monthly one.
    [InlineData("2024-Q1", "2024-03")]
    [InlineData("2024", "2024-03")]
    // Nor does a two-month report.
    [InlineData("2024-B2", "2024-03")]
    public void Only_a_report_of_the_month_or_of_a_shorter_period_ending_in_it_counts(string report, string? latePeriod)
    {
        Assert.Equal(latePeriod, WarningRules.NoProgressReport(UnderConstruction("2024-02", report), new(2024, 4, 8), s_defaults)?.Subject);
    }

    [Fact]
    public void Only_projects_under_construction_in_the_period_due_must_report_it()
    {
        // Started on 10 April: under construction in April, so April's report is late on 6 May.
        var startedInApril = Facts(stage: ProjectStage.Started, milestones: [new Milestone("开工", new(2024, 4, 1), new(2024, 4, 10))]);
        Assert.Equal("2024-04", WarningRules.NoProgressReport(startedInApril, new(2024, 5, 6), s_defaults)?.Subject);
        // Started on 2 May: nothing was built in April, so no April report is asked for; May's is due by 5 June.
        var startedInMay = Facts(stage: ProjectStage.Started, milestones: [new Milestone("开工", new(2024, 5, 1), new(2024, 5, 2))]);
        Assert.Null(WarningRules.NoProgressReport(startedInMay, new(2024, 5, 6), s_defaults));
        Assert.Equal("2024-05", WarningRules.NoProgressReport(startedInMay, new(2024, 6, 6), s_defaults)?.Subject);
        // Not started, or completed: no report is asked for.
        Assert.Null(WarningRules.NoProgressReport(Facts(milestones: [new Milestone("开工", new(2024, 1, 15))]), new(2024, 4, 6), s_defaults));
        Assert.Null(WarningRules.NoProgressReport(UnderConstruction() with { Stage = ProjectStage.Completed }, new(2024, 4, 6), s_defaults));
    }

    [Fact]
    public void Decembers_report_is_due_by_5_January()
    {
        // Across New Year: December 2024 is judged from 6 January 2025, and a December report counts for it.
        Assert.Null(WarningRules.NoProgressReport(UnderConstruction("2024-11"), new(2025, 1, 5), s_defaults));
        Assert.Equal("2024-12", WarningRules.NoProgressReport(UnderConstruction("2024-11"), new(2025, 1, 6), s_defaults)?.Subject);
        Assert.Null(WarningRules.NoProgressReport(UnderConstruction("2024-11", "2024-12"), new(2025, 1, 6), s_defaults));
    }

    [Theory]
    [InlineData("2024-04-10", null)]
    [InlineData("2024-04-11", "2024-03")]
    public void The_report_due_day_is_configuration(string asOf, string? latePeriod)
    {
        // 每月10日前报上月: March's report is on time through 10 April.
        var thresholds = new WarningThresholds { ReportDueDay = 10 };
        Assert.Equal(latePeriod, WarningRules.NoProgressReport(UnderConstruction("2024-02"), DateOnly.Parse(asOf), thresholds)?.Subject);
    }

    [Fact]
    public void A_weekly_reporting_cadence_is_due_by_the_due_day_of_the_next_week()
    {
        // Weekly: 2024-W12 (18–24 March) is due by the 5th day of W13, Friday 29 March.
        var weekly = new WarningThresholds { ReportingCadence = Cadence.Weekly };
        Assert.Equal("2024-W11", WarningRules.NoProgressReport(UnderConstruction("2024-W10"), new(2024, 3, 29), weekly)?.Subject);
        Assert.Equal("2024-W12", WarningRules.NoProgressReport(UnderConstruction("2024-W10", "2024-W11"), new(2024, 3, 30), weekly)?.Subject);
        Assert.Null(WarningRules.NoProgressReport(UnderConstruction("2024-W11"), new(2024, 3, 29), weekly));
    }

    [Theory]
    [InlineData("2024-03-19", false)]
    [InlineData("2024-03-20", false)]
    [InlineData("2024-03-21", true)]
    public void A_problem_past_its_deadline_is_red(string asOf, bool red)
    {
        var problem = new ProblemView("p.q1", "p", "用地", "用地", RegionLevel.District, "d", null, new(2024, 3, 20), ProblemStatus.Raised, false, default, null, null, null, null);
        Assert.Equal(red, WarningRules.ProblemOverdue(Facts(problems: [problem]), DateOnly.Parse(asOf)).Any());
        Assert.Empty(WarningRules.ProblemOverdue(Facts(problems: [problem with { Status = ProblemStatus.Closed }]), new(2024, 4, 1)));
    }

    [Fact]
    public void The_light_is_the_worst_open_warning()
    {
        Assert.Equal(Light.Green, WarningRules.LightOf([]));
        Assert.Equal(Light.Yellow, WarningRules.LightOf([Light.Yellow, Light.Green]));
        Assert.Equal(Light.Red, WarningRules.LightOf([Light.Yellow, Light.Red]));
    }
}
