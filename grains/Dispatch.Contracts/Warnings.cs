namespace Dispatch.Contracts;

/// <summary>The cause of a warning (预警).</summary>
[GenerateSerializer, Alias("Dispatch.WarningRule")]
public enum WarningRule
{
    /// <summary>倒排工期 slipping: a milestone past its planned date and not reached.</summary>
    MilestoneOverdue = 0,
    /// <summary>Investment completed this year behind the time-proportional annual plan (序时进度).</summary>
    InvestmentBehindPlan = 1,
    /// <summary>应开尽开: not started (新建) or resumed (续建) by the region's deadline.</summary>
    NotStartedByDeadline = 2,
    /// <summary>No progress report (填报) in the current reporting period.</summary>
    NoProgressReport = 3,
    /// <summary>A problem past its deadline.</summary>
    ProblemOverdue = 4,
    /// <summary>
    /// 议定事项逾期: a meeting's decision past its due date and not done; raised in the owner region's inbox by the
    /// meeting that decided it, closed when the decision is marked done.
    /// </summary>
    DecisionOverdue = 5,
}

[GenerateSerializer, Alias("Dispatch.WarningStatus")]
public enum WarningStatus
{
    Open = 0,
    Acknowledged = 1,
    /// <summary>销号: closed out by an official, or closed by itself when its cause is gone.</summary>
    Closed = 2,
}

/// <summary>
/// A warning as an inbox shows it. <see cref="RegionId"/> is the region whose inbox holds it now;
/// <see cref="Path"/> the regions it passed through, owning district first. <see cref="Reason"/> is worded as of
/// the day the warning was raised or last changed level; a meeting's agenda words it as of the meeting's day.
/// A decision's warning (<see cref="WarningRule.DecisionOverdue"/>) names its <see cref="MeetingId"/>; its project is
/// the decision's, or empty.
/// </summary>
[GenerateSerializer, Immutable, Alias("Dispatch.WarningView")]
public sealed record WarningView(
    [property: Id(0)] string Id,
    [property: Id(1)] string ProjectId,
    [property: Id(2)] string ProjectName,
    [property: Id(3)] string RegionId,
    [property: Id(4)] WarningRule Rule,
    [property: Id(5)] string Subject,
    [property: Id(6)] Light Level,
    [property: Id(7)] WarningStatus Status,
    [property: Id(8)] DateTimeOffset RaisedAt,
    [property: Id(9)] DateOnly RaisedAsOf,
    [property: Id(10)] string Reason,
    [property: Id(11)] IReadOnlyList<string> Path,
    [property: Id(12)] DateTimeOffset? InboxSince,
    [property: Id(13)] string? AcknowledgedBy,
    [property: Id(14)] DateTimeOffset? AcknowledgedAt,
    [property: Id(15)] string? ClosedBy,
    [property: Id(16)] DateTimeOffset? ClosedAt,
    [property: Id(17)] string? CloseNote,
    [property: Id(18)] string? MeetingId = null);

/// <summary>State of a problem (问题清单): open → accepted → resolved (销号).</summary>
[GenerateSerializer, Alias("Dispatch.ProblemStatus")]
public enum ProblemStatus
{
    Open = 0,
    Accepted = 1,
    Resolved = 2,
}

/// <summary>A problem that blocks a project, as declared by a reporter or assigned by a meeting decision.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.ProblemRequest")]
public sealed record ProblemRequest(
    [property: Id(0)] string Title,
    [property: Id(1)] string Category,
    [property: Id(2)] RegionLevel OwnerLevel,
    [property: Id(3)] DateOnly Deadline,
    [property: Id(4)] string? Owner = null,
    [property: Id(5)] string? RaisedBy = null,
    [property: Id(6)] string? MeetingId = null);

/// <summary>A problem as the API shows it. <see cref="Flagged"/> is 挂牌督办: supervised under a flag until closed out.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.ProblemView")]
public sealed record ProblemView(
    [property: Id(0)] string Id,
    [property: Id(1)] string ProjectId,
    [property: Id(2)] string Title,
    [property: Id(3)] string Category,
    [property: Id(4)] RegionLevel OwnerLevel,
    [property: Id(5)] string OwnerRegionId,
    [property: Id(6)] string? Owner,
    [property: Id(7)] DateOnly Deadline,
    [property: Id(8)] ProblemStatus Status,
    [property: Id(9)] bool Flagged,
    [property: Id(10)] DateTimeOffset CreatedAt,
    [property: Id(11)] string? MeetingId,
    [property: Id(12)] string? ResolvedBy,
    [property: Id(13)] DateTimeOffset? ResolvedAt,
    [property: Id(14)] string? ResolutionNote);
