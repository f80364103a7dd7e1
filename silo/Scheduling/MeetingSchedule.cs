using Dispatch.Contracts;
using Dispatch.Grains.Domain;
using Quartz;

namespace Dispatch.Silo.Scheduling;

/// <summary>
/// One cadence's configured Quartz schedule: when it fires by default (cron in China Standard Time), and the level that
/// holds it by default; which regions meet, and at which time if not this one, is each city's and province's cadence
/// settings (<c>CadencePlans</c>).
/// </summary>
public sealed record MeetingSchedule(Cadence Cadence, RegionLevel Level, string Cron)
{
    public TriggerKey TriggerKey => MeetingTriggers.DefaultKeyOf(Cadence);

    /// <summary>Districts meet weekly; every other cadence is a city's review.</summary>
    public static RegionLevel DefaultLevel(Cadence cadence) => cadence == Cadence.Weekly ? RegionLevel.District : RegionLevel.City;

    /// <summary>
    /// Defaults from the sources: districts weekly (Monday 09:00). The city's reviews judge the period whose figures
    /// have just fallen due, so they meet the day after the reporting due day (<c>Dispatch:Warnings:ReportDueDay</c>,
    /// 5 by default: 每月5日前报上月): half-monthly on the 6th and the 21st (09:00), monthly on the 6th (09:30), the
    /// city party committee every two months on the 6th of January, March, … (10:00), the quarterly bulletin on the 6th
    /// of January, April, July and October and the yearly assessment on 6 January (16:00). A due day late in the month
    /// holds these days to the 28th, which every month has. Override with <c>Dispatch:Schedule:{cadence}</c>; an empty
    /// value turns a cadence off.
    /// </summary>
    public static IReadOnlyList<MeetingSchedule> FromConfiguration(IConfiguration config)
    {
        var dueDay = config.GetValue<int?>("Dispatch:Warnings:ReportDueDay") ?? new WarningThresholds().ReportDueDay;
        var day = Math.Clamp(dueDay + 1, 1, 28);
        var secondHalf = Math.Clamp(15 + dueDay + 1, 16, 28);
        (Cadence Cadence, string Cron)[] defaults =
        [
            (Cadence.Weekly, "0 0 9 ? * MON"),
            (Cadence.HalfMonthly, $"0 0 9 {day},{secondHalf} * ?"),
            (Cadence.Monthly, $"0 30 9 {day} * ?"),
            (Cadence.Bimonthly, $"0 0 10 {day} 1/2 ?"),
            (Cadence.Quarterly, $"0 0 16 {day} 1,4,7,10 ?"),
            (Cadence.Yearly, $"0 0 16 {day} 1 ?"),
        ];
        var schedules = new List<MeetingSchedule>();
        foreach (var (cadence, cron) in defaults)
        {
            var key = $"Dispatch:Schedule:{cadence.ToString().ToLowerInvariant()}";
            var configured = config[key] ?? config[$"Dispatch:Schedule:{cadence}"] ?? cron;
            if (configured.Length == 0)
            {
                continue;
            }
            try
            {
                _ = new CronExpression(configured);
            }
            catch (FormatException e)
            {
                throw new ArgumentException($"{key} = '{configured}' is not a valid Quartz cron expression (seconds minutes hours day-of-month month day-of-week): {e.Message}", e);
            }
            schedules.Add(new MeetingSchedule(cadence, DefaultLevel(cadence), configured));
        }
        return schedules;
    }

    /// <summary>
    /// The as-of dates a firing must cover: every cron time after the previous firing up to the moment it actually
    /// fired. On time that is its own scheduled time; after a misfire (the silo was down over one or more fire times,
    /// and Quartz fires once on its return) it is each missed time, so every missed period is caught up once; the
    /// meeting grain makes a repeat a no-op. At most <paramref name="limit"/> of the latest are kept.
    /// </summary>
    public static IReadOnlyList<DateOnly> DueDates(string cron, DateTimeOffset? previousFire, DateTimeOffset scheduledFire,
        DateTimeOffset firedAt, int limit = 12)
    {
        var expression = new CronExpression(cron, Period.ChinaStandardTime);
        var times = new List<DateTimeOffset>();
        var after = previousFire ?? scheduledFire.AddTicks(-1);
        for (var t = expression.GetNextValidTimeAfter(after); t is { } next && next <= firedAt; t = expression.GetNextValidTimeAfter(next))
        {
            times.Add(next);
        }
        if (times.Count == 0)
        {
            times.Add(scheduledFire);
        }
        return times
            .Select(t => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(t, Period.ChinaStandardTime).DateTime))
            .Distinct()
            .TakeLast(limit)
            .ToList();
    }
}
