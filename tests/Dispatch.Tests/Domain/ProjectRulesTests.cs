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

    [Theory]
    [InlineData("开工建设", "开工", ProjectStage.Started)]
    [InlineData("正式开工", "开工", ProjectStage.Started)]
    [InlineData("竣工验收", "竣工", ProjectStage.Completed)]
    [InlineData("建成投产", "投产", ProjectStage.InProduction)]
    [InlineData("试生产", "投产", ProjectStage.InProduction)]
    [InlineData(" 复工 ", "复工", ProjectStage.Started)]
    [InlineData("主体封顶", "主体封顶", null)]
    public void Milestone_names_match_their_common_variants(string name, string canonical, ProjectStage? stage)
    {
        Assert.Equal(canonical, MilestoneCatalog.Default.Canonical(name));
        Assert.Equal(stage, MilestoneCatalog.Default.StageOf(name));
    }

    [Fact]
    public void Milestone_aliases_are_configuration()
    {
        var config = Microsoft.Extensions.Configuration.MemoryConfigurationBuilderExtensions.AddInMemoryCollection(new Microsoft.Extensions.Configuration.ConfigurationBuilder(), new Dictionary<string, string?>
        {
            ["Dispatch:Milestones:Aliases:动工"] = "开工",
            ["Dispatch:Milestones:Aliases:试生产"] = "",
        }).Build();
        var options = new Dispatch.Grains.DispatchOptions();
        Microsoft.Extensions.Configuration.ConfigurationBinder.Bind(config.GetSection(Dispatch.Grains.DispatchOptions.Section), options);
        var catalog = options.Milestones.Catalog();
        // Added: 动工 is 开工. Kept: the defaults not overridden. Dropped: 试生产 set to empty.
        Assert.Equal(ProjectStage.Started, catalog.StageOf("动工"));
        Assert.Equal(ProjectStage.Started, catalog.StageOf("正式开工"));
        Assert.Null(catalog.StageOf("试生产"));
        Assert.Null(MilestoneCatalog.Default.StageOf("动工"));
    }

    [Fact]
    public void Started_is_one_thing_a_start_milestone_or_a_variant_reached_on_or_before_the_date()
    {
        var profile = Valid(new Milestone("签约", new(2023, 12, 1), new(2023, 12, 1)), new Milestone("正式开工", new(2024, 3, 1), new(2024, 3, 10)),
            new Milestone("竣工验收", new(2025, 10, 1)));
        // Reached on 10 March: not started on the 9th, started on the 10th; the stage, the start date the rates read
        // and the rules agree.
        Assert.False(ProjectRules.IsStarted(profile.Milestones, new(2024, 3, 9)));
        Assert.True(ProjectRules.IsStarted(profile.Milestones, new(2024, 3, 10)));
        Assert.Equal(new DateOnly(2024, 3, 10), ProjectRules.StartedOn(profile.Milestones));
        Assert.Equal(ProjectStage.Signed, ProjectRules.StageOf(profile, profile.Milestones, new(2024, 3, 9)));
        Assert.Equal(ProjectStage.Started, ProjectRules.StageOf(profile, profile.Milestones, new(2024, 3, 10)));
        Assert.Equal("正式开工", ProjectRules.StartMilestone(ProjectKind.New, profile.Milestones)!.Name);
        var plans = AnnualList.Plans(2024, profile, profile.Milestones, new Dictionary<int, AnnualPlan>(), new Dictionary<int, DateOnly>());
        var summary = ProjectRules.Summarize("p", profile, profile.Milestones, [], Light.Green, new(2024, 3, 18), plans, []);
        Assert.Equal((new DateOnly(2024, 3, 1), new DateOnly(2024, 3, 10), ProjectStage.Started), (summary.StartPlanned, summary.StartActual, summary.Stage));
        // The district's rates count it as started from 10 March: 1 of 1 planned.
        Assert.Equal(0m, RegionRules.RatesOf(RegionRules.Tally([summary], new(2024, 3, 9))).StartRate);
        Assert.Equal(1m, RegionRules.RatesOf(RegionRules.Tally([summary], new(2024, 3, 10))).StartRate);
    }

    [Fact]
    public void A_declared_stage_of_started_or_later_needs_the_start_reached()
    {
        var notStarted = Valid(new Milestone("开工", new(2024, 3, 1))) with { DeclaredStage = ProjectStage.Started };
        // Declared under construction, but 开工 has no actual date: not started, so at most 前期手续.
        Assert.Equal(ProjectStage.Approvals, ProjectRules.StageOf(notStarted, notStarted.Milestones, new(2024, 3, 18)));
        var started = Valid(new Milestone("开工建设", new(2024, 3, 1), new(2024, 3, 5))) with { DeclaredStage = ProjectStage.InProduction };
        // Started on 5 March: the declared stage holds as a floor from then.
        Assert.Equal(ProjectStage.Approvals, ProjectRules.StageOf(started, started.Milestones, new(2024, 3, 4)));
        Assert.Equal(ProjectStage.InProduction, ProjectRules.StageOf(started, started.Milestones, new(2024, 3, 5)));
    }

    [Fact]
    public void A_report_may_name_a_milestone_by_a_variant_of_its_planned_name()
    {
        var profile = Valid(new Milestone("正式开工", new(2024, 3, 1)), new Milestone("竣工", new(2025, 10, 1)));
        var report = new ProgressReport("2024-03", 100m, 1m, [new MilestoneReached("开工", new(2024, 3, 10))], null, default);
        Assert.Empty(ProjectRules.ValidateReport(report, profile, s_today));
        Assert.Equal("正式开工", ProjectRules.FindPlanned(profile.Milestones, "开工建设")!.Name);
        Assert.Null(ProjectRules.FindPlanned(profile.Milestones, "投产"));
    }

    [Fact]
    public void Completion_under_a_variant_name_before_start_is_refused()
    {
        var profile = Valid(new Milestone("开工建设", new(2024, 3, 1)), new Milestone("竣工验收", new(2024, 3, 10), new(2024, 3, 10)));
        Assert.Equal("milestones[1].actualDate", Assert.Single(ProjectRules.Validate(profile, RegionLevel.District, s_today)).Field);
    }

    [Fact]
    public void A_weekly_report_counts_in_the_year_its_week_ends_in()
    {
        var at = new DateTimeOffset(2025, 1, 6, 2, 0, 0, TimeSpan.Zero);
        var years = ProjectRules.InvestmentByYear([
            // 2024-W52 is 23–29 December 2024: the 2024 running total, 950 万.
            new ProgressReport("2024-W52", 950m, 90m, [], null, at),
            // 2025-W01 is 30 December 2024 – 5 January 2025: it ends in 2025, so its 20 万 is 2025's running total and
            // leaves 2024 at 950 万.
            new ProgressReport("2025-W01", 20m, 91m, [], null, at),
            // 2024-W01 starts on 1 January 2024: a 2024 report, earlier than W52.
            new ProgressReport("2024-W01", 10m, 1m, [], null, at),
        ]);
        Assert.Equal([new YearInvestment(2024, 950m), new YearInvestment(2025, 20m)], years);
    }

    [Fact]
    public void A_yearly_report_filed_early_does_not_lock_the_years_figure()
    {
        // A "2024" report filed on 18 March states the figure of 18 March (300 万); April's monthly report, filed on
        // 3 May, states the figure of 30 April (500 万) and is the later figure.
        var years = ProjectRules.InvestmentByYear([
            new ProgressReport("2024", 300m, 5m, [], null, new DateTimeOffset(2024, 3, 18, 2, 0, 0, TimeSpan.Zero)),
            new ProgressReport("2024-04", 500m, 8m, [], null, new DateTimeOffset(2024, 5, 3, 2, 0, 0, TimeSpan.Zero)),
        ]);
        Assert.Equal([new YearInvestment(2024, 500m)], years);
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
