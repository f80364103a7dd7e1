namespace Dispatch.Grains.Domain;

/// <summary>Dates as officials see them: the calendar day in China Standard Time.</summary>
public static class ChinaClock
{
    public static DateOnly ChinaToday(this TimeProvider clock) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Period.ChinaStandardTime).DateTime);
}
