using Dispatch.Contracts;
using Quartz;

namespace Dispatch.Silo.Scheduling;

/// <summary>
/// At start: stores each cadence's job and the retry job, and makes the configured cadences' triggers match the
/// configuration without resetting those that already match (a trigger rewritten at every start would forget a fire
/// time missed while the silo was down). The regions' own times need nothing here: their triggers are stored in the
/// job store, and reading every region's settings at start would wake every region and project below them; each
/// firing, which reads them anyway, adds any that is missing (<see cref="MeetingJob"/>).
/// </summary>
public sealed class ScheduleRegistrar(ISchedulerFactory factory, IReadOnlyList<MeetingSchedule> schedules, MeetingTriggers triggers,
    ILogger<ScheduleRegistrar> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await factory.GetScheduler(cancellationToken);
        // Every cadence has its job, so a region's own time can be held even for a cadence whose configured time is off.
        foreach (var cadence in Enum.GetValues<Cadence>())
        {
            await scheduler.AddJob(MeetingJob.Job(cadence), AddJobOptions.Replacing, cancellationToken);
        }
        await scheduler.AddJob(MeetingRetries.Job(), AddJobOptions.Replacing, cancellationToken);
        foreach (var schedule in schedules)
        {
            var existing = await scheduler.GetTrigger(schedule.TriggerKey, cancellationToken) as ICronTrigger;
            if (existing?.CronExpressionString == schedule.Cron)
            {
                logger.LogInformation("{Cadence} meetings ({Cron}): next at {Next:yyyy-MM-dd HH:mm zzz}", schedule.Cadence, schedule.Cron,
                    existing.NextFireTimeUtc?.ToOffset(TimeSpan.FromHours(8)));
                continue;
            }
            // A changed configuration replaces the trigger: its new time is the operator's decision.
            await scheduler.ScheduleTrigger(triggers.Build(schedule.Cadence, schedule.Cron), TriggerConflict.Replace, cancellationToken);
            logger.LogInformation("{Cadence} meetings scheduled ({Cron}, Asia/Shanghai)", schedule.Cadence, schedule.Cron);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
