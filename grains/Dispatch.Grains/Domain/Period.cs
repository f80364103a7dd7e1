using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Dispatch.Contracts;

namespace Dispatch.Grains.Domain;

/// <summary>
/// A meeting period (调度周期) of one cadence: its key and the dates it covers (inclusive), in China Standard Time.
/// </summary>
/// <remarks>
/// Key formats (canonical, zero-padded, upper-case letters):
/// <list type="bullet">
/// <item><see cref="Cadence.Weekly"/>: ISO-8601 week <c>2024-W12</c> (Monday–Sunday; the year is the ISO week-year).</item>
/// <item><see cref="Cadence.HalfMonthly"/>: <c>2024-03-H1</c> (1st–15th) or <c>2024-03-H2</c> (16th–end of month).</item>
/// <item><see cref="Cadence.Monthly"/>: <c>2024-03</c>.</item>
/// <item><see cref="Cadence.Bimonthly"/>: <c>2024-B1</c> (Jan–Feb) … <c>2024-B6</c> (Nov–Dec).</item>
/// <item><see cref="Cadence.Quarterly"/>: <c>2024-Q1</c> … <c>2024-Q4</c>.</item>
/// <item><see cref="Cadence.Yearly"/>: <c>2024</c>.</item>
/// </list>
/// </remarks>
/// <param name="Cadence">The cadence (调度频次) this period belongs to.</param>
/// <param name="Key">The canonical period key, e.g. <c>2024-W12</c>.</param>
/// <param name="Start">The first day of the period (inclusive).</param>
/// <param name="End">The last day of the period (inclusive).</param>
public sealed record Period(Cadence Cadence, string Key, DateOnly Start, DateOnly End)
{
    /// <summary>China Standard Time (北京时间), IANA zone <c>Asia/Shanghai</c>.</summary>
    public static TimeZoneInfo ChinaStandardTime { get; } = FindChinaStandardTime();

    /// <summary>The number of days the period covers, both ends included.</summary>
    public int DayCount => End.DayNumber - Start.DayNumber + 1;

    /// <summary>The period of <paramref name="cadence"/> that contains <paramref name="date"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="cadence"/> is not a defined value, or the period would extend past <see cref="DateOnly.MaxValue"/>.
    /// </exception>
    public static Period Of(Cadence cadence, DateOnly date)
    {
        var year = date.Year;
        var month = date.Month;
        switch (cadence)
        {
            case Cadence.Weekly:
            {
                var dateTime = date.ToDateTime(TimeOnly.MinValue);
                if (!TryWeek(ISOWeek.GetYear(dateTime), ISOWeek.GetWeekOfYear(dateTime), out var week))
                {
                    throw new ArgumentOutOfRangeException(nameof(date), date, "The ISO week containing this date ends after DateOnly.MaxValue.");
                }

                return week;
            }
            case Cadence.HalfMonthly:
                return HalfMonth(year, month, date.Day <= 15 ? 1 : 2);
            case Cadence.Monthly:
                return Month(year, month);
            case Cadence.Bimonthly:
                return TwoMonths(year, (month + 1) / 2);
            case Cadence.Quarterly:
                return Quarter(year, (month + 2) / 3);
            case Cadence.Yearly:
                return Year(year);
            default:
                throw UndefinedCadence(cadence);
        }
    }

