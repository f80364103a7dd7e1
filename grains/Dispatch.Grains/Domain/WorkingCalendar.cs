using System.Globalization;

namespace Dispatch.Grains.Domain;

/// <summary>What a listed date is: a statutory holiday (法定节假日) or a make-up working day (调休上班).</summary>
public enum CalendarDayKind
{
    Holiday = 0,
    Workday = 1,
}

/// <summary>One row of the calendar data: a date that does not follow the week.</summary>
public sealed record CalendarDay(DateOnly Date, CalendarDayKind Kind, string Name);

/// <summary>One stretch of office hours in a working day, as offsets from midnight (China time); 24×7 runs 00:00–24:00.</summary>
public sealed record OfficePeriod(TimeSpan Open, TimeSpan Close);

/// <summary>Whether a window counts working time (office hours of working days) or calendar time (every hour).</summary>
public enum WindowCount
{
    Working = 0,
    Calendar = 1,
}

/// <summary>
/// A length of time to act in. Counted in working time, its days are working days (each the length of a day's office
/// hours, 7.5 h by default) and its hours office hours; counted in calendar time, it is what it says.
/// </summary>
public sealed record EscalationWindow(TimeSpan Length, WindowCount Counts)
{
    public override string ToString() => Counts == WindowCount.Working ? $"{Length} working time" : $"{Length} calendar time";
}

/// <summary>
/// The working-day clock (工作日): China's statutory holidays and make-up working days (调休) from the State Council's
/// yearly notices, office hours on working days, all in China Standard Time. A date the data does not list follows the
/// week (Monday to Friday work); a year the data does not cover therefore falls back to Monday to Friday, which
/// <see cref="Covers"/> tells so that the host can say so. Pure: no clock, no files.
/// </summary>
public sealed class WorkingCalendar
{
    /// <summary>08:30–12:00 and 13:30–17:30, the usual hours of a government office.</summary>
    public static readonly IReadOnlyList<OfficePeriod> DefaultOfficeHours =
        [new(new(8, 30, 0), new(12, 0, 0)), new(new(13, 30, 0), new(17, 30, 0))];

    /// <summary>Every day a working day, every hour an office hour: working time is calendar time (tests, operators who want it).</summary>
    public static readonly WorkingCalendar AroundTheClock = new([], [new(TimeSpan.Zero, TimeSpan.FromDays(1))], aroundTheClock: true);

    // A window of a few hundred working days ends within a few years; a calendar without working days never does.
    private const int MaxDaysSearched = 5 * 366;

    private readonly Dictionary<DateOnly, CalendarDay> _days;
    private readonly IReadOnlyList<OfficePeriod> _hours;

    public WorkingCalendar(IEnumerable<CalendarDay> days, IReadOnlyList<OfficePeriod> officeHours) : this(days, officeHours, aroundTheClock: false)
    {
    }

    private WorkingCalendar(IEnumerable<CalendarDay> days, IReadOnlyList<OfficePeriod> officeHours, bool aroundTheClock)
    {
        if (officeHours.Count == 0)
        {
            throw new ArgumentException("Office hours need at least one period.", nameof(officeHours));
        }
        // Later rows win: an operator's file read after the shipped one overrides its dates.
        _days = [];
        foreach (var day in days)
        {
            _days[day.Date] = day;
        }
        _hours = [.. officeHours.OrderBy(p => p.Open)];
        for (var i = 0; i < _hours.Count; i++)
        {
            if (_hours[i].Open < TimeSpan.Zero || _hours[i].Close > TimeSpan.FromDays(1) || _hours[i].Close <= _hours[i].Open
                || (i > 0 && _hours[i].Open < _hours[i - 1].Close))
            {
                throw new ArgumentException("Office hours must be increasing, non-overlapping periods within one day.", nameof(officeHours));
            }
        }
        IsAroundTheClock = aroundTheClock;
        Years = _days.Keys.Select(d => d.Year).ToHashSet();
        OfficeDay = TimeSpan.FromTicks(_hours.Sum(p => (p.Close - p.Open).Ticks));
    }

    /// <summary>24×7: no holidays, no office hours.</summary>
    public bool IsAroundTheClock { get; }

    /// <summary>The years the data lists dates for.</summary>
    public IReadOnlySet<int> Years { get; }

    /// <summary>The office hours of one working day: what one working day of a window stands for.</summary>
    public TimeSpan OfficeDay { get; }

    public IReadOnlyList<OfficePeriod> OfficeHours => _hours;

    /// <summary>Whether the data covers a year; a year it does not is counted Monday to Friday, without holidays.</summary>
    public bool Covers(int year) => IsAroundTheClock || Years.Contains(year);

    /// <summary>This year and the next, where the data does not cover them: deadlines there fall back to Monday to Friday.</summary>
    public IReadOnlyList<int> YearsAssumed(DateOnly today) => new[] { today.Year, today.Year + 1 }.Where(y => !Covers(y)).ToList();

