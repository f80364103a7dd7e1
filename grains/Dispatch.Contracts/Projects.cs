namespace Dispatch.Contracts;

/// <summary>新建 new project or 续建 continuing project (which must 复工 resume each year).</summary>
[GenerateSerializer, Alias("Dispatch.ProjectKind")]
public enum ProjectKind
{
    New = 0,
    Continuing = 1,
}

/// <summary>Lifecycle stage (阶段); it follows from the milestones reached.</summary>
[GenerateSerializer, Alias("Dispatch.ProjectStage")]
public enum ProjectStage
{
    /// <summary>谋划储备</summary>
    Planned = 0,
    /// <summary>签约</summary>
    Signed = 1,
    /// <summary>前期手续: 立项, 用地, 环评, 能评, 规划许可, 施工许可</summary>
    Approvals = 2,
    /// <summary>开工 (新建) or 复工 (续建)</summary>
    Started = 3,
    /// <summary>竣工</summary>
    Completed = 4,
    /// <summary>投产</summary>
    InProduction = 5,
    /// <summary>达产</summary>
    FullCapacity = 6,
}

/// <summary>红黄绿灯: the light of a project, the worst of its open warnings.</summary>
[GenerateSerializer, Alias("Dispatch.Light")]
public enum Light
{
    Green = 0,
    Yellow = 1,
    Red = 2,
}

/// <summary>Who coordinates a project, by total investment (Jinzhou's tiers).</summary>
[GenerateSerializer, Alias("Dispatch.ProjectTier")]
public enum ProjectTier
{
    /// <summary>Below 5,000 万, or total investment unknown.</summary>
    Ordinary = 0,
    /// <summary>≥ 5,000 万: a key project (重点项目) tracked in every city.</summary>
    Key = 1,
    /// <summary>1–5 亿: county-coordinated.</summary>
    CountyCoordinated = 2,
    /// <summary>≥ 5 亿 (50,000 万): city-coordinated (市政府统筹).</summary>
    CityCoordinated = 3,
}

/// <summary>One node of the milestone plan (节点计划, 倒排工期).</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.Milestone")]
public sealed record Milestone(
    [property: Id(0)] string Name,
    [property: Id(1)] DateOnly PlannedDate,
    [property: Id(2)] DateOnly? ActualDate = null);

/// <summary>A project's profile as its region declares it. Amounts in 万元.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.ProjectProfile")]
public sealed record ProjectProfile(
    [property: Id(0)] string Name,
    [property: Id(1)] string RegionId,
    [property: Id(2)] ProjectKind Kind,
    [property: Id(3)] string? Industry,
    [property: Id(4)] decimal? TotalInvestment,
    [property: Id(5)] decimal? AnnualPlanInvestment,
    [property: Id(6)] DateOnly? PlannedStart,
    [property: Id(7)] DateOnly? PlannedCompletion,
    [property: Id(8)] string? Leader,
    [property: Id(9)] string? Steward,
    [property: Id(10)] IReadOnlyList<Milestone> Milestones,
    [property: Id(11)] ProjectStage? DeclaredStage = null,
    [property: Id(12)] string? Company = null,
    [property: Id(13)] string? Notes = null);

/// <summary>A milestone reached, as a report states it.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.MilestoneReached")]
public sealed record MilestoneReached(
    [property: Id(0)] string Name,
    [property: Id(1)] DateOnly Date);

/// <summary>
/// 填报: a progress report for one reporting period. <see cref="InvestmentCompleted"/> is the investment completed
/// this year up to the end of the period (年度累计完成投资, 万元), so a corrected report for the same period replaces it.
/// </summary>
[GenerateSerializer, Immutable, Alias("Dispatch.ProgressReport")]
public sealed record ProgressReport(
    [property: Id(0)] string Period,
    [property: Id(1)] decimal InvestmentCompleted,
    [property: Id(2)] decimal PercentComplete,
    [property: Id(3)] IReadOnlyList<MilestoneReached> MilestonesReached,
    [property: Id(4)] string? Narrative,
    [property: Id(5)] DateTimeOffset ReceivedAt);

