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

/// <summary>The rates every bulletin prints, as fractions in [0, 1]; null where nothing is planned.</summary>
/// <param name="StartResumeRate">开复工率: projects started or resumed / projects planned to start or resume this year.</param>
/// <param name="StartRate">开工率: new projects started / new projects planned to start this year.</param>
/// <param name="ResumeRate">复工率: continuing projects resumed / continuing projects planned to resume this year.</param>
/// <param name="AnnualInvestmentRate">年度投资完成率: investment completed this year / annual planned investment.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.RegionRates")]
public sealed record RegionRates(
    [property: Id(0)] decimal? StartResumeRate,
    [property: Id(1)] decimal? StartRate,
    [property: Id(2)] decimal? ResumeRate,
    [property: Id(3)] decimal? AnnualInvestmentRate);

/// <summary>
/// The countable facts under a region as of a date, summed from projects (district) or children (city, province)
/// without re-reading every project.
/// </summary>
[GenerateSerializer, Immutable, Alias("Dispatch.RegionTally")]
public sealed record RegionTally(
    [property: Id(0)] int ProjectCount,
    [property: Id(1)] LightCounts Lights,
    [property: Id(2)] int NewPlanned,
    [property: Id(3)] int NewStarted,
    [property: Id(4)] int ContinuingPlanned,
    [property: Id(5)] int ContinuingResumed,
    [property: Id(6)] decimal AnnualPlanInvestment,
    [property: Id(7)] decimal InvestmentCompletedThisYear)
{
    public static RegionTally Empty { get; } = new(0, LightCounts.None, 0, 0, 0, 0, 0m, 0m);

    public RegionTally Add(RegionTally other) => new(
        ProjectCount + other.ProjectCount,
        Lights.Add(other.Lights),
        NewPlanned + other.NewPlanned,
        NewStarted + other.NewStarted,
        ContinuingPlanned + other.ContinuingPlanned,
        ContinuingResumed + other.ContinuingResumed,
        AnnualPlanInvestment + other.AnnualPlanInvestment,
        InvestmentCompletedThisYear + other.InvestmentCompletedThisYear);
}

/// <summary>A region as the API shows it: its place in the tree, light counts and rates.</summary>
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
    [property: Id(9)] DateOnly AsOf);

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
