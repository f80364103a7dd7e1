using Dispatch.Contracts;
using Quartz;

namespace Dispatch.Silo.Scheduling;

/// <summary>
/// At start: stores each cadence's job and the retry job, makes the configured cadences' triggers match the
/// configuration without resetting those that already match (a trigger rewritten at every start would forget a fire
/// time missed while the silo was down), then, in the background, adds a trigger for each region's own time found in
/// the stored settings (<see cref="MeetingTriggers.ReconcileAsync"/>) without holding up the start.
/// </summary>
public sealed class ScheduleRegistrar(ISchedulerFactory factory, IReadOnlyList<MeetingSchedule> schedules, MeetingTriggers triggers,
    ILogger<ScheduleRegistrar> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _reconcile = Task.CompletedTask;

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
        _reconcile = ReconcileAsync(_stopping.Token);
    }

    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        try
        {
            await triggers.ReconcileAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Could not add the triggers of the regions' own meeting times; they are added again at the next change or start");
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        try
        {
            await _reconcile;
        }
        catch (OperationCanceledException)
        {
            // Stopping while it ran: the next start reconciles again.
        }
    }

    public void Dispose() => _stopping.Dispose();
}
