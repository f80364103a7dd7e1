using Dispatch.Contracts;
using Dispatch.Grains.Domain;

namespace Dispatch.Tests.Domain;

/// <summary>Each rule at its thresholds: one day before, on, and after.</summary>
public sealed class WarningRulesTests
{
    private static readonly WarningThresholds s_defaults = new();

    private static ProjectFacts Facts(ProjectKind kind = ProjectKind.New, ProjectStage stage = ProjectStage.Approvals, decimal? plan = null,
        Milestone[]? milestones = null, decimal done = 0m, string[]? reports = null, ProblemView[]? problems = null) =>
        new(kind, stage, plan, milestones ?? [], null, [new YearInvestment(2024, done)], reports ?? [], problems ?? []);

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

    [Fact]
    public void The_start_deadline_is_configuration()
    {
        var thresholds = new WarningThresholds { StartDeadline = "05-31" };
        var facts = Facts(milestones: [new Milestone("开工", new(2024, 4, 1))]);
        Assert.Equal(Light.Red, WarningRules.NotStartedByDeadline(facts, new(2024, 6, 1), thresholds)?.Level);
        Assert.Null(WarningRules.NotStartedByDeadline(facts, new(2024, 6, 1), s_defaults));
    }

    [Theory]
    [InlineData(new[] { "2024-03" }, null)]
    [InlineData(new[] { "2024-W11" }, null)]
    [InlineData(new[] { "2024-02" }, Light.Yellow)]
    [InlineData(new string[0], Light.Yellow)]
    public void A_project_under_construction_without_a_report_this_month_is_yellow(string[] reports, Light? expected)
    {
        var finding = WarningRules.NoProgressReport(Facts(stage: ProjectStage.Started, reports: reports), new(2024, 3, 18), s_defaults);
        Assert.Equal(expected, finding?.Level);
        Assert.Null(WarningRules.NoProgressReport(Facts(stage: ProjectStage.Approvals, reports: reports), new(2024, 3, 18), s_defaults));
    }

    [Theory]
    [InlineData("2024-03-19", false)]
    [InlineData("2024-03-20", false)]
    [InlineData("2024-03-21", true)]
    public void A_problem_past_its_deadline_is_red(string asOf, bool red)
    {
        var problem = new ProblemView("p.q1", "p", "用地", "用地", RegionLevel.District, "d", null, new(2024, 3, 20), ProblemStatus.Open, false, default, null, null, null, null);
        Assert.Equal(red, WarningRules.ProblemOverdue(Facts(problems: [problem]), DateOnly.Parse(asOf)).Any());
        Assert.Empty(WarningRules.ProblemOverdue(Facts(problems: [problem with { Status = ProblemStatus.Resolved }]), new(2024, 4, 1)));
    }

    [Fact]
    public void The_light_is_the_worst_open_warning()
    {
        Assert.Equal(Light.Green, WarningRules.LightOf([]));
        Assert.Equal(Light.Yellow, WarningRules.LightOf([Light.Yellow, Light.Green]));
        Assert.Equal(Light.Red, WarningRules.LightOf([Light.Yellow, Light.Red]));
    }
}
