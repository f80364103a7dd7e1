using System.Globalization;
using Dispatch.Contracts;
using Dispatch.Grains.Domain;

namespace Dispatch.Tests.Domain;

/// <summary>
/// Which period a meeting judges, as an office counts it: reports for a period are due by the 5th of the next one
/// (每月5日前报上月), so the review that judges it is held from the 6th.
/// </summary>
public sealed class MeetingPeriodsTests
{
    private static readonly WarningThresholds s_dueOnThe5th = new();

    private static DateOnly D(string isoDate) => DateOnly.ParseExact(isoDate, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Theory]
    // Monthly: March's reports are due by 5 April.
    [InlineData(Cadence.Monthly, "2024-04-03", "2024-02")]
    [InlineData(Cadence.Monthly, "2024-04-04", "2024-02")]
    [InlineData(Cadence.Monthly, "2024-04-05", "2024-02")]
    [InlineData(Cadence.Monthly, "2024-04-06", "2024-03")]
    [InlineData(Cadence.Monthly, "2024-04-30", "2024-03")]
    [InlineData(Cadence.Monthly, "2024-01-06", "2023-12")]
    [InlineData(Cadence.Monthly, "2024-01-05", "2023-11")]
    // Quarterly: Q1's are due by 5 April.
    [InlineData(Cadence.Quarterly, "2024-04-03", "2023-Q4")]
    [InlineData(Cadence.Quarterly, "2024-04-05", "2023-Q4")]
    [InlineData(Cadence.Quarterly, "2024-04-06", "2024-Q1")]
    [InlineData(Cadence.Quarterly, "2024-06-30", "2024-Q1")]
    [InlineData(Cadence.Quarterly, "2024-07-06", "2024-Q2")]
    // Yearly: 2024's are due by 5 January 2025.
    [InlineData(Cadence.Yearly, "2024-12-31", "2023")]
    [InlineData(Cadence.Yearly, "2025-01-04", "2023")]
    [InlineData(Cadence.Yearly, "2025-01-05", "2023")]
    [InlineData(Cadence.Yearly, "2025-01-06", "2024")]
    // Half-monthly: 1–15 March's are due by the 5th of the next half, 20 March; 16–31 March's by 5 April.
    [InlineData(Cadence.HalfMonthly, "2024-03-19", "2024-02-H2")]
    [InlineData(Cadence.HalfMonthly, "2024-03-20", "2024-02-H2")]
    [InlineData(Cadence.HalfMonthly, "2024-03-21", "2024-03-H1")]
    [InlineData(Cadence.HalfMonthly, "2024-04-05", "2024-03-H1")]
    [InlineData(Cadence.HalfMonthly, "2024-04-06", "2024-03-H2")]
    // Two months: January–February's are due by 5 March.
    [InlineData(Cadence.Bimonthly, "2024-03-04", "2023-B6")]
    [InlineData(Cadence.Bimonthly, "2024-03-05", "2023-B6")]
    [InlineData(Cadence.Bimonthly, "2024-03-06", "2024-B1")]
    [InlineData(Cadence.Bimonthly, "2024-05-05", "2024-B1")]
    [InlineData(Cadence.Bimonthly, "2024-05-06", "2024-B2")]
    // Weekly: the week the meeting is held in.
    [InlineData(Cadence.Weekly, "2024-03-18", "2024-W12")]
    [InlineData(Cadence.Weekly, "2024-03-17", "2024-W11")]
    [InlineData(Cadence.Weekly, "2024-12-30", "2025-W01")]
    public void A_meeting_judges_the_latest_period_whose_figures_are_due(Cadence cadence, string asOf, string judged) =>
        Assert.Equal(judged, MeetingPeriods.Judged(cadence, D(asOf), s_dueOnThe5th).Key);

    [Theory]
    [InlineData("2024-04-10", "2024-02")]
    [InlineData("2024-04-11", "2024-03")]
    public void The_configured_due_day_moves_the_boundary(string asOf, string judged) =>
        Assert.Equal(judged, MeetingPeriods.Judged(Cadence.Monthly, D(asOf), new WarningThresholds { ReportDueDay = 10 }).Key);

    [Theory]
    [InlineData("2024-Q1", "2024-04-05", false)]
    [InlineData("2024-Q1", "2024-04-06", true)]
    [InlineData("2024-Q1", "2025-02-01", true)] // held late: still Q1's meeting
    [InlineData("2024-03", "2024-04-05", false)]
    [InlineData("2024-03", "2024-04-06", true)]
    [InlineData("2024-02", "2024-03-10", true)]
    [InlineData("2024-03-H1", "2024-03-20", false)]
    [InlineData("2024-03-H1", "2024-03-21", true)]
    [InlineData("2024", "2025-01-05", false)]
    [InlineData("2024", "2025-01-06", true)]
    [InlineData("2024-W12", "2024-03-18", true)]
    [InlineData("2024-W12", "2024-03-24", true)]
    [InlineData("2024-W12", "2024-03-25", false)]
    [InlineData("2024-W12", "2024-03-17", false)]
    public void A_period_may_be_judged_from_the_day_after_its_figures_were_due(string key, string asOf, bool allowed)
    {
        var why = MeetingPeriods.WhyNotOn(Period.Parse(key), D(asOf), s_dueOnThe5th);
        Assert.Equal(allowed, why is null);
        if (why is not null)
        {
            Assert.Contains(key, why);
        }
    }

    [Fact]
    public void The_refusal_says_from_when_the_period_can_be_judged()
    {
        var why = MeetingPeriods.WhyNotOn(Period.Parse("2024-Q1"), D("2024-04-03"), s_dueOnThe5th);
        Assert.Equal("2024-Q1's figures are due by 2024-04-05; its meeting can be held from 2024-04-06, not as of 2024-04-03.", why);
    }
}
