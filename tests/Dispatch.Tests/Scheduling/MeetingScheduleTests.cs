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
        Assert.Equal("0 0 9 1,16 * ?", defaults[1].Cron);

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
    public void A_malformed_cron_is_refused_with_its_setting_named()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Dispatch:Schedule:monthly"] = "every monday" }).Build();
        var error = Assert.Throws<ArgumentException>(() => MeetingSchedule.FromConfiguration(config));
        Assert.Contains("Dispatch:Schedule:monthly", error.Message);
    }
}
