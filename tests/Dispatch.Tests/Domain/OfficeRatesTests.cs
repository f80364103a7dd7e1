using Dispatch.Contracts;
using Dispatch.Grains.Domain;

namespace Dispatch.Tests.Domain;

/// <summary>
/// A district's 2026 list as its office keeps it on 10 July 2026, the June reports filed on 3 July, and the figures
/// the bulletin prints worked out by hand from that list.
/// </summary>
public sealed class OfficeRatesTests
{
    private static readonly DateOnly s_asOf = new(2026, 7, 10);
    private static readonly TimeSpan s_china = TimeSpan.FromHours(8);

    private static ProjectProfile Profile(ProjectKind kind, decimal? total, params Milestone[] milestones) =>
        new("项目", "d", kind, null, total, null, null, null, null, null, milestones);

    private static AnnualPlan Plan(int year, ProjectKind kind, decimal? investment, DateOnly? start, decimal? funds = null, bool? key = null) =>
        new(year, kind, PlanListing.Listed, investment, start, null, null, funds, key, null, null, null);

    /// <summary>A report for a month, filed on the 3rd of the next (每月5日前报上月).</summary>
    private static ProgressReport Report(int year, int month, decimal completed)
    {
        var filed = new DateOnly(year, month, 1).AddMonths(1).AddDays(2);
        return new ProgressReport($"{year:D4}-{month:D2}", completed, 50m, [], null, new DateTimeOffset(filed.ToDateTime(new TimeOnly(10, 0)), s_china));
    }

    private static ProjectSummary Listed(ProjectProfile profile, Dictionary<int, AnnualPlan>? declared = null,
        Dictionary<int, DateOnly>? yearStarts = null, params ProgressReport[] reports)
    {
        var plans = AnnualList.Plans(s_asOf.Year, profile, profile.Milestones, declared ?? [], yearStarts ?? []);
        return ProjectRules.Summarize(Guid.NewGuid().ToString("N"), profile, profile.Milestones, reports, Light.Green, s_asOf, plans, []);
    }

    /// <summary>
    /// A  new, 6 亿, planned 1 March, started 5 March; plan 20,000 万, funds 12,000 万, 9,000 万 done by June.
    /// B  new, 8,000 万, planned 1 May, not started; plan 3,000 万.
    /// C  new, 3,000 万 (not key), planned 1 September: on the list, not yet due; plan 1,000 万.
    /// D  continuing (started 2025), total unknown but on the key list, resumed 1 March; plan 5,000 万, funds 3,000 万,
    ///    2,600 万 done by June; 2,000 万 by June 2025.
    /// E  continuing (started 2025), 2 亿, carried over to be confirmed, not resumed; 4,000 万 by June 2025.
    /// F  new, 1.5 亿, planned for 2026 and withdrawn (退库).
    /// G  completed in 2025: not on the 2026 list.
    /// </summary>
    private static List<ProjectSummary> District() =>
    [
        Listed(Profile(ProjectKind.New, 60_000m, new Milestone("开工", new(2026, 3, 1), new(2026, 3, 5))),
            new() { [2026] = Plan(2026, ProjectKind.New, 20_000m, new(2026, 3, 1), funds: 12_000m) }, null, Report(2026, 6, 9_000m)),
        Listed(Profile(ProjectKind.New, 8_000m, new Milestone("开工", new(2026, 5, 1))),
            new() { [2026] = Plan(2026, ProjectKind.New, 3_000m, new(2026, 5, 1)) }),
        Listed(Profile(ProjectKind.New, 3_000m, new Milestone("开工", new(2026, 9, 1))),
            new() { [2026] = Plan(2026, ProjectKind.New, 1_000m, new(2026, 9, 1)) }),
        Listed(Profile(ProjectKind.New, null, new Milestone("开工", new(2025, 4, 1), new(2025, 4, 1))),
            new() { [2026] = Plan(2026, ProjectKind.Continuing, 5_000m, new(2026, 3, 1), funds: 3_000m, key: true) },
            new() { [2026] = new(2026, 3, 1) }, Report(2025, 6, 2_000m), Report(2026, 6, 2_600m)),
        Listed(Profile(ProjectKind.New, 20_000m, new Milestone("开工", new(2025, 5, 1), new(2025, 5, 1))), null, null, Report(2025, 6, 4_000m)),
        Listed(Profile(ProjectKind.New, 15_000m, new Milestone("开工", new(2026, 4, 1))),
            new() { [2026] = new(2026, ProjectKind.New, PlanListing.Withdrawn, 4_000m, new(2026, 4, 1), null, null, null, null, "用地未落实", "区发改局", default) }),
        Listed(Profile(ProjectKind.New, 12_000m, new Milestone("开工", new(2024, 4, 1), new(2024, 4, 1)), new Milestone("竣工", new(2025, 9, 30), new(2025, 9, 28)))),
    ];

