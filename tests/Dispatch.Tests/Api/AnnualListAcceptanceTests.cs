using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Contracts;
using Microsoft.Extensions.Time.Testing;

namespace Dispatch.Tests.Api;

/// <summary>
/// A city built through the API as its office works, on a real silo whose clock moves through the year: projects in
/// their second year entered in July 2025 with their June reports; a project watched through May 2026; in July 2026
/// the year's plans put, the June reports filed on the 3rd (每月5日前报上月) and the weekly dispatch held on the 10th.
/// The lights, every rate and the ranking are compared with what the office works out by hand from its annual list.
/// </summary>
public sealed class AnnualListAcceptanceTests : IAsyncLifetime
{
    private static readonly TimeSpan s_china = TimeSpan.FromHours(8);
    private readonly FakeTimeProvider _clock = new(At(2025, 7, 3));
    private SiloProcess _silo = null!;

    private static DateTimeOffset At(int year, int month, int day) => new(year, month, day, 10, 0, 0, s_china);

    public async Task InitializeAsync()
    {
        // The clock moves a year: the operator's token must outlive it.
        _silo = await SiloProcess.StartAsync(false, _clock, "--Dispatch:Auth:OperatorMaxLifetime=800.00:00:00");
        await Put("/api/regions/ys", new { name = "验收省", level = "province" });
        await Put("/api/regions/ys-c", new { name = "验收市", level = "city", parentId = "ys" });
        await Put("/api/regions/ys-c-a", new { name = "甲区", level = "district", parentId = "ys-c" });
        await Put("/api/regions/ys-c-b", new { name = "乙县", level = "district", parentId = "ys-c" });
        await Put("/api/regions/ys-c-w", new { name = "观察区", level = "district", parentId = "ys-c" });

        // 3 July 2025: two projects of 乙县 started this spring, with their June figures.
        await Project("ys-b1", "ys-c-b", 20_000m, ("开工", "2025-04-01", "2025-04-01"), ("竣工", "2027-06-30", null));
        await Project("ys-b2", "ys-c-b", 20_000m, ("开工", "2025-05-01", "2025-05-01"));
        await Report("ys-b1", "2025-06", 2_000m);
        await Report("ys-b2", "2025-06", 4_000m);

        // 20 April 2026: a project of 观察区 due to start on 1 May, watched by the weekly dispatch in May.
        _clock.SetUtcNow(At(2026, 4, 20));
        await Project("ys-w1", "ys-c-w", 6_000m, ("开工", "2026-05-01", null));
        _clock.SetUtcNow(At(2026, 5, 10));
        await Meeting("ys-c-w");
        _clock.SetUtcNow(At(2026, 5, 20));
        await Meeting("ys-c-w");

        // 3 July 2026: 甲区's new projects and the year's plans; the June reports.
        _clock.SetUtcNow(At(2026, 7, 3));
        await Project("ys-a1", "ys-c-a", 60_000m, ("开工", "2026-03-01", "2026-03-05"));
        await Project("ys-a2", "ys-c-a", 8_000m, ("开工", "2026-05-01", null));
        await Project("ys-a3", "ys-c-a", 3_000m, ("开工", "2026-09-01", null));
        await Put("/api/projects/ys-a1/plans/2026", new { plannedInvestment = 20_000m, plannedStart = "2026-03-01", fundsInPlace = 12_000m });
        await Put("/api/projects/ys-a2/plans/2026", new { plannedInvestment = 3_000m });
        await Put("/api/projects/ys-a3/plans/2026", new { plannedInvestment = 1_000m });
        // ys-b1 in its second year: continuing, resumed on 1 March; ys-b2 carried over, its plan not yet confirmed.
        await Put("/api/projects/ys-b1/plans/2026", new { plannedInvestment = 5_000m, plannedStart = "2026-03-01", actualStart = "2026-03-01", fundsInPlace = 3_000m });
        // ys-b3 was to start in April and left the list (退库).
        await Put("/api/projects/ys-b3", new { name = "项目ys-b3", regionId = "ys-c-b", kind = "new", totalInvestment = 15_000m, plannedStart = "2026-04-01" });
        await Put("/api/projects/ys-b3/plans/2026", new { plannedInvestment = 4_000m, withdrawn = true, withdrawnReason = "用地未落实" });
        await Report("ys-a1", "2026-06", 9_000m);
        await Report("ys-b1", "2026-06", 2_600m);

        // 10 July 2026: the weekly dispatch of each district.
        _clock.SetUtcNow(At(2026, 7, 10));
        foreach (var district in new[] { "ys-c-a", "ys-c-b", "ys-c-w" })
        {
            await Meeting(district);
        }
    }

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    private async Task Put(string path, object body)
    {
        var response = await _silo.Http.PutAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"PUT {path}: {await response.Content.ReadAsStringAsync()}");
    }

    private Task Project(string id, string region, decimal total, params (string Name, string Planned, string? Actual)[] milestones) =>
        Put($"/api/projects/{id}", new
        {
            name = $"项目{id}", regionId = region, kind = "new", totalInvestment = total,
            milestones = milestones.Select(m => new { name = m.Name, plannedDate = m.Planned, actualDate = m.Actual }),
        });

    private async Task Report(string id, string period, decimal completed)
    {
        var response = await _silo.Http.PostAsJsonAsync($"/api/projects/{id}/reports",
            new { period, investmentCompleted = completed, percentComplete = 30, milestonesReached = Array.Empty<object>() });
        Assert.True(response.IsSuccessStatusCode, $"report {id} {period}: {await response.Content.ReadAsStringAsync()}");
    }

    private async Task Meeting(string region)
    {
        var response = await _silo.Http.PostAsJsonAsync($"/api/regions/{region}/meetings", new { cadence = "weekly" });
        Assert.True(response.IsSuccessStatusCode, $"meeting {region}: {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task The_lights_are_those_an_office_works_out_and_nobody_is_yellow_for_a_report_not_yet_due()
    {
        Light LightOf(ProjectView p) => p.Light;
        var lights = new Dictionary<string, Light>();
        foreach (var id in new[] { "ys-a1", "ys-a2", "ys-a3", "ys-b1", "ys-b2", "ys-b3" })
        {
            lights[id] = LightOf(await _silo.GetAsync<ProjectView>($"/api/projects/{id}"));
        }
        // a1: started 5 March, 9,000 of 20,000 万 by June against 131 of 306 days since 1 March (42.8 %): green.
        // a2: due 1 May, not started by 30 June: red. a3: due 1 September: not judged yet, green.
        // b1: resumed 1 March, 2,600 of 5,000 万 (52 %): green. b2: continuing, not resumed by 30 April: red.
        // b3: off the list: green. Nobody has July's report, which is not due before 5 August.
        Assert.Equal(Light.Green, lights["ys-a1"]);
        Assert.Equal(Light.Red, lights["ys-a2"]);
        Assert.Equal(Light.Green, lights["ys-a3"]);
        Assert.Equal(Light.Green, lights["ys-b1"]);
        Assert.Equal(Light.Red, lights["ys-b2"]);
        Assert.Equal(Light.Green, lights["ys-b3"]);
        var b2 = await _silo.GetAsync<ProjectView>("/api/projects/ys-b2");
        Assert.Contains(b2.Warnings, w => w.Status != WarningStatus.Closed && w.Reason.Contains("应复工而未复工", StringComparison.Ordinal));
        var a3 = await _silo.GetAsync<ProjectView>("/api/projects/ys-a3");
        Assert.DoesNotContain(a3.Warnings, w => w.Status != WarningStatus.Closed);
        var city = await _silo.GetAsync<RegionView>("/api/regions/ys-c");
        // 甲区 and 乙县 as above; 观察区's project is red (due 1 May, not started).
        Assert.Equal(new LightCounts(4, 0, 3), city.Lights);
    }

    [Fact]
    public async Task Every_rate_is_the_one_the_office_works_out_from_its_list()
    {
        var city = await _silo.GetAsync<RegionView>("/api/regions/ys-c");
        var r = city.Rates;
        // The 2026 list: new a1, a2, a3 and w1 (4; a1 started), continuing b1, b2 (2; b1 resumed); b3 withdrawn.
        Assert.Equal((6, 4, 1, 2, 1), (r.Listed, r.NewPlanned, r.NewStarted, r.ContinuingPlanned, r.ContinuingResumed));
        // 开复工率 2 / 6 = 33.33 %; 开工率 1 / 4 = 25 %; 复工率 1 / 2 = 50 %.
        Assert.Equal((0.3333m, 0.25m, 0.5m), (r.StartResumeRate!.Value, r.StartRate!.Value, r.ResumeRate!.Value));
        // Planned 20,000 + 3,000 + 1,000 + 5,000 = 29,000 万; done 9,000 + 2,600 = 11,600: 40 %.
        Assert.Equal((29_000m, 11_600m, 0.4m), (r.PlannedInvestment, r.InvestmentCompleted, r.AnnualInvestmentRate!.Value));
        // 资金到位率 (12,000 + 3,000) / 29,000 = 51.72 %.
        Assert.Equal(0.5172m, r.FundsInPlaceRate);
        // Started: a1 (60,000 万) and b1 (20,000 万).
        Assert.Equal((2, 80_000m), (r.StartedCount, r.StartedTotalInvestment));
        // 同比: 11,600 万 by June against 2,000 + 4,000 = 6,000 万 by June 2025: +93.33 %.
        Assert.Equal(0.9333m, r.YearOnYearGrowth);
        // Key projects (≥ 5,000 万): all but a3 (3,000 万): new a1, a2, w1 (1 started), continuing b1, b2 (1): 2 / 5.
        Assert.Equal((5, 0.4m), (city.Tiers!.Key.Listed, city.Tiers.Key.StartResumeRate!.Value));
        // ≥ 5 亿: a1 alone, started.
        Assert.Equal((1, 1m), (city.Tiers.Over500Million.Listed, city.Tiers.Over500Million.StartResumeRate!.Value));
        // The bulletin prints the key list by default.
        Assert.Equal(city.Tiers.Key, city.Bulletin);
    }

    [Fact]
    public async Task The_ranking_is_the_one_the_office_works_out()
    {
        var ranking = await _silo.GetAsync<RegionRanking>("/api/regions/ys-c/ranking");
        // 乙县: (1/2 + 2,600/5,000) / 2 = 51.0 less 10 × 1 red of 3 = 47.7.
        // 甲区: (1/3 → 0.3333 + 9,000/24,000 = 0.375) / 2 = 35.415 less 10 × 1/3 = 32.1.
        // 观察区: (0/1 + nothing planned in 万) = 0 less 10 × 1/1: 0.0.
        Assert.Equal(["ys-c-b", "ys-c-a", "ys-c-w"], ranking.Children.Select(c => c.RegionId));
        Assert.Equal([47.7m, 32.1m, 0.0m], ranking.Children.Select(c => c.Score));
        Assert.Equal([1, 2, 3], ranking.Children.Select(c => c.Rank));
    }

    [Fact]
    public async Task A_region_as_of_an_earlier_day_shows_that_days_lights()
    {
        // ys-w1, due 1 May: green when entered on 20 April, yellow at the dispatch of 10 May (9 days overdue), red at
        // the dispatch of 20 May (19 days).
        Assert.Equal(new LightCounts(1, 0, 0), (await _silo.GetAsync<RegionView>("/api/regions/ys-c-w?asOf=2026-04-25")).Lights);
        Assert.Equal(new LightCounts(0, 1, 0), (await _silo.GetAsync<RegionView>("/api/regions/ys-c-w?asOf=2026-05-12")).Lights);
        Assert.Equal(new LightCounts(0, 0, 1), (await _silo.GetAsync<RegionView>("/api/regions/ys-c-w?asOf=2026-05-31")).Lights);
        // The city counts its projects as of the same day as its districts do, and the rates beside them are of that day.
        var city = await _silo.GetAsync<RegionView>("/api/regions/ys-c?asOf=2026-05-12");
        var sum = LightCounts.None;
        foreach (var district in new[] { "ys-c-a", "ys-c-b", "ys-c-w" })
        {
            var view = await _silo.GetAsync<RegionView>($"/api/regions/{district}?asOf=2026-05-12");
            sum = new LightCounts(sum.Green + view.Lights.Green, sum.Yellow + view.Lights.Yellow, sum.Red + view.Lights.Red);
        }
        Assert.Equal((new DateOnly(2026, 5, 12), sum), (city.AsOf, city.Lights));
        // On 12 May a1 had started (5 March), b1 had resumed (1 March); a2 was due on 1 May: 2 of 6.
        Assert.Equal(0.3333m, city.Rates.StartResumeRate);
    }

    [Fact]
    public async Task Targets_are_followed_at_every_level()
    {
        await Put("/api/regions/ys-c/targets/2026", new { projectsToStart = 4, investment = 58_000m });
        var city = await _silo.GetAsync<RegionView>("/api/regions/ys-c");
        // 1 of 4 new projects started (25 %); 11,600 of 58,000 万 (20 %).
        Assert.Equal((4, 1, 0.25m, 11_600m, 0.2m), (city.Target!.ProjectsToStart!.Value, city.Target.ProjectsStarted, city.Target.StartProgress!.Value,
            city.Target.InvestmentCompleted, city.Target.InvestmentProgress!.Value));
        await Put("/api/regions/ys-c-a/targets/2026", new { projectsToStart = 2 });
        var a = await _silo.GetAsync<RegionView>("/api/regions/ys-c-a");
        Assert.Equal((1, 0.5m), (a.Target!.ProjectsStarted, a.Target.StartProgress!.Value));
        var bad = await _silo.Http.PutAsJsonAsync("/api/regions/ys-c/targets/2026", new { projectsToStart = -1 });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("projectsToStart", await bad.Content.ReadAsStringAsync());
        Assert.Equal(4, (await _silo.GetAsync<RegionView>("/api/regions/ys-c")).Target!.ProjectsToStart);
    }

    [Fact]
    public async Task An_as_of_after_today_is_a_400_naming_the_field()
    {
        var response = await _silo.Http.GetAsync("/api/regions/ys-c?asOf=2026-07-11");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("asOf", problem.RootElement.GetProperty("field").GetString());
        var plan = await _silo.Http.PutAsJsonAsync("/api/projects/ys-a2/plans/2026", new { plannedInvestment = 3_000m, actualStart = "2026-07-11" });
        Assert.Equal(HttpStatusCode.BadRequest, plan.StatusCode);
        Assert.Contains("actualStart", await plan.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_project_keeps_each_years_plan_and_the_withdrawal_is_audited()
    {
        var b1 = await _silo.GetAsync<ProjectView>("/api/projects/ys-b1");
        var plans = b1.Plans!.ToDictionary(p => p.Year);
        // 2025: the year of its planned start, started 1 April; 2026: continuing, its own resume on 1 March.
        Assert.Equal((ProjectKind.New, new DateOnly(2025, 4, 1)), (plans[2025].Kind, plans[2025].ActualStart!.Value));
        Assert.Equal((ProjectKind.Continuing, new DateOnly(2026, 3, 1), 5_000m), (plans[2026].Kind, plans[2026].ActualStart!.Value, plans[2026].PlannedInvestment!.Value));
        var b2 = await _silo.GetAsync<ProjectView>("/api/projects/ys-b2");
        Assert.Equal((PlanListing.ToConfirm, ProjectKind.Continuing), (b2.Plans!.Single(p => p.Year == 2026).Listing, b2.Plans!.Single(p => p.Year == 2026).Kind));
        var b3 = await _silo.GetAsync<ProjectView>("/api/projects/ys-b3");
        var withdrawn = b3.Plans!.Single(p => p.Year == 2026);
        Assert.Equal((PlanListing.Withdrawn, "用地未落实"), (withdrawn.Listing, withdrawn.WithdrawnReason));
        var audit = await _silo.Http.GetStringAsync("/api/audit?limit=500");
        Assert.Contains("/api/projects/ys-b3/plans/2026", audit, StringComparison.Ordinal);
    }
}

/// <summary>
/// A project already registered, put on the year's list in July with a start planned for 15 May: its past lights are
/// those the office works out from the list as it now stands, not the green it was recorded with before.
/// </summary>
public sealed class LateListingTests
{
    private static readonly TimeSpan s_china = TimeSpan.FromHours(8);

    [Fact]
    public async Task Lights_as_of_past_days_follow_a_plan_put_later()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 4, 20, 10, 0, 0, s_china));
        await using var silo = await SiloProcess.StartAsync(false, clock);
        foreach (var (path, body) in new (string, object)[]
        {
            ("/api/regions/lt", new { name = "补录省", level = "province" }),
            ("/api/regions/lt-c", new { name = "补录市", level = "city", parentId = "lt" }),
            ("/api/regions/lt-c-d", new { name = "补录区", level = "district", parentId = "lt-c" }),
            ("/api/projects/lt-1", new { name = "补录项目", regionId = "lt-c-d", kind = "new", totalInvestment = 8_000m }),
        })
        {
            var response = await silo.Http.PutAsJsonAsync(path, body);
            Assert.True(response.IsSuccessStatusCode, $"PUT {path}: {await response.Content.ReadAsStringAsync()}");
        }
        clock.SetUtcNow(new DateTimeOffset(2026, 7, 3, 10, 0, 0, s_china));
        var plan = await silo.Http.PutAsJsonAsync("/api/projects/lt-1/plans/2026", new { plannedInvestment = 2_000m, plannedStart = "2026-05-15" });
        Assert.True(plan.IsSuccessStatusCode, await plan.Content.ReadAsStringAsync());

        async Task<LightCounts> LightsOn(string day) => (await silo.GetAsync<RegionView>($"/api/regions/lt-c-d?asOf={day}")).Lights;
        // 31 May: 17 of the 231 days from 15 May are gone (7.4 % due), nothing done: under the 10-point yellow line.
        Assert.Equal(new LightCounts(1, 0, 0), await LightsOn("2026-05-31"));
        // 30 June: 47 of 231 days (20.3 % due): yellow. 3 July: not started after 30 June: red.
        Assert.Equal(new LightCounts(0, 1, 0), await LightsOn("2026-06-30"));
        Assert.Equal(new LightCounts(0, 0, 1), await LightsOn("2026-07-03"));
    }
}
