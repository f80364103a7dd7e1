using Dispatch.Contracts;
using Dispatch.Grains.Domain;

namespace Dispatch.Tests.Domain;

public sealed class RegionRulesTests
{
    private static readonly RegionDefinition s_province = new("辽宁省", RegionLevel.Province, null);
    private static readonly RegionDefinition s_city = new("鞍山市", RegionLevel.City, "ln");

    [Fact]
    public void A_province_has_no_parent_and_a_district_sits_under_a_city()
    {
        Assert.Empty(RegionRules.Validate("ln", s_province, null));
        Assert.Empty(RegionRules.Validate("ln-anshan-haicheng", new("海城市", RegionLevel.District, "ln-anshan"), s_city));
        Assert.Equal("parentId", Assert.Single(RegionRules.Validate("ln", s_province with { ParentId = "cn" }, null)).Field);
    }

    [Fact]
    public void A_district_under_a_province_or_an_unknown_parent_is_refused()
    {
        Assert.Contains("province", Assert.Single(RegionRules.Validate("d", new("区", RegionLevel.District, "ln"), s_province)).Message);
        Assert.Contains("nowhere", Assert.Single(RegionRules.Validate("d", new("区", RegionLevel.District, "nowhere"), null)).Message);
        Assert.Equal("parentId", Assert.Single(RegionRules.Validate("d", new("区", RegionLevel.District, null), null)).Field);
    }

    /// <summary>A project on the list of the year of its planned start (none without one).</summary>
    private static ProjectSummary Project(ProjectKind kind, DateOnly? planned, DateOnly? actual, Light light = Light.Green,
        decimal plan = 0m, decimal done = 0m) =>
        new(Guid.NewGuid().ToString(), kind, light, planned, actual, plan, [new YearInvestment(2022, done)], ProjectStage.Planned,
            planned is { } start ? [new AnnualPlan(start.Year, kind, PlanListing.Listed, plan, start, actual, null, null, null, null, null, null)] : []);

    /// <summary>A project of ≥ 5,000 万 on Dandong's 2022 list, started (resumed) on 1 May or not yet.</summary>
    private static IEnumerable<ProjectSummary> Dandong(int count, int begun, ProjectKind kind) =>
        Enumerable.Range(0, count).Select(i =>
        {
            DateOnly? started = i < begun ? new DateOnly(2022, 5, 1) : null;
            var plan = new AnnualPlan(2022, kind, PlanListing.Listed, null, new(2022, 4, 1), started, null, null, null, null, null, null);
            return new ProjectSummary($"dd-{kind}-{i}", kind, Light.Green, new(2022, 4, 1), started, 0m, [], ProjectStage.Started, [plan], 6_000m);
        });

    [Fact]
    public void Dandong_2022_in_the_articles_own_figures()
    {
        // "全市计划开复工的335个5000万元以上项目已开复工314个，开复工率达93.7%，其中，新开工项目108个，开工率达82.44%；
        // 复工项目已全部复工": 108 new projects started at 82.44 % means 131 new (108 / 131 = 82.44 %), so 335 − 131 = 204
        // continuing, all resumed. The article's own totals disagree by two: 108 + 204 = 312, not the 314 (93.7 %) it
        // prints; from its parts the rate is 312 / 335 = 93.13 %.
        var tally = RegionRules.Tally(Dandong(131, 108, ProjectKind.New).Concat(Dandong(204, 204, ProjectKind.Continuing)), new(2022, 10, 31));
        var rates = RegionRules.RatesOf(tally);
        Assert.Equal((335, 131, 108, 204, 204), (rates.Listed, rates.NewPlanned, rates.NewStarted, rates.ContinuingPlanned, rates.ContinuingResumed));
        Assert.Equal(0.8244m, rates.StartRate);
        Assert.Equal(1m, rates.ResumeRate);
        Assert.Equal(0.9313m, rates.StartResumeRate);
        // Every project on the list is of ≥ 5,000 万: the key list the article counts is the whole list.
        Assert.Equal(rates, RegionRules.TiersOf(tally).Key);
    }

    [Fact]
    public void Rates_are_null_where_nothing_is_planned_and_projects_of_other_years_do_not_count()
    {
        var tally = RegionRules.Tally([Project(ProjectKind.New, new(2023, 4, 1), new(2023, 4, 2)), Project(ProjectKind.New, null, null)], new(2024, 6, 1));
        var rates = RegionRules.RatesOf(tally);
        Assert.Equal(2, tally.ProjectCount);
        Assert.Null(rates.StartResumeRate);
        Assert.Null(rates.StartRate);
        Assert.Null(rates.ResumeRate);
        Assert.Null(rates.AnnualInvestmentRate);
    }

    [Fact]
    public void A_start_after_the_as_of_date_does_not_count_yet()
    {
        var tally = RegionRules.Tally([Project(ProjectKind.Continuing, new(2024, 3, 1), new(2024, 3, 20))], new(2024, 3, 19));
        Assert.Equal(0m, RegionRules.RatesOf(tally).ResumeRate);
        Assert.Equal(1m, RegionRules.RatesOf(RegionRules.Tally([Project(ProjectKind.Continuing, new(2024, 3, 1), new(2024, 3, 20))], new(2024, 3, 20))).ResumeRate);
    }

    [Fact]
    public void Lights_and_annual_investment_are_summed()
    {
        var tally = RegionRules.Tally([
            Project(ProjectKind.New, new(2022, 3, 1), null, Light.Red, 1000m, 250m),
            Project(ProjectKind.New, new(2022, 3, 1), null, Light.Yellow, 3000m, 500m),
            Project(ProjectKind.New, new(2022, 3, 1), null, Light.Green, 0m, 0m),
        ], new(2022, 6, 1));
        Assert.Equal(new LightCounts(1, 1, 1), tally.Lights);
        Assert.Equal(0.1875m, RegionRules.RatesOf(tally).AnnualInvestmentRate);
    }
}
