using Dispatch.Contracts;

namespace Dispatch.Grains.Domain;

/// <summary>
/// 晾晒比拼: children ranked by the bulletin's rates. The score (0–100) weighs the start-and-resume rate and the annual
/// investment rate equally, less up to 10 points for the share of red projects; rates nothing is planned for are left out.
/// </summary>
public static class Ranking
{
    public static IReadOnlyList<RankedRegion> Rank(IEnumerable<RegionView> children)
    {
        var scored = children.Select(c => (Region: c, Score: ScoreOf(c))).ToList();
        return scored
            .OrderByDescending(x => x.Score)
            .ThenBy(x => x.Region.Lights.Red)
            .ThenBy(x => x.Region.Id, StringComparer.Ordinal)
            .Select((x, i) => new RankedRegion(i + 1, x.Region.Id, x.Region.Name, x.Score, x.Region.Rates, x.Region.Lights, x.Region.ProjectCount))
            .ToList();
    }

    public static decimal ScoreOf(RegionView region)
    {
        var parts = new List<decimal>();
        if (region.Rates.StartResumeRate is { } start)
        {
            parts.Add(start);
        }
        if (region.Rates.AnnualInvestmentRate is { } investment)
        {
            parts.Add(Math.Min(investment, 1m));
        }
        var basis = parts.Count == 0 ? 0m : parts.Average() * 100m;
        var redShare = region.ProjectCount == 0 ? 0m : (decimal)region.Lights.Red / region.ProjectCount;
        return Math.Round(Math.Max(0m, basis - redShare * 10m), 1);
    }
}
