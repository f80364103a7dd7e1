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

/// <summary>
/// A child region in a ranking (晾晒比拼, 赛马): rank 1 is best; equal scores (as printed, to 0.1) share a rank (并列) and
/// the next rank skips (1, 2, 2, 4). A child with nothing planned has no rank and no score and comes last, with a reason.
/// </summary>
/// <param name="Rank">Standard competition rank; null when the child is not ranked (see <paramref name="Reason"/>).</param>
/// <param name="Score">The score 0–100 rounded to 0.1 (half away from zero); null when not ranked.</param>
/// <param name="Components">How the score came about: the rates used, their weighted basis and the red-share penalty.</param>
/// <param name="Tied">Another child shares this rank (并列).</param>
/// <param name="PreviousRank">The rank in the previous period; null when the child was not ranked then.</param>
/// <param name="Change">Places gained since the previous period (previous rank − rank; negative: fell back); null when either rank is null.</param>
/// <param name="GapToLeader">Points behind the leader's score (0 for the leader).</param>
/// <param name="GapToAverage">Points above (positive) or below (negative) the average score of the ranked children.</param>
/// <param name="Reason">Why the child is not ranked.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.RankedRegion")]
public sealed record RankedRegion(
    [property: Id(0)] int? Rank,
    [property: Id(1)] string RegionId,
    [property: Id(2)] string Name,
    [property: Id(3)] decimal? Score,
    [property: Id(4)] RegionRates Rates,
    [property: Id(5)] LightCounts Lights,
    [property: Id(6)] int ProjectCount,
    [property: Id(7)] ScoreComponents? Components = null,
    [property: Id(8)] bool Tied = false,
    [property: Id(9)] int? PreviousRank = null,
    [property: Id(10)] int? Change = null,
    [property: Id(11)] decimal? GapToLeader = null,
    [property: Id(12)] decimal? GapToAverage = null,
    [property: Id(13)] string? Reason = null);

/// <summary>The generated agenda of a dispatch meeting.</summary>
/// <param name="Period">
/// The period the meeting judges (调度周期): a review's period whose figures were due by its as-of date, or a weekly
/// meeting's own week; null on agendas stored before it was stated (their period is the meeting's key).
/// </param>
[GenerateSerializer, Immutable, Alias("Dispatch.MeetingAgenda")]
public sealed record MeetingAgenda(
    [property: Id(0)] IReadOnlyList<AgendaProject> Projects,
    [property: Id(1)] IReadOnlyList<WarningView> Warnings,
    [property: Id(2)] IReadOnlyList<ProblemView> Problems,
    [property: Id(3)] RegionRates Rates,
    [property: Id(4)] LightCounts Lights,
    [property: Id(5)] IReadOnlyList<RankedRegion> Ranking,
    [property: Id(6)] int ProjectsReviewed,
    [property: Id(7)] string? Period = null,
    [property: Id(8)] IReadOnlyList<DecisionFollowUp>? FollowUps = null);

/// <summary>
/// A decision to follow up (议定事项督办) on an agenda: open, past its due date as of the meeting's date, and owed by
/// the meeting's region or decided by one of its meetings.
/// </summary>
[GenerateSerializer, Immutable, Alias("Dispatch.DecisionFollowUp")]
public sealed record DecisionFollowUp(
    [property: Id(0)] string MeetingId,
    [property: Id(1)] int Number,
    [property: Id(2)] string Text,
    [property: Id(3)] string OwnerRegionId,
    [property: Id(4)] DateOnly Deadline,
    [property: Id(5)] int DaysOverdue,
    [property: Id(6)] string? ProjectId,
    [property: Id(7)] string? Owner);

/// <summary>Whether a decision (议定事项) has been carried out.</summary>
[GenerateSerializer, Alias("Dispatch.DecisionStatus")]
public enum DecisionStatus
{
    Open = 0,
    /// <summary>办结: marked done by an official, with a note.</summary>
    Done = 1,
}

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
    [property: Id(7)] DateOnly? Deadline = null,
    [property: Id(8)] string? OwnerRegionId = null);

/// <summary>
/// A decision (议定事项) in the minutes. <see cref="OwnerRegionId"/> is the region that must carry it out (the meeting's
/// own or one under it; decisions stored before owners were regions get one when their meeting activates); one with a
/// <see cref="Deadline"/> is followed up until marked done, and past it raises <see cref="Warning"/> in the owner's inbox.
/// </summary>
[GenerateSerializer, Immutable, Alias("Dispatch.Decision")]
public sealed record Decision(
    [property: Id(0)] int Number,
    [property: Id(1)] string Text,
    [property: Id(2)] string By,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] string? ProjectId,
    [property: Id(5)] string? ProblemId,
    [property: Id(6)] string? Owner,
    [property: Id(7)] DateOnly? Deadline,
    [property: Id(8)] string? OwnerRegionId = null,
    [property: Id(9)] DecisionStatus Status = DecisionStatus.Open,
    [property: Id(10)] string? DoneBy = null,
    [property: Id(11)] DateTimeOffset? DoneAt = null,
    [property: Id(12)] string? DoneNote = null,
    [property: Id(13)] WarningView? Warning = null);

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
/// <param name="Tally">
/// The project's counts (light, the year's list) as of the review's date, from what was known by then: a late meeting
/// adds these up instead of today's roster.
/// </param>
[GenerateSerializer, Immutable, Alias("Dispatch.ProjectReview")]
public sealed record ProjectReview(
    [property: Id(0)] string ProjectId,
    [property: Id(1)] string Name,
    [property: Id(2)] string RegionId,
    [property: Id(3)] Light Light,
    [property: Id(4)] IReadOnlyList<WarningView> Warnings,
    [property: Id(5)] IReadOnlyList<ProblemView> Problems,
    [property: Id(6)] RegionTally Tally);
