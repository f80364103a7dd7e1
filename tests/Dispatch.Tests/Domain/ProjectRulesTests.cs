using Dispatch.Contracts;
using Dispatch.Grains.Domain;

namespace Dispatch.Tests.Domain;

public sealed class ProjectRulesTests
{
    private static readonly DateOnly s_today = new(2024, 3, 18);

    private static ProjectProfile Valid(params Milestone[] milestones) => new("某项目", "ln-anshan-haicheng", ProjectKind.New, "新材料",
        60_000m, 12_000m, new(2024, 4, 1), new(2025, 10, 1), "张三", "李四", milestones);

    [Fact]
    public void A_complete_profile_in_a_district_is_valid()
    {
        var errors = ProjectRules.Validate(Valid(new Milestone("开工", new(2024, 4, 1)), new Milestone("竣工", new(2025, 10, 1))), RegionLevel.District, s_today);
        Assert.Empty(errors);
    }

    [Fact]
    public void A_project_may_belong_directly_to_a_city_but_not_to_a_province()
    {
        Assert.Empty(ProjectRules.Validate(Valid(), RegionLevel.City, s_today));
        Assert.Equal("regionId", Assert.Single(ProjectRules.Validate(Valid(), RegionLevel.Province, s_today)).Field);
    }

    [Fact]
    public void An_unknown_region_is_named()
    {
        var error = Assert.Single(ProjectRules.Validate(Valid(), null, s_today));
        Assert.Equal("regionId", error.Field);
        Assert.Contains("ln-anshan-haicheng", error.Message);
    }

    [Theory]
    [InlineData("-1", null, "totalInvestment")]
    [InlineData(null, "-0.01", "annualPlanInvestment")]
    public void Negative_amounts_are_refused(string? total, string? annual, string field)
    {
        var profile = Valid() with { TotalInvestment = total is null ? null : decimal.Parse(total, System.Globalization.CultureInfo.InvariantCulture),
            AnnualPlanInvestment = annual is null ? null : decimal.Parse(annual, System.Globalization.CultureInfo.InvariantCulture) };
        Assert.Equal(field, Assert.Single(ProjectRules.Validate(profile, RegionLevel.District, s_today)).Field);
    }

    [Fact]
    public void Zero_amounts_are_allowed()
    {
        Assert.Empty(ProjectRules.Validate(Valid() with { TotalInvestment = 0m, AnnualPlanInvestment = 0m }, RegionLevel.District, s_today));
    }

    [Fact]
    public void Planned_completion_before_planned_start_is_refused()
    {
        var profile = Valid() with { PlannedStart = new(2024, 5, 1), PlannedCompletion = new(2024, 4, 30) };
        Assert.Equal("plannedCompletion", Assert.Single(ProjectRules.Validate(profile, RegionLevel.District, s_today)).Field);
    }

    [Fact]
    public void A_milestone_reached_in_the_future_is_refused()
    {
        var profile = Valid(new Milestone("开工", new(2024, 3, 1), new(2024, 3, 19)));
        var error = Assert.Single(ProjectRules.Validate(profile, RegionLevel.District, s_today));
        Assert.Equal("milestones[0].actualDate", error.Field);
    }

    [Fact]
    public void A_milestone_reached_today_is_accepted()
    {
        Assert.Empty(ProjectRules.Validate(Valid(new Milestone("开工", new(2024, 3, 1), s_today)), RegionLevel.District, s_today));
    }

    [Fact]
    public void Completion_before_start_is_refused()
    {
        var notStarted = Valid(new Milestone("开工", new(2024, 3, 1)), new Milestone("竣工", new(2024, 3, 10), new(2024, 3, 10)));
        Assert.Equal("milestones[1].actualDate", Assert.Single(ProjectRules.Validate(notStarted, RegionLevel.District, s_today)).Field);

        var earlier = Valid(new Milestone("开工", new(2024, 3, 1), new(2024, 3, 5)), new Milestone("竣工", new(2024, 3, 10), new(2024, 3, 4)));
        Assert.Equal("milestones[1].actualDate", Assert.Single(ProjectRules.Validate(earlier, RegionLevel.District, s_today)).Field);

        var plannedEarlier = Valid(new Milestone("开工", new(2024, 5, 1)), new Milestone("竣工", new(2024, 4, 1)));
        Assert.Equal("milestones[1].plannedDate", Assert.Single(ProjectRules.Validate(plannedEarlier, RegionLevel.District, s_today)).Field);
    }

    [Fact]
    public void Every_fault_is_reported_at_once()
    {
        var profile = Valid() with { Name = " ", TotalInvestment = -5m, PlannedCompletion = new(2020, 1, 1) };
        var fields = ProjectRules.Validate(profile, null, s_today).Select(e => e.Field).ToList();
        Assert.Equal(["name", "regionId", "totalInvestment", "annualPlanInvestment", "plannedCompletion"], fields);
    }

    [Theory]
    [InlineData(null, ProjectTier.Ordinary)]
    [InlineData(4_999.99, ProjectTier.Ordinary)]
    [InlineData(5_000.0, ProjectTier.Key)]
    [InlineData(9_999.0, ProjectTier.Key)]
    [InlineData(10_000.0, ProjectTier.CountyCoordinated)]
    [InlineData(49_999.0, ProjectTier.CountyCoordinated)]
    [InlineData(50_000.0, ProjectTier.CityCoordinated)]
    public void Tier_follows_total_investment(double? total, ProjectTier tier) =>
        Assert.Equal(tier, ProjectRules.TierOf((decimal?)total));

    [Fact]
    public void Stage_follows_the_milestones_reached_by_the_date()
    {
        var profile = Valid(new Milestone("签约", new(2023, 12, 1), new(2023, 12, 1)), new Milestone("开工", new(2024, 3, 1), new(2024, 3, 10)));
        Assert.Equal(ProjectStage.Signed, ProjectRules.StageOf(profile, profile.Milestones, new(2024, 3, 9)));
        Assert.Equal(ProjectStage.Started, ProjectRules.StageOf(profile, profile.Milestones, new(2024, 3, 10)));
        Assert.Equal(ProjectStage.Approvals, ProjectRules.StageOf(profile with { DeclaredStage = ProjectStage.Approvals }, profile.Milestones, new(2024, 3, 9)));
    }

    [Fact]
    public void Reports_carry_the_years_running_total()
    {
        var at = new DateTimeOffset(2024, 5, 1, 0, 0, 0, TimeSpan.Zero);
        var years = ProjectRules.InvestmentByYear([
            new ProgressReport("2023-12", 900m, 100m, [], null, at),
            new ProgressReport("2024-02", 300m, 10m, [], null, at),
            new ProgressReport("2024-03", 700m, 20m, [], null, at),
            new ProgressReport("2024-01", 100m, 5m, [], null, at),
        ]);
        Assert.Equal([new YearInvestment(2023, 900m), new YearInvestment(2024, 700m)], years);
    }

    [Fact]
    public void A_report_is_checked_against_the_plan()
    {
        var profile = Valid(new Milestone("开工", new(2024, 3, 1)));
        var report = new ProgressReport("2024-13", -1m, 120m, [new MilestoneReached("投产", new(2024, 3, 1)), new MilestoneReached("开工", new(2024, 3, 19))], null, default);
        var fields = ProjectRules.ValidateReport(report, profile, s_today).Select(e => e.Field).ToList();
        Assert.Equal(["period", "investmentCompleted", "percentComplete", "milestonesReached[0].name", "milestonesReached[1].date"], fields);
    }
}
