using Dispatch.Contracts;

namespace Dispatch.Grains.Domain;

/// <summary>The ranking formula's settings (<c>Dispatch:Ranking:*</c>); the defaults weigh both rates equally.</summary>
public sealed record RankingWeights
{
    /// <summary>Weight of 开复工率 in the basis.</summary>
    public decimal StartResumeWeight { get; init; } = 1m;

    /// <summary>Weight of 年度投资完成率 (capped at 1) in the basis.</summary>
    public decimal InvestmentWeight { get; init; } = 1m;

    /// <summary>Points deducted when every project is red; a share of them for a share of red projects.</summary>
    public decimal RedPenalty { get; init; } = 10m;

    /// <summary>
    /// Rank a child with nothing planned (every rate used is null) with a basis of 0. Off by default: such a child is
    /// listed last, unranked, with a reason, so that a district with no plan neither heads nor drags down the list.
    /// </summary>
    public bool RankUnplanned { get; init; }

    /// <summary>What is wrong with these settings, each naming its <c>Dispatch:Ranking:*</c> key; empty when they hold.</summary>
    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        if (StartResumeWeight < 0m)
        {
            errors.Add(new("Dispatch:Ranking:StartResumeWeight", $"must not be negative, not {StartResumeWeight}."));
        }
        if (InvestmentWeight < 0m)
        {
            errors.Add(new("Dispatch:Ranking:InvestmentWeight", $"must not be negative, not {InvestmentWeight}."));
        }
        if (StartResumeWeight <= 0m && InvestmentWeight <= 0m)
        {
            errors.Add(new("Dispatch:Ranking:StartResumeWeight", "at least one of StartResumeWeight and InvestmentWeight must be above 0."));
        }
        if (RedPenalty is < 0m or > 100m)
        {
            errors.Add(new("Dispatch:Ranking:RedPenalty", $"must lie between 0 and 100 points, not {RedPenalty}."));
        }
        return errors;
    }

    public RankingFormula ToFormula() => new(StartResumeWeight, InvestmentWeight, RedPenalty, RankUnplanned);
}

/// <summary>
/// 晾晒比拼: children ranked by the bulletin's rates. A pure function of the children's views and the weights.
/// </summary>
/// <remarks>
/// basis = (w₁ × 开复工率 + w₂ × min(年度投资完成率, 1)) ÷ (w₁ + w₂) × 100, over the rates that something is planned for
/// (a rate that is null, or whose weight is 0, is left out with its weight); score = max(0, basis − RedPenalty × red
/// share), rounded to 0.1 half away from zero (四舍五入). Equal scores as printed share a rank (并列, 1, 2, 2, 4).
/// </remarks>
public static class Ranking
{
    public const string NothingPlannedReason =
        "无计划开复工项目、无年度计划投资，不参加排名 (nothing planned to start, resume or invest this year: not ranked)";

    /// <summary>The score (0–100, to 0.1) and its components; null when nothing is planned and such children are not ranked.</summary>
    public static (decimal Score, ScoreComponents Components)? ScoreOf(RegionView region, RankingWeights weights)
    {
        decimal weighted = 0m, total = 0m;
        decimal? start = null, investment = null;
        if (weights.StartResumeWeight > 0m && region.Rates.StartResumeRate is { } s)
        {
            start = s;
            weighted += weights.StartResumeWeight * s;
            total += weights.StartResumeWeight;
        }
        if (weights.InvestmentWeight > 0m && region.Rates.AnnualInvestmentRate is { } i)
        {
            investment = Math.Min(i, 1m);
            weighted += weights.InvestmentWeight * investment.Value;
            total += weights.InvestmentWeight;
        }
        if (total == 0m && !weights.RankUnplanned)
        {
            return null;
        }
        var basis = total == 0m ? 0m : weighted / total * 100m;
        var redShare = region.ProjectCount <= 0 ? 0m : Math.Min(1m, (decimal)region.Lights.Red / region.ProjectCount);
        var penalty = weights.RedPenalty * redShare;
        var score = Round(Math.Max(0m, basis - penalty), 1);
        return (score, new ScoreComponents(start, investment, Round(basis, 2), Round(redShare, 4), Round(penalty, 2)));
    }

