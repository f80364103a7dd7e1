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

    public static IJobDetail Job(Cadence cadence) => JobBuilder.Create<MeetingJob>()
        .WithIdentity(MeetingTriggers.JobKeyOf(cadence))
        .UsingJobData(CadenceKey, cadence.ToString())
        .StoreDurably()
        .RequestRecovery()
        .Build();

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var cadence = Enum.Parse<Cadence>(context.MergedJobDataMap.GetString(CadenceKey)!);
        var cron = ((ICronTrigger)context.Trigger).CronExpressionString!;
        var scheduled = context.ScheduledFireTimeUtc ?? context.FireTimeUtc;
        var holders = await runner.ReadHoldersAsync();
        foreach (var asOf in MeetingSchedule.DueDates(cron, context.PreviousFireTimeUtc, scheduled, context.FireTimeUtc))
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
        if (!triggers.Keeps(context.Trigger.Key, cadence, cron, holders))
        {
            await triggers.RetireAsync(context.Trigger.Key, cancellationToken);
        }
    }
}
