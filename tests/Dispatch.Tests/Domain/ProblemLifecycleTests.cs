using Dispatch.Contracts;
using Dispatch.Grains.Domain;

namespace Dispatch.Tests.Domain;

/// <summary>
/// The problem's life (问题清单) step by step, without a silo: each transition from the states it is allowed in, the
/// refusals (naming the field) from the others, the clocks on the working-day clock, and escalation when a step is missed.
/// </summary>
public sealed class ProblemLifecycleTests
{
    private const string District = "ln-anshan-haicheng";
    private const string City = "ln-anshan";
    private const string Province = "ln";
    private static readonly DateOnly s_today = new(2024, 3, 18);
    private static readonly DateTimeOffset s_now = new(2024, 3, 18, 9, 0, 0, TimeSpan.FromHours(8));
    private static readonly ProblemClocks s_clocks = new(new ProblemOptions(), ShippedCalendar.Office);
    private static readonly ProblemActor s_district = new("区发改局王科长", s_now, s_today);
    private static readonly ProblemActor s_city = new("市督查室李主任", s_now, s_today);
    private static readonly string[] s_aboveDistrict = [City, Province];

    private static ProblemView Raised(DateOnly? deadline = null) => ProblemLifecycle.Raise("p.q1", "p",
        new ProblemRequest(" 用地指标不足 ", "用地", RegionLevel.District, deadline ?? new DateOnly(2024, 4, 30), "区自然资源局", "项目单位张三"), District, s_district, s_clocks);

    private static ProblemView Accepted() =>
        Ok(ProblemLifecycle.Accept(Raised(), new ProblemAcceptance("区自然资源局", "王副区长", new DateOnly(2024, 4, 15)), s_district));

    private static ProblemView ReportedSolved() => Ok(ProblemLifecycle.ReportSolved(Accepted(), "用地指标已调剂到位", s_district, s_clocks));

    private static ProblemView Closed() => Ok(ProblemLifecycle.Verify(ReportedSolved(), "现场核实", s_city));

