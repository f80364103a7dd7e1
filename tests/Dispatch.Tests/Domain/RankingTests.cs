using Dispatch.Contracts;
using Dispatch.Grains.Domain;

namespace Dispatch.Tests.Domain;

/// <summary>The ranking formula (晾晒比拼) as a pure function; every figure below is worked out by hand in the comments.</summary>
public sealed class RankingTests
{
    private static readonly RankingWeights s_default = new();

    private static RegionView District(string id, decimal? startResume, decimal? investment, int projects = 10, int red = 0) =>
        new(id, $"{id}区", RegionLevel.District, "city", new LightCounts(projects - red, 0, red),
            new RegionRates(startResume, null, null, investment), projects, [], null, new DateOnly(2026, 11, 30));

    private static RankedRegion Of(IReadOnlyList<RankedRegion> ranking, string id) => Assert.Single(ranking, r => r.RegionId == id);

    [Fact]
    public void Three_districts_are_scored_by_hand_equal_scores_share_a_rank_and_one_with_nothing_planned_comes_last_unranked()
    {
        // a: (0.9 + 0.5) / 2 × 100 = 70.0; b and c: (0.8 + 0.7) / 2 × 100 = 75.0 each; no red projects.
        // Ranks: b 1 and c 1 (并列), a 3. Leader 75.0; average (75 + 75 + 70) / 3 = 73.33… → 73.3.
        // Previous period: a (1.0, 1.0) → 100.0 rank 1, c (0.6, 0.6) → 60.0 rank 2, b (0.5, 0.5) → 50.0 rank 3.
        var ranking = Ranking.Rank(
            [District("d", null, null, projects: 0), District("a", 0.9m, 0.5m), District("c", 0.8m, 0.7m), District("b", 0.8m, 0.7m)],
            [District("a", 1m, 1m), District("b", 0.5m, 0.5m), District("c", 0.6m, 0.6m), District("d", null, null, projects: 0)],
            s_default);

        Assert.Equal(["b", "c", "a", "d"], ranking.Select(r => r.RegionId));
        Assert.Equal([1, 1, 3, null], ranking.Select(r => r.Rank));
        Assert.Equal([75.0m, 75.0m, 70.0m, null], ranking.Select(r => r.Score));
        Assert.Equal([true, true, false, false], ranking.Select(r => r.Tied));
        Assert.Equal([2, 1, -2, null], ranking.Select(r => r.Change));
        Assert.Equal([3, 2, 1, null], ranking.Select(r => r.PreviousRank));
        Assert.Equal([0m, 0m, 5.0m, null], ranking.Select(r => r.GapToLeader));
        Assert.Equal([1.7m, 1.7m, -3.3m, null], ranking.Select(r => r.GapToAverage));
        Assert.Equal(73.3m, Ranking.AverageOf(ranking.Where(r => r.Score is not null).Select(r => r.Score!.Value)));

        var a = Of(ranking, "a").Components!;
        Assert.Equal((0.9m, 0.5m, 70m, 0m, 0m), (a.StartResumeRate, a.InvestmentRate, a.Basis, a.RedShare, a.RedPenalty));
        var d = Of(ranking, "d");
        Assert.Null(d.Components);
        Assert.Equal(Ranking.NothingPlannedReason, d.Reason);
        Assert.All(ranking.Take(3), r => Assert.Null(r.Reason));
    }

    [Fact]
    public void Competition_ranking_skips_after_a_tie_and_the_red_share_and_the_investment_cap_are_in_the_components()
    {
        // e: (0.9 + 0.9) / 2 = 90.0, no red → 90.0.
        // f: (0.8 + min(1.2, 1)) / 2 = 90.0, 2 of 10 red → 10 × 0.2 = 2 points off → 88.0.
        // g: (0.9 + 0.86) / 2 = 88.0, no red → 88.0.
        // h: only 开复工率 planned: 0.5 → 50.0, 1 of 4 red → 2.5 off → 47.5.
        var ranking = Ranking.Rank(
            [District("h", 0.5m, null, projects: 4, red: 1), District("g", 0.9m, 0.86m), District("f", 0.8m, 1.2m, red: 2), District("e", 0.9m, 0.9m)],
            null, s_default);

        Assert.Equal(["e", "f", "g", "h"], ranking.Select(r => r.RegionId));
        Assert.Equal([1, 2, 2, 4], ranking.Select(r => r.Rank));
        Assert.Equal([90.0m, 88.0m, 88.0m, 47.5m], ranking.Select(r => r.Score));
        Assert.Equal([false, true, true, false], ranking.Select(r => r.Tied));
        Assert.All(ranking, r => Assert.Null(r.Change));
        Assert.Equal([0m, 2.0m, 2.0m, 42.5m], ranking.Select(r => r.GapToLeader));
        // Average (90 + 88 + 88 + 47.5) / 4 = 78.375 → 78.4.
        Assert.Equal([11.6m, 9.6m, 9.6m, -30.9m], ranking.Select(r => r.GapToAverage));

        var f = Of(ranking, "f").Components!;
        Assert.Equal((0.8m, 1m, 90m, 0.2m, 2m), (f.StartResumeRate, f.InvestmentRate, f.Basis, f.RedShare, f.RedPenalty));
        var h = Of(ranking, "h").Components!;
        Assert.Equal((0.5m, (decimal?)null, 50m, 0.25m, 2.5m), (h.StartResumeRate, h.InvestmentRate, h.Basis, h.RedShare, h.RedPenalty));
    }

