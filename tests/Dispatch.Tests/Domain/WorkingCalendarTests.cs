using Dispatch.Grains;
using Dispatch.Grains.Domain;

namespace Dispatch.Tests.Domain;

/// <summary>The working-day clock on the shipped holiday data: holidays, make-up days (调休), office hours, years beyond the data.</summary>
public sealed class WorkingCalendarTests
{
    private static readonly IReadOnlyList<CalendarDay> s_shipped = ShippedCalendar.Days;

    private static readonly WorkingCalendar s_office = ShippedCalendar.Office;

    /// <summary>An instant in China Standard Time.</summary>
    private static DateTimeOffset Cn(int year, int month, int day, int hour, int minute = 0) => new(year, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    private static EscalationWindow Working(int days, double hours = 0) => new(TimeSpan.FromDays(days) + TimeSpan.FromHours(hours), WindowCount.Working);

    [Fact]
    public void The_shipped_data_covers_2024_to_2026_and_office_days_are_seven_and_a_half_hours()
    {
        Assert.Equal([2024, 2025, 2026], s_office.Years.Order());
        Assert.Equal(TimeSpan.FromHours(7.5), s_office.OfficeDay);
    }

    [Fact]
    public void A_window_from_the_last_working_afternoon_before_Spring_Festival_2026_ends_after_the_holiday()
    {
        // Saturday 14 February 2026 is a make-up working day (调休上班); 15–23 February are the holiday.
        Assert.True(s_office.IsWorkingDay(new DateOnly(2026, 2, 14)));
        Assert.All(Enumerable.Range(15, 9), d => Assert.False(s_office.IsWorkingDay(new DateOnly(2026, 2, d))));
        // 15:00 + 7.5 office hours: 2.5 h that Saturday, then 3.5 h and 1.5 h on Tuesday 24 February.
        Assert.Equal(Cn(2026, 2, 24, 15), s_office.Deadline(Cn(2026, 2, 14, 15), Working(1)));
        // The make-up Saturday counts: a day's window from Friday's closing ends at Saturday's.
        Assert.Equal(Cn(2026, 2, 14, 17, 30), s_office.Deadline(Cn(2026, 2, 13, 17, 30), Working(1)));
        // And so does the one after (Saturday 28 February).
        Assert.Equal(Cn(2026, 2, 28, 9, 30), s_office.Deadline(Cn(2026, 2, 27, 17, 30), Working(0, 1)));
    }

    [Fact]
    public void Spring_Festival_2025_and_its_make_up_Sunday_and_Saturday()
    {
        Assert.True(s_office.IsWorkingDay(new DateOnly(2025, 1, 26)));
        Assert.True(s_office.IsWorkingDay(new DateOnly(2025, 2, 8)));
        // Monday 27 January 16:00 + 4 office hours: 1.5 h, then 2.5 h on Wednesday 5 February.
        Assert.Equal(Cn(2025, 2, 5, 11), s_office.Deadline(Cn(2025, 1, 27, 16), Working(0, 4)));
        // Friday 7 February 17:00 + 2 h: half an hour, then 1.5 h on the make-up Saturday.
        Assert.Equal(Cn(2025, 2, 8, 10), s_office.Deadline(Cn(2025, 2, 7, 17), Working(0, 2)));
    }

    [Fact]
    public void National_Day_2025_and_2026_are_skipped_and_their_make_up_days_count()
    {
        // 2025: 1–8 October off, Sunday 28 September and Saturday 11 October worked.
        Assert.True(s_office.IsWorkingDay(new DateOnly(2025, 9, 28)));
        Assert.True(s_office.IsWorkingDay(new DateOnly(2025, 10, 11)));
        Assert.Equal(Cn(2025, 10, 9, 14), s_office.Deadline(Cn(2025, 9, 30, 14), Working(1)));
        Assert.Equal(Cn(2025, 9, 28, 9, 30), s_office.Deadline(Cn(2025, 9, 26, 17, 30), Working(0, 1)));
        // 2026: 1–7 October off, Saturday 10 October worked. Two working days from Wednesday 30 September 09:00:
        // 7 h that day, 7.5 h on Thursday 8 October, half an hour on Friday 9 October.
        Assert.Equal(Cn(2026, 10, 9, 9), s_office.Deadline(Cn(2026, 9, 30, 9), Working(2)));
        Assert.Equal(Cn(2026, 10, 10, 9, 30), s_office.Deadline(Cn(2026, 10, 9, 17, 30), Working(0, 1)));
    }

    [Fact]
    public void Office_hours_edges()
    {
        // After hours on Friday: the window starts at Monday's opening and a working day ends at Monday's closing.
        Assert.Equal(Cn(2025, 3, 10, 17, 30), s_office.Deadline(Cn(2025, 3, 7, 18), Working(1)));
        // Within hours: the same time on the next working day.
        Assert.Equal(Cn(2025, 3, 12, 10), s_office.Deadline(Cn(2025, 3, 11, 10), Working(1)));
        // The lunch break does not count; before opening nothing counts.
        Assert.Equal(Cn(2025, 3, 11, 14, 30), s_office.Deadline(Cn(2025, 3, 11, 12, 30), Working(0, 1)));
        Assert.Equal(Cn(2025, 3, 11, 14), s_office.Deadline(Cn(2025, 3, 11, 11, 30), Working(0, 1)));
        Assert.Equal(Cn(2025, 3, 10, 9), s_office.Deadline(Cn(2025, 3, 10, 7), Working(0, 0.5)));
        // Ten working days from a Monday morning: the Monday two weeks on.
        Assert.Equal(Cn(2025, 3, 17, 10), s_office.Deadline(Cn(2025, 3, 3, 10), Working(10)));
        // Instants are compared as such: the same deadline from a UTC start.
        Assert.Equal(Cn(2025, 3, 12, 10), s_office.Deadline(Cn(2025, 3, 11, 10).ToUniversalTime(), Working(1)));
    }

    [Fact]
    public void A_window_counted_in_calendar_time_or_on_the_24x7_calendar_is_what_it_says()
    {
        var start = Cn(2026, 2, 14, 15);
        Assert.Equal(start + TimeSpan.FromDays(1), s_office.Deadline(start, new EscalationWindow(TimeSpan.FromDays(1), WindowCount.Calendar)));
        Assert.Equal(start + TimeSpan.FromDays(1), WorkingCalendar.AroundTheClock.Deadline(start, Working(1)));
        Assert.Equal(start + TimeSpan.FromSeconds(2), WorkingCalendar.AroundTheClock.Deadline(start, new EscalationWindow(TimeSpan.FromSeconds(2), WindowCount.Working)));
        Assert.Empty(WorkingCalendar.AroundTheClock.YearsAssumed(new DateOnly(2031, 1, 1)));
    }

    [Fact]
    public void Beyond_the_data_the_clock_counts_Monday_to_Friday_and_says_which_years()
    {
        Assert.False(s_office.Covers(2027));
        Assert.Equal([2027], s_office.YearsAssumed(new DateOnly(2026, 12, 4)));
        Assert.Equal([2027, 2028], s_office.YearsAssumed(new DateOnly(2027, 1, 4)));
        // 1 October 2027 has no holiday data: a Friday like any other, and the weekend rests.
        Assert.True(s_office.IsWorkingDay(new DateOnly(2027, 10, 1)));
        Assert.False(s_office.IsWorkingDay(new DateOnly(2027, 10, 2)));
        Assert.Equal(Cn(2027, 10, 4, 9), s_office.Deadline(Cn(2027, 10, 1, 17), Working(0, 1)));
    }

    [Fact]
    public void An_operators_rows_add_a_year_and_override_shipped_dates()
    {
        var extra = WorkingCalendar.Parse(new StringReader("""
            date,kind,name,source
            2027-10-01,holiday,国庆节,operator
            2026-10-07,workday,test override,operator
            """), "extra.csv");
        var calendar = new WorkingCalendar([.. s_shipped, .. extra], WorkingCalendar.DefaultOfficeHours);
        Assert.True(calendar.Covers(2027));
        Assert.False(calendar.IsWorkingDay(new DateOnly(2027, 10, 1)));
        Assert.True(calendar.IsWorkingDay(new DateOnly(2026, 10, 7)));
        Assert.Empty(calendar.YearsAssumed(new DateOnly(2026, 12, 4)));
    }

    [Fact]
    public void Office_hours_are_configurable_and_bad_input_says_where()
    {
        var hours = WorkingCalendar.ParseOfficeHours("09:00-17:00");
        var calendar = new WorkingCalendar(s_shipped, hours);
        Assert.Equal(TimeSpan.FromHours(8), calendar.OfficeDay);
        Assert.Equal(Cn(2025, 3, 10, 17), calendar.Deadline(Cn(2025, 3, 7, 18), Working(1)));
        Assert.Throws<FormatException>(() => WorkingCalendar.ParseOfficeHours("9-5"));
        Assert.Throws<ArgumentException>(() => new WorkingCalendar([], WorkingCalendar.ParseOfficeHours("13:00-17:00,08:00-14:00")));
        var e = Assert.Throws<FormatException>(() => WorkingCalendar.Parse(new StringReader("date,kind\n2027-01-01,festival,元旦\n"), "extra.csv"));
        Assert.Contains("extra.csv, line 2", e.Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => WorkingCalendar.Parse(new StringReader("date,kind\n2027-13-01,holiday,x\n"), "extra.csv"));
    }

    [Fact]
    public void Windows_per_level_fall_back_to_the_single_acknowledgement_setting()
    {
        var options = new EscalationOptions { AcknowledgeWithin = TimeSpan.FromHours(2) };
        options.City.AcknowledgeWithin = TimeSpan.FromHours(4);
        options.City.AcknowledgeCounts = WindowCount.Calendar;
        Assert.Equal(new EscalationWindow(TimeSpan.FromHours(2), WindowCount.Working), options.Acknowledge(Dispatch.Contracts.RegionLevel.District));
        Assert.Equal(new EscalationWindow(TimeSpan.FromHours(4), WindowCount.Calendar), options.Acknowledge(Dispatch.Contracts.RegionLevel.City));
        Assert.Equal(new EscalationWindow(TimeSpan.FromDays(10), WindowCount.Working), options.Resolve(Dispatch.Contracts.RegionLevel.District));
        Assert.Equal(new EscalationWindow(TimeSpan.FromDays(15), WindowCount.Working), options.Resolve(Dispatch.Contracts.RegionLevel.City));
    }
}
