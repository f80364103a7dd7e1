namespace Dispatch.Contracts;

[GenerateSerializer, Alias("Dispatch.MeetingStatus")]
public enum MeetingStatus
{
    /// <summary>Started, agenda not yet complete; running the meeting again resumes it.</summary>
    Running = 0,
    /// <summary>Held: agenda fixed, minutes open for decisions.</summary>
    Held = 1,
}

/// <summary>A project on a meeting's agenda, lit red or yellow, with the reasons.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.AgendaProject")]
public sealed record AgendaProject(
    [property: Id(0)] string ProjectId,
    [property: Id(1)] string Name,
    [property: Id(2)] string RegionId,
    [property: Id(3)] Light Light,
    [property: Id(4)] IReadOnlyList<string> Reasons);

/// <summary>A child region in a ranking (晾晒比拼, 赛马): rank 1 is best.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.RankedRegion")]
public sealed record RankedRegion(
    [property: Id(0)] int Rank,
    [property: Id(1)] string RegionId,
    [property: Id(2)] string Name,
    [property: Id(3)] decimal Score,
    [property: Id(4)] RegionRates Rates,
    [property: Id(5)] LightCounts Lights,
    [property: Id(6)] int ProjectCount);

/// <summary>The generated agenda of a dispatch meeting.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.MeetingAgenda")]
public sealed record MeetingAgenda(
    [property: Id(0)] IReadOnlyList<AgendaProject> Projects,
    [property: Id(1)] IReadOnlyList<WarningView> Warnings,
    [property: Id(2)] IReadOnlyList<ProblemView> Problems,
    [property: Id(3)] RegionRates Rates,
    [property: Id(4)] LightCounts Lights,
    [property: Id(5)] IReadOnlyList<RankedRegion> Ranking,
    [property: Id(6)] int ProjectsReviewed);

/// <summary>A decision in the minutes; one with a problem title becomes a problem tracked on the project.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.DecisionRequest")]
public sealed record DecisionRequest(
    [property: Id(0)] string Text,
    [property: Id(1)] string By,
    [property: Id(2)] string? ProjectId = null,
    [property: Id(3)] string? ProblemTitle = null,
    [property: Id(4)] string? Category = null,
    [property: Id(5)] RegionLevel? OwnerLevel = null,
    [property: Id(6)] string? Owner = null,
    [property: Id(7)] DateOnly? Deadline = null);

[GenerateSerializer, Immutable, Alias("Dispatch.Decision")]
public sealed record Decision(
    [property: Id(0)] int Number,
    [property: Id(1)] string Text,
    [property: Id(2)] string By,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] string? ProjectId,
    [property: Id(5)] string? ProblemId,
    [property: Id(6)] string? Owner,
    [property: Id(7)] DateOnly? Deadline);

/// <summary>A dispatch meeting (调度会) of one region, cadence and period.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.MeetingView")]
public sealed record MeetingView(
    [property: Id(0)] string Id,
    [property: Id(1)] string RegionId,
    [property: Id(2)] Cadence Cadence,
    [property: Id(3)] string Period,
    [property: Id(4)] MeetingStatus Status,
    [property: Id(5)] DateOnly AsOf,
    [property: Id(6)] DateTimeOffset? HeldAt,
    [property: Id(7)] MeetingAgenda? Agenda,
    [property: Id(8)] IReadOnlyList<Decision> Decisions)
{
    public static string KeyOf(string regionId, Cadence cadence, string period) => $"{regionId}/{cadence.ToString().ToLowerInvariant()}/{period}";
}

/// <summary>What a project's review found: its light, open warnings and open problems.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.ProjectReview")]
public sealed record ProjectReview(
    [property: Id(0)] string ProjectId,
    [property: Id(1)] string Name,
    [property: Id(2)] string RegionId,
    [property: Id(3)] Light Light,
    [property: Id(4)] IReadOnlyList<WarningView> Warnings,
    [property: Id(5)] IReadOnlyList<ProblemView> Problems);