    [Fact]
    public void Scores_tie_as_printed_to_one_decimal_and_halves_round_away_from_zero()
    {
        // 80.04 and 79.96 both print 80.0: the same rank. 75.25 prints 75.3 (四舍五入), not 75.2 (banker's rounding).
        var ranking = Ranking.Rank([District("x", 0.8004m, 0.8004m), District("y", 0.7996m, 0.7996m), District("z", 0.7525m, 0.7525m)], null, s_default);

        Assert.Equal([1, 1, 3], ranking.Select(r => r.Rank));
        Assert.Equal([80.0m, 80.0m, 75.3m], ranking.Select(r => r.Score));
        Assert.Equal(80.04m, Of(ranking, "x").Components!.Basis);
    }

    [Fact]
    public void The_weights_and_the_penalty_are_configurable()
    {
        // 开复工率 weighs 2, investment 1: (2 × 0.9 + 1 × 0.6) / 3 = 0.8 → 80.0; no penalty although half the projects are red.
        var weights = new RankingWeights { StartResumeWeight = 2m, InvestmentWeight = 1m, RedPenalty = 0m };
        var score = Ranking.ScoreOf(District("w", 0.9m, 0.6m, projects: 10, red: 5), weights);
        Assert.Equal(80.0m, score!.Value.Score);
        Assert.Equal(0m, score.Value.Components.RedPenalty);
        // With the default weights: (0.9 + 0.6) / 2 = 75.0, less 10 × 0.5 = 5 → 70.0.
        Assert.Equal(70.0m, Ranking.ScoreOf(District("w", 0.9m, 0.6m, projects: 10, red: 5), s_default)!.Value.Score);

        // A rate whose weight is 0 is not used: with only investment planned and investment weighing 0, nothing is ranked.
        var startOnly = new RankingWeights { InvestmentWeight = 0m };
        Assert.Null(Ranking.ScoreOf(District("v", null, 0.9m), startOnly));
        Assert.Null(Ranking.ScoreOf(District("v", 0.7m, 0.9m), startOnly)!.Value.Components.InvestmentRate);
        Assert.Equal(70.0m, Ranking.ScoreOf(District("v", 0.7m, 0.9m), startOnly)!.Value.Score);

        // The penalty never takes a score below 0: 0.05 → 5.0, all red, less 10 → 0.0.
        Assert.Equal(0.0m, Ranking.ScoreOf(District("u", 0.05m, 0.05m, projects: 2, red: 2), s_default)!.Value.Score);
    }

    [Fact]
    public void A_child_with_nothing_planned_is_never_ranked_first_by_default_and_is_ranked_last_with_zero_when_configured()
    {
        // The only planned district scores 0.0 (nothing started, nothing invested); the unplanned one still does not pass it.
        var ranking = Ranking.Rank([District("a-unplanned", null, null, projects: 3), District("b-idle", 0m, 0m)], null, s_default);
        Assert.Equal(("b-idle", (int?)1, (decimal?)0.0m), (ranking[0].RegionId, ranking[0].Rank, ranking[0].Score));
        Assert.Equal(("a-unplanned", (int?)null, (decimal?)null), (ranking[1].RegionId, ranking[1].Rank, ranking[1].Score));
        Assert.Null(ranking[1].GapToLeader);

        // RankUnplanned: basis 0, so it ties with the idle district at 0.0.
        var ranked = Ranking.Rank([District("a-unplanned", null, null, projects: 3), District("b-idle", 0m, 0m), District("c", 0.5m, 0.5m)], null,
            new RankingWeights { RankUnplanned = true });
        Assert.Equal([1, 2, 2], ranked.Select(r => r.Rank));
        Assert.Equal(["c", "a-unplanned", "b-idle"], ranked.Select(r => r.RegionId));
        Assert.Null(ranked[1].Reason);
    }

    [Fact]
    public void A_child_unranked_in_the_previous_period_has_no_change()
    {
        var ranking = Ranking.Rank([District("a", 0.5m, 0.5m), District("b", 0.6m, 0.6m)], [District("a", null, null), District("b", 0.1m, 0.1m)], s_default);
        Assert.Equal([("b", (int?)1, (int?)1, (int?)0), ("a", 2, null, null)], ranking.Select(r => (r.RegionId, r.Rank, r.PreviousRank, r.Change)));
    }

    [Theory]
    [InlineData(-1, 1, 10, "Dispatch:Ranking:StartResumeWeight")]
    [InlineData(1, -1, 10, "Dispatch:Ranking:InvestmentWeight")]
    [InlineData(0, 0, 10, "Dispatch:Ranking:StartResumeWeight")]
    [InlineData(1, 1, 101, "Dispatch:Ranking:RedPenalty")]
    [InlineData(1, 1, -0.5, "Dispatch:Ranking:RedPenalty")]
    public void Weights_that_cannot_rank_are_refused_naming_the_setting(double start, double investment, double penalty, string field)
    {
        var weights = new RankingWeights { StartResumeWeight = (decimal)start, InvestmentWeight = (decimal)investment, RedPenalty = (decimal)penalty };
        Assert.Equal(field, weights.Validate()[0].Field);
        Assert.Throws<ArgumentException>(() => Ranking.Rank([District("a", 0.5m, 0.5m)], null, weights));
        Assert.Empty(s_default.Validate());
    }

    [Fact]
    public void Competition_ranks_follow_the_printed_order()
    {
        Assert.Equal([1, 2, 2, 4, 5, 5, 5, 8], Ranking.CompetitionRanks([9m, 8m, 8m, 7m, 6m, 6m, 6m, 1m]));
        Assert.Empty(Ranking.CompetitionRanks([]));
    }
}
