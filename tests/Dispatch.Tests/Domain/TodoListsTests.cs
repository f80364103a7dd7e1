using Dispatch.Contracts;
using Dispatch.Grains.Domain;

namespace Dispatch.Tests.Domain;

/// <summary>
/// The to-do list (待办) chosen from what the regions hold, without a silo: what a district office and its city
/// office each have to do on Monday 18 March 2024, and in which order.
/// </summary>
public sealed class TodoListsTests
{
    private const string District = "ln-anshan-haicheng";
    private const string OtherDistrict = "ln-anshan-tiedong";
    private const string City = "ln-anshan";
    private static readonly DateOnly s_today = new(2024, 3, 18);
    private static readonly DateTimeOffset s_now = new(2024, 3, 18, 10, 0, 0, TimeSpan.FromHours(8));
    private static readonly Caller s_districtOfficial = new("海城区科长", Role.Official, District, []);
    private static readonly Caller s_cityOfficial = new("鞍山市督查处长", Role.Official, City, []);
    private static readonly HashSet<string> s_districtScope = [District];
    private static readonly HashSet<string> s_cityScope = [City, District, OtherDistrict];

    private static DateTimeOffset At(int day, int hour) => new(2024, 3, day, hour, 0, 0, TimeSpan.FromHours(8));

    private static WarningView Warning(string id, string regionId, WarningStatus status = WarningStatus.Open, WarningRule rule = WarningRule.MilestoneOverdue,
        string subject = "开工", IReadOnlyList<string>? path = null, string? project = null) =>
        new(id, project ?? id.Split(".w")[0], $"项目{id}", regionId, rule, subject, Light.Yellow, status, At(15, 9), new DateOnly(2024, 3, 15),
            $"{subject} overdue", path ?? [regionId], At(15, 9), null, null, null, null, null);

    private static ProblemView Problem(string id, string owner, ProblemStatus status, DateOnly? acceptBy = null, DateOnly? verifyBy = null,
        ProblemFlag? flag = null, params ProblemStep[] steps) =>
        new(id, id.Split(".q")[0], $"问题{id}", "用地", RegionLevel.District, owner, null, new DateOnly(2024, 4, 30), status, flag is not null, At(11, 9),
            null, null, null, null, AcceptBy: acceptBy, VerifyBy: verifyBy, Flag: flag, Steps: [new ProblemStep(ProblemAction.Raised, "项目单位", At(11, 9)), .. steps]);

    private static MinutedDecision Decision(int number, string owner, DateOnly? deadline, DecisionStatus status = DecisionStatus.Open) =>
        new($"{City}/monthly/2024-02", new Decision(number, $"议定事项{number}", "市长", At(6, 10), null, null, "区发改局", deadline, owner, status));

    private static TodoList Select(Caller caller, IReadOnlySet<string> regions, IReadOnlyList<HeldWarning>? warnings = null,
        IReadOnlyList<ProblemView>? problems = null, IReadOnlyList<MinutedDecision>? decisions = null, IReadOnlySet<string>? projects = null, int bound = TodoLists.Bound) =>
        TodoLists.Select(caller, caller.RegionId, new TodoSources(regions, projects ?? new HashSet<string>(), warnings ?? [], problems ?? [], decisions ?? []),
            s_now, s_today, new WarningThresholds(), bound);

    [Fact]
    public void Open_warnings_sitting_where_the_caller_acts_are_to_acknowledge_the_nearest_deadline_first()
    {
        HeldWarning[] held =
        [
            new(Warning("a.w1", District), At(18, 17)),
            new(Warning("b.w1", District), At(18, 9)),
            new(Warning("c.w1", District, WarningStatus.Acknowledged), At(19, 9)),
            new(Warning("d.w1", District, WarningStatus.Closed), null),
            // Passed up to the city: the city acknowledges it now, not the district.
            new(Warning("e.w1", City, path: [District, City]), At(19, 12)),
            // A decision's warning closes with the decision; it is not acknowledged.
            new(Warning("f.w1", District, rule: WarningRule.DecisionOverdue), null),
        ];
        var district = Select(s_districtOfficial, s_districtScope, held).Warnings;
        Assert.Equal(["b.w1", "a.w1"], district.Items.Select(i => i.WarningId));
        Assert.Equal((2, 1), (district.Total, district.Overdue));
        var first = district.Items[0];
        Assert.Equal((TodoKind.Acknowledge, District, "b", new DateOnly(2024, 3, 18), At(18, 9), true),
            (first.Kind, first.RegionId, first.ProjectId, first.DueOn!.Value, first.DueAt!.Value, first.Overdue));

        // The city acts for its districts too, as the acknowledgement route allows.
        Assert.Equal(["b.w1", "a.w1", "e.w1"], Select(s_cityOfficial, s_cityScope, held).Warnings.Items.Select(i => i.WarningId));
    }

