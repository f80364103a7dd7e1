using Dispatch.Contracts;
using Dispatch.Grains;
using Dispatch.Grains.Domain;
using Quartz;

namespace Dispatch.Silo.Scheduling;

/// <summary>
/// One Quartz job per cadence: asks each region that holds the cadence (as its city's or province's settings say) to
/// hold that period's meeting.
/// One failing region is logged and does not stop the others; exactly-once is the meeting grain's, not Quartz's.
/// </summary>
[DisallowConcurrentExecution]
public sealed class MeetingJob(IGrainFactory grains, ILogger<MeetingJob> logger) : IJob
{
    public const string CadenceKey = "cadence";
    private const int RegionsAtOnce = 8;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var cadence = Enum.Parse<Cadence>(context.MergedJobDataMap.GetString(CadenceKey)!);
        var cron = (context.Trigger as ICronTrigger)?.CronExpressionString;
        var scheduled = context.ScheduledFireTimeUtc ?? context.FireTimeUtc;
        var dates = cron is null ? [DateOnly.FromDateTime(scheduled.UtcDateTime)] : MeetingSchedule.DueDates(cron, context.PreviousFireTimeUtc, scheduled, context.FireTimeUtc);
        // Read at each firing, so a region's new settings apply from the next one without a restart.
        var regions = await RegionsMeetingAsync(cadence);
        foreach (var asOf in dates)
        {
            var result = await RunAsync(cadence, asOf, regions, cancellationToken);
            context.Result = result;
            logger.LogInformation("{Cadence} meetings as of {AsOf}: {Held} of {Regions} regions held, {Failed} failed",
                cadence, asOf, result.Held, regions.Count, result.Failed.Count);
        }
    }

    /// <summary>
    /// The regions that hold <paramref name="cadence"/>'s meetings: each province and city, or its districts, as its
    /// cadence settings say (调度安排).
    /// </summary>
    public async Task<IReadOnlyList<string>> RegionsMeetingAsync(Cadence cadence)
    {
        var deciders = (await Task.WhenAll(new[] { RegionLevel.Province, RegionLevel.City }
            .Select(l => grains.GetGrain<IRegionIndexGrain>(RegionIndexGrain.KeyOf(l)).ListAsync()))).SelectMany(r => r).ToList();
        var meeting = await Task.WhenAll(deciders.Select(async id =>
        {
            var region = grains.GetGrain<IRegionGrain>(id);
            return await region.GetCadencesAsync() is { } cadences
                ? CadencePlans.WhoMeets(id, cadences.Settings, cadence, await region.GetChildIdsAsync())
                : [];
        }));
        return meeting.SelectMany(m => m).Distinct().ToList();
    }

    public sealed record RunResult(int Held, IReadOnlyList<string> Failed);

    /// <summary>Holds the meeting of every region, a few at a time, reporting progress and failures per region.</summary>
    public async Task<RunResult> RunAsync(Cadence cadence, DateOnly asOf, IReadOnlyList<string> regions, CancellationToken cancellationToken)
    {
        var held = 0;
        var failed = new List<string>();
        using var gate = new SemaphoreSlim(RegionsAtOnce);
        await Task.WhenAll(regions.Select(async regionId =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                var outcome = await grains.GetGrain<IRegionGrain>(regionId).RunMeetingAsync(cadence, asOf);
                if (outcome.Succeeded)
                {
                    Interlocked.Increment(ref held);
                    logger.LogDebug("Meeting {Meeting} held", outcome.Value!.Id);
                }
                else
                {
                    lock (failed)
                    {
                        failed.Add(regionId);
                    }
                    logger.LogWarning("{Region}: {Cadence} meeting as of {AsOf} refused: {Errors}", regionId, cadence, asOf,
                        string.Join("; ", outcome.Errors.Select(e => e.Message)));
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                lock (failed)
                {
                    failed.Add(regionId);
                }
                logger.LogError(e, "{Region}: {Cadence} meeting as of {AsOf} failed; the other regions go on", regionId, cadence, asOf);
            }
            finally
            {
                gate.Release();
            }
        }));
        return new RunResult(held, failed);
    }
}
