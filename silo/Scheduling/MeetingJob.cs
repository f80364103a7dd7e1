using Dispatch.Contracts;
using Dispatch.Grains;
using Dispatch.Grains.Domain;
using Microsoft.Extensions.Options;
using Quartz;

namespace Dispatch.Silo.Scheduling;

/// <summary>
/// One Quartz job per cadence, one trigger per time it is held at (<see cref="MeetingTriggers"/>): a firing asks each
/// region whose settings follow this trigger's cron, and those that left it while the period it judges ran, to hold
/// that period's meeting. A region whose call failed gets a retry (<see cref="MeetingRetries"/>); exactly-once is the
/// meeting grain's, not Quartz's.
/// </summary>
[DisallowConcurrentExecution]
public sealed class MeetingJob(MeetingRunner runner, MeetingTriggers triggers, MeetingRetries retries, IOptions<DispatchOptions> options,
    ILogger<MeetingJob> logger) : IJob
{
    public const string CadenceKey = "cadence";
    public const string CronKey = "cron";

    public static IJobDetail Job(Cadence cadence) => JobBuilder.Create<MeetingJob>()
        .WithIdentity(MeetingTriggers.JobKeyOf(cadence))
        .UsingJobData(CadenceKey, cadence.ToString())
        .StoreDurably()
        .RequestRecovery()
        .Build();

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var cadence = Enum.Parse<Cadence>(context.MergedJobDataMap.GetString(CadenceKey)!);
        var cronTrigger = context.Trigger as ICronTrigger;
        // A recovery (a firing cut short on a silo that died) fires a one-shot trigger carrying the original's data;
        // a trigger stored before triggers carried their cron has only its expression.
        var cron = context.MergedJobDataMap.GetString(CronKey) ?? cronTrigger?.CronExpressionString;
        if (cron is null)
        {
            logger.LogWarning("{Cadence} meetings: firing {Trigger} names no schedule; nothing held", cadence, context.Trigger.Key);
            return;
        }
        var scheduled = context.ScheduledFireTimeUtc ?? context.FireTimeUtc;
        IReadOnlyList<DateOnly> dates = cronTrigger is null
            ? [DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(scheduled, Period.ChinaStandardTime).DateTime)]
            : MeetingSchedule.DueDates(cron, context.PreviousFireTimeUtc, scheduled, context.FireTimeUtc);
        var holders = await runner.ReadHoldersAsync();
        foreach (var asOf in dates)
        {
            var judged = MeetingPeriods.Judged(cadence, asOf, options.Value.Warnings);
            var regions = MeetingRunner.WhoMeets(holders, cadence, cron, triggers.DefaultCron(cadence), judged.Start);
            var result = await runner.RunAsync(cadence, asOf, regions, cancellationToken);
            context.Result = result;
            logger.LogInformation("{Cadence} meetings at {Cron} as of {AsOf}: {Held} of {Regions} regions held, {Refused} refused, {Failed} failed",
                cadence, cron, asOf, result.Held, regions.Count, result.Refused.Count, result.Failed.Count);
            foreach (var region in result.Failed)
            {
                await retries.ScheduleAsync(region, cadence, asOf, 1, cancellationToken);
            }
        }
        if (cronTrigger is not null && !triggers.Keeps(cronTrigger.Key, cadence, cron, holders))
        {
            await triggers.RetireAsync(cronTrigger.Key, cancellationToken);
        }
        await EnsureTriggersAsync(holders, cancellationToken);
    }

    /// <summary>
    /// Adds the trigger of any region's own time that the job store lacks (a store restored from an older copy, or a
    /// removal that raced a region moving onto its time), from the settings this firing has read anyway.
    /// </summary>
    private async Task EnsureTriggersAsync(IReadOnlyList<CadenceHolder> holders, CancellationToken cancellationToken)
    {
        try
        {
            await triggers.EnsureAsync(triggers.InUse(holders.Select(h => h.Cadences)), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Could not add the triggers of the regions' own meeting times; the next firing or change adds them");
        }
    }
}