    [Fact]
    public void The_copy_held_where_a_warning_sits_gives_its_deadline_and_at_the_top_a_warning_has_none_and_comes_last()
    {
        var sitting = Warning("a.w1", City, path: [District, City]);
        HeldWarning[] held = [new(sitting, null), new(Warning("top.w1", City), null), new(sitting, At(19, 12))];
        var items = Select(s_cityOfficial, s_cityScope, held).Warnings.Items;
        Assert.Equal([("a.w1", (DateTimeOffset?)At(19, 12)), ("top.w1", null)], items.Select(i => (i.WarningId!, i.DueAt)));
    }

    [Fact]
    public void A_raised_problem_is_its_owners_to_accept_one_reported_solved_its_supervisors_to_verify()
    {
        var flag = new ProblemFlag(FlagGrade.RedCard, City, new DateOnly(2024, 3, 29), "李副市长", "鞍山市督查处长", At(12, 9));
        ProblemView[] problems =
        [
            Problem("p.q1", District, ProblemStatus.Raised, acceptBy: new DateOnly(2024, 3, 18)),
            Problem("p.q2", District, ProblemStatus.ReportedSolved, verifyBy: new DateOnly(2024, 3, 22)),
            // Flagged by the city: the city verifies it, the district only reported it solved.
            Problem("p.q3", District, ProblemStatus.ReportedSolved, verifyBy: new DateOnly(2024, 3, 20), flag: flag),
            // In hand, on its way: nothing to do on it today.
            Problem("p.q4", District, ProblemStatus.Accepted),
            Problem("p.q5", District, ProblemStatus.Closed),
            Problem("p.q6", OtherDistrict, ProblemStatus.Raised, acceptBy: new DateOnly(2024, 3, 15)),
        ];
        var district = Select(s_districtOfficial, s_districtScope, problems: problems).Problems;
        Assert.Equal([("p.q1", TodoKind.Accept), ("p.q2", TodoKind.Verify)], district.Items.Select(i => (i.ProblemId!, i.Kind)));
        Assert.Equal((new DateOnly(2024, 3, 18), false), (district.Items[0].DueOn!.Value, district.Items[0].Overdue));

        var city = Select(s_cityOfficial, s_cityScope, problems: problems).Problems;
        Assert.Equal([("p.q6", TodoKind.Accept, OtherDistrict), ("p.q1", TodoKind.Accept, District), ("p.q3", TodoKind.Verify, City), ("p.q2", TodoKind.Verify, District)],
            city.Items.Select(i => (i.ProblemId!, i.Kind, i.RegionId)));
        Assert.Equal((4, 1), (city.Total, city.Overdue));
    }

    [Fact]
    public void A_problem_sent_back_or_transferred_to_the_owner_is_the_owners_to_answer_with_the_reason()
    {
        ProblemView[] problems =
        [
            Problem("p.q1", District, ProblemStatus.Accepted, null, null, null,
                new ProblemStep(ProblemAction.Accepted, "海城区科长", At(12, 9)), new ProblemStep(ProblemAction.ReportedSolved, "海城区科长", At(13, 9), "已解决"),
                new ProblemStep(ProblemAction.Rejected, "鞍山市督查处长", At(14, 9), "现场核查未通水")),
            Problem("p.q2", District, ProblemStatus.Raised, new DateOnly(2024, 3, 19), null, null,
                new ProblemStep(ProblemAction.Transferred, "铁东区科长", At(18, 9), "→ ln-anshan-haicheng: 项目在海城")),
        ];
        var items = Select(s_districtOfficial, s_districtScope, problems: problems).Problems.Items;
        Assert.Equal([("p.q2", TodoKind.Reply, "→ ln-anshan-haicheng: 项目在海城", new DateOnly(2024, 3, 19)), ("p.q1", TodoKind.Reply, "现场核查未通水", new DateOnly(2024, 4, 30))],
            items.Select(i => (i.ProblemId!, i.Kind, i.Detail!, i.DueOn!.Value)));
    }