    public bool IsWorkingDay(DateOnly date) => IsAroundTheClock || (_days.TryGetValue(date, out var listed)
        ? listed.Kind == CalendarDayKind.Workday
        : date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday));

    /// <summary>
    /// When a window that starts at <paramref name="start"/> runs out. Working time: the moment the office time counted
    /// from the start reaches the window, days counting <see cref="OfficeDay"/> each. Time outside office hours does
    /// not count, so a window started after hours starts at the next opening, and one that runs out exactly at a
    /// closing ends then (Friday 18:00 + 1 working day = Monday 17:30).
    /// </summary>
    public DateTimeOffset Deadline(DateTimeOffset start, EscalationWindow window)
    {
        if (window.Counts == WindowCount.Calendar || IsAroundTheClock)
        {
            return start + window.Length;
        }
        var remaining = TimeSpan.FromTicks(window.Length.Days * OfficeDay.Ticks) + (window.Length - TimeSpan.FromDays(window.Length.Days));
        if (remaining <= TimeSpan.Zero)
        {
            return start;
        }
        var local = TimeZoneInfo.ConvertTime(start, Period.ChinaStandardTime);
        var day = DateOnly.FromDateTime(local.DateTime);
        var cursor = local.TimeOfDay;
        for (var searched = 0; searched < MaxDaysSearched; searched++, day = day.AddDays(1), cursor = TimeSpan.Zero)
        {
            if (!IsWorkingDay(day))
            {
                continue;
            }
            foreach (var period in _hours)
            {
                var from = cursor > period.Open ? cursor : period.Open;
                if (from >= period.Close)
                {
                    continue;
                }
                var available = period.Close - from;
                if (remaining <= available)
                {
                    return China(day, from + remaining);
                }
                remaining -= available;
            }
        }
        throw new InvalidOperationException($"The calendar has no working time for {MaxDaysSearched} days after {start:yyyy-MM-dd}.");
    }

    /// <summary>
    /// The working day by whose closing a step of <paramref name="workingDays"/> working days started at
    /// <paramref name="start"/> is due: 0 is the day it starts (事不过夜), 1 the working day after. A step started on a
    /// day off or after the day's last closing starts on the next working day, as a window does. Problem clocks count
    /// whole days, so they answer a day, which reviews check by their own day.
    /// </summary>
    public DateOnly DueDay(DateTimeOffset start, int workingDays)
    {
        var local = TimeZoneInfo.ConvertTime(start, Period.ChinaStandardTime);
        var day = DateOnly.FromDateTime(local.DateTime);
        return DueDay(local.TimeOfDay < _hours[^1].Close ? day : day.AddDays(1), workingDays);
    }

    /// <summary>
    /// When a step due on <paramref name="day"/> lapses: the close of that day's office hours (midnight around the
    /// clock), from which it is missed.
    /// </summary>
    public DateTimeOffset ClosingOf(DateOnly day) => China(day, _hours[^1].Close);

    /// <summary>The same for a step started on <paramref name="day"/> before its office hours (a review's day).</summary>
    public DateOnly DueDay(DateOnly day, int workingDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workingDays);
        var left = workingDays;
        for (var searched = 0; searched < MaxDaysSearched; searched++)
        {
            var date = day.AddDays(searched);
            if (IsWorkingDay(date) && left-- == 0)
            {
                return date;
            }
        }
        throw new InvalidOperationException($"The calendar has no {workingDays} working days in {MaxDaysSearched} days after {day:yyyy-MM-dd}.");
    }

    private static DateTimeOffset China(DateOnly day, TimeSpan timeOfDay)
    {
        var local = day.ToDateTime(TimeOnly.MinValue) + timeOfDay;
        return new DateTimeOffset(local, Period.ChinaStandardTime.GetUtcOffset(local));
    }

    /// <summary>
    /// Reads calendar rows (<c>date,kind,name,source</c>, a header first, <c>kind</c> holiday or workday); a row that
    /// cannot be read is a <see cref="FormatException"/> naming the source and line.
    /// </summary>
    public static IReadOnlyList<CalendarDay> Parse(TextReader csv, string source)
    {
        var days = new List<CalendarDay>();
        var line = 0;
        while (csv.ReadLine() is { } text)
        {
            line++;
            if ((line == 1 && text.StartsWith("date,", StringComparison.OrdinalIgnoreCase)) || string.IsNullOrWhiteSpace(text) || text.StartsWith('#'))
            {
                continue;
            }
            var cells = text.Split(',', 4);
            if (cells.Length < 2 || !DateOnly.TryParseExact(cells[0].Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                throw new FormatException($"{source}, line {line}: expected 'yyyy-MM-dd,holiday|workday,name', not '{text}'.");
            }
            var kind = cells[1].Trim().ToLowerInvariant() switch
            {
                "holiday" => CalendarDayKind.Holiday,
                "workday" => CalendarDayKind.Workday,
                var other => throw new FormatException($"{source}, line {line}: kind must be holiday or workday, not '{other}'."),
            };
            days.Add(new CalendarDay(date, kind, cells.Length > 2 ? cells[2].Trim() : ""));
        }
        return days;
    }

    /// <summary>Reads office hours such as <c>08:30-12:00,13:30-17:30</c> (China time).</summary>
    public static IReadOnlyList<OfficePeriod> ParseOfficeHours(string text)
    {
        var periods = new List<OfficePeriod>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var ends = part.Split('-', StringSplitOptions.TrimEntries);
            if (ends.Length != 2 || !TryTime(ends[0], out var open) || !TryTime(ends[1], out var close))
            {
                throw new FormatException($"Office hours must read like 08:30-12:00,13:30-17:30, not '{text}'.");
            }
            periods.Add(new OfficePeriod(open, close));
        }
        return periods;
    }

    private static bool TryTime(string text, out TimeSpan time)
    {
        if (text == "24:00")
        {
            time = TimeSpan.FromDays(1);
            return true;
        }
        var ok = TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t);
        time = t.ToTimeSpan();
        return ok;
    }
}
