using Dispatch.Contracts;
using Dispatch.Grains.Domain;

namespace Dispatch.Tests.Domain;

/// <summary>
/// The annual plan list (年度计划) as a city office keeps it: a project planned to start in September, one in its
/// second and third year (续建, carried over 结转), one withdrawn (退库), one with a monthly plan (分月计划).
/// </summary>
public sealed class AnnualListTests
{
    private static readonly Dictionary<int, DateOnly> s_noStarts = [];

    private static ProjectProfile Profile(ProjectKind kind = ProjectKind.New, DateOnly? plannedStart = null, params Milestone[] milestones) =>
        new("年度计划项目", "d", kind, null, 20_000m, null, plannedStart, null, null, null, milestones);

    private static AnnualPlan Declared(int year, decimal? investment, DateOnly? start = null, ProjectKind kind = ProjectKind.New) =>
        new(year, kind, PlanListing.Listed, investment, start, null, null, null, null, null, null, null);

    [Fact]
    public void A_plan_put_without_a_date_keeps_the_projects_September_start()
    {
        var profile = Profile(milestones: new Milestone("开工", new(2024, 9, 1)));
        var plan = AnnualList.PlanOf(2024, profile, profile.Milestones, new Dictionary<int, AnnualPlan> { [2024] = Declared(2024, 3_000m) }, s_noStarts)!;
        Assert.Equal((new DateOnly(2024, 9, 1), 3_000m, ProjectKind.New, PlanListing.Listed), (plan.PlannedStart, plan.PlannedInvestment, plan.Kind, plan.Listing));
    }

    [Fact]
    public void A_project_with_a_planned_start_is_on_that_years_list_without_a_plan_put()
    {
        var profile = Profile(plannedStart: new(2024, 9, 1));
        var plan = AnnualList.PlanOf(2024, profile, profile.Milestones, new Dictionary<int, AnnualPlan>(), s_noStarts)!;
        Assert.Equal((PlanOrigin.PlannedStart, new DateOnly(2024, 9, 1), (decimal?)null), (plan.Origin, plan.PlannedStart, plan.PlannedInvestment));
        Assert.Null(AnnualList.PlanOf(2023, profile, profile.Milestones, new Dictionary<int, AnnualPlan>(), s_noStarts));
    }

    [Fact]
    public void A_project_started_last_September_is_continuing_in_its_second_and_third_year_carried_over_to_be_confirmed()
    {
        // Started 10 September 2024; nothing put for 2025 or 2026 yet; completion planned for 2027.
        var profile = Profile(milestones: [new Milestone("开工", new(2024, 9, 1), new(2024, 9, 10)), new Milestone("竣工", new(2027, 6, 30))]);
        var declared = new Dictionary<int, AnnualPlan> { [2024] = Declared(2024, 3_000m, new(2024, 9, 1)) };
        var plans = AnnualList.Plans(2026, profile, profile.Milestones, declared, s_noStarts);
        Assert.Equal([2024, 2025, 2026], plans.Select(p => p.Year));
        Assert.Equal((ProjectKind.New, PlanListing.Listed, new DateOnly(2024, 9, 10)), (plans[0].Kind, plans[0].Listing, plans[0].ActualStart!.Value));
        foreach (var later in plans.Skip(1))
        {
            Assert.Equal((ProjectKind.Continuing, PlanListing.ToConfirm, PlanOrigin.CarriedOver), (later.Kind, later.Listing, later.Origin));
            // Each year's resume is that year's own: nothing resumed yet, and last year's start is not overwritten.
            Assert.Null(later.ActualStart);
            Assert.Null(later.PlannedInvestment);
            Assert.True(later.OnList);
        }
    }

    [Fact]
    public void Each_year_keeps_its_own_resume_date()
    {
        var profile = Profile(milestones: new Milestone("开工", new(2024, 9, 1), new(2024, 9, 10)));
        var starts = new Dictionary<int, DateOnly> { [2025] = new(2025, 3, 2), [2026] = new(2026, 3, 5) };
        var declared = new Dictionary<int, AnnualPlan> { [2025] = Declared(2025, 8_000m, new(2025, 3, 1), ProjectKind.Continuing) };
        var plans = AnnualList.Plans(2026, profile, profile.Milestones, declared, starts);
        Assert.Equal([new DateOnly(2024, 9, 10), new(2025, 3, 2), new(2026, 3, 5)], plans.Select(p => p.ActualStart!.Value));
        Assert.Equal([ProjectKind.New, ProjectKind.Continuing, ProjectKind.Continuing], plans.Select(p => p.Kind));
    }