    private static ProblemView Ok(ChangeResult<ProblemView> result)
    {
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => $"{e.Field}: {e.Message}")));
        return result.Value!;
    }

    private static void Refused(ChangeResult<ProblemView> result, string field) =>
        Assert.Equal(field, Assert.Single(result.Errors.Select(e => e.Field).Distinct()));

    [Fact]
    public void A_raised_problem_waits_for_acceptance_the_same_day_and_names_who_raised_it()
    {
        var p = Raised();
        Assert.Equal((ProblemStatus.Raised, "用地指标不足", District, s_today), (p.Status, p.Title, p.OwnerRegionId, p.AcceptBy!.Value));
        Assert.Equal("项目单位张三", p.RaisedBy);
        Assert.Equal(ProblemAction.Raised, Assert.Single(p.Steps!).Action);
        Assert.Equal(District, p.SupervisorRegionId);
        var later = ProblemLifecycle.Raise("p.q2", "p", new ProblemRequest("x", "y", RegionLevel.District, s_today.AddDays(9)), District, s_district,
            s_clocks with { Options = new ProblemOptions { AcceptWithinDays = 2 } });
        Assert.Equal(s_today.AddDays(2), later.AcceptBy);
    }

    [Fact]
    public void Accepting_puts_it_in_hand_with_the_responsible_office_a_leader_and_a_deadline_and_the_first_to_accept_owns_it()
    {
        var p = Accepted();
        Assert.Equal((ProblemStatus.Accepted, "区自然资源局", "王副区长", new DateOnly(2024, 4, 15), "区发改局王科长"),
            (p.Status, p.ResponsibleOffice, p.Leader, p.Deadline, p.AcceptedBy));
        // 首办负责: a second office cannot take it over; it is transferred instead.
        Refused(ProblemLifecycle.Accept(p, new ProblemAcceptance("区住建局", "赵局长", new DateOnly(2024, 4, 20)), s_city), "status");
    }

    [Theory]
    [InlineData(null, "王副区长", "2024-04-15", "responsibleOffice")]
    [InlineData("区自然资源局", " ", "2024-04-15", "leader")]
    [InlineData("区自然资源局", "王副区长", null, "deadline")]
    [InlineData("区自然资源局", "王副区长", "2024-03-17", "deadline")]
    [InlineData("区自然资源局", "王副区长", "2101-01-01", "deadline")]
    public void Accepting_without_an_office_a_leader_or_a_deadline_to_come_is_refused_naming_the_field(string? office, string? leader, string? deadline, string field) =>
        Refused(ProblemLifecycle.Accept(Raised(), new ProblemAcceptance(office, leader, deadline is null ? null : DateOnly.Parse(deadline)), s_district), field);

    [Fact]
    public void Reported_solved_it_waits_for_the_supervising_level_which_closes_it_out_or_sends_it_back_with_a_reason()
    {
        // Five working days from Monday 18 March 2024 run to Monday 25 March (the weekend does not count), not Saturday 23.
        var solved = ReportedSolved();
        Assert.Equal((ProblemStatus.ReportedSolved, new DateOnly(2024, 3, 25)), (solved.Status, solved.VerifyBy!.Value));
        var closed = Ok(ProblemLifecycle.Verify(solved, "现场核实", s_city));
        Assert.Equal((ProblemStatus.Closed, "市督查室李主任", "现场核实"), (closed.Status, closed.ResolvedBy, closed.ResolutionNote));
        Assert.Same(closed, Ok(ProblemLifecycle.Verify(closed, "再次销号", s_city)));

        var back = Ok(ProblemLifecycle.Reject(solved, " 指标尚未下达 ", s_city));
        Assert.Equal((ProblemStatus.Accepted, (DateOnly?)null), (back.Status, back.VerifyBy));
        Assert.Equal((ProblemAction.Rejected, "指标尚未下达"), (back.Steps![^1].Action, back.Steps[^1].Note));
        Assert.Equal(
            [ProblemAction.Raised, ProblemAction.Accepted, ProblemAction.ReportedSolved, ProblemAction.Rejected],
            back.Steps.Select(s => s.Action));
    }

    [Fact]
    public void Steps_out_of_order_are_refused_naming_status()
    {
        Refused(ProblemLifecycle.ReportSolved(Raised(), "已解决", s_district, s_clocks), "status");
        Refused(ProblemLifecycle.ReportSolved(ReportedSolved(), "又解决了", s_district, s_clocks), "status");
        Refused(ProblemLifecycle.Reject(Accepted(), "不行", s_city), "status");
        Refused(ProblemLifecycle.Reject(Closed(), "不行", s_city), "status");
        Refused(ProblemLifecycle.Transfer(ReportedSolved(), new ProblemTransfer(RegionLevel.City, null, "上交"), new RegionStep(City, RegionLevel.City), s_district, s_clocks), "status");
        Refused(ProblemLifecycle.Flag(Closed(), new ProblemFlagRequest(FlagGrade.RedCard, new DateOnly(2024, 4, 1), "李市长", City), s_aboveDistrict, s_city), "status");
        Refused(ProblemLifecycle.Accept(Closed(), new ProblemAcceptance("区自然资源局", "王副区长", new DateOnly(2024, 4, 15)), s_district), "status");
    }

    [Fact]
    public void Reporting_solved_needs_a_note_and_rejecting_a_reason()
    {
        Refused(ProblemLifecycle.ReportSolved(Accepted(), " ", s_district, s_clocks), "note");
        Refused(ProblemLifecycle.Reject(ReportedSolved(), null, s_city), "reason");
        Refused(ProblemLifecycle.Verify(ReportedSolved(), new string('x', Limits.MaxLongText + 1), s_city), "note");
    }

    [Fact]
    public void Transferring_to_another_level_hands_it_to_that_region_to_accept_afresh_with_the_reason_kept()
    {
        var moved = Ok(ProblemLifecycle.Transfer(Accepted(), new ProblemTransfer(RegionLevel.City, "市自然资源局", "区里无权调剂指标"),
            new RegionStep(City, RegionLevel.City), s_district, s_clocks));
        Assert.Equal((ProblemStatus.Raised, City, RegionLevel.City, "市自然资源局", s_today), (moved.Status, moved.OwnerRegionId, moved.OwnerLevel, moved.Owner, moved.AcceptBy!.Value));
        Assert.Null(moved.ResponsibleOffice);
        Assert.Null(moved.AcceptedBy);
        Assert.Contains("区里无权调剂指标", moved.Steps![^1].Note);

        var sideways = Ok(ProblemLifecycle.Transfer(Raised(), new ProblemTransfer(null, "区住建局", "供水归住建"), null, s_district, s_clocks));
        Assert.Equal((District, "区住建局"), (sideways.OwnerRegionId, sideways.Owner));
    }

    [Fact]
    public void A_transfer_without_a_reason_a_target_or_to_where_it_already_is_is_refused()
    {
        Refused(ProblemLifecycle.Transfer(Raised(), new ProblemTransfer(RegionLevel.City, null, null), new RegionStep(City, RegionLevel.City), s_district, s_clocks), "reason");
        Refused(ProblemLifecycle.Transfer(Raised(), new ProblemTransfer(null, null, "上交"), null, s_district, s_clocks), "toLevel");
        Refused(ProblemLifecycle.Transfer(Raised(), new ProblemTransfer(RegionLevel.District, "区自然资源局", "原地"), new RegionStep(District, RegionLevel.District), s_district, s_clocks), "toOffice");
        // A level the project has no region at (the chain answered none).
        Refused(ProblemLifecycle.Transfer(Raised(), new ProblemTransfer(RegionLevel.Province, null, "上交省里"), null, s_district, s_clocks), "toLevel");
    }

    [Fact]
    public void A_superior_flags_a_problem_below_it_with_a_grade_a_new_deadline_and_a_supervising_official_and_then_supervises_it()
    {
        var flagged = Ok(ProblemLifecycle.Flag(Accepted(), new ProblemFlagRequest(FlagGrade.RedCard, new DateOnly(2024, 3, 31), "李市长", City), s_aboveDistrict, s_city));
        Assert.True(flagged.Flagged);
        Assert.Equal((FlagGrade.RedCard, City, "李市长", new DateOnly(2024, 3, 31)), (flagged.Flag!.Grade, flagged.Flag.RegionId, flagged.Flag.SupervisingOfficial, flagged.Deadline));
        Assert.Equal((District, City, ProblemStatus.Accepted), (flagged.OwnerRegionId, flagged.SupervisorRegionId, flagged.Status));

        // The province may take over the flag; the city cannot take it back from the province.
        var byProvince = Ok(ProblemLifecycle.Flag(flagged, new ProblemFlagRequest(FlagGrade.YellowCard, new DateOnly(2024, 4, 10), "省督查室", Province), s_aboveDistrict, s_city));
        Assert.Equal(Province, byProvince.SupervisorRegionId);
        Refused(ProblemLifecycle.Flag(byProvince, new ProblemFlagRequest(FlagGrade.RedCard, new DateOnly(2024, 4, 1), "李市长", City), s_aboveDistrict, s_city), "regionId");
    }

    [Theory]
    [InlineData(null, "2024-03-31", "李市长", City, "grade")]
    [InlineData(FlagGrade.RedCard, null, "李市长", City, "deadline")]
    [InlineData(FlagGrade.RedCard, "2024-03-01", "李市长", City, "deadline")]
    [InlineData(FlagGrade.RedCard, "2024-03-31", "", City, "supervisingOfficial")]
    [InlineData(FlagGrade.RedCard, "2024-03-31", "李市长", null, "regionId")]
    [InlineData(FlagGrade.RedCard, "2024-03-31", "李市长", District, "regionId")]
    [InlineData(FlagGrade.RedCard, "2024-03-31", "李市长", "ln-panjin", "regionId")]
    public void A_flag_needs_a_grade_a_deadline_to_come_an_official_and_a_region_above_the_owner(FlagGrade? grade, string? deadline, string official, string? region, string field) =>
        Refused(ProblemLifecycle.Flag(Raised(), new ProblemFlagRequest(grade, deadline is null ? null : DateOnly.Parse(deadline), official, region), s_aboveDistrict, s_city), field);

    [Fact]
    public void Not_accepted_by_the_end_of_the_day_it_goes_up_one_level_flagged_there_to_be_accepted_there()
    {
        var p = Raised();
        Assert.Same(p, ProblemLifecycle.Escalate(p, s_today, new RegionStep(City, RegionLevel.City), s_clocks, s_now));
        var up = ProblemLifecycle.Escalate(p, s_today.AddDays(1), new RegionStep(City, RegionLevel.City), s_clocks, s_now);
        Assert.Equal((City, RegionLevel.City, true, ProblemStatus.Raised, s_today.AddDays(1)), (up.OwnerRegionId, up.OwnerLevel, up.Flagged, up.Status, up.AcceptBy!.Value));
        Assert.Equal((FlagGrade.YellowCard, City, ProblemLifecycle.System), (up.Flag!.Grade, up.Flag.RegionId, up.Flag.By));
        Assert.Equal(ProblemAction.Escalated, up.Steps![^1].Action);
        // Flagged, it stays with the level that flagged it.
        Assert.Same(up, ProblemLifecycle.Escalate(up, s_today.AddDays(30), new RegionStep(Province, RegionLevel.Province), s_clocks, s_now));
    }

    [Fact]
    public void Accepted_and_past_its_deadline_it_goes_up_with_its_ownership_reported_solved_and_not_verified_only_its_supervision_goes_up()
    {
        var accepted = Accepted();
        Assert.Same(accepted, ProblemLifecycle.Escalate(accepted, new DateOnly(2024, 4, 15), new RegionStep(City, RegionLevel.City), s_clocks, s_now));
        var late = ProblemLifecycle.Escalate(accepted, new DateOnly(2024, 4, 16), new RegionStep(City, RegionLevel.City), s_clocks, s_now);
        Assert.Equal((City, City, ProblemStatus.Accepted), (late.OwnerRegionId, late.SupervisorRegionId, late.Status));

        // Due Monday 25 March (five working days), so missed from Tuesday 26, no longer from Sunday 24.
        var solved = ReportedSolved();
        Assert.Same(solved, ProblemLifecycle.Escalate(solved, new DateOnly(2024, 3, 25), new RegionStep(City, RegionLevel.City), s_clocks, s_now));
        var unverified = ProblemLifecycle.Escalate(solved, new DateOnly(2024, 3, 26), new RegionStep(City, RegionLevel.City), s_clocks, s_now);
        Assert.Equal((District, City, ProblemStatus.ReportedSolved), (unverified.OwnerRegionId, unverified.SupervisorRegionId, unverified.Status));

        var atTop = ProblemLifecycle.Escalate(accepted, new DateOnly(2024, 4, 16), null, s_clocks, s_now);
        Assert.Equal((District, true, (ProblemFlag?)null), (atTop.OwnerRegionId, atTop.Flagged, atTop.Flag));
        var closed = Closed();
        Assert.Same(closed, ProblemLifecycle.Escalate(closed, new DateOnly(2030, 1, 1), null, s_clocks, s_now));
    }

    [Fact]
    public void Escalated_by_a_review_a_week_late_its_new_clock_runs_from_when_the_missed_step_lapsed_not_from_the_review()
    {
        // Due to be accepted on Monday 18 March 2024; the weekly review notices only on Monday 25 March. The city had it
        // from Monday's close: 事不过夜 makes it the city's to accept by Tuesday 19 March, already missed on the 25th.
        var up = ProblemLifecycle.Escalate(Raised(), new DateOnly(2024, 3, 25), new RegionStep(City, RegionLevel.City), s_clocks, s_now);
        Assert.Equal((City, new DateOnly(2024, 3, 19)), (up.OwnerRegionId, up.AcceptBy!.Value));
        var twoDays = s_clocks with { Options = new ProblemOptions { AcceptWithinDays = 2 } };
        Assert.Equal(new DateOnly(2024, 3, 21), ProblemLifecycle.Escalate(Raised(), new DateOnly(2024, 3, 25), new RegionStep(City, RegionLevel.City), twoDays, s_now).AcceptBy);

        // Reported solved on the 18th, to verify by Monday 25 March; a review on 1 April gives the city five working days
        // from Tuesday 26 March (26, 27, 28, 29 March and 1 April are days 0–4): due Tuesday 2 April, not after Qingming.
        var unverified = ProblemLifecycle.Escalate(ReportedSolved(), new DateOnly(2024, 4, 1), new RegionStep(City, RegionLevel.City), s_clocks, s_now);
        Assert.Equal((City, new DateOnly(2024, 4, 2)), (unverified.SupervisorRegionId, unverified.VerifyBy!.Value));
    }

    [Fact]
    public void A_problem_stored_before_the_accept_clock_is_due_by_its_deadline_only()
    {
        var old = new ProblemView("p.q1", "p", "用地", "用地", RegionLevel.District, District, null, new DateOnly(2024, 3, 20), ProblemStatus.Raised, false,
            default, null, null, null, null);
        Assert.Equal(new DateOnly(2024, 3, 20), ProblemLifecycle.DueOn(old));
        Assert.False(ProblemLifecycle.Missed(old, new DateOnly(2024, 3, 20)));
        Assert.True(ProblemLifecycle.Missed(old, new DateOnly(2024, 3, 21)));
    }

    private static ProblemActor At(int year, int month, int day, int hour) =>
        new("区发改局王科长", new DateTimeOffset(year, month, day, hour, 0, 0, TimeSpan.FromHours(8)), new DateOnly(year, month, day));

    private static ProblemView RaisedAt(ProblemActor actor, ProblemClocks clocks) => ProblemLifecycle.Raise("p.q1", "p",
        new ProblemRequest("用地指标不足", "用地", RegionLevel.District, new DateOnly(2026, 12, 31)), District, actor, clocks);

    [Fact]
    public void Raised_on_the_last_working_afternoon_before_Spring_Festival_2026_it_is_accepted_that_day_after_hours_the_first_day_back()
    {
        // Saturday 14 February 2026 is a make-up working day (调休上班); 15–23 February are the holiday.
        var p = RaisedAt(At(2026, 2, 14, 16), s_clocks);
        Assert.Equal(new DateOnly(2026, 2, 14), p.AcceptBy);
        Assert.False(ProblemLifecycle.Missed(p, new DateOnly(2026, 2, 14)));
        Assert.True(ProblemLifecycle.Missed(p, new DateOnly(2026, 2, 15)));
        // Raised after the office closed, the office has the next working day, Tuesday 24 February.
        Assert.Equal(new DateOnly(2026, 2, 24), RaisedAt(At(2026, 2, 14, 18), s_clocks).AcceptBy);
        // Missed, it goes up on a review during the holiday; the city's accept clock runs from the first working day.
        var up = ProblemLifecycle.Escalate(p, new DateOnly(2026, 2, 16), new RegionStep(City, RegionLevel.City), s_clocks, s_now);
        Assert.Equal((City, new DateOnly(2026, 2, 24)), (up.OwnerRegionId, up.AcceptBy!.Value));
        // Five working days from Friday 13 February: the make-up Saturday, then 24–27 February.
        Assert.Equal(new DateOnly(2026, 2, 27), Ok(ProblemLifecycle.ReportSolved(Accepted(), "已解决", At(2026, 2, 13, 10), s_clocks)).VerifyBy);
    }

    [Fact]
    public void Reported_solved_before_National_Day_2026_the_holiday_week_does_not_count_towards_verification()
    {
        // 1–7 October are the holiday and Saturday 10 October a make-up day: 8, 9, 10, 12 and 13 October.
        var solved = Ok(ProblemLifecycle.ReportSolved(Accepted(), "已解决", At(2026, 9, 30, 10), s_clocks));
        Assert.Equal(new DateOnly(2026, 10, 13), solved.VerifyBy);
        Assert.False(ProblemLifecycle.Missed(solved, new DateOnly(2026, 10, 13)));
        Assert.True(ProblemLifecycle.Missed(solved, new DateOnly(2026, 10, 14)));
    }

    [Fact]
    public void Raised_on_an_ordinary_Saturday_it_is_due_the_next_working_day_and_its_clock_starts_then()
    {
        var p = RaisedAt(At(2026, 3, 7, 10), s_clocks);
        Assert.Equal(new DateOnly(2026, 3, 9), p.AcceptBy);
        Assert.Equal(new DateOnly(2026, 3, 16), Ok(ProblemLifecycle.ReportSolved(Accepted(), "已解决", At(2026, 3, 7, 10), s_clocks)).VerifyBy);
    }

    [Fact]
    public void Around_the_clock_the_clocks_count_calendar_days()
    {
        var calendarDays = s_clocks with { Calendar = WorkingCalendar.AroundTheClock };
        Assert.Equal(new DateOnly(2026, 2, 14), RaisedAt(At(2026, 2, 14, 18), calendarDays).AcceptBy);
        Assert.Equal(new DateOnly(2026, 3, 7), RaisedAt(At(2026, 3, 7, 10), calendarDays).AcceptBy);
        Assert.Equal(new DateOnly(2026, 10, 5), Ok(ProblemLifecycle.ReportSolved(Accepted(), "已解决", At(2026, 9, 30, 10), calendarDays)).VerifyBy);
        Assert.Throws<ArgumentOutOfRangeException>(() => WorkingCalendar.AroundTheClock.DueDay(new DateOnly(2026, 3, 7), -1));
    }
}
