using Dispatch.Contracts;
using Dispatch.Grains.Domain;

namespace Dispatch.Tests.Domain;

public sealed class DecisionFollowUpsTests
{
    private const string MeetingId = "c/monthly/2024-03";
    private static readonly DateTimeOffset s_now = new(2024, 4, 20, 9, 0, 0, TimeSpan.FromHours(8));

    private static Decision D(int n, string? owner, DateOnly? deadline) =>
        new(n, $"事项{n}", "市长", s_now.AddDays(-14), null, null, null, deadline, owner);

    [Fact]
    public void A_decision_is_overdue_from_the_day_after_its_due_date_and_raises_one_red_warning_in_its_owners_inbox()
    {
        IReadOnlyList<Decision> minutes = [D(1, "c-d", new DateOnly(2024, 4, 15)), D(2, "c", new DateOnly(2024, 4, 16)), D(3, "c", null), D(4, null, new DateOnly(2024, 4, 1))];

        var (onDueDay, none) = DecisionFollowUps.RaiseOverdue(MeetingId, minutes, new DateOnly(2024, 4, 15), s_now);
        Assert.Empty(none);
        Assert.Equal(minutes, onDueDay);

        var (decisions, raised) = DecisionFollowUps.RaiseOverdue(MeetingId, minutes, new DateOnly(2024, 4, 16), s_now);
        var warning = Assert.Single(raised);
        Assert.Equal(("c:monthly:2024-03:d1", "c-d", WarningRule.DecisionOverdue, Light.Red, WarningStatus.Open, MeetingId),
            (warning.Id, warning.RegionId, warning.Rule, warning.Level, warning.Status, warning.MeetingId));
        Assert.Equal(["c-d"], warning.Path);
        Assert.Contains("事项1", warning.Reason);
        Assert.Contains("1 days overdue", warning.Reason);
        Assert.Equal(warning, decisions[0].Warning);
        // Raising again changes nothing: the decision keeps its warning.
        var (again, noMore) = DecisionFollowUps.RaiseOverdue(MeetingId, decisions, new DateOnly(2024, 4, 16), s_now);
        Assert.Empty(noMore);
        Assert.Equal(decisions, again);
        Assert.Equal(new DateOnly(2024, 4, 17), DecisionFollowUps.NextOverdueDay(decisions));
    }

    [Fact]
    public void Marking_a_decision_done_closes_its_warning_and_the_regions_stop_following_once_nothing_is_open()
    {
        var (decisions, _) = DecisionFollowUps.RaiseOverdue(MeetingId, [D(1, "c-d", new DateOnly(2024, 4, 15)), D(2, "c", new DateOnly(2024, 5, 1))],
            new DateOnly(2024, 4, 20), s_now);
        Assert.Equal(["c", "c-d"], DecisionFollowUps.RegionsFollowing("c", decisions).Order(StringComparer.Ordinal));

        var done = DecisionFollowUps.MarkDone(decisions[0], "区长", "已办结", s_now);
        Assert.Equal((DecisionStatus.Done, "区长", "已办结", WarningStatus.Closed, "已办结"),
            (done.Status, done.DoneBy, done.DoneNote, done.Warning!.Status, done.Warning.CloseNote));
        Assert.Equal(["c"], DecisionFollowUps.RegionsFollowing("c", [done, decisions[1]]));
        Assert.Empty(DecisionFollowUps.RegionsFollowing("c", [done, DecisionFollowUps.MarkDone(decisions[1], "市长", null, s_now)]));
        Assert.Null(DecisionFollowUps.NextOverdueDay([done]));
    }

    [Fact]
    public void An_agenda_lists_what_its_region_owes_or_decided_past_due_on_its_date_and_not_done_by_then()
    {
        IReadOnlyList<Decision> minutes =
        [
            D(1, "c-d", new DateOnly(2024, 4, 15)),
            D(2, "c-e", new DateOnly(2024, 4, 10)),
            DecisionFollowUps.MarkDone(D(3, "c-d", new DateOnly(2024, 4, 10)), "区长", null, new DateTimeOffset(2024, 4, 18, 9, 0, 0, TimeSpan.FromHours(8))),
            D(4, "c-d", null),
        ];
        var asOf = new DateOnly(2024, 4, 17);
        // The district owes 1 (2 days overdue) and 3 (done only on the 18th, after the meeting's date).
        Assert.Equal([(1, 2), (3, 7)], DecisionFollowUps.FollowUpsFor(MeetingId, "c", minutes, "c-d", asOf).Select(f => (f.Number, f.DaysOverdue)));
        // The deciding city follows every one of them.
        Assert.Equal([1, 2, 3], DecisionFollowUps.FollowUpsFor(MeetingId, "c", minutes, "c", asOf).Select(f => f.Number));
        Assert.Equal([1, 2], DecisionFollowUps.FollowUpsFor(MeetingId, "c", minutes, "c", new DateOnly(2024, 4, 18)).Select(f => f.Number));
        Assert.Empty(DecisionFollowUps.FollowUpsFor(MeetingId, "c", minutes, "c-x", asOf));
    }

    [Fact]
    public void A_decision_stored_without_an_owner_is_owed_by_the_region_of_its_project_else_by_the_meetings_region()
    {
        IReadOnlyList<Decision> minutes =
        [
            D(1, null, new DateOnly(2024, 4, 15)) with { ProjectId = "hc-1" },
            D(2, null, new DateOnly(2024, 4, 15)),
            // Its project has since moved out of the meeting's region: the meeting's region answers for it.
            D(3, null, null) with { ProjectId = "moved" },
            D(4, "c-e", new DateOnly(2024, 4, 15)) with { ProjectId = "hc-1" },
        ];
        var owned = DecisionFollowUps.InferOwners("c", minutes, new Dictionary<string, string> { ["hc-1"] = "c-d" });
        Assert.Equal(["c-d", "c", "c", "c-e"], owned.Select(d => d.OwnerRegionId));
        Assert.Equal([true, true, false, true], owned.Select(DecisionFollowUps.IsFollowed));
        Assert.Same(minutes[3], owned[3]);
    }
}
