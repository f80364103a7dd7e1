using Dispatch.Grains;
using Dispatch.Grains.Domain;

namespace Dispatch.Tests.Domain;

/// <summary>The shipped holiday data and the default office hours: the working-day clock a silo runs by default.</summary>
internal static class ShippedCalendar
{
    public static readonly IReadOnlyList<CalendarDay> Days = Read();

    public static readonly WorkingCalendar Office = new(Days, WorkingCalendar.DefaultOfficeHours);

    private static IReadOnlyList<CalendarDay> Read()
    {
        using var reader = new StreamReader(Path.Combine(AppContext.BaseDirectory, new CalendarOptions().File));
        return WorkingCalendar.Parse(reader, "cn-calendar.csv");
    }
}
