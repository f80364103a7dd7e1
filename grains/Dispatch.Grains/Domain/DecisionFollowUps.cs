using Dispatch.Contracts;

namespace Dispatch.Grains.Domain;

/// <summary>
/// The follow-up of a meeting's decisions (议定事项督办): which are overdue, the warning an overdue one raises in its
/// owner region's inbox, marking one done (办结), and what each region's agenda lists. Pure functions over the minutes.
/// </summary>
public static class DecisionFollowUps
{
    /// <summary>Whether the meeting follows the decision up: it has an owner region and a due date and is not done.</summary>
    public static bool IsFollowed(Decision d) => d is { Status: DecisionStatus.Open, OwnerRegionId: not null, Deadline: not null };

    /// <summary>Days past the due date on <paramref name="asOf"/>; a decision is overdue from the day after it.</summary>
    public static int DaysOverdue(Decision d, DateOnly asOf) => d.Deadline is { } due ? asOf.DayNumber - due.DayNumber : 0;

    /// <summary>The warning id: the meeting key with ':' for '/', so that it is one path segment, then the decision's number.</summary>
    public static string WarningId(string meetingId, int number) => $"{meetingId.Replace('/', ':')}:d{number}";

    /// <summary>
    /// The minutes with a warning raised for every followed decision overdue on <paramref name="today"/> that has none
    /// yet, and the warnings raised; a decision keeps its warning, so raising again changes nothing.
    /// </summary>
    public static (IReadOnlyList<Decision> Decisions, IReadOnlyList<WarningView> Raised) RaiseOverdue(
        string meetingId, IReadOnlyList<Decision> decisions, DateOnly today, DateTimeOffset now)
    {
        var raised = new List<WarningView>();
        var updated = decisions.Select(d =>
        {
            if (!IsFollowed(d) || d.Warning is not null || DaysOverdue(d, today) <= 0)
            {
                return d;
            }
            var days = DaysOverdue(d, today);
            var warning = new WarningView(WarningId(meetingId, d.Number), d.ProjectId ?? "", "", d.OwnerRegionId!, WarningRule.DecisionOverdue,
                $"#{d.Number}", Light.Red, WarningStatus.Open, now, today,
                $"议定事项 {meetingId} #{d.Number} 限 {d.Deadline:yyyy-MM-dd} 办结，已逾期 {days} 天：{d.Text} "
                + $"(decision {d.Number} of {meetingId}, due {d.Deadline:yyyy-MM-dd}, {days} days overdue)",
                [d.OwnerRegionId!], now, null, null, null, null, null, MeetingId: meetingId);
            raised.Add(warning);
            return d with { Warning = warning };
        }).ToList();
        return (updated, raised);
    }

    /// <summary>Marks a decision done (办结) with a note; its warning, if one was raised, is closed with the same note.</summary>
    public static Decision MarkDone(Decision d, string by, string? note, DateTimeOffset now) => d with
    {
        Status = DecisionStatus.Done,
        DoneBy = by,
        DoneAt = now,
        DoneNote = note,
        Warning = d.Warning is { Status: not WarningStatus.Closed } w
            ? w with { Status = WarningStatus.Closed, ClosedBy = by, ClosedAt = now, CloseNote = note ?? "议定事项已办结 (decision done)" }
            : d.Warning,
    };

    /// <summary>
    /// The regions that follow the meeting's decisions: the meeting's own and each owner, while a decision they share is
    /// followed.
    /// </summary>
    public static IReadOnlySet<string> RegionsFollowing(string meetingRegionId, IReadOnlyList<Decision> decisions)
    {
        var followed = decisions.Where(IsFollowed).ToList();
        return followed.Count == 0 ? new HashSet<string>() : followed.Select(d => d.OwnerRegionId!).Append(meetingRegionId).ToHashSet();
    }

    /// <summary>
    /// What a meeting of <paramref name="regionId"/> held as of <paramref name="asOf"/> lists to follow up from these
    /// minutes: decisions owed by that region, or by anyone when the minutes are that region's, past due on that day
    /// and not done by its end.
    /// </summary>
    public static IReadOnlyList<DecisionFollowUp> FollowUpsFor(string meetingId, string meetingRegionId, IReadOnlyList<Decision> decisions,
        string regionId, DateOnly asOf) => decisions
        .Where(d => d is { OwnerRegionId: not null, Deadline: not null } && (d.OwnerRegionId == regionId || meetingRegionId == regionId))
        .Where(d => DaysOverdue(d, asOf) > 0 && (d.Status == DecisionStatus.Open || d.DoneAt!.Value.ChinaDay() > asOf))
        .Select(d => new DecisionFollowUp(meetingId, d.Number, d.Text, d.OwnerRegionId!, d.Deadline!.Value, DaysOverdue(d, asOf), d.ProjectId, d.Owner))
        .ToList();

    /// <summary>
    /// Owners for decisions stored before owners were regions: the region of the project a decision names, when it
    /// lies in the meeting's region or under it (<paramref name="projectRegions"/> holds only those), else the meeting's
    /// own region, as a decision recorded today defaults. Decisions with an owner are left as they are.
    /// </summary>
    public static IReadOnlyList<Decision> InferOwners(string meetingRegionId, IReadOnlyList<Decision> decisions,
        IReadOnlyDictionary<string, string> projectRegions) => decisions
        .Select(d => d.OwnerRegionId is not null ? d
            : d with { OwnerRegionId = d.ProjectId is { } project && projectRegions.TryGetValue(project, out var region) ? region : meetingRegionId })
        .ToList();

    /// <summary>Follow-ups as an agenda lists them: the most overdue first, then by meeting and number.</summary>
    public static IReadOnlyList<DecisionFollowUp> MostOverdueFirst(IEnumerable<DecisionFollowUp> followUps) => followUps
        .OrderByDescending(f => f.DaysOverdue).ThenBy(f => f.MeetingId, StringComparer.Ordinal).ThenBy(f => f.Number).ToList();

    /// <summary>The earliest day a followed decision without a warning becomes overdue (the day after its due date); null when none.</summary>
    public static DateOnly? NextOverdueDay(IReadOnlyList<Decision> decisions) => decisions
        .Where(d => IsFollowed(d) && d.Warning is null)
        .Select(d => (DateOnly?)d.Deadline!.Value.AddDays(1))
        .Min();
}