/// <summary>
/// What a district keeps of each project on its roster, enough for light counts and rates as of any date: the
/// year's plans (the annual list), dated light changes and dated investment figures. <see cref="StartPlanned"/>,
/// <see cref="StartActual"/> and <see cref="AnnualPlanInvestment"/> are those of the project's current year.
/// </summary>
[GenerateSerializer, Immutable, Alias("Dispatch.ProjectSummary")]
public sealed record ProjectSummary(
    [property: Id(0)] string ProjectId,
    [property: Id(1)] ProjectKind Kind,
    [property: Id(2)] Light Light,
    [property: Id(3)] DateOnly? StartPlanned,
    [property: Id(4)] DateOnly? StartActual,
    [property: Id(5)] decimal AnnualPlanInvestment,
    [property: Id(6)] IReadOnlyList<YearInvestment> InvestmentByYear,
    [property: Id(7)] ProjectStage Stage,
    [property: Id(8)] IReadOnlyList<AnnualPlan>? Plans = null,
    [property: Id(9)] decimal? TotalInvestment = null,
    [property: Id(10)] DateOnly? CompletionPlanned = null,
    [property: Id(11)] DateOnly? CompletedOn = null,
    [property: Id(12)] DateOnly? ProductionPlanned = null,
    [property: Id(13)] DateOnly? ProductionOn = null,
    [property: Id(14)] IReadOnlyList<LightChange>? LightChanges = null,
    [property: Id(15)] IReadOnlyList<InvestmentFigure>? Figures = null);

/// <summary>What a project's region rebuilds its roster entry, inbox and problem list from when it activates.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.ProjectStanding")]
public sealed record ProjectStanding(
    [property: Id(0)] ProjectSummary Summary,
    [property: Id(1)] IReadOnlyList<WarningView> Warnings,
    [property: Id(2)] IReadOnlyList<ProblemView>? Problems = null);

/// <summary>Investment completed in one year (万元).</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.YearInvestment")]
public sealed record YearInvestment(
    [property: Id(0)] int Year,
    [property: Id(1)] decimal Completed);

/// <summary>A project as the API shows it.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.ProjectView")]
public sealed record ProjectView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string RegionId,
    [property: Id(3)] ProjectKind Kind,
    [property: Id(4)] ProjectStage Stage,
    [property: Id(5)] Light Light,
    [property: Id(6)] ProjectTier Tier,
    [property: Id(7)] decimal? TotalInvestment,
    [property: Id(8)] decimal? AnnualPlanInvestment,
    [property: Id(9)] decimal InvestmentCompleted,
    [property: Id(10)] decimal? PercentComplete,
    [property: Id(11)] string? Industry,
    [property: Id(12)] string? Company,
    [property: Id(13)] DateOnly? PlannedStart,
    [property: Id(14)] DateOnly? PlannedCompletion,
    [property: Id(15)] string? Leader,
    [property: Id(16)] string? Steward,
    [property: Id(17)] IReadOnlyList<Milestone> Milestones,
    [property: Id(18)] IReadOnlyList<ProgressReport> Reports,
    [property: Id(19)] IReadOnlyList<WarningView> Warnings,
    [property: Id(20)] IReadOnlyList<ProblemView> Problems,
    [property: Id(21)] DateOnly? ReviewedAsOf,
    [property: Id(22)] IReadOnlyList<PeriodLight> LightHistory,
    [property: Id(23)] IReadOnlyList<AnnualPlan>? Plans = null);

/// <summary>The light a project had in one month (kept for rankings and the yearly assessment).</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.PeriodLight")]
public sealed record PeriodLight(
    [property: Id(0)] string Period,
    [property: Id(1)] Light Light);