    [Fact]
    public void The_list_wide_rates_are_those_of_the_year_list()
    {
        var rates = RegionRules.RatesOf(RegionRules.Tally(District(), s_asOf));
        // On the list: A, B, C new (3), D, E continuing (2); F withdrawn and G completed are not.
        Assert.Equal((5, 3, 1, 2, 1), (rates.Listed, rates.NewPlanned, rates.NewStarted, rates.ContinuingPlanned, rates.ContinuingResumed));
        // 开复工率 (1 + 1) / 5 = 40 %; 开工率 1 / 3 = 33.33 %; 复工率 1 / 2 = 50 %.
        Assert.Equal((0.4m, 0.3333m, 0.5m), (rates.StartResumeRate!.Value, rates.StartRate!.Value, rates.ResumeRate!.Value));
        // Planned 20,000 + 3,000 + 1,000 + 5,000 = 29,000 万 (E's plan is still to be confirmed); done 9,000 + 2,600 = 11,600:
        // 年度投资完成率 40 %. Funds 12,000 + 3,000 = 15,000: 资金到位率 15,000 / 29,000 = 51.72 %.
        Assert.Equal((29_000m, 11_600m, 0.4m), (rates.PlannedInvestment, rates.InvestmentCompleted, rates.AnnualInvestmentRate!.Value));
        Assert.Equal((15_000m, 0.5172m), (rates.FundsInPlace, rates.FundsInPlaceRate!.Value));
        // Started: A and D, of 60,000 万 and unknown: 2 projects, 60,000 万.
        Assert.Equal((2, 60_000m), (rates.StartedCount, rates.StartedTotalInvestment));
        // 同比: this year 11,600 万 by the end of June against 6,000 万 (D 2,000 + E 4,000) a year before: +93.33 %.
        Assert.Equal(0.9333m, rates.YearOnYearGrowth);
        // Nothing on the list was due to complete or to be in production by 10 July.
        Assert.Null(rates.OnTimeCompletionRate);
        Assert.Null(rates.ProductionRate);
    }

    [Fact]
    public void The_June_figures_count_only_once_they_stand_and_the_rates_before_any_start_are_zero_not_missing()
    {
        // As of 31 May: A started, nothing done yet by the reports (May's came on 3 June).
        var rates = RegionRules.RatesOf(RegionRules.Tally(District(), new(2026, 5, 31)));
        Assert.Equal(0m, rates.InvestmentCompleted);
        Assert.Equal(0m, rates.AnnualInvestmentRate);
        Assert.Equal((0.4m, 0.3333m, 0.5m), (rates.StartResumeRate!.Value, rates.StartRate!.Value, rates.ResumeRate!.Value));
        // As of 28 February nobody had started or resumed: 0 %, the list stands; on 1 March D resumed: 1 of 5.
        var february = RegionRules.RatesOf(RegionRules.Tally(District(), new(2026, 2, 28)));
        Assert.Equal((0m, 5), (february.StartResumeRate!.Value, february.Listed));
        Assert.Equal(0.2m, RegionRules.RatesOf(RegionRules.Tally(District(), new(2026, 3, 1))).StartResumeRate);
    }

    [Fact]
    public void The_tiers_count_a_key_list_project_of_unknown_total_as_key()
    {
        var tally = RegionRules.Tally(District(), s_asOf);
        var tiers = RegionRules.TiersOf(tally);
        // Key (≥ 5,000 万 or on the key list): A, B new (A started); D (key list, total unknown), E continuing (D resumed): 2 / 4.
        Assert.Equal((4, 0.5m), (tiers.Key.Listed, tiers.Key.StartResumeRate!.Value));
        // ≥ 1 亿: A and E: 1 / 2. ≥ 5 亿: A: 1 / 1.
        Assert.Equal((2, 0.5m), (tiers.Over100Million.Listed, tiers.Over100Million.StartResumeRate!.Value));
        Assert.Equal((1, 1m), (tiers.Over500Million.Listed, tiers.Over500Million.StartResumeRate!.Value));
        // The bulletin's default subset is the key list.
        Assert.Equal(tiers.Key, RegionRules.RatesOf(tally.Of(BulletinSubset.Key)));
    }

    [Fact]
    public void On_time_completion_and_production_count_what_was_due_by_the_as_of_date()
    {
        DateOnly start = new(2025, 3, 1);
        ProjectSummary Due(DateOnly planned, DateOnly? completed, DateOnly? productionPlanned = null, DateOnly? inProduction = null)
        {
            var milestones = new List<Milestone> { new("开工", start, start), new("竣工", planned, completed) };
            if (productionPlanned is { } pp)
            {
                milestones.Add(new("投产", pp, inProduction));
            }
            return Listed(Profile(ProjectKind.New, 10_000m, [.. milestones]),
                new() { [2026] = Plan(2026, ProjectKind.Continuing, 2_000m, new(2026, 3, 1)) }, new() { [2026] = new(2026, 3, 1) });
        }
        var projects = new[]
        {
            // Due 30 June, completed 20 June: on time; in production planned 1 July, reached 5 July.
            Due(new(2026, 6, 30), new(2026, 6, 20), new(2026, 7, 1), new(2026, 7, 5)),
            // Due 31 May, completed 15 June: late. Production planned for 1 August: not due.
            Due(new(2026, 5, 31), new(2026, 6, 15), new(2026, 8, 1)),
            // Due 30 June, not completed; production planned 1 July, not reached.
            Due(new(2026, 6, 30), null, new(2026, 7, 1)),
            // Due 30 November: not yet due.
            Due(new(2026, 11, 30), null),
        };
        var rates = RegionRules.RatesOf(RegionRules.Tally(projects, s_asOf));
        // 按期竣工率: 1 on time of the 3 due by 10 July = 33.33 %; 投产达效率: 1 in production of the 2 due = 50 %.
        Assert.Equal(0.3333m, rates.OnTimeCompletionRate);
        Assert.Equal(0.5m, rates.ProductionRate);
    }

    [Fact]
    public void Progress_against_the_region_target_counts_new_starts_and_the_lists_investment()
    {
        var tally = RegionRules.Tally(District(), s_asOf);
        var progress = RegionRules.ProgressOf(new RegionTarget(2026, 4, 58_000m), tally)!;
        // 1 of 4 new projects to start (25 %); 11,600 of 58,000 万 (20 %).
        Assert.Equal((1, 0.25m, 11_600m, 0.2m), (progress.ProjectsStarted, progress.StartProgress!.Value, progress.InvestmentCompleted, progress.InvestmentProgress!.Value));
    }
}
