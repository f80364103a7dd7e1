namespace Dispatch.Contracts;

/// <summary>Level of a region in the hierarchy (层级): 省 → 市 → 县/市/区 and development zones.</summary>
[GenerateSerializer, Alias("Dispatch.RegionLevel")]
public enum RegionLevel
{
    Province = 0,
    City = 1,
    /// <summary>County, county-level city, district or development zone (经济开发区, 高新区).</summary>
    District = 2,
}

/// <summary>What an operator declares about a region.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.RegionDefinition")]
public sealed record RegionDefinition(
    [property: Id(0)] string Name,
    [property: Id(1)] RegionLevel Level,
    [property: Id(2)] string? ParentId,
    [property: Id(3)] string? DivisionCode = null);

/// <summary>Red/yellow/green counts (红黄绿灯) of the projects under a region.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.LightCounts")]
public sealed record LightCounts(
    [property: Id(0)] int Green,
    [property: Id(1)] int Yellow,
    [property: Id(2)] int Red)
{
    public static LightCounts None { get; } = new(0, 0, 0);

    public LightCounts Add(LightCounts other) => new(Green + other.Green, Yellow + other.Yellow, Red + other.Red);
}

/// <summary>
/// The figures every bulletin prints for a set of projects on the year's list, as of a date; rates are fractions in
/// [0, 1], null where nothing is planned (README "Rates" defines each in the office's terms).
/// </summary>
/// <param name="StartResumeRate">开复工率: projects started or resumed this year / projects on the year's list.</param>
/// <param name="StartRate">开工率: new projects started / new projects on the year's list.</param>
/// <param name="ResumeRate">复工率: continuing projects resumed / continuing projects on the year's list.</param>
/// <param name="AnnualInvestmentRate">年度投资完成率: investment completed this year / the year's planned investment.</param>
/// <param name="FundsInPlaceRate">资金到位率: funds in place / the year's planned investment.</param>
/// <param name="OnTimeCompletionRate">按期竣工率: completed by the planned day / planned to complete this year by the as-of date.</param>
/// <param name="ProductionRate">投产达效率: in production / planned to go into production this year by the as-of date.</param>
/// <param name="YearOnYearGrowth">固定资产投资同比: completed this year against the same day last year; null without last year's figures.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.RegionRates")]
public sealed record RegionRates(
    [property: Id(0)] decimal? StartResumeRate,
    [property: Id(1)] decimal? StartRate,
    [property: Id(2)] decimal? ResumeRate,
    [property: Id(3)] decimal? AnnualInvestmentRate,
    [property: Id(4)] decimal? FundsInPlaceRate = null,
    [property: Id(5)] decimal? OnTimeCompletionRate = null,
    [property: Id(6)] decimal? ProductionRate = null,
    [property: Id(7)] decimal? YearOnYearGrowth = null,
    [property: Id(8)] int Listed = 0,
    [property: Id(9)] int NewPlanned = 0,
    [property: Id(10)] int NewStarted = 0,
    [property: Id(11)] int ContinuingPlanned = 0,
    [property: Id(12)] int ContinuingResumed = 0,
    [property: Id(13)] int StartedCount = 0,
    [property: Id(14)] decimal StartedTotalInvestment = 0m,
    [property: Id(15)] decimal PlannedInvestment = 0m,
    [property: Id(16)] decimal InvestmentCompleted = 0m,
    [property: Id(17)] decimal FundsInPlace = 0m);

/// <summary>The bulletin figures by tier: 重点项目 (≥ 5,000 万 or on the year's key list), ≥ 1 亿, ≥ 5 亿.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.TierRates")]
public sealed record TierRates(
    [property: Id(0)] RegionRates Key,
    [property: Id(1)] RegionRates Over100Million,
    [property: Id(2)] RegionRates Over500Million);

/// <summary>Which projects a bulletin's figures count (<c>Dispatch:Bulletin:Subset</c>).</summary>
[GenerateSerializer, Alias("Dispatch.BulletinSubset")]
public enum BulletinSubset
{
    /// <summary>Key projects (≥ 5,000 万, or on the year's key list): what the sources count.</summary>
    Key = 0,
    /// <summary>Every project on the year's list.</summary>
    All = 1,
    /// <summary>Projects of ≥ 1 亿.</summary>
    Over100Million = 2,
    /// <summary>Projects of ≥ 5 亿.</summary>
    Over500Million = 3,
}

