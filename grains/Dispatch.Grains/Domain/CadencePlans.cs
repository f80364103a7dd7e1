using System.Globalization;
using Dispatch.Contracts;
using Quartz;

namespace Dispatch.Grains.Domain;

/// <summary>
/// Which cadences a city or the province holds, at which level and when (调度安排): the defaults, their validation, and
/// who meets when a schedule's trigger fires. Pure functions.
/// </summary>
public static class CadencePlans
{
    private static CadenceSetting City(Cadence c) => new(c, RegionLevel.City);

    private static CadenceSetting Districts(Cadence c) => new(c, RegionLevel.District);

    /// <summary>
    /// The sources' table (DOMAIN.md) for the five seed cities: Anshan's districts weekly, the city half-monthly, monthly,
    /// bimonthly (city party committee) and quarterly (督查); Fushun 周调度, 月分析, 季通报 at city level; Panjin 月调度,
    /// 季通报, 年评比; Dandong 半月一调度, 一月一督查; Jinzhou 按月通报, quarterly 提示函. The sources name no day or hour,
    /// so every default follows its cadence's configured time (<see cref="CadenceSetting.When"/> null).
    /// </summary>
    private static readonly Dictionary<string, IReadOnlyList<CadenceSetting>> s_seedCities = new(StringComparer.Ordinal)
    {
        ["ln-anshan"] = [Districts(Cadence.Weekly), City(Cadence.HalfMonthly), City(Cadence.Monthly), City(Cadence.Bimonthly), City(Cadence.Quarterly)],
        ["ln-fushun"] = [City(Cadence.Weekly), City(Cadence.Monthly), City(Cadence.Quarterly)],
        ["ln-panjin"] = [City(Cadence.Monthly), City(Cadence.Quarterly), City(Cadence.Yearly)],
        ["ln-dandong"] = [City(Cadence.HalfMonthly), City(Cadence.Monthly)],
        ["ln-jinzhou"] = [City(Cadence.Monthly), City(Cadence.Quarterly)],
    };

    /// <summary>Any other city: districts weekly, the city every other cadence, as the scheduler held them before per-region settings.</summary>
    private static readonly IReadOnlyList<CadenceSetting> s_otherCities =
        [Districts(Cadence.Weekly), City(Cadence.HalfMonthly), City(Cadence.Monthly), City(Cadence.Bimonthly), City(Cadence.Quarterly), City(Cadence.Yearly)];

    /// <summary>The province meets monthly on what escalated to it.</summary>
    private static readonly IReadOnlyList<CadenceSetting> s_province = [new(Cadence.Monthly, RegionLevel.Province)];

    /// <summary>The defaults of a region of <paramref name="level"/>; a district holds what its city sets, so none of its own.</summary>
    public static IReadOnlyList<CadenceSetting> Defaults(string regionId, RegionLevel level) => level switch
    {
        RegionLevel.Province => s_province,
        RegionLevel.City => s_seedCities.GetValueOrDefault(regionId, s_otherCities),
        _ => [],
    };

    /// <summary>How long a departure is kept: longer than a yearly firing reaches back to the start of the year it judges.</summary>
    public static readonly TimeSpan DepartureKept = TimeSpan.FromDays(400);

    private const int WhenMaxLength = 100;

