using Quartz;

namespace Dispatch.Silo.Scheduling;

/// <summary>
/// Makes the stored triggers match the configured cadences without resetting those that already match: a trigger
/// rewritten at every start would forget a fire time missed while the silo was down.
/// </summary>
public sealed class ScheduleRegistrar(ISchedulerFactory factory, IReadOnlyList<MeetingSchedule> schedules, TimeProvider clock, ILogger<ScheduleRegistrar> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await factory.GetScheduler(cancellationToken);
        foreach (var schedule in schedules)
        {
            var job = JobBuilder.Create<MeetingJob>()
                .WithIdentity(schedule.JobKey)
                .UsingJobData(MeetingJob.CadenceKey, schedule.Cadence.ToString())
                .StoreDurably()
                .RequestRecovery()
                .Build();
            var existing = await scheduler.GetTrigger(schedule.TriggerKey, cancellationToken) as ICronTrigger;
            if (existing?.CronExpressionString == schedule.Cron)
            {
                logger.LogInformation("{Cadence} meetings ({Cron}): next at {Next:yyyy-MM-dd HH:mm zzz}", schedule.Cadence, schedule.Cron,
                    existing.NextFireTimeUtc?.ToOffset(TimeSpan.FromHours(8)));
                continue;
            }
            await scheduler.ScheduleJob(job, [SchedulerSetup.TriggerFor(schedule, clock)], new ScheduleJobOptions { Replace = true }, cancellationToken);
            logger.LogInformation("{Cadence} meetings scheduled ({Cron}, Asia/Shanghai)", schedule.Cadence, schedule.Cron);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