/// <summary>
/// The countable facts of one set of projects for a year as of a date, summed from projects (district) or children
/// (city, province).
/// </summary>
[GenerateSerializer, Immutable, Alias("Dispatch.ListTally")]
public sealed record ListTally(
    [property: Id(0)] int Listed,
    [property: Id(1)] int NewPlanned,
    [property: Id(2)] int NewStarted,
    [property: Id(3)] int ContinuingPlanned,
    [property: Id(4)] int ContinuingResumed,
    [property: Id(5)] decimal PlannedInvestment,
    [property: Id(6)] decimal InvestmentCompleted,
    [property: Id(7)] decimal FundsInPlace,
    [property: Id(8)] int CompletionDue,
    [property: Id(9)] int CompletedOnTime,
    [property: Id(10)] int ProductionDue,
    [property: Id(11)] int InProduction,
    [property: Id(12)] decimal StartedTotalInvestment,
    [property: Id(13)] decimal CompletedThisYear,
    [property: Id(14)] decimal CompletedSameDayLastYear,
    [property: Id(15)] bool HasLastYear,
    [property: Id(16)] int FundsStated)
{
    public static ListTally Empty { get; } = new(0, 0, 0, 0, 0, 0m, 0m, 0m, 0, 0, 0, 0, 0m, 0m, 0m, false, 0);

    public ListTally Add(ListTally o) => new(Listed + o.Listed, NewPlanned + o.NewPlanned, NewStarted + o.NewStarted,
        ContinuingPlanned + o.ContinuingPlanned, ContinuingResumed + o.ContinuingResumed, PlannedInvestment + o.PlannedInvestment,
        InvestmentCompleted + o.InvestmentCompleted, FundsInPlace + o.FundsInPlace, CompletionDue + o.CompletionDue,
        CompletedOnTime + o.CompletedOnTime, ProductionDue + o.ProductionDue, InProduction + o.InProduction,
        StartedTotalInvestment + o.StartedTotalInvestment, CompletedThisYear + o.CompletedThisYear,
        CompletedSameDayLastYear + o.CompletedSameDayLastYear, HasLastYear || o.HasLastYear, FundsStated + o.FundsStated);
}

/// <summary>
/// The countable facts under a region as of a date, summed from projects (district) or children (city, province)
/// without re-reading every project: lights of that date, and the year's list by tier.
/// </summary>
[GenerateSerializer, Immutable, Alias("Dispatch.RegionTally")]
public sealed record RegionTally(
    [property: Id(0)] int ProjectCount,
    [property: Id(1)] LightCounts Lights,
    [property: Id(2)] ListTally All,
    [property: Id(3)] ListTally Key,
    [property: Id(4)] ListTally Over100Million,
    [property: Id(5)] ListTally Over500Million)
{
    public static RegionTally Empty { get; } = new(0, LightCounts.None, ListTally.Empty, ListTally.Empty, ListTally.Empty, ListTally.Empty);

    public RegionTally Add(RegionTally other) => new(
        ProjectCount + other.ProjectCount,
        Lights.Add(other.Lights),
        All.Add(other.All),
        Key.Add(other.Key),
        Over100Million.Add(other.Over100Million),
        Over500Million.Add(other.Over500Million));

    public ListTally Of(BulletinSubset subset) => subset switch
    {
        BulletinSubset.All => All,
        BulletinSubset.Over100Million => Over100Million,
        BulletinSubset.Over500Million => Over500Million,
        _ => Key,
    };
}

/// <summary>A region's targets for a year (年度目标): projects to start and investment to complete (万元).</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.RegionTarget")]
public sealed record RegionTarget(
    [property: Id(0)] int Year,
    [property: Id(1)] int? ProjectsToStart,
    [property: Id(2)] decimal? Investment);

/// <summary>Progress against the year's targets as of a date: new projects started, investment completed (whole list).</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.TargetProgress")]
public sealed record TargetProgress(
    [property: Id(0)] int Year,
    [property: Id(1)] int? ProjectsToStart,
    [property: Id(2)] int ProjectsStarted,
    [property: Id(3)] decimal? StartProgress,
    [property: Id(4)] decimal? Investment,
    [property: Id(5)] decimal InvestmentCompleted,
    [property: Id(6)] decimal? InvestmentProgress);

/// <summary>
/// A region as the API shows it: its place in the tree, light counts and rates as of <see cref="AsOf"/>: the whole
/// year's list in <see cref="Rates"/>, by tier in <see cref="Tiers"/>, the subset bulletins print in <see cref="Bulletin"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("Dispatch.RegionView")]
public sealed record RegionView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] RegionLevel Level,
    [property: Id(3)] string? ParentId,
    [property: Id(4)] LightCounts Lights,
    [property: Id(5)] RegionRates Rates,
    [property: Id(6)] int ProjectCount,
    [property: Id(7)] IReadOnlyList<string> Children,
    [property: Id(8)] string? DivisionCode,
    [property: Id(9)] DateOnly AsOf,
    [property: Id(10)] TierRates? Tiers = null,
    [property: Id(11)] RegionRates? Bulletin = null,
    [property: Id(12)] BulletinSubset BulletinSubset = BulletinSubset.Key,
    [property: Id(13)] TargetProgress? Target = null);

/// <summary>Why a request was refused: the field at fault and what a person can do about it.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.FieldError")]
public sealed record FieldError(
    [property: Id(0)] string Field,
    [property: Id(1)] string Message);

/// <summary>The answer to a change: the stored value, or the errors that kept anything from being stored.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.ChangeResult`1")]
public sealed record ChangeResult<T>(
    [property: Id(0)] T? Value,
    [property: Id(1)] IReadOnlyList<FieldError> Errors) where T : class
{
    public bool Succeeded => Errors.Count == 0;

    public static ChangeResult<T> Ok(T value) => new(value, []);

    public static ChangeResult<T> Failed(IReadOnlyList<FieldError> errors) => new(null, errors);

    public static ChangeResult<T> Failed(string field, string message) => new(null, [new FieldError(field, message)]);
}
