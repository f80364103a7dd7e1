namespace Dispatch.Grains.Domain;

/// <summary>Dates as officials see them: the calendar day in China Standard Time.</summary>
public static class ChinaClock
{
    public static DateOnly ChinaToday(this TimeProvider clock) => clock.GetUtcNow().ChinaDay();

    /// <summary>The day an instant falls on in China (a report received at 23:30 on 3 April, Beijing time, is a 3 April report).</summary>
    public static DateOnly ChinaDay(this DateTimeOffset instant) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Period.ChinaStandardTime).DateTime);
}
