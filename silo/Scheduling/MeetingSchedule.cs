using Dispatch.Contracts;
using Dispatch.Grains.Domain;
using Quartz;

namespace Dispatch.Silo.Scheduling;

/// <summary>One cadence's Quartz schedule: which level meets, and when (cron in China Standard Time).</summary>
public sealed record MeetingSchedule(Cadence Cadence, RegionLevel Level, string Cron)
{
    public JobKey JobKey => new($"meetings-{Cadence.ToString().ToLowerInvariant()}", "dispatch");

    public TriggerKey TriggerKey => new($"meetings-{Cadence.ToString().ToLowerInvariant()}", "dispatch");

    /// <summary>
    /// Defaults from the sources: districts weekly (Monday 09:00); the city half-monthly (1st and 16th, 09:00) and
    /// monthly (1st, 09:30); the city party committee every two months; the quarterly bulletin at each quarter's
    /// end; the yearly assessment on 31 December. Override with <c>Dispatch:Schedule:{cadence}</c>; an empty value
    /// turns a cadence off.
    /// </summary>
    public static IReadOnlyList<MeetingSchedule> FromConfiguration(IConfiguration config)
    {
        (Cadence Cadence, RegionLevel Level, string Cron)[] defaults =
        [
            (Cadence.Weekly, RegionLevel.District, "0 0 9 ? * MON"),
            (Cadence.HalfMonthly, RegionLevel.City, "0 0 9 1,16 * ?"),
            (Cadence.Monthly, RegionLevel.City, "0 30 9 1 * ?"),
            (Cadence.Bimonthly, RegionLevel.City, "0 0 10 1 1/2 ?"),
            (Cadence.Quarterly, RegionLevel.City, "0 0 16 L 3,6,9,12 ?"),
            (Cadence.Yearly, RegionLevel.City, "0 0 16 31 12 ?"),
        ];
        var schedules = new List<MeetingSchedule>();
        foreach (var (cadence, level, cron) in defaults)
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
            schedules.Add(new MeetingSchedule(cadence, level, configured));
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