    /// <summary>
    /// The period of <paramref name="cadence"/> that contains <paramref name="instant"/>,
    /// after converting the instant to China Standard Time (北京时间).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="cadence"/> is not a defined value, or the period would extend past <see cref="DateOnly.MaxValue"/>.
    /// </exception>
    public static Period Of(Cadence cadence, DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, ChinaStandardTime);
        return Of(cadence, DateOnly.FromDateTime(local.DateTime));
    }

    /// <summary>Parses a canonical key of the given <paramref name="cadence"/>, e.g. <c>2024-W12</c> for <see cref="Cadence.Weekly"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="cadence"/> is not a defined value.</exception>
    /// <exception cref="FormatException">
    /// <paramref name="key"/> is not a well-formed key of <paramref name="cadence"/>; the message names the expected format.
    /// </exception>
    public static Period Parse(Cadence cadence, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (TryParseCore(cadence, key, out var period, out var problem))
        {
            return period;
        }

        var message = $"'{key}' is not a valid {cadence} period key: {problem}. Expected {ExpectedFormat(cadence)}.";
        if (TryInferCadence(key, out var other) && other != cadence && TryParseCore(other, key, out _, out _))
        {
            message += $" It looks like a {other} key.";
        }

        throw new FormatException(message);
    }

    /// <summary>Tries to parse a canonical key of the given <paramref name="cadence"/>.</summary>
    /// <returns><see langword="true"/> and the period if <paramref name="key"/> is well formed; otherwise <see langword="false"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="cadence"/> is not a defined value.</exception>
    public static bool TryParse(Cadence cadence, [NotNullWhen(true)] string? key, [MaybeNullWhen(false)] out Period period)
    {
        if (key is null)
        {
            period = null;
            return false;
        }

        return TryParseCore(cadence, key, out period, out _);
    }

    /// <summary>
    /// Parses a canonical key of any cadence, inferring the cadence from the key's shape
    /// (<c>2024-W12</c>, <c>2024-03-H1</c>, <c>2024-03</c>, <c>2024-B2</c>, <c>2024-Q1</c>, <c>2024</c>).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException"><paramref name="key"/> is not a well-formed key of any cadence.</exception>
    public static Period Parse(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!TryInferCadence(key, out var cadence))
        {
            throw new FormatException(
                $"'{key}' is not a valid period key. Expected one of: "
                + string.Join("; ", Enum.GetValues<Cadence>().Select(c => $"{c} {ExpectedFormat(c)}"))
                + ".");
        }

        return Parse(cadence, key);
    }

    /// <summary>
    /// Tries to parse a canonical key of any cadence, inferring the cadence from the key's shape as <see cref="Parse(string)"/> does.
    /// </summary>
    /// <returns><see langword="true"/> and the period if <paramref name="key"/> is well formed; otherwise <see langword="false"/>.</returns>
    public static bool TryParse([NotNullWhen(true)] string? key, [MaybeNullWhen(false)] out Period period)
    {
        if (key is null || !TryInferCadence(key, out var cadence))
        {
            period = null;
            return false;
        }

        return TryParseCore(cadence, key, out period, out _);
    }

    /// <summary>The period of the same cadence that immediately follows this one (下一周期).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The next period would extend past <see cref="DateOnly.MaxValue"/>.</exception>
    public Period Next() => Of(Cadence, End.AddDays(1));

    /// <summary>The period of the same cadence that immediately precedes this one (上一周期).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The previous period would start before <see cref="DateOnly.MinValue"/>.</exception>
    public Period Previous() => Of(Cadence, Start.AddDays(-1));

    /// <summary>Whether <paramref name="date"/> falls within this period, both ends included.</summary>
    public bool Contains(DateOnly date) => Start <= date && date <= End;

    /// <summary>
    /// The fraction of the year elapsed at <paramref name="date"/> (序时进度, the time-proportional plan):
    /// days from 1 January through <paramref name="date"/> inclusive, divided by the days in the year.
    /// 31 December gives exactly 1.
    /// </summary>
    public static decimal YearElapsedFraction(DateOnly date)
    {
        var daysInYear = DateTime.IsLeapYear(date.Year) ? 366 : 365;
        return (decimal)date.DayOfYear / daysInYear;
    }

    private static TimeZoneInfo FindChinaStandardTime()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            // Slim container images (e.g. chiseled) ship without tzdata. China has kept a fixed UTC+8 without
            // daylight saving since 1991, so a fixed zone gives the same answers for every instant we schedule.
            return TimeZoneInfo.CreateCustomTimeZone("Asia/Shanghai", TimeSpan.FromHours(8), "China Standard Time", "China Standard Time");
        }
    }

    private static bool TryParseCore(Cadence cadence, string key, [MaybeNullWhen(false)] out Period period, out string problem)
    {
        period = null;
        problem = "wrong shape";
        switch (cadence)
        {
            case Cadence.Weekly:
            {
                if (key.Length != 8 || key[4] != '-' || key[5] != 'W'
                    || !TryYear(key, out var year) || !TryDigits(key, 6, 2, out var week))
                {
                    return false;
                }

                var weeksInYear = ISOWeek.GetWeeksInYear(year);
                if (week < 1 || week > weeksInYear)
                {
                    problem = $"ISO week-year {year} has weeks 01–{weeksInYear}";
                    return false;
                }

                if (!TryWeek(year, week, out period))
                {
                    problem = "the week extends past DateOnly.MaxValue";
                    return false;
                }

                return true;
            }
            case Cadence.HalfMonthly:
            {
                if (key.Length != 10 || key[4] != '-' || key[7] != '-' || key[8] != 'H'
                    || !TryYear(key, out var year) || !TryDigits(key, 5, 2, out var month) || !TryDigits(key, 9, 1, out var half))
                {
                    return false;
                }

                if (month is < 1 or > 12)
                {
                    problem = "month must be 01–12";
                    return false;
                }

                if (half is not (1 or 2))
                {
                    problem = "half must be H1 or H2";
                    return false;
                }

                period = HalfMonth(year, month, half);
                return true;
            }
            case Cadence.Monthly:
            {
                if (key.Length != 7 || key[4] != '-' || !TryYear(key, out var year) || !TryDigits(key, 5, 2, out var month))
                {
                    return false;
                }

                if (month is < 1 or > 12)
                {
                    problem = "month must be 01–12";
                    return false;
                }

                period = Month(year, month);
                return true;
            }
            case Cadence.Bimonthly:
                return TryOrdinal(key, 'B', 6, TwoMonths, out period, ref problem);
            case Cadence.Quarterly:
                return TryOrdinal(key, 'Q', 4, Quarter, out period, ref problem);
            case Cadence.Yearly:
            {
                if (key.Length != 4 || !TryYear(key, out var year))
                {
                    return false;
                }

                period = Year(year);
                return true;
            }
            default:
                throw UndefinedCadence(cadence);
        }
    }

    private static bool TryOrdinal(
        string key, char letter, int count, Func<int, int, Period> create, [MaybeNullWhen(false)] out Period period, ref string problem)
    {
        period = null;
        if (key.Length != 7 || key[4] != '-' || key[5] != letter || !TryYear(key, out var year) || !TryDigits(key, 6, 1, out var ordinal))
        {
            return false;
        }

        if (ordinal < 1 || ordinal > count)
        {
            problem = $"{letter}{ordinal} is out of range {letter}1–{letter}{count}";
            return false;
        }

        period = create(year, ordinal);
        return true;
    }

    private static bool TryInferCadence(string key, out Cadence cadence)
    {
        Cadence? inferred = key.Length switch
        {
            4 => Cadence.Yearly,
            7 when key[5] == 'B' => Cadence.Bimonthly,
            7 when key[5] == 'Q' => Cadence.Quarterly,
            7 => Cadence.Monthly,
            8 => Cadence.Weekly,
            10 => Cadence.HalfMonthly,
            _ => null,
        };
        cadence = inferred.GetValueOrDefault();
        return inferred.HasValue;
    }

    private static bool TryYear(string key, out int year) => TryDigits(key, 0, 4, out year) && year >= 1;

    private static bool TryDigits(string key, int start, int length, out int value)
    {
        value = 0;
        for (var i = start; i < start + length; i++)
        {
            if (!char.IsAsciiDigit(key[i]))
            {
                return false;
            }

            value = (value * 10) + (key[i] - '0');
        }

        return true;
    }

    private static string ExpectedFormat(Cadence cadence) => cadence switch
    {
        Cadence.Weekly => "'yyyy-Www', an ISO-8601 week-year and week 01–53 (e.g. 2024-W05)",
        Cadence.HalfMonthly => "'yyyy-MM-Hn', with H1 = 1st–15th and H2 = 16th–end of month (e.g. 2024-03-H1)",
        Cadence.Monthly => "'yyyy-MM' (e.g. 2024-03)",
        Cadence.Bimonthly => "'yyyy-Bn', with B1 = Jan–Feb … B6 = Nov–Dec (e.g. 2024-B2)",
        Cadence.Quarterly => "'yyyy-Qn', with n = 1–4 (e.g. 2024-Q1)",
        Cadence.Yearly => "'yyyy' (e.g. 2024)",
        _ => throw UndefinedCadence(cadence),
    };

    private static ArgumentOutOfRangeException UndefinedCadence(Cadence cadence) =>
        new(nameof(cadence), cadence, "Undefined cadence.");

    private static bool TryWeek(int isoYear, int week, [MaybeNullWhen(false)] out Period period)
    {
        var start = DateOnly.FromDateTime(ISOWeek.ToDateTime(isoYear, week, DayOfWeek.Monday));
        if (start.DayNumber > DateOnly.MaxValue.DayNumber - 6)
        {
            period = null;
            return false;
        }

        period = new Period(Cadence.Weekly, $"{isoYear:D4}-W{week:D2}", start, start.AddDays(6));
        return true;
    }

    private static Period HalfMonth(int year, int month, int half)
    {
        var start = new DateOnly(year, month, half == 1 ? 1 : 16);
        var end = half == 1 ? new DateOnly(year, month, 15) : LastDayOf(year, month);
        return new Period(Cadence.HalfMonthly, $"{year:D4}-{month:D2}-H{half}", start, end);
    }

    private static Period Month(int year, int month) =>
        new(Cadence.Monthly, $"{year:D4}-{month:D2}", new DateOnly(year, month, 1), LastDayOf(year, month));

    private static Period TwoMonths(int year, int index) =>
        new(Cadence.Bimonthly, $"{year:D4}-B{index}", new DateOnly(year, (index * 2) - 1, 1), LastDayOf(year, index * 2));

    private static Period Quarter(int year, int index) =>
        new(Cadence.Quarterly, $"{year:D4}-Q{index}", new DateOnly(year, (index * 3) - 2, 1), LastDayOf(year, index * 3));

    private static Period Year(int year) =>
        new(Cadence.Yearly, $"{year:D4}", new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));

    private static DateOnly LastDayOf(int year, int month) => new(year, month, DateTime.DaysInMonth(year, month));
}