    [Fact]
    public void A_project_completed_last_year_is_not_carried_over()
    {
        var profile = Profile(milestones: [new Milestone("开工", new(2024, 4, 1), new(2024, 4, 1)), new Milestone("竣工", new(2025, 10, 31), new(2025, 10, 20))]);
        var plans = AnnualList.Plans(2026, profile, profile.Milestones, new Dictionary<int, AnnualPlan>(), s_noStarts);
        // 2024 (planned start) and 2025 (carried over, completed during it); not 2026.
        Assert.Equal([2024, 2025], plans.Select(p => p.Year));
    }

    [Fact]
    public void A_withdrawn_project_is_off_that_years_list_and_not_carried_over()
    {
        var profile = Profile(plannedStart: new(2025, 5, 1));
        var withdrawn = AnnualList.FromRequest(2025, new AnnualPlanRequest(null, 6_000m, null, null, null, null, null, true, " 项目业主资金链断裂 "),
            null, ProjectKind.New, "市发改委", new DateTimeOffset(2025, 7, 1, 9, 0, 0, TimeSpan.FromHours(8)));
        Assert.Equal((PlanListing.Withdrawn, "项目业主资金链断裂", "市发改委"), (withdrawn.Listing, withdrawn.WithdrawnReason, withdrawn.WithdrawnBy));
        var plans = AnnualList.Plans(2026, profile, profile.Milestones, new Dictionary<int, AnnualPlan> { [2025] = withdrawn }, s_noStarts);
        Assert.False(Assert.Single(plans).OnList);
    }

    [Fact]
    public void A_plan_request_is_checked_field_by_field()
    {
        var today = new DateOnly(2026, 3, 18);
        var profile = Profile();
        string Field(int year, AnnualPlanRequest request) => Assert.Single(AnnualList.Validate(year, request, profile, today)).Field;
        Assert.Equal("year", Field(2099, new AnnualPlanRequest(null, 100m, null, null, null, null, null, null, null)));
        Assert.Equal("year", Field(1, new AnnualPlanRequest(null, 100m, null, null, null, null, null, null, null)));
        Assert.Equal("plannedStart", Field(2026, new AnnualPlanRequest(null, 100m, new(2027, 3, 1), null, null, null, null, null, null)));
        // An actual start is a fact: not after today.
        Assert.Equal("actualStart", Field(2026, new AnnualPlanRequest(null, 100m, null, new(2026, 3, 19), null, null, null, null, null)));
        Assert.Equal("plannedInvestment", Field(2026, new AnnualPlanRequest(null, 30_000m, null, null, null, null, null, null, null)));
        Assert.Equal("monthlyPlan", Field(2026, new AnnualPlanRequest(null, 1_200m, null, null, [100m, 100m], null, null, null, null)));
        Assert.Equal("monthlyPlan", Field(2026, new AnnualPlanRequest(null, 1_000m, null, null, Enumerable.Repeat(100m, 12).ToList(), null, null, null, null)));
        Assert.Equal("withdrawnReason", Field(2026, new AnnualPlanRequest(null, null, null, null, null, null, null, true, " ")));
        Assert.Equal("fundsInPlace", Field(2026, new AnnualPlanRequest(null, 100m, null, null, null, 5e28m, null, null, null)));
        // Next year's list is drawn up before the year begins.
        Assert.Empty(AnnualList.Validate(2027, new AnnualPlanRequest(ProjectKind.New, 1_200m, new(2027, 4, 1), null, Enumerable.Repeat(100m, 12).ToList(), null, true, null, null), profile, today));
    }

    [Theory]
    // Nothing planned before September: nothing due on 31 August, 300 万 of 1,000 万 by 30 September.
    [InlineData("2024-08-31", 0.0)]
    [InlineData("2024-09-30", 0.3)]
    // 15 days of October's 300 万: 300 + 300 × 15 / 31 = 445.16 of 1,000.
    [InlineData("2024-10-15", 0.4452)]
    [InlineData("2024-12-31", 1.0)]
    public void A_monthly_plan_sets_the_share_due(string asOf, double expected)
    {
        decimal[] months = [0m, 0m, 0m, 0m, 0m, 0m, 0m, 0m, 300m, 300m, 200m, 200m];
        Assert.Equal((decimal)expected, Math.Round(AnnualList.MonthlyShare(months, DateOnly.Parse(asOf)), 4));
    }
}
