using System.Globalization;
using Dispatch.Contracts;
using Quartz;

namespace Dispatch.Silo.Scheduling;

/// <summary>A meeting that failed in a firing and will be tried again, as <c>GET /api/schedule</c> shows it.</summary>
public sealed record PendingRetry(string Region, Cadence Cadence, DateOnly AsOf, int Attempt, DateTimeOffset? NextTry);

/// <summary>The waits before each retry of a failed meeting: <c>Dispatch:Scheduler:RetryBackoff</c>, durations separated by commas; empty retries nothing.</summary>
public sealed record RetryBackoff(IReadOnlyList<TimeSpan> Waits)
{
    public const string Key = "Dispatch:Scheduler:RetryBackoff";

    public static RetryBackoff FromConfiguration(IConfiguration config)
    {
        var text = config[Key] ?? "00:01:00,00:05:00,00:30:00";
        var waits = new List<TimeSpan>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!TimeSpan.TryParse(part, CultureInfo.InvariantCulture, out var wait) || wait < TimeSpan.Zero)
            {
                throw new ArgumentException($"{Key} = '{text}': '{part}' is not a duration (hh:mm:ss); give the waits before each retry, e.g. 00:01:00,00:05:00,00:30:00.");
            }
            waits.Add(wait);
        }
        return new RetryBackoff(waits);
    }
}

/// <summary>
/// A region whose meeting call failed in a firing (an exception: a silo lost, a timeout, a storage conflict) is tried
/// again on its own: a one-shot Quartz trigger per (region, cadence, as-of date, attempt) in the persistent store, so
/// it survives a restart and fires at once if it fell due while the silo was down. The waits are
/// <c>Dispatch:Scheduler:RetryBackoff</c> in turn (1, 5 and 30 minutes by default); after the last the scheduler gives
/// up with an error and the meeting is for an official to hold by hand. A refusal is not retried: the request itself
/// is wrong, and asking again changes nothing. The meeting grain makes a repeat a no-op.
/// </summary>
public sealed class MeetingRetries(ISchedulerFactory factory, RetryBackoff backoff, TimeProvider clock, ILogger<MeetingRetries> logger)
{
    public const string Group = "dispatch-retries";
    public static readonly JobKey JobKey = new("meeting-retries", MeetingTriggers.Group);
    private const string RegionKey = "region";
    private const string CadenceKey = "cadence";
    private const string AsOfKey = "asOf";
    private const string AttemptKey = "attempt";

    /// <summary>The retry job, stored durably so that retry triggers can name it.</summary>
    public static IJobDetail Job() => JobBuilder.Create<MeetingRetryJob>().WithIdentity(JobKey).StoreDurably().RequestRecovery().Build();

    /// <summary>Schedules retry number <paramref name="attempt"/> (from 1), or gives up with an error when the back-off is spent.</summary>
    public async Task ScheduleAsync(string regionId, Cadence cadence, DateOnly asOf, int attempt, CancellationToken cancellationToken)
    {
        if (attempt > backoff.Waits.Count)
        {
            logger.LogError("{Region}: {Cadence} meeting as of {AsOf} still failing after {Retries} retries; the scheduler gives up, an official can hold it late (POST /api/regions/<id>/meetings with its asOf)",
                regionId, cadence, asOf, backoff.Waits.Count);
            return;
        }
        var at = clock.GetUtcNow() + backoff.Waits[attempt - 1];
        var trigger = TriggerBuilder.Create(clock)
            .WithIdentity($"{regionId}/{cadence.ToString().ToLowerInvariant()}/{asOf:yyyy-MM-dd}#{attempt}", Group)
            .ForJob(JobKey)
            .UsingJobData(RegionKey, regionId)
            .UsingJobData(CadenceKey, cadence.ToString())
            .UsingJobData(AsOfKey, asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
            .UsingJobData(AttemptKey, attempt.ToString(CultureInfo.InvariantCulture))
            .StartAt(at)
            .WithSimpleSchedule(x => x.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            .Build();
        // Keep: a doubled firing (cluster fail-over) schedules the same retry once.
        var scheduler = await factory.GetScheduler(cancellationToken);
        await scheduler.ScheduleTrigger(trigger, TriggerConflict.Keep, cancellationToken);
        logger.LogWarning("{Region}: {Cadence} meeting as of {AsOf} will be tried again at {At:yyyy-MM-dd HH:mm:ss zzz} (retry {Attempt} of {Retries})",
            regionId, cadence, asOf, at.ToOffset(TimeSpan.FromHours(8)), attempt, backoff.Waits.Count);
    }

    /// <summary>What one retry trigger's data says.</summary>
    public static (string Region, Cadence Cadence, DateOnly AsOf, int Attempt) Read(JobDataMap data) => (
        data.GetString(RegionKey)!,
        Enum.Parse<Cadence>(data.GetString(CadenceKey)!),
        DateOnly.ParseExact(data.GetString(AsOfKey)!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
        int.Parse(data.GetString(AttemptKey)!, CultureInfo.InvariantCulture));

    /// <summary>The retries waiting, soonest first.</summary>
    public async Task<IReadOnlyList<PendingRetry>> ListAsync(CancellationToken cancellationToken)
    {
        var scheduler = await factory.GetScheduler(cancellationToken);
        return (await scheduler.GetTriggersOfJob(JobKey, cancellationToken))
            .Select(t => (Data: Read(t.JobDataMap), Next: t.NextFireTimeUtc))
            .Select(t => new PendingRetry(t.Data.Region, t.Data.Cadence, t.Data.AsOf, t.Data.Attempt, t.Next?.ToOffset(TimeSpan.FromHours(8))))
            .OrderBy(r => r.NextTry)
            .ToList();
    }
}

/// <summary>One retry of one region's meeting; a failure schedules the next retry.</summary>
public sealed class MeetingRetryJob(MeetingRunner runner, MeetingRetries retries) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        // Merged: a recovery trigger (the silo died mid-retry) carries the original trigger's data.
        var (region, cadence, asOf, attempt) = MeetingRetries.Read(context.MergedJobDataMap);
        var result = await runner.RunAsync(cadence, asOf, [region], cancellationToken);
        context.Result = result;
        if (result.Failed.Count > 0)
        {
            await retries.ScheduleAsync(region, cadence, asOf, attempt + 1, cancellationToken);
        }
    }
}