    /// <summary>
    /// Ranks <paramref name="children"/>: best first (ties by id), then the unranked ones by id. The change of rank is
    /// measured against <paramref name="previous"/>, the same children as of the previous period's end (null: none).
    /// </summary>
    /// <exception cref="ArgumentException">The weights do not hold (see <see cref="RankingWeights.Validate"/>).</exception>
    public static IReadOnlyList<RankedRegion> Rank(IEnumerable<RegionView> children, IEnumerable<RegionView>? previous, RankingWeights weights)
    {
        if (weights.Validate() is { Count: > 0 } errors)
        {
            throw new ArgumentException(string.Join(" ", errors.Select(e => $"{e.Field} {e.Message}")), nameof(weights));
        }
        var scored = children
            .Select(c => (Region: c, Scored: ScoreOf(c, weights)))
            .ToList();
        var ranked = scored
            .Where(x => x.Scored is not null)
            .Select(x => (x.Region, x.Scored!.Value.Score, x.Scored.Value.Components))
            .OrderByDescending(x => x.Score)
            .ThenBy(x => x.Region.Id, StringComparer.Ordinal)
            .ToList();
        var ranks = CompetitionRanks(ranked.Select(x => x.Score).ToList());
        var previousRanks = previous is null
            ? new Dictionary<string, int>()
            : Rank(previous, null, weights).Where(r => r.Rank is not null).ToDictionary(r => r.RegionId, r => r.Rank!.Value, StringComparer.Ordinal);
        var leader = ranked.Count == 0 ? 0m : ranked[0].Score;
        var average = AverageOf(ranked.Select(x => x.Score)) ?? 0m;
        var result = new List<RankedRegion>(scored.Count);
        for (var i = 0; i < ranked.Count; i++)
        {
            var (region, score, components) = ranked[i];
            var rank = ranks[i];
            int? before = previousRanks.TryGetValue(region.Id, out var p) ? p : null;
            result.Add(new RankedRegion(rank, region.Id, region.Name, score, region.Rates, region.Lights, region.ProjectCount, components,
                Tied: (i > 0 && ranks[i - 1] == rank) || (i + 1 < ranks.Count && ranks[i + 1] == rank),
                PreviousRank: before,
                Change: before - rank,
                GapToLeader: leader - score,
                GapToAverage: score - average));
        }
        result.AddRange(scored
            .Where(x => x.Scored is null)
            .OrderBy(x => x.Region.Id, StringComparer.Ordinal)
            .Select(x => new RankedRegion(null, x.Region.Id, x.Region.Name, null, x.Region.Rates, x.Region.Lights, x.Region.ProjectCount,
                PreviousRank: previousRanks.TryGetValue(x.Region.Id, out var p) ? p : null,
                Reason: NothingPlannedReason)));
        return result;
    }

    /// <summary>The mean of the printed scores, to 0.1; null when there are none.</summary>
    public static decimal? AverageOf(IEnumerable<decimal> scores)
    {
        var list = scores.ToList();
        return list.Count == 0 ? null : Round(list.Average(), 1);
    }

    /// <summary>Standard competition ranks (1, 2, 2, 4) of scores sorted best first.</summary>
    public static IReadOnlyList<int> CompetitionRanks(IReadOnlyList<decimal> sortedScores)
    {
        var ranks = new int[sortedScores.Count];
        for (var i = 0; i < sortedScores.Count; i++)
        {
            ranks[i] = i > 0 && sortedScores[i] == sortedScores[i - 1] ? ranks[i - 1] : i + 1;
        }
        return ranks;
    }

    private static decimal Round(decimal value, int decimals) => Math.Round(value, decimals, MidpointRounding.AwayFromZero);
}
