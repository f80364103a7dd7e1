using System.Globalization;
using Dispatch.Contracts;
using Dispatch.Grains.Domain;

namespace Dispatch.Tests.Domain;

public class PeriodTests
{
    private static DateOnly D(string isoDate) => DateOnly.ParseExact(isoDate, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static void AssertPeriod(Period actual, Cadence cadence, string key, string start, string end, int dayCount)
    {
        Assert.Equal(new Period(cadence, key, D(start), D(end)), actual);
        Assert.Equal(dayCount, actual.DayCount);
    }

    [Theory]
    [InlineData("2024-03-18", "2024-W12", "2024-03-18", "2024-03-24")]
    [InlineData("2024-03-24", "2024-W12", "2024-03-18", "2024-03-24")]
    [InlineData("2024-03-17", "2024-W11", "2024-03-11", "2024-03-17")]
    [InlineData("2024-02-01", "2024-W05", "2024-01-29", "2024-02-04")]
    [InlineData("2024-01-01", "2024-W01", "2024-01-01", "2024-01-07")]
    [InlineData("2024-12-29", "2024-W52", "2024-12-23", "2024-12-29")]
    [InlineData("2024-12-30", "2025-W01", "2024-12-30", "2025-01-05")]
    [InlineData("2024-12-31", "2025-W01", "2024-12-30", "2025-01-05")]
    [InlineData("2025-01-05", "2025-W01", "2024-12-30", "2025-01-05")]
    [InlineData("2020-12-28", "2020-W53", "2020-12-28", "2021-01-03")]
    [InlineData("2021-01-01", "2020-W53", "2020-12-28", "2021-01-03")]
    [InlineData("2021-01-03", "2020-W53", "2020-12-28", "2021-01-03")]
    [InlineData("2021-01-04", "2021-W01", "2021-01-04", "2021-01-10")]
    [InlineData("2019-12-30", "2020-W01", "2019-12-30", "2020-01-05")]
    [InlineData("2025-12-29", "2026-W01", "2025-12-29", "2026-01-04")]
    [InlineData("2026-01-01", "2026-W01", "2025-12-29", "2026-01-04")]
    [InlineData("2026-12-31", "2026-W53", "2026-12-28", "2027-01-03")]
    [InlineData("2027-01-03", "2026-W53", "2026-12-28", "2027-01-03")]
    [InlineData("2015-12-31", "2015-W53", "2015-12-28", "2016-01-03")]
    public void Of_Weekly_IsTheIsoWeekMondayToSunday(string date, string key, string start, string end)
    {
        AssertPeriod(Period.Of(Cadence.Weekly, D(date)), Cadence.Weekly, key, start, end, 7);
    }

    [Theory]
    [InlineData("2024-01-01", "2024-01-H1", "2024-01-01", "2024-01-15", 15)]
    [InlineData("2024-03-15", "2024-03-H1", "2024-03-01", "2024-03-15", 15)]
    [InlineData("2024-03-16", "2024-03-H2", "2024-03-16", "2024-03-31", 16)]
    [InlineData("2024-03-31", "2024-03-H2", "2024-03-16", "2024-03-31", 16)]
    [InlineData("2024-04-30", "2024-04-H2", "2024-04-16", "2024-04-30", 15)]
    [InlineData("2024-02-15", "2024-02-H1", "2024-02-01", "2024-02-15", 15)]
    [InlineData("2024-02-29", "2024-02-H2", "2024-02-16", "2024-02-29", 14)]
    [InlineData("2023-02-16", "2023-02-H2", "2023-02-16", "2023-02-28", 13)]
    [InlineData("2023-02-28", "2023-02-H2", "2023-02-16", "2023-02-28", 13)]
    [InlineData("2024-12-31", "2024-12-H2", "2024-12-16", "2024-12-31", 16)]
    public void Of_HalfMonthly_SplitsOnThe15th(string date, string key, string start, string end, int dayCount)
    {
        AssertPeriod(Period.Of(Cadence.HalfMonthly, D(date)), Cadence.HalfMonthly, key, start, end, dayCount);
    }

    [Theory]
    [InlineData("2024-02-10", "2024-02", "2024-02-01", "2024-02-29", 29)]
    [InlineData("2023-02-10", "2023-02", "2023-02-01", "2023-02-28", 28)]
    [InlineData("2024-03-31", "2024-03", "2024-03-01", "2024-03-31", 31)]
    [InlineData("2024-09-01", "2024-09", "2024-09-01", "2024-09-30", 30)]
    [InlineData("2024-12-31", "2024-12", "2024-12-01", "2024-12-31", 31)]
    [InlineData("2025-01-01", "2025-01", "2025-01-01", "2025-01-31", 31)]
    public void Of_Monthly_IsTheCalendarMonth(string date, string key, string start, string end, int dayCount)
    {
        AssertPeriod(Period.Of(Cadence.Monthly, D(date)), Cadence.Monthly, key, start, end, dayCount);
    }

    [Theory]
    [InlineData("2024-01-01", "2024-B1", "2024-01-01", "2024-02-29", 60)]
    [InlineData("2023-02-28", "2023-B1", "2023-01-01", "2023-02-28", 59)]
    [InlineData("2024-03-05", "2024-B2", "2024-03-01", "2024-04-30", 61)]
    [InlineData("2024-04-30", "2024-B2", "2024-03-01", "2024-04-30", 61)]
    [InlineData("2024-05-31", "2024-B3", "2024-05-01", "2024-06-30", 61)]
    [InlineData("2024-08-15", "2024-B4", "2024-07-01", "2024-08-31", 62)]
    [InlineData("2024-09-01", "2024-B5", "2024-09-01", "2024-10-31", 61)]
    [InlineData("2024-12-31", "2024-B6", "2024-11-01", "2024-12-31", 61)]
    public void Of_Bimonthly_PairsJanFebThroughNovDec(string date, string key, string start, string end, int dayCount)
    {
        AssertPeriod(Period.Of(Cadence.Bimonthly, D(date)), Cadence.Bimonthly, key, start, end, dayCount);
    }

    [Theory]
    [InlineData("2024-01-01", "2024-Q1", "2024-01-01", "2024-03-31", 91)]
    [InlineData("2023-03-31", "2023-Q1", "2023-01-01", "2023-03-31", 90)]
    [InlineData("2024-04-01", "2024-Q2", "2024-04-01", "2024-06-30", 91)]
    [InlineData("2024-09-30", "2024-Q3", "2024-07-01", "2024-09-30", 92)]
    [InlineData("2024-10-01", "2024-Q4", "2024-10-01", "2024-12-31", 92)]
    [InlineData("2024-12-31", "2024-Q4", "2024-10-01", "2024-12-31", 92)]
    public void Of_Quarterly_IsTheCalendarQuarter(string date, string key, string start, string end, int dayCount)
    {
        AssertPeriod(Period.Of(Cadence.Quarterly, D(date)), Cadence.Quarterly, key, start, end, dayCount);
    }

    [Theory]
    [InlineData("2024-02-29", "2024", "2024-01-01", "2024-12-31", 366)]
    [InlineData("2023-06-15", "2023", "2023-01-01", "2023-12-31", 365)]
    [InlineData("2025-01-01", "2025", "2025-01-01", "2025-12-31", 365)]
    [InlineData("2025-12-31", "2025", "2025-01-01", "2025-12-31", 365)]
    public void Of_Yearly_IsTheCalendarYear(string date, string key, string start, string end, int dayCount)
    {
        AssertPeriod(Period.Of(Cadence.Yearly, D(date)), Cadence.Yearly, key, start, end, dayCount);
    }

    [Theory]
    [InlineData(Cadence.Weekly, "2024-03-17T16:30:00Z", "2024-W12")]
    [InlineData(Cadence.Weekly, "2024-03-17T16:00:00Z", "2024-W12")]
    [InlineData(Cadence.Weekly, "2024-03-17T15:59:59Z", "2024-W11")]
    [InlineData(Cadence.Weekly, "2024-03-18T00:30:00+08:00", "2024-W12")]
    [InlineData(Cadence.Weekly, "2024-03-17T12:00:00-04:00", "2024-W12")]
    [InlineData(Cadence.Weekly, "2024-12-29T16:00:00Z", "2025-W01")]
    [InlineData(Cadence.HalfMonthly, "2024-03-15T16:00:00Z", "2024-03-H2")]
    [InlineData(Cadence.HalfMonthly, "2024-03-15T15:59:59Z", "2024-03-H1")]
    [InlineData(Cadence.Monthly, "2024-02-29T16:00:00Z", "2024-03")]
    [InlineData(Cadence.Monthly, "2024-02-29T15:59:59Z", "2024-02")]
    [InlineData(Cadence.Bimonthly, "2024-04-30T16:00:00Z", "2024-B3")]
    [InlineData(Cadence.Quarterly, "2024-03-31T16:00:00Z", "2024-Q2")]
    [InlineData(Cadence.Yearly, "2024-12-31T16:00:00Z", "2025")]
    [InlineData(Cadence.Yearly, "2024-12-31T15:59:59Z", "2024")]
    public void Of_Instant_UsesTheDateInShanghai(Cadence cadence, string instant, string key)
    {
        var period = Period.Of(cadence, DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture));

        Assert.Equal(Period.Parse(cadence, key), period);
    }