    [Fact]
    public void Decisions_owed_by_a_region_in_scope_are_due_when_overdue_or_due_within_a_week_and_done_ones_are_not()
    {
        MinutedDecision[] decisions =
        [
            Decision(1, District, new DateOnly(2024, 3, 25)),
            Decision(2, District, new DateOnly(2024, 3, 26)),
            Decision(3, District, new DateOnly(2024, 3, 10)),
            Decision(4, District, new DateOnly(2024, 3, 12), DecisionStatus.Done),
            Decision(5, City, new DateOnly(2024, 3, 17)),
            Decision(6, District, null),
            Decision(1, District, new DateOnly(2024, 3, 25)),
        ];
        var district = Select(s_districtOfficial, s_districtScope, decisions: decisions).Decisions;
        Assert.Equal([(3, true), (1, false)], district.Items.Select(i => (i.DecisionNumber!.Value, i.Overdue)));
        Assert.Equal(($"{City}/monthly/2024-02", "议定事项3", District, "区发改局"),
            (district.Items[0].MeetingId, district.Items[0].Title, district.Items[0].RegionId, district.Items[0].Detail));
        Assert.Equal([3, 5, 1], Select(s_cityOfficial, s_cityScope, decisions: decisions).Decisions.Items.Select(i => i.DecisionNumber!.Value));
    }

    [Fact]
    public void A_missing_report_is_due_by_the_fifth_of_the_next_month_and_listed_for_the_projects_district_and_reporter()
    {
        // Found by the review of 11 March and escalated to the city unacknowledged: still the district's project.
        var noReport = Warning("hc-1.w3", City, rule: WarningRule.NoProgressReport, subject: "2024-02", path: [District, City]);
        HeldWarning[] held = [new(noReport, null), new(Warning("hc-2.w1", District, WarningStatus.Closed, WarningRule.NoProgressReport, "2024-01"), null)];
        var reports = Select(s_districtOfficial, s_districtScope, held).Reports;
        var item = Assert.Single(reports.Items);
        Assert.Equal((TodoKind.Report, "hc-1", District, "2024-02", new DateOnly(2024, 3, 5), true),
            (item.Kind, item.ProjectId, item.RegionId, item.Title, item.DueOn!.Value, item.Overdue));

        var reporter = new Caller("项目单位张经理", Role.Reporter, null, ["hc-1"]);
        Assert.Equal(["hc-1"], Select(reporter, new HashSet<string>(), held, projects: new HashSet<string> { "hc-1" }).Reports.Items.Select(i => i.ProjectId));
        Assert.Empty(Select(reporter, new HashSet<string>(), held, projects: new HashSet<string> { "hc-9" }).Reports.Items);
    }

    [Fact]
    public void A_long_group_is_cut_to_its_most_urgent_items_with_the_totals_kept()
    {
        var held = Enumerable.Range(0, 250).Select(i => new HeldWarning(Warning($"p{i:D3}.w1", District), At(18, 9).AddHours(i % 50))).ToList();
        var warnings = Select(s_districtOfficial, s_districtScope, held, bound: 200).Warnings;
        // Five were due at 09:00, an hour ago; the one due at 10:00 is due now, not overdue.
        Assert.Equal((250, 5, 200), (warnings.Total, warnings.Overdue, warnings.Items.Count));
        Assert.Equal(At(18, 9), warnings.Items[0].DueAt);
        Assert.True(warnings.Items.Zip(warnings.Items.Skip(1)).All(x => x.First.DueAt <= x.Second.DueAt));
    }
}
