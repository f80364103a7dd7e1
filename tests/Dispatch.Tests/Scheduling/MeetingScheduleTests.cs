using Dispatch.Contracts;
using Dispatch.Silo.Scheduling;
using Microsoft.Extensions.Configuration;

namespace Dispatch.Tests.Scheduling;

public sealed class MeetingScheduleTests
{
    private const string Weekly = "0 0 9 ? * MON";
    private static readonly TimeSpan s_china = TimeSpan.FromHours(8);

    [Fact]
    public void An_on_time_firing_covers_its_own_day_only()
    {
        var dates = MeetingSchedule.DueDates(Weekly, new DateTimeOffset(2024, 3, 11, 9, 0, 0, s_china), new DateTimeOffset(2024, 3, 18, 9, 0, 0, s_china),
            new DateTimeOffset(2024, 3, 18, 9, 0, 1, s_china));
        Assert.Equal([new DateOnly(2024, 3, 18)], dates);
    }

    [Fact]
    public void A_first_firing_has_no_previous_and_covers_its_day()
    {
        var monday = new DateTimeOffset(2024, 3, 18, 9, 0, 0, s_china);
        Assert.Equal([new DateOnly(2024, 3, 18)], MeetingSchedule.DueDates(Weekly, null, monday, monday.AddSeconds(2)));
    }

    [Fact]
    public void A_misfire_after_two_missed_mondays_catches_up_each_missed_week_once()
    {
        // Down from 2024-03-11 10:00 until Wednesday 2024-03-27 14:00: Quartz fires the misfired 03-18 trigger once, now.
        var dates = MeetingSchedule.DueDates(Weekly, new DateTimeOffset(2024, 3, 11, 9, 0, 0, s_china), new DateTimeOffset(2024, 3, 18, 9, 0, 0, s_china),
            new DateTimeOffset(2024, 3, 27, 14, 0, 0, s_china));
        Assert.Equal([new DateOnly(2024, 3, 18), new DateOnly(2024, 3, 25)], dates);
        var periods = dates.Select(d => Dispatch.Grains.Domain.Period.Of(Cadence.Weekly, d).Key).Distinct();
        Assert.Equal(["2024-W12", "2024-W13"], periods);
    }

    [Fact]
    public void A_long_outage_catches_up_at_most_the_limit()
    {
        var dates = MeetingSchedule.DueDates(Weekly, new DateTimeOffset(2023, 1, 2, 9, 0, 0, s_china), new DateTimeOffset(2023, 1, 9, 9, 0, 0, s_china),
            new DateTimeOffset(2024, 3, 18, 9, 0, 0, s_china), limit: 4);
        Assert.Equal([new DateOnly(2024, 2, 26), new DateOnly(2024, 3, 4), new DateOnly(2024, 3, 11), new DateOnly(2024, 3, 18)], dates);
    }

    [Fact]
    public void Defaults_come_from_the_sources_and_configuration_overrides_or_turns_off()
    {
        var defaults = MeetingSchedule.FromConfiguration(new ConfigurationBuilder().Build());
        Assert.Equal([Cadence.Weekly, Cadence.HalfMonthly, Cadence.Monthly, Cadence.Bimonthly, Cadence.Quarterly, Cadence.Yearly], defaults.Select(s => s.Cadence));
        Assert.Equal((RegionLevel.District, "0 0 9 ? * MON"), (defaults[0].Level, defaults[0].Cron));
        // The reviews meet the day after the reporting due day (5th): the figures they judge are in.
        Assert.Equal(["0 0 9 6,21 * ?", "0 30 9 6 * ?", "0 0 10 6 1/2 ?", "0 0 16 6 1,4,7,10 ?", "0 0 16 6 1 ?"], defaults.Skip(1).Select(s => s.Cron));

        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Dispatch:Schedule:weekly"] = "0 30 8 ? * TUE",
            ["Dispatch:Schedule:yearly"] = "",
        }).Build();
        var configured = MeetingSchedule.FromConfiguration(config);
        Assert.Equal("0 30 8 ? * TUE", configured[0].Cron);
        Assert.DoesNotContain(configured, s => s.Cadence == Cadence.Yearly);
    }

    [Fact]
    public void The_reviews_follow_a_configured_reporting_due_day()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Dispatch:Warnings:ReportDueDay"] = "10" }).Build();
        var schedules = MeetingSchedule.FromConfiguration(config);
        Assert.Equal(["0 0 9 11,26 * ?", "0 30 9 11 * ?"], schedules.Where(s => s.Cadence is Cadence.HalfMonthly or Cadence.Monthly).Select(s => s.Cron));
    }

    [Fact]
    public void Each_default_firing_judges_the_period_just_due_so_every_period_is_judged_once()
    {
        var defaults = MeetingSchedule.FromConfiguration(new ConfigurationBuilder().Build());
        var judged = new Dictionary<Cadence, List<string>>();
        foreach (var schedule in defaults.Where(s => s.Cadence != Cadence.Weekly))
        {
            // Every firing from 1 January 2024 to the end of 2025, as the job would see them.
            var dates = MeetingSchedule.DueDates(schedule.Cron, new DateTimeOffset(2024, 1, 1, 0, 0, 0, s_china), new DateTimeOffset(2024, 1, 1, 0, 0, 1, s_china),
                new DateTimeOffset(2025, 12, 31, 23, 0, 0, s_china), limit: 100);
            judged[schedule.Cadence] = dates.Select(d => Dispatch.Grains.Domain.MeetingPeriods.Judged(schedule.Cadence, d, new()).Key).ToList();
        }
        Assert.Equal(["2023-12", "2024-01", "2024-02"], judged[Cadence.Monthly].Take(3));
        Assert.Equal(24, judged[Cadence.Monthly].Distinct().Count());
        Assert.Equal(["2023-Q4", "2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3"], judged[Cadence.Quarterly]);
        Assert.Equal(["2023", "2024"], judged[Cadence.Yearly]);
        Assert.Equal(["2023-12-H2", "2024-01-H1", "2024-01-H2"], judged[Cadence.HalfMonthly].Take(3));
        Assert.Equal(48, judged[Cadence.HalfMonthly].Distinct().Count());
        Assert.Equal(["2023-B6", "2024-B1", "2024-B2"], judged[Cadence.Bimonthly].Take(3));
        Assert.All(judged.Values, keys => Assert.Equal(keys.Count, keys.Distinct().Count()));
    }

    [Fact]
    public void A_malformed_cron_is_refused_with_its_setting_named()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Dispatch:Schedule:monthly"] = "every monday" }).Build();
        var error = Assert.Throws<ArgumentException>(() => MeetingSchedule.FromConfiguration(config));
        Assert.Contains("Dispatch:Schedule:monthly", error.Message);
    }
}