    [Theory]
    [InlineData("2024-03-18T00:00:00Z")]
    [InlineData("2024-07-01T00:00:00Z")]
    [InlineData("2026-12-31T23:59:59Z")]
    public void ChinaStandardTime_IsUtcPlus8WithoutDaylightSaving(string instant)
    {
        var at = DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture);

        Assert.Equal(TimeSpan.FromHours(8), Period.ChinaStandardTime.GetUtcOffset(at));
        Assert.False(Period.ChinaStandardTime.IsDaylightSavingTime(at));
    }

    [Theory]
    [InlineData(Cadence.Weekly, "2024-W12", "2024-W13")]
    [InlineData(Cadence.Weekly, "2024-W52", "2025-W01")]
    [InlineData(Cadence.Weekly, "2020-W52", "2020-W53")]
    [InlineData(Cadence.Weekly, "2020-W53", "2021-W01")]
    [InlineData(Cadence.Weekly, "2026-W53", "2027-W01")]
    [InlineData(Cadence.HalfMonthly, "2024-02-H1", "2024-02-H2")]
    [InlineData(Cadence.HalfMonthly, "2024-02-H2", "2024-03-H1")]
    [InlineData(Cadence.HalfMonthly, "2024-12-H2", "2025-01-H1")]
    [InlineData(Cadence.Monthly, "2024-02", "2024-03")]
    [InlineData(Cadence.Monthly, "2024-12", "2025-01")]
    [InlineData(Cadence.Bimonthly, "2024-B1", "2024-B2")]
    [InlineData(Cadence.Bimonthly, "2024-B6", "2025-B1")]
    [InlineData(Cadence.Quarterly, "2024-Q1", "2024-Q2")]
    [InlineData(Cadence.Quarterly, "2024-Q4", "2025-Q1")]
    [InlineData(Cadence.Yearly, "2024", "2025")]
    public void Next_And_Previous_StepOnePeriod(Cadence cadence, string key, string nextKey)
    {
        var period = Period.Parse(cadence, key);
        var next = Period.Parse(cadence, nextKey);

        Assert.Equal(next, period.Next());
        Assert.Equal(period, next.Previous());
        Assert.Equal(period.End.AddDays(1), next.Start);
    }

    [Theory]
    [InlineData(Cadence.Weekly)]
    [InlineData(Cadence.HalfMonthly)]
    [InlineData(Cadence.Monthly)]
    [InlineData(Cadence.Bimonthly)]
    [InlineData(Cadence.Quarterly)]
    [InlineData(Cadence.Yearly)]
    public void EveryDayOf2020To2026_RoundTripsThroughItsKey_AndPeriodsTileWithoutGaps(Cadence cadence)
    {
        var first = D("2020-01-01");
        var last = D("2026-12-31");
        var current = Period.Of(cadence, first);
        var keys = new HashSet<string> { current.Key };

        for (var date = first; date <= last; date = date.AddDays(1))
        {
            if (date > current.End)
            {
                var next = current.Next();
                Assert.Equal(date, next.Start);
                Assert.Equal(current, next.Previous());
                Assert.True(keys.Add(next.Key), $"duplicate key {next.Key}");
                current = next;
            }

            var period = Period.Of(cadence, date);
            Assert.Equal(current, period);
            Assert.True(period.Contains(date));
            Assert.Equal(period, Period.Parse(cadence, period.Key));
            Assert.Equal(period, Period.Parse(period.Key));
            Assert.True(Period.TryParse(period.Key, out var inferred));
            Assert.Equal(period, inferred);
            Assert.True(Period.TryParse(cadence, period.Key, out var parsed));
            Assert.Equal(period, parsed);
        }
    }

    [Theory]
    [InlineData(Cadence.Weekly, "2024-W12", "2024-03-17", false)]
    [InlineData(Cadence.Weekly, "2024-W12", "2024-03-18", true)]
    [InlineData(Cadence.Weekly, "2024-W12", "2024-03-21", true)]
    [InlineData(Cadence.Weekly, "2024-W12", "2024-03-24", true)]
    [InlineData(Cadence.Weekly, "2024-W12", "2024-03-25", false)]
    [InlineData(Cadence.Weekly, "2020-W53", "2021-01-03", true)]
    [InlineData(Cadence.HalfMonthly, "2024-02-H2", "2024-02-29", true)]
    [InlineData(Cadence.HalfMonthly, "2024-02-H2", "2024-02-15", false)]
    [InlineData(Cadence.HalfMonthly, "2024-02-H2", "2024-03-01", false)]
    [InlineData(Cadence.Monthly, "2024-03", "2024-03-01", true)]
    [InlineData(Cadence.Monthly, "2024-03", "2024-02-29", false)]
    [InlineData(Cadence.Bimonthly, "2024-B2", "2024-04-30", true)]
    [InlineData(Cadence.Bimonthly, "2024-B2", "2024-05-01", false)]
    [InlineData(Cadence.Quarterly, "2024-Q1", "2024-03-31", true)]
    [InlineData(Cadence.Quarterly, "2024-Q1", "2023-12-31", false)]
    [InlineData(Cadence.Yearly, "2024", "2024-12-31", true)]
    [InlineData(Cadence.Yearly, "2024", "2025-01-01", false)]
    public void Contains_IncludesBothEnds(Cadence cadence, string key, string date, bool expected)
    {
        Assert.Equal(expected, Period.Parse(cadence, key).Contains(D(date)));
    }

    [Theory]
    [InlineData(Cadence.Weekly, "2024-W12", "2024-03-18", "2024-03-24")]
    [InlineData(Cadence.Weekly, "2020-W53", "2020-12-28", "2021-01-03")]
    [InlineData(Cadence.Weekly, "2015-W53", "2015-12-28", "2016-01-03")]
    [InlineData(Cadence.HalfMonthly, "2024-03-H1", "2024-03-01", "2024-03-15")]
    [InlineData(Cadence.HalfMonthly, "2024-03-H2", "2024-03-16", "2024-03-31")]
    [InlineData(Cadence.Monthly, "2024-03", "2024-03-01", "2024-03-31")]
    [InlineData(Cadence.Bimonthly, "2024-B2", "2024-03-01", "2024-04-30")]
    [InlineData(Cadence.Quarterly, "2024-Q1", "2024-01-01", "2024-03-31")]
    [InlineData(Cadence.Yearly, "2024", "2024-01-01", "2024-12-31")]
    public void Parse_WithoutCadence_InfersItFromTheKeyShape(Cadence cadence, string key, string start, string end)
    {
        var expected = new Period(cadence, key, D(start), D(end));

        Assert.Equal(expected, Period.Parse(key));
        Assert.True(Period.TryParse(key, out var parsed));
        Assert.Equal(expected, parsed);
    }

    [Theory]
    [InlineData(Cadence.Weekly, "2024-W54")]
    [InlineData(Cadence.Weekly, "2024-W53")]
    [InlineData(Cadence.Weekly, "2021-W53")]
    [InlineData(Cadence.Weekly, "2024-W00")]
    [InlineData(Cadence.Weekly, "2024-W5")]
    [InlineData(Cadence.Weekly, "2024-W005")]
    [InlineData(Cadence.Weekly, "2024-w05")]
    [InlineData(Cadence.Weekly, "2024W05")]
    [InlineData(Cadence.Weekly, "24-W05")]
    [InlineData(Cadence.Weekly, "0000-W01")]
    [InlineData(Cadence.Weekly, "2024-W+5")]
    [InlineData(Cadence.Weekly, "2024-W\u0660\u0665")]
    [InlineData(Cadence.Weekly, " 2024-W05")]
    [InlineData(Cadence.Weekly, "2024-W05 ")]
    [InlineData(Cadence.Weekly, "")]
    [InlineData(Cadence.Weekly, "2024-03")]
    [InlineData(Cadence.Weekly, "2024-03-18")]
    [InlineData(Cadence.HalfMonthly, "2024-03-H3")]
    [InlineData(Cadence.HalfMonthly, "2024-03-H0")]
    [InlineData(Cadence.HalfMonthly, "2024-13-H1")]
    [InlineData(Cadence.HalfMonthly, "2024-00-H1")]
    [InlineData(Cadence.HalfMonthly, "2024-3-H1")]
    [InlineData(Cadence.HalfMonthly, "2024-03-h1")]
    [InlineData(Cadence.HalfMonthly, "2024-03-H")]
    [InlineData(Cadence.HalfMonthly, "2024-03-H12")]
    [InlineData(Cadence.HalfMonthly, "2024-03-15")]
    [InlineData(Cadence.HalfMonthly, "2024-03")]
    [InlineData(Cadence.Monthly, "2024-13")]
    [InlineData(Cadence.Monthly, "2024-00")]
    [InlineData(Cadence.Monthly, "2024-3")]
    [InlineData(Cadence.Monthly, "2024-003")]
    [InlineData(Cadence.Monthly, "2024/03")]
    [InlineData(Cadence.Monthly, "202403")]
    [InlineData(Cadence.Monthly, "2024-B1")]
    [InlineData(Cadence.Monthly, "2024-Q1")]
    [InlineData(Cadence.Monthly, "2024-03-H1")]
    [InlineData(Cadence.Monthly, "2024")]
    [InlineData(Cadence.Bimonthly, "2024-B7")]
    [InlineData(Cadence.Bimonthly, "2024-B0")]
    [InlineData(Cadence.Bimonthly, "2024-B01")]
    [InlineData(Cadence.Bimonthly, "2024-b1")]
    [InlineData(Cadence.Bimonthly, "2024-Q1")]
    [InlineData(Cadence.Bimonthly, "2024-02")]
    [InlineData(Cadence.Quarterly, "2024-Q5")]
    [InlineData(Cadence.Quarterly, "2024-Q0")]
    [InlineData(Cadence.Quarterly, "2024-Q01")]
    [InlineData(Cadence.Quarterly, "2024-q1")]
    [InlineData(Cadence.Quarterly, "2024Q1")]
    [InlineData(Cadence.Quarterly, "2024-B1")]
    [InlineData(Cadence.Quarterly, "2024-03")]
    [InlineData(Cadence.Yearly, "0000")]
    [InlineData(Cadence.Yearly, "202")]
    [InlineData(Cadence.Yearly, "20245")]
    [InlineData(Cadence.Yearly, "2024-")]
    [InlineData(Cadence.Yearly, "+024")]
    [InlineData(Cadence.Yearly, "abcd")]
    [InlineData(Cadence.Yearly, "2024-W01")]
    public void Parse_RejectsMalformedOrWrongCadenceKeys(Cadence cadence, string key)
    {
        Assert.Throws<FormatException>(() => Period.Parse(cadence, key));
        Assert.False(Period.TryParse(cadence, key, out var period));
        Assert.Null(period);
    }

    [Theory]
    [InlineData(Cadence.Weekly, "2024-W54", "yyyy-Www")]
    [InlineData(Cadence.Weekly, "2024-W53", "weeks 01–52")]
    [InlineData(Cadence.Weekly, "2024-03", "It looks like a Monthly key")]
    [InlineData(Cadence.HalfMonthly, "2024-03-H3", "yyyy-MM-Hn")]
    [InlineData(Cadence.Monthly, "2024-13", "yyyy-MM")]
    [InlineData(Cadence.Bimonthly, "2024-B7", "B1–B6")]
    [InlineData(Cadence.Quarterly, "2024-Q5", "yyyy-Qn")]
    [InlineData(Cadence.Yearly, "24", "'yyyy'")]
    public void Parse_FailureMessage_NamesTheKeyAndTheExpectedFormat(Cadence cadence, string key, string fragment)
    {
        var ex = Assert.Throws<FormatException>(() => Period.Parse(cadence, key));

        Assert.Contains($"'{key}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("2024-X1")]
    [InlineData("2024-W54")]
    [InlineData("2024-13")]
    [InlineData("2024-03-H3")]
    [InlineData("2024-B7")]
    [InlineData("2024-Q5")]
    [InlineData("2024-03-18")]
    [InlineData("0000")]
    public void Parse_WithoutCadence_RejectsMalformedKeys(string key)
    {
        Assert.Throws<FormatException>(() => Period.Parse(key));
        Assert.False(Period.TryParse(key, out var period));
        Assert.Null(period);
    }

    [Fact]
    public void Parse_WithoutCadence_ListsEveryFormatForAnUnknownShape()
    {
        var ex = Assert.Throws<FormatException>(() => Period.Parse("2024-03-18T00"));

        foreach (var format in new[] { "yyyy-Www", "yyyy-MM-Hn", "'yyyy-MM'", "yyyy-Bn", "yyyy-Qn", "'yyyy'" })
        {
            Assert.Contains(format, ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Parse_And_TryParse_HandleNull()
    {
        Assert.Throws<ArgumentNullException>(() => Period.Parse(Cadence.Monthly, null!));
        Assert.Throws<ArgumentNullException>(() => Period.Parse(null!));
        Assert.False(Period.TryParse(Cadence.Monthly, null, out var period));
        Assert.Null(period);
        Assert.False(Period.TryParse(null, out var inferred));
        Assert.Null(inferred);
    }

    [Fact]
    public void UndefinedCadence_Throws()
    {
        var undefined = (Cadence)99;

        Assert.Throws<ArgumentOutOfRangeException>(() => Period.Of(undefined, D("2024-03-18")));
        Assert.Throws<ArgumentOutOfRangeException>(() => Period.Parse(undefined, "2024"));
    }

    [Theory]
    [InlineData(Cadence.HalfMonthly, "9999-12-H2", "9999-12-16", "9999-12-31")]
    [InlineData(Cadence.Monthly, "9999-12", "9999-12-01", "9999-12-31")]
    [InlineData(Cadence.Bimonthly, "9999-B6", "9999-11-01", "9999-12-31")]
    [InlineData(Cadence.Quarterly, "9999-Q4", "9999-10-01", "9999-12-31")]
    [InlineData(Cadence.Yearly, "9999", "9999-01-01", "9999-12-31")]
    public void Of_LastRepresentableDay_WorksWhereThePeriodFits(Cadence cadence, string key, string start, string end)
    {
        var period = Period.Of(cadence, DateOnly.MaxValue);

        Assert.Equal(new Period(cadence, key, D(start), D(end)), period);
        Assert.Throws<ArgumentOutOfRangeException>(() => period.Next());
    }

    [Fact]
    public void Weekly_AtTheEdgesOfDateOnly()
    {
        Assert.Equal(new Period(Cadence.Weekly, "0001-W01", D("0001-01-01"), D("0001-01-07")), Period.Of(Cadence.Weekly, DateOnly.MinValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => Period.Of(Cadence.Weekly, DateOnly.MinValue).Previous());
        Assert.Throws<ArgumentOutOfRangeException>(() => Period.Of(Cadence.Weekly, DateOnly.MaxValue));
        Assert.False(Period.TryParse(Cadence.Weekly, "9999-W52", out _));
        Assert.True(Period.TryParse(Cadence.Weekly, "9999-W51", out var lastWeek));
        Assert.Equal(D("9999-12-26"), lastWeek.End);
    }

    [Theory]
    [InlineData("2024-01-01", 1, 366)]
    [InlineData("2024-02-29", 60, 366)]
    [InlineData("2024-07-01", 183, 366)]
    [InlineData("2024-12-31", 366, 366)]
    [InlineData("2023-01-01", 1, 365)]
    [InlineData("2023-07-02", 183, 365)]
    [InlineData("2023-12-31", 365, 365)]
    public void YearElapsedFraction_CountsDaysThroughTheDateInclusive(string date, int elapsed, int daysInYear)
    {
        Assert.Equal((decimal)elapsed / daysInYear, Period.YearElapsedFraction(D(date)));
    }

    [Theory]
    [InlineData("2024-12-31")]
    [InlineData("2023-12-31")]
    public void YearElapsedFraction_IsExactlyOneOnTheLastDay(string date)
    {
        Assert.Equal(1m, Period.YearElapsedFraction(D(date)));
    }
}
