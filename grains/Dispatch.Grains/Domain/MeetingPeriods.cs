using Dispatch.Contracts;

namespace Dispatch.Grains.Domain;

/// <summary>
/// Which period a dispatch meeting (调度会) judges. A review of a half-month, month, two months, quarter or year works
/// from that period's figures (填报), so it is held once they are due: the day after the reporting due day of the next
/// period (<see cref="WarningThresholds.ReportDueBy"/>; 每月5日前报上月, so March is judged from 6 April). A weekly
/// dispatch meeting (周调度) looks at the projects as they stand and judges the week it is held in.
/// </summary>
public static class MeetingPeriods
{
    /// <summary>
    /// The period a meeting held on <paramref name="asOf"/> judges by default: the week it is held in, or the latest
    /// period of <paramref name="cadence"/> whose figures are due by then (a quarterly review on 6 April judges Q1,
    /// on 5 April still Q4 of the year before).
    /// </summary>
    public static Period Judged(Cadence cadence, DateOnly asOf, WarningThresholds thresholds)
    {
        var current = Period.Of(cadence, asOf);
        if (cadence == Cadence.Weekly)
        {
            return current;
        }
        var previous = current.Previous();
        // The due day falls within the next period, so the one before the previous is always due.
        return asOf >= ReviewableFrom(previous, thresholds) ? previous : previous.Previous();
    }

    /// <summary>The first day a meeting may judge <paramref name="period"/>: the day after its figures were due; a week from its Monday.</summary>
    public static DateOnly ReviewableFrom(Period period, WarningThresholds thresholds) =>
        period.Cadence == Cadence.Weekly ? period.Start : thresholds.ReportDueBy(period).AddDays(1);

    /// <summary>
    /// Why a meeting held on <paramref name="asOf"/> cannot judge <paramref name="period"/>, or null when it can: a
    /// weekly meeting judges its own week; any other waits until the period's figures are due, and may be held late.
    /// </summary>
    public static string? WhyNotOn(Period period, DateOnly asOf, WarningThresholds thresholds)
    {
        if (period.Cadence == Cadence.Weekly)
        {
            return period.Contains(asOf) ? null
                : $"A weekly meeting judges the week it is held in: {asOf:yyyy-MM-dd} is in {Period.Of(Cadence.Weekly, asOf).Key}, not {period.Key}.";
        }
        var from = ReviewableFrom(period, thresholds);
        return asOf >= from ? null
            : $"{period.Key}'s figures are due by {thresholds.ReportDueBy(period):yyyy-MM-dd}; its meeting can be held from {from:yyyy-MM-dd}, not as of {asOf:yyyy-MM-dd}.";
    }
}
