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
/// An acknowledgement may carry the measure planned (<see cref="Measure"/>) and the date it is planned by;
/// <see cref="HandOffs"/> records each step up the path and why.
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
    [property: Id(18)] string? Measure = null,
    [property: Id(19)] DateOnly? PlannedBy = null,
    [property: Id(20)] IReadOnlyList<WarningHandOff>? HandOffs = null,
    [property: Id(21)] string? MeetingId = null);

/// <summary>Why a warning left a region's inbox for the parent's.</summary>
[GenerateSerializer, Alias("Dispatch.HandOffReason")]
public enum HandOffReason
{
    /// <summary>Nobody acknowledged it within the level's acknowledgement window.</summary>
    NotAcknowledged = 0,
    /// <summary>Acknowledged, but its cause persisted past the level's resolve window: the level could not solve it.</summary>
    NotResolved = 1,
    /// <summary>A red warning on a city-coordinated project (市政府统筹) goes to the city at once.</summary>
    CityCoordinated = 2,
}

/// <summary>
/// One step of a warning up the hierarchy: from which region, when, why, and what that region had acknowledged and
/// planned (措施, planned date) when it did.
/// </summary>
[GenerateSerializer, Immutable, Alias("Dispatch.WarningHandOff")]
public sealed record WarningHandOff(
    [property: Id(0)] string FromRegionId,
    [property: Id(1)] string ToRegionId,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] HandOffReason Reason,
    [property: Id(4)] string? AcknowledgedBy,
    [property: Id(5)] DateTimeOffset? AcknowledgedAt,
    [property: Id(6)] string? Measure,
    [property: Id(7)] DateOnly? PlannedBy);

/// <summary>
/// Where a problem (问题清单) stands: 上报 raised → 受理 accepted → 办结 reported solved → 销号 closed out. The stored
/// values of the first three are those of the old open/accepted/resolved, so problems stored before still read.
/// </summary>
[GenerateSerializer, Alias("Dispatch.ProblemStatus")]
public enum ProblemStatus
{
    /// <summary>上报: waiting for the owning level's office to accept it (受理).</summary>
    Raised = 0,
    /// <summary>受理: in hand, with a responsible office (责任单位), a leader and a deadline.</summary>
    Accepted = 1,
    /// <summary>销号: closed out by the supervising level.</summary>
    Closed = 2,
    /// <summary>办结: reported solved by the owner, waiting for the supervising level to verify it.</summary>
    ReportedSolved = 3,
}

/// <summary>The grade of a supervision flag (挂牌督办): 黄牌 or 红牌.</summary>
[GenerateSerializer, Alias("Dispatch.FlagGrade")]
public enum FlagGrade
{
    YellowCard = 0,
    RedCard = 1,
}

/// <summary>A step in a problem's life, for its history.</summary>
[GenerateSerializer, Alias("Dispatch.ProblemAction")]
public enum ProblemAction
{
    Raised = 0,
    Accepted = 1,
    Transferred = 2,
    Flagged = 3,
    ReportedSolved = 4,
    Rejected = 5,
    Closed = 6,
    /// <summary>A missed clock took it up one level (挂牌督办 there).</summary>
    Escalated = 7,
}

/// <summary>Whether a region lists the problems it owns (办理) or those it supervises (督办, verifies and closes out).</summary>
[GenerateSerializer, Alias("Dispatch.ProblemRole")]
public enum ProblemRole
{
    Owner = 0,
    Supervisor = 1,
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

/// <summary>受理: the owning level's office takes the problem in hand, naming the responsible office (责任单位), a leader and a deadline.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.ProblemAcceptance")]
public sealed record ProblemAcceptance(
    [property: Id(0)] string? ResponsibleOffice,
    [property: Id(1)] string? Leader,
    [property: Id(2)] DateOnly? Deadline);

/// <summary>转办: hands the problem to another office or level, with a reason.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.ProblemTransfer")]
public sealed record ProblemTransfer(
    [property: Id(0)] RegionLevel? ToLevel,
    [property: Id(1)] string? ToOffice,
    [property: Id(2)] string? Reason);

/// <summary>
/// 挂牌督办: a superior level puts a problem below it under its flag. <see cref="RegionId"/> is the flagging region
/// (default: the caller's own region).
/// </summary>
[GenerateSerializer, Immutable, Alias("Dispatch.ProblemFlagRequest")]
public sealed record ProblemFlagRequest(
    [property: Id(0)] FlagGrade? Grade,
    [property: Id(1)] DateOnly? Deadline,
    [property: Id(2)] string? SupervisingOfficial,
    [property: Id(3)] string? RegionId = null);

/// <summary>The flag a problem is supervised under (挂牌督办): by whom, from which region, how hard, until when.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.ProblemFlag")]
public sealed record ProblemFlag(
    [property: Id(0)] FlagGrade Grade,
    [property: Id(1)] string RegionId,
    [property: Id(2)] DateOnly Deadline,
    [property: Id(3)] string? SupervisingOfficial,
    [property: Id(4)] string By,
    [property: Id(5)] DateTimeOffset At);

/// <summary>One step of a problem's history: what, who, when, and the reason or note given.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.ProblemStep")]
public sealed record ProblemStep(
    [property: Id(0)] ProblemAction Action,
    [property: Id(1)] string By,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] string? Note = null);

/// <summary>
/// A problem as the API shows it. <see cref="Flagged"/> is 挂牌督办: supervised under a flag until closed out
/// (<see cref="Flag"/> says by whom; problems flagged before flags had details have none). <see cref="Deadline"/> is
/// the deadline of the step in hand; <see cref="AcceptBy"/> and <see cref="VerifyBy"/> the clocks of acceptance and
/// verification. <see cref="Path"/> runs from the project's region up to the highest region that owns or supervises
/// it: each of them lists it.
/// </summary>
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
    [property: Id(14)] string? ResolutionNote,
    [property: Id(15)] string? RaisedBy = null,
    [property: Id(16)] DateOnly? AcceptBy = null,
    [property: Id(17)] string? ResponsibleOffice = null,
    [property: Id(18)] string? Leader = null,
    [property: Id(19)] string? AcceptedBy = null,
    [property: Id(20)] DateTimeOffset? AcceptedAt = null,
    [property: Id(21)] ProblemFlag? Flag = null,
    [property: Id(22)] DateOnly? VerifyBy = null,
    [property: Id(23)] IReadOnlyList<string>? Path = null,
    [property: Id(24)] IReadOnlyList<ProblemStep>? Steps = null)
{
    /// <summary>The region that verifies and closes it out (销号): the flagging region when flagged, else the owner.</summary>
    public string SupervisorRegionId => Flag?.RegionId ?? OwnerRegionId;
}