    /// <summary>The same cron written the same way (spaces, case), so that equal times share one trigger.</summary>
    public static CadenceSetting Normalize(CadenceSetting setting) => setting.When is null ? setting
        : setting with { When = string.Join(' ', setting.When.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant() };

    /// <summary>
    /// What a region's settings may say: a city its own level or its districts', a province its own; each cadence once;
    /// a time (<c>when</c>) that is a Quartz cron firing at most once a day.
    /// </summary>
    public static IReadOnlyList<FieldError> Validate(RegionLevel level, IReadOnlyList<CadenceSetting> settings)
    {
        var errors = new List<FieldError>();
        if (level == RegionLevel.District)
        {
            errors.Add(new("settings", "A district holds the cadences its city sets; set them on the city."));
            return errors;
        }
        foreach (var s in settings.Select(Normalize))
        {
            if (!Enum.IsDefined(s.Cadence))
            {
                errors.Add(new("cadence", "cadence must be weekly, halfMonthly, monthly, bimonthly, quarterly or yearly."));
            }
            else if (!Enum.IsDefined(s.Level) || (level == RegionLevel.Province ? s.Level != RegionLevel.Province : s.Level == RegionLevel.Province))
            {
                errors.Add(new("level", level == RegionLevel.Province
                    ? "A province holds its own meetings: level must be province."
                    : "A city's cadence is held by the city (level city) or by each of its districts (level district)."));
            }
            if (s.When is not null && WhyNotWhen(s.When) is { } why)
            {
                errors.Add(new("when", $"{s.Cadence.ToString().ToLowerInvariant()}: {why}"));
            }
        }
        if (settings.GroupBy(s => s.Cadence).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            errors.Add(new("cadence", $"{twice.Key.ToString().ToLowerInvariant()} is listed more than once; a cadence is held at one level."));
        }
        return errors;
    }

    /// <summary>Why <paramref name="when"/> (normalized) cannot be a meeting's time, or null when it can.</summary>
    private static string? WhyNotWhen(string when)
    {
        const string Form = "a Quartz cron in China Standard Time: seconds minutes hours day-of-month month day-of-week, e.g. 0 0 15 ? * FRI";
        if (when.Length == 0)
        {
            return $"when is empty: leave it out to follow the cadence's configured time, or give {Form}.";
        }
        if (when.Length > WhenMaxLength)
        {
            return $"when is longer than {WhenMaxLength} characters; give {Form}.";
        }
        if (when.Split(' ').Length > 6)
        {
            return $"when '{when}' names a year; a cadence recurs every year, so give six fields: {Form}.";
        }
        CronExpression expression;
        try
        {
            expression = new CronExpression(when, Period.ChinaStandardTime);
        }
        catch (FormatException e)
        {
            return $"when '{when}' is not {Form} ({e.Message}).";
        }
        // One leap year from its first day meets every day of the month and of the week.
        var from = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));
        DateOnly? previous = null;
        for (var t = expression.GetNextValidTimeAfter(from); t is { } next && next < from.AddYears(1); t = expression.GetNextValidTimeAfter(next))
        {
            var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(next, Period.ChinaStandardTime).DateTime);
            if (day == previous)
            {
                return $"when '{when}' fires more than once a day (twice on {day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}); a meeting is held at most once a day.";
            }
            previous = day;
        }
        return previous is null ? $"when '{when}' never fires; give {Form}." : null;
    }

    /// <summary>The cron a setting's meetings follow: its own time, or the cadence's configured one (null: the cadence is off).</summary>
    public static string? CronOf(CadenceSetting setting, string? defaultCron) => setting.When ?? defaultCron;

    /// <summary>
    /// The departures after a change from <paramref name="before"/> to <paramref name="after"/>: each setting left now,
    /// plus the earlier ones still young enough to matter, the latest per setting.
    /// </summary>
    public static List<CadenceDeparture> Departures(IEnumerable<CadenceDeparture> earlier, IReadOnlyList<CadenceSetting> before,
        IReadOnlyList<CadenceSetting> after, DateTimeOffset now) =>
        earlier.Where(d => d.At > now - DepartureKept)
            .Concat(before.Except(after).Select(s => new CadenceDeparture(s, now)))
            .GroupBy(d => d.Left)
            .Select(g => g.MaxBy(d => d.At)!)
            .ToList();

    /// <summary>
    /// The regions a city or province sends to a firing of <paramref name="cadence"/> at <paramref name="cron"/>: itself
    /// or its children, as each setting that follows this cron says. With <paramref name="departedSince"/> (the first day
    /// of the period the firing judges), also those of a setting it left on or after that day: they were on this
    /// schedule while the period ran, and no other firing judges it for them.
    /// </summary>
    public static IEnumerable<string> WhoMeets(RegionCadences cadences, IReadOnlyList<string> children, Cadence cadence, string cron,
        string? defaultCron, DateOnly? departedSince = null)
    {
        var current = cadences.Settings.Where(s => s.Cadence == cadence && CronOf(s, defaultCron) == cron);
        var departed = departedSince is { } since
            ? cadences.Departures.Where(d => d.Left.Cadence == cadence && CronOf(d.Left, defaultCron) == cron
                && DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(d.At, Period.ChinaStandardTime).DateTime) >= since).Select(d => d.Left)
            : [];
        return current.Concat(departed)
            .SelectMany(s => s.Level == RegionLevel.District ? children : [cadences.RegionId])
            .Distinct();
    }

    /// <summary>The distinct schedules (cadence, cron) the settings of these regions follow now.</summary>
    public static IReadOnlyList<(Cadence Cadence, string Cron)> SchedulesInUse(IEnumerable<RegionCadences> regions, Func<Cadence, string?> defaultCron) =>
        regions.SelectMany(r => r.Settings)
            .Select(s => (s.Cadence, Cron: CronOf(s, defaultCron(s.Cadence))))
            .Where(s => s.Cron is not null)
            .Select(s => (s.Cadence, s.Cron!))
            .Distinct()
            .ToList();
}