/// <summary>Where a project stands on one year's list (年度计划项目库).</summary>
[GenerateSerializer, Alias("Dispatch.PlanListing")]
public enum PlanListing
{
    /// <summary>On the year's list (列入年度计划).</summary>
    Listed = 0,
    /// <summary>Carried over from last year's list, its plan for the year still to be confirmed (待确认).</summary>
    ToConfirm = 1,
    /// <summary>Withdrawn from the year's list (退库), with a reason.</summary>
    Withdrawn = 2,
}

/// <summary>How a year's plan came to be.</summary>
[GenerateSerializer, Alias("Dispatch.PlanOrigin")]
public enum PlanOrigin
{
    /// <summary>Put by an office (<c>PUT /api/projects/{id}/plans/{year}</c>, import, console).</summary>
    Declared = 0,
    /// <summary>The project's planned start (resume) falls in the year, and no plan was put for it.</summary>
    PlannedStart = 1,
    /// <summary>A multi-year project not completed by the year's start, carried over from last year's list (结转).</summary>
    CarriedOver = 2,
}

/// <summary>
/// 年度计划: a project's line on one year's list. Each year holds its own kind (新开工 or 续建), planned and actual
/// start (resume) date, planned investment, optional monthly plan (分月计划, 12 amounts) and funds in place (到位资金),
/// so a continuing project resumes (复工) every year without overwriting last year's record. Amounts in 万元.
/// </summary>
[GenerateSerializer, Immutable, Alias("Dispatch.AnnualPlan")]
public sealed record AnnualPlan(
    [property: Id(0)] int Year,
    [property: Id(1)] ProjectKind Kind,
    [property: Id(2)] PlanListing Listing,
    [property: Id(3)] decimal? PlannedInvestment,
    [property: Id(4)] DateOnly? PlannedStart,
    [property: Id(5)] DateOnly? ActualStart,
    [property: Id(6)] IReadOnlyList<decimal>? MonthlyPlan,
    [property: Id(7)] decimal? FundsInPlace,
    [property: Id(8)] bool? KeyProject,
    [property: Id(9)] string? WithdrawnReason,
    [property: Id(10)] string? WithdrawnBy,
    [property: Id(11)] DateTimeOffset? WithdrawnAt,
    [property: Id(12)] PlanOrigin Origin = PlanOrigin.Declared)
{
    /// <summary>Counted in the year's rates: listed or carried over, not withdrawn.</summary>
    public bool OnList => Listing != PlanListing.Withdrawn;
}

/// <summary>
/// What an office puts for a project's year (<c>PUT /api/projects/{id}/plans/{year}</c>). <see cref="Withdrawn"/> true
/// takes the project off the year's list (退库) and needs <see cref="WithdrawnReason"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("Dispatch.AnnualPlanRequest")]
public sealed record AnnualPlanRequest(
    [property: Id(0)] ProjectKind? Kind,
    [property: Id(1)] decimal? PlannedInvestment,
    [property: Id(2)] DateOnly? PlannedStart,
    [property: Id(3)] DateOnly? ActualStart,
    [property: Id(4)] IReadOnlyList<decimal>? MonthlyPlan,
    [property: Id(5)] decimal? FundsInPlace,
    [property: Id(6)] bool? KeyProject,
    [property: Id(7)] bool? Withdrawn,
    [property: Id(8)] string? WithdrawnReason);

/// <summary>A project's light from a day on (the review that changed it): lights as of any date come from these.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.LightChange")]
public sealed record LightChange(
    [property: Id(0)] DateOnly From,
    [property: Id(1)] Light Light);

/// <summary>The year-to-date investment completed (年度累计完成投资, 万元) as it stood on a day.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.InvestmentFigure")]
public sealed record InvestmentFigure(
    [property: Id(0)] int Year,
    [property: Id(1)] DateOnly AsOf,
    [property: Id(2)] decimal Completed);
