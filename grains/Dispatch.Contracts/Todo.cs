namespace Dispatch.Contracts;

/// <summary>What a to-do item (待办) asks of the official.</summary>
[GenerateSerializer, Alias("Dispatch.TodoKind")]
public enum TodoKind
{
    /// <summary>确认: an open warning sitting in a region the caller acts for.</summary>
    Acknowledge = 0,
    /// <summary>受理: a raised problem owned by a region the caller acts for.</summary>
    Accept = 1,
    /// <summary>销号 or 驳回: a problem reported solved, supervised by a region the caller acts for.</summary>
    Verify = 2,
    /// <summary>A problem sent back (驳回) to its owner, or transferred (转办) to it: the owner answers for it again.</summary>
    Reply = 3,
    /// <summary>议定事项: a meeting's decision owed by a region the caller acts for, overdue or due within a week.</summary>
    Decision = 4,
    /// <summary>填报: a project whose progress report for a period is past its due day.</summary>
    Report = 5,
}

/// <summary>
/// One thing on an official's to-do list, with what it links to (project, problem, warning, meeting and decision
/// number), the region where it sits, its deadline and whether that has passed. <see cref="DueOn"/> is the day it is
/// due by (day clocks: problems, decisions, reports); <see cref="DueAt"/> the instant, where the clock counts
/// working time (a warning's acknowledgement); a warning at the top of the hierarchy has neither.
/// </summary>
[GenerateSerializer, Immutable, Alias("Dispatch.TodoItem")]
public sealed record TodoItem(
    [property: Id(0)] TodoKind Kind,
    [property: Id(1)] string Title,
    [property: Id(2)] string RegionId,
    [property: Id(3)] string? ProjectId,
    [property: Id(4)] string? ProjectName,
    [property: Id(5)] string? ProblemId,
    [property: Id(6)] string? WarningId,
    [property: Id(7)] string? MeetingId,
    [property: Id(8)] int? DecisionNumber,
    [property: Id(9)] DateOnly? DueOn,
    [property: Id(10)] DateTimeOffset? DueAt,
    [property: Id(11)] bool Overdue,
    [property: Id(12)] string? Detail);

/// <summary>One group of the list: how many there are (<see cref="Total"/>, of them <see cref="Overdue"/>), and the most urgent of them.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.TodoGroup")]
public sealed record TodoGroup(
    [property: Id(0)] int Total,
    [property: Id(1)] int Overdue,
    [property: Id(2)] IReadOnlyList<TodoItem> Items);

/// <summary>
/// An official's to-do list (待办) as of <see cref="Today"/>: warnings to acknowledge, problems to accept, verify or
/// answer, decisions due and reports overdue in the caller's scope, each group most urgent first.
/// <see cref="RegionId"/> is the region whose subtree it covers (null for a reporter's projects); <see cref="Note"/>
/// says why a list is empty by its nature (a viewer acts on nothing).
/// </summary>
[GenerateSerializer, Immutable, Alias("Dispatch.TodoList")]
public sealed record TodoList(
    [property: Id(0)] string Name,
    [property: Id(1)] Role Role,
    [property: Id(2)] string? RegionId,
    [property: Id(3)] DateOnly Today,
    [property: Id(4)] TodoGroup Warnings,
    [property: Id(5)] TodoGroup Problems,
    [property: Id(6)] TodoGroup Decisions,
    [property: Id(7)] TodoGroup Reports,
    [property: Id(8)] string? Note = null);

/// <summary>Works out a caller's to-do list (待办) from what the regions, projects and meetings keep; holds nothing itself.</summary>
[Alias("Dispatch.ITodoGrain")]
public interface ITodoGrain : IGrainWithStringKey
{
    /// <summary>
    /// The to-do list of <paramref name="caller"/> (who must be the token's holder): an official's covers their region
    /// and everything under it, or <paramref name="regionId"/> under it; a reporter's their projects' overdue reports;
    /// an operator's the region named (none named: an empty list saying so); a viewer's is empty.
    /// </summary>
    [Requires(Access.Read, TargetKind.Self, AsCaller = "caller", ActingRegion = "regionId")]
    [Alias("Get")]
    Task<TodoList> GetAsync(Caller caller, string? regionId = null);
}
