using Dispatch.Contracts;

namespace Dispatch.Grains.Domain;

/// <summary>A warning held in a region's inbox, with the instant its acknowledgement is due there (null at the top, where nothing passes up).</summary>
public sealed record HeldWarning(WarningView Warning, DateTimeOffset? AcknowledgeBy);

/// <summary>A decision in the minutes of a meeting.</summary>
public sealed record MinutedDecision(string MeetingId, Decision Decision);

/// <summary>
/// What a to-do list is chosen from: the regions the caller acts for (an official's region and everything under it)
/// and the projects they report on (a reporter's), and the candidates gathered from those regions' inboxes and
/// problem lists, the meetings they follow and the projects' own warnings. Candidates may repeat and may lie out of
/// scope: <see cref="TodoLists.Select"/> keeps what is the caller's to do.
/// </summary>
public sealed record TodoSources(
    IReadOnlySet<string> Regions,
    IReadOnlySet<string> Projects,
    IReadOnlyList<HeldWarning> Warnings,
    IReadOnlyList<ProblemView> Problems,
    IReadOnlyList<MinutedDecision> Decisions);

/// <summary>
/// The to-do list (待办) of an official: which warnings, problems, decisions and reports wait on them, and in what
/// order. Each group is sorted most urgent first (the earliest deadline; overdue ones are the earliest) and bounded,
/// with its totals. The rules are those of the routes that do the work: a warning is acknowledged where it sits now
/// or above, a raised problem accepted by its owner, one reported solved verified by its supervising level.
/// </summary>
public static class TodoLists
{
    /// <summary>At most this many items per group; the totals count them all.</summary>
    public const int Bound = 200;

    /// <summary>A decision is on the list from this many days before its due date.</summary>
    public const int DecisionsAheadDays = 7;

    public static TodoList Select(Caller caller, string? regionId, TodoSources sources, DateTimeOffset now, DateOnly today,
        WarningThresholds thresholds, int bound = Bound)
    {
        // The copy held where the warning sits carries its deadline.
        var held = sources.Warnings.OrderBy(h => h.AcknowledgeBy is null).DistinctBy(h => h.Warning.Id).ToList();
        var warnings = held
            // A decision's warning is not acknowledged: it closes when the decision is done, so it is listed as the decision.
            .Where(h => h.Warning is { Status: WarningStatus.Open, Rule: not WarningRule.DecisionOverdue } && sources.Regions.Contains(h.Warning.RegionId))
            .Select(h => WarningItem(h, now));
        var problems = sources.Problems.DistinctBy(p => p.Id).Select(p => ProblemItem(p, sources.Regions, today)).OfType<TodoItem>();
        var decisions = sources.Decisions
            .DistinctBy(d => (d.MeetingId, d.Decision.Number))
            .Where(d => d.Decision is { Status: DecisionStatus.Open, OwnerRegionId: { } owner, Deadline: { } due }
                && sources.Regions.Contains(owner) && due.DayNumber - today.DayNumber <= DecisionsAheadDays)
            .Select(d => DecisionItem(d, today));
        var reports = held
            .Where(h => h.Warning is { Rule: WarningRule.NoProgressReport, Status: not WarningStatus.Closed }
                && (sources.Regions.Contains(h.Warning.Path[0]) || sources.Projects.Contains(h.Warning.ProjectId)))
            .Select(h => ReportItem(h.Warning, thresholds, today));
        return new TodoList(caller.Name, caller.Role, regionId, today,
            Group(warnings, bound), Group(problems, bound), Group(decisions, bound), Group(reports, bound));
    }

    /// <summary>An empty list, with why it is empty.</summary>
    public static TodoList Empty(Caller caller, string? regionId, DateOnly today, string? note)
    {
        var none = new TodoGroup(0, 0, []);
        return new TodoList(caller.Name, caller.Role, regionId, today, none, none, none, none, note);
    }

    /// <summary>Most urgent first: the earliest due day, then the earliest instant; what has no deadline comes last.</summary>
    public static IReadOnlyList<TodoItem> Sort(IEnumerable<TodoItem> items) => items
        .OrderBy(i => i.DueOn ?? DateOnly.MaxValue)
        .ThenBy(i => i.DueAt ?? DateTimeOffset.MaxValue)
        .ThenBy(i => i.WarningId ?? i.ProblemId ?? $"{i.MeetingId}#{i.DecisionNumber:D4}", StringComparer.Ordinal)
        .ToList();

    private static TodoGroup Group(IEnumerable<TodoItem> items, int bound)
    {
        var sorted = Sort(items);
        return new TodoGroup(sorted.Count, sorted.Count(i => i.Overdue), sorted.Take(bound).ToList());
    }

    private static TodoItem WarningItem(HeldWarning h, DateTimeOffset now)
    {
        var w = h.Warning;
        return new TodoItem(TodoKind.Acknowledge, w.Subject, w.RegionId, w.ProjectId, w.ProjectName, null, w.Id, null, null,
            h.AcknowledgeBy?.ChinaDay(), h.AcknowledgeBy, h.AcknowledgeBy < now, w.Reason);
    }

    /// <summary>
    /// What a problem asks of the regions in scope: its owner accepts it when raised, or answers for it again when
    /// it was transferred to it (转办) or sent back (驳回); its supervising level verifies it once reported solved.
    /// </summary>
    private static TodoItem? ProblemItem(ProblemView p, IReadOnlySet<string> regions, DateOnly today)
    {
        var last = p.Steps is [.., var step] ? step : null;
        var (kind, region, due, detail) = p.Status switch
        {
            ProblemStatus.Raised when regions.Contains(p.OwnerRegionId) && last?.Action == ProblemAction.Transferred =>
                (TodoKind.Reply, p.OwnerRegionId, ProblemLifecycle.DueOn(p), last.Note),
            ProblemStatus.Raised when regions.Contains(p.OwnerRegionId) => (TodoKind.Accept, p.OwnerRegionId, ProblemLifecycle.DueOn(p), null),
            ProblemStatus.Accepted when regions.Contains(p.OwnerRegionId) && last?.Action == ProblemAction.Rejected =>
                (TodoKind.Reply, p.OwnerRegionId, ProblemLifecycle.DueOn(p), last.Note),
            ProblemStatus.ReportedSolved when regions.Contains(p.SupervisorRegionId) =>
                (TodoKind.Verify, p.SupervisorRegionId, ProblemLifecycle.DueOn(p), last?.Note),
            _ => default((TodoKind, string?, DateOnly?, string?)),
        };
        return region is null ? null
            : new TodoItem(kind, p.Title, region, p.ProjectId, null, p.Id, null, p.MeetingId, null, due, null, due < today, detail);
    }

    private static TodoItem DecisionItem(MinutedDecision m, DateOnly today)
    {
        var d = m.Decision;
        return new TodoItem(TodoKind.Decision, d.Text, d.OwnerRegionId!, d.ProjectId, null, d.ProblemId, null, m.MeetingId, d.Number,
            d.Deadline, null, d.Deadline < today, d.Owner);
    }

    /// <summary>A project's missing report (未填报), due by the due day after its period (每月5日前报上月).</summary>
    private static TodoItem ReportItem(WarningView w, WarningThresholds thresholds, DateOnly today)
    {
        DateOnly? due = Period.TryParse(w.Subject, out var period) ? thresholds.ReportDueBy(period) : null;
        return new TodoItem(TodoKind.Report, w.Subject, w.Path[0], w.ProjectId, w.ProjectName, null, w.Id, null, null, due, null,
            due is null || due < today, w.Reason);
    }
}
