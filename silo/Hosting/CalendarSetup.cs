using Dispatch.Grains;
using Dispatch.Grains.Domain;
using Microsoft.Extensions.Options;

namespace Dispatch.Silo.Hosting;

/// <summary>
/// The working-day clock of escalation: the shipped holiday file (<c>calendar/cn-calendar.csv</c>) and the operators'
/// own file on top (<c>Dispatch:Calendar:ExtraFile</c>), read once at start; a file that cannot be read stops the start.
/// </summary>
public static class CalendarSetup
{
    public static IServiceCollection AddDispatchCalendar(this IServiceCollection services)
    {
        services.AddSingleton(sp => Load(sp.GetRequiredService<IOptions<DispatchOptions>>().Value.Calendar,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CalendarSetup)), sp.GetRequiredService<TimeProvider>().ChinaToday()));
        return services;
    }

    public static WorkingCalendar Load(CalendarOptions options, ILogger logger, DateOnly today)
    {
        if (options.Mode == CalendarMode.AroundTheClock)
        {
            logger.LogInformation("Escalation windows count 24×7 (Dispatch:Calendar:Mode=AroundTheClock): working time is calendar time");
            return WorkingCalendar.AroundTheClock;
        }
        var days = Read(options.File, "Dispatch:Calendar:File").ToList();
        if (!string.IsNullOrWhiteSpace(options.ExtraFile))
        {
            days.AddRange(Read(options.ExtraFile, "Dispatch:Calendar:ExtraFile"));
        }
        var calendar = new WorkingCalendar(days, WorkingCalendar.ParseOfficeHours(options.OfficeHours));
        logger.LogInformation("Escalation windows count working time: office hours {Hours} (China time), holidays and make-up days for {Years}",
            options.OfficeHours, string.Join(", ", calendar.Years.Order()));
        foreach (var year in calendar.YearsAssumed(today))
        {
            logger.LogWarning("The calendar data has no {Year}: it is counted Monday to Friday without holidays; add the State Council's notice for {Year} to Dispatch:Calendar:ExtraFile (see docs/OPERATORS.md)",
                year, year);
        }
        return calendar;
    }

    private static IReadOnlyList<CalendarDay> Read(string path, string setting)
    {
        var full = Path.IsPathRooted(path) ? path : Path.Combine(AppContext.BaseDirectory, path);
        if (!File.Exists(full))
        {
            throw new InvalidOperationException($"{setting}: no calendar file at {full}.");
        }
        using var reader = new StreamReader(full);
        return WorkingCalendar.Parse(reader, full);
    }
}
