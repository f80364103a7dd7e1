namespace Dispatch.Contracts;

/// <summary>
/// How a ranking score came about: score = max(0, <see cref="Basis"/> − <see cref="RedPenalty"/>), rounded to 0.1.
/// </summary>
/// <param name="StartResumeRate">开复工率 as used; null when left out (nothing planned to start or resume, or its weight is 0).</param>
/// <param name="InvestmentRate">年度投资完成率 as used, capped at 1; null when left out (no annual plan, or its weight is 0).</param>
/// <param name="Basis">The weighted mean of the rates used × 100, to 0.01.</param>
/// <param name="RedShare">Red projects ÷ projects, to 0.0001.</param>
/// <param name="RedPenalty">Points deducted: the configured penalty × <paramref name="RedShare"/>, to 0.01.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.ScoreComponents")]
public sealed record ScoreComponents(
    [property: Id(0)] decimal? StartResumeRate,
    [property: Id(1)] decimal? InvestmentRate,
    [property: Id(2)] decimal Basis,
    [property: Id(3)] decimal RedShare,
    [property: Id(4)] decimal RedPenalty);

/// <summary>The formula a ranking was computed with (<c>Dispatch:Ranking:*</c>).</summary>
/// <param name="StartResumeWeight">Weight of 开复工率.</param>
/// <param name="InvestmentWeight">Weight of 年度投资完成率 (capped at 1).</param>
/// <param name="RedPenalty">Points deducted when every project is red; a share of them for a share of red projects.</param>
/// <param name="RankUnplanned">Whether a child with nothing planned is ranked (with a basis of 0) rather than listed last, unranked.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.RankingFormula")]
public sealed record RankingFormula(
    [property: Id(0)] decimal StartResumeWeight,
    [property: Id(1)] decimal InvestmentWeight,
    [property: Id(2)] decimal RedPenalty,
    [property: Id(3)] bool RankUnplanned);

/// <summary>The children of a region ranked for a period (晾晒比拼), as of the period's end or today when it is current.</summary>
/// <param name="RegionId">The region whose children are ranked.</param>
/// <param name="Period">The period ranked: <c>yyyy-MM</c>, <c>yyyy-Qn</c> or <c>yyyy</c>.</param>
/// <param name="AsOf">The date the figures are as of.</param>
/// <param name="PreviousPeriod">The period the rank changes are measured against.</param>
/// <param name="PreviousAsOf">The date the previous ranks are as of (that period's end).</param>
/// <param name="Formula">The weights the scores were computed with.</param>
/// <param name="LeaderScore">The best score; null when no child is ranked.</param>
/// <param name="AverageScore">The mean score of the ranked children, to 0.1; null when no child is ranked.</param>
/// <param name="Children">Ranked children best first (ties by id), then the unranked ones.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.RegionRanking")]
public sealed record RegionRanking(
    [property: Id(0)] string RegionId,
    [property: Id(1)] string Period,
    [property: Id(2)] DateOnly AsOf,
    [property: Id(3)] string PreviousPeriod,
    [property: Id(4)] DateOnly PreviousAsOf,
    [property: Id(5)] RankingFormula Formula,
    [property: Id(6)] decimal? LeaderScore,
    [property: Id(7)] decimal? AverageScore,
    [property: Id(8)] IReadOnlyList<RankedRegion> Children);
