using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Contracts;
using Microsoft.Extensions.Time.Testing;

namespace Dispatch.Tests.Api;

/// <summary>
/// GET /api/regions/{id}/ranking on a real silo: a city's districts built through the API on 18 March 2026 (China time),
/// ranked as an office ranks them by hand.
/// </summary>
public sealed class RankingApiTests : IAsyncLifetime
{
    private static readonly TimeSpan s_china = TimeSpan.FromHours(8);
    private SiloProcess _silo = null!;

    public async Task InitializeAsync()
    {
        _silo = await SiloProcess.StartAsync(true, new FakeTimeProvider(new DateTimeOffset(2026, 3, 18, 10, 0, 0, s_china)));
        await Put("/api/regions/rk", new { name = "排名省", level = "province" });
        await Put("/api/regions/rk-c", new { name = "排名市", level = "city", parentId = "rk" });
        foreach (var (id, name) in new[] { ("rk-c-a", "甲区"), ("rk-c-b", "乙区"), ("rk-c-c", "丙县"), ("rk-c-d", "丁县"), ("rk-c-e", "戊区") })
        {
            await Put($"/api/regions/{id}", new { name, level = "district", parentId = "rk-c" });
        }

        // Every district that plans anything completes 40 % of its annual plan (800 of 2,000 万), so 开复工率 and red
        // projects make the differences, both now and as of the end of February.
        // 甲区: both projects started on 10 January.
        await Project("rk-a-1", "rk-c-a", planned: "2026-01-10", actual: "2026-01-10", plan: 1000, done: 500);
        await Project("rk-a-2", "rk-c-a", planned: "2026-01-10", actual: "2026-01-10", plan: 1000, done: 300);
        // 乙区: one started on 10 January, the other on 2 March (planned for 1 March).
        await Project("rk-b-1", "rk-c-b", planned: "2026-01-10", actual: "2026-01-10", plan: 1000, done: 400);
        await Project("rk-b-2", "rk-c-b", planned: "2026-03-01", actual: "2026-03-02", plan: 1000, done: 400);
        // 丙县: one started, the other planned for 10 May (not yet due).
        await Project("rk-c-1", "rk-c-c", planned: "2026-01-10", actual: "2026-01-10", plan: 1000, done: 800);
        await Project("rk-c-2", "rk-c-c", planned: "2026-05-10", actual: null, plan: 1000, done: null);
        // 戊区: one started, the other planned for 1 February and not started: 45 days overdue, red.
        await Project("rk-e-1", "rk-c-e", planned: "2026-01-10", actual: "2026-01-10", plan: 1000, done: 800);
        await Project("rk-e-2", "rk-c-e", planned: "2026-02-01", actual: null, plan: 1000, done: null);
        // 丁县: only a project for next year, with no plan for this one: nothing to rank it by.
        await Project("rk-d-1", "rk-c-d", planned: "2027-04-01", actual: null, plan: null, done: null);
    }

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    private async Task Put(string path, object body)
    {
        var response = await _silo.Http.PutAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"PUT {path}: {await response.Content.ReadAsStringAsync()}");
    }

    private async Task Project(string id, string region, string planned, string? actual, decimal? plan, decimal? done)
    {
        await Put($"/api/projects/{id}", new
        {
            name = $"项目{id}",
            regionId = region,
            kind = "new",
            totalInvestment = 10000m,
            annualPlanInvestment = plan,
            plannedStart = planned,
            milestones = new[] { new { name = "开工", plannedDate = planned, actualDate = actual } },
        });
        if (done is { } completed)
        {
            // The February report, filed in March: investment completed this year so far.
            var response = await _silo.Http.PostAsJsonAsync($"/api/projects/{id}/reports",
                new { period = "2026-02", investmentCompleted = completed, percentComplete = 10, milestonesReached = Array.Empty<object>(), narrative = "按计划推进" });
            Assert.True(response.IsSuccessStatusCode, $"report {id}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task The_districts_are_ranked_as_computed_by_hand_with_ties_changes_and_gaps()
    {
        var ranking = await _silo.GetAsync<RegionRanking>("/api/regions/rk-c/ranking");

        // Default: the current month, as of today.
        Assert.Equal(("2026-03", new DateOnly(2026, 3, 18), "2026-02", new DateOnly(2026, 2, 28)),
            (ranking.Period, ranking.AsOf, ranking.PreviousPeriod, ranking.PreviousAsOf));
        Assert.Equal(new RankingFormula(1m, 1m, 10m, false), ranking.Formula);

        // 甲区 (2/2 + 0.4) / 2 = 70.0; 乙区 (2/2 + 0.4) / 2 = 70.0; 丙县 (1/2 + 0.4) / 2 = 45.0;
        // 戊区 (1/2 + 0.4) / 2 = 45.0 less 10 × 1/2 red = 40.0; 丁县 nothing planned: last, unranked.
        Assert.Equal(["rk-c-a", "rk-c-b", "rk-c-c", "rk-c-e", "rk-c-d"], ranking.Children.Select(r => r.RegionId));
        Assert.Equal([1, 1, 3, 4, null], ranking.Children.Select(r => r.Rank));
        Assert.Equal([70.0m, 70.0m, 45.0m, 40.0m, null], ranking.Children.Select(r => r.Score));
        Assert.Equal([true, true, false, false, false], ranking.Children.Select(r => r.Tied));
        // Leader 70.0; average (70 + 70 + 45 + 40) / 4 = 56.25 → 56.3.
        Assert.Equal((70.0m, 56.3m), (ranking.LeaderScore!.Value, ranking.AverageScore!.Value));
        Assert.Equal([0m, 0m, 25.0m, 30.0m, null], ranking.Children.Select(r => r.GapToLeader));
        Assert.Equal([13.7m, 13.7m, -11.3m, -16.3m, null], ranking.Children.Select(r => r.GapToAverage));

        // As of 28 February 乙区's second project had not started (1/2): 甲区 1, 乙区 and 丙县 2 (并列), 戊区 4 (red).
        Assert.Equal([1, 2, 2, 4, null], ranking.Children.Select(r => r.PreviousRank));
        Assert.Equal([0, 1, -1, 0, null], ranking.Children.Select(r => r.Change));

        var e = ranking.Children[3].Components!;
        Assert.Equal((0.5m, 0.4m, 45m, 0.5m, 5m), (e.StartResumeRate!.Value, e.InvestmentRate!.Value, e.Basis, e.RedShare, e.RedPenalty));
        Assert.Equal(1, ranking.Children[3].Lights.Red);
        var d = ranking.Children[4];
        Assert.Null(d.Components);
        Assert.Contains("不参加排名", d.Reason);
    }

    [Fact]
    public async Task A_quarter_or_a_year_is_ranked_as_of_today_while_it_runs_and_a_past_month_as_of_its_end()
    {
        var quarter = await _silo.GetAsync<RegionRanking>("/api/regions/rk-c/ranking?period=2026-Q1");
        Assert.Equal((new DateOnly(2026, 3, 18), "2025-Q4"), (quarter.AsOf, quarter.PreviousPeriod));
        Assert.Equal([1, 1, 3, 4, null], quarter.Children.Select(r => r.Rank));
        Assert.Equal(new DateOnly(2025, 12, 31), quarter.PreviousAsOf);

        var year = await _silo.GetAsync<RegionRanking>("/api/regions/rk-c/ranking?period=2026");
        Assert.Equal(("2026", new DateOnly(2026, 3, 18), "2025"), (year.Period, year.AsOf, year.PreviousPeriod));

        // February as of its end: 乙区 behind, sharing second place with 丙县.
        var february = await _silo.GetAsync<RegionRanking>("/api/regions/rk-c/ranking?period=2026-02");
        Assert.Equal(new DateOnly(2026, 2, 28), february.AsOf);
        Assert.Equal(["rk-c-a", "rk-c-b", "rk-c-c", "rk-c-e", "rk-c-d"], february.Children.Select(r => r.RegionId));
        Assert.Equal([1, 2, 2, 4, null], february.Children.Select(r => r.Rank));
        Assert.Equal(0.5m, february.Children[1].Components!.StartResumeRate);
    }

    [Fact]
    public async Task The_city_meeting_agenda_ranks_the_districts_the_same_way()
    {
        var response = await _silo.Http.PostAsJsonAsync("/api/regions/rk-c/meetings", new { cadence = "monthly", asOf = "2026-03-18" });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var meeting = (await response.Content.ReadFromJsonAsync<MeetingView>(SiloProcess.Json))!;
        var route = await _silo.GetAsync<RegionRanking>("/api/regions/rk-c/ranking?period=2026-03");
        Assert.Equal(route.Children, meeting.Agenda!.Ranking, new RankedRegionEquality());
        Assert.Equal([1, 1, 3, 4, null], meeting.Agenda.Ranking.Select(r => r.Rank));
    }

    [Theory]
    [InlineData("2026-04")]
    [InlineData("2026-Q2")]
    [InlineData("2027")]
    [InlineData("2026-W12")]
    [InlineData("2026-3")]
    [InlineData("March")]
    [InlineData("1999")]
    public async Task A_period_not_begun_or_not_a_month_quarter_or_year_is_a_problem_naming_period(string period)
    {
        var response = await _silo.Http.GetAsync($"/api/regions/rk-c/ranking?period={Uri.EscapeDataString(period)}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("period", problem.RootElement.GetProperty("field").GetString());
    }

    [Fact]
    public async Task An_unknown_region_is_404_and_a_district_has_no_children_to_rank()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _silo.Http.GetAsync("/api/regions/rk-nowhere/ranking")).StatusCode);
        var district = await _silo.GetAsync<RegionRanking>("/api/regions/rk-c-a/ranking");
        Assert.Empty(district.Children);
        Assert.Null(district.LeaderScore);
        Assert.Null(district.AverageScore);
    }

    [Fact]
    public async Task The_weights_come_from_configuration()
    {
        await using var silo = await SiloProcess.StartAsync(false, new FakeTimeProvider(new DateTimeOffset(2026, 3, 18, 10, 0, 0, s_china)),
            "--Dispatch:Ranking:StartResumeWeight=3", "--Dispatch:Ranking:RedPenalty=0");
        foreach (var (path, body) in new (string, object)[]
        {
            ("/api/regions/w", new { name = "权重省", level = "province" }),
            ("/api/regions/w-c", new { name = "权重市", level = "city", parentId = "w" }),
            ("/api/regions/w-c-a", new { name = "甲区", level = "district", parentId = "w-c" }),
            ("/api/projects/w-1", new { name = "已开工", regionId = "w-c-a", kind = "new", annualPlanInvestment = 1000m,
                milestones = new[] { new { name = "开工", plannedDate = "2026-01-10", actualDate = (string?)"2026-01-10" } } }),
            ("/api/projects/w-2", new { name = "逾期未开工", regionId = "w-c-a", kind = "new", annualPlanInvestment = 1000m,
                milestones = new[] { new { name = "开工", plannedDate = "2026-02-01", actualDate = (string?)null } } }),
        })
        {
            var put = await silo.Http.PutAsJsonAsync(path, body);
            Assert.True(put.IsSuccessStatusCode, $"PUT {path}: {await put.Content.ReadAsStringAsync()}");
        }
        var report = await silo.Http.PostAsJsonAsync("/api/projects/w-1/reports", new { period = "2026-02", investmentCompleted = 800m });
        Assert.True(report.IsSuccessStatusCode, await report.Content.ReadAsStringAsync());

        // (3 × 1/2 + 1 × 800/2000) ÷ 4 × 100 = (1.5 + 0.4) ÷ 4 × 100 = 47.5; the red project costs nothing with RedPenalty 0.
        var ranking = await silo.GetAsync<RegionRanking>("/api/regions/w-c/ranking");
        Assert.Equal(new RankingFormula(3m, 1m, 0m, false), ranking.Formula);
        var a = Assert.Single(ranking.Children);
        Assert.Equal((1, 47.5m, 0.5m, 0m), (a.Rank!.Value, a.Score!.Value, a.Components!.RedShare, a.Components.RedPenalty));
    }

    [Fact]
    public async Task Weights_that_cannot_rank_keep_the_silo_from_starting()
    {
        var folder = Path.Combine(Path.GetTempPath(), "dispatch-tests", Guid.NewGuid().ToString("N"));
        await using var app = await Dispatch.Silo.Hosting.DispatchHost.BuildAsync(
            ["--data", folder, "--no-sample", "--http-port", "0", "--Dispatch:Ranking:StartResumeWeight=0", "--Dispatch:Ranking:InvestmentWeight=0"], null);
        var refused = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("Dispatch:Ranking", refused.Message);
    }

    /// <summary>What a ranking row says as of the date (the change depends on which period a meeting judges).</summary>
    private sealed class RankedRegionEquality : IEqualityComparer<RankedRegion>
    {
        public bool Equals(RankedRegion? x, RankedRegion? y) =>
            x is not null && y is not null
            && (x.Rank, x.RegionId, x.Score, x.Tied, x.GapToLeader, x.GapToAverage, x.Reason, x.Components, x.Rates, x.Lights)
            == (y.Rank, y.RegionId, y.Score, y.Tied, y.GapToLeader, y.GapToAverage, y.Reason, y.Components, y.Rates, y.Lights);

        public int GetHashCode(RankedRegion obj) => obj.RegionId.GetHashCode(StringComparison.Ordinal);
    }
}
