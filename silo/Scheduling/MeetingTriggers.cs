using Dispatch.Contracts;
using Dispatch.Grains.Domain;
using Quartz;

namespace Dispatch.Silo.Scheduling;

/// <summary>One meeting trigger as <c>GET /api/schedule</c> shows it; <c>regions</c> counts who follows it now.</summary>
public sealed record ScheduleTriggerRow(string Key, Cadence Cadence, RegionLevel Level, string Cron, string? TimeZone, bool IsDefault,
    int Regions, DateTimeOffset? NextFireTime, DateTimeOffset? PreviousFireTime, string State);

/// <summary>
/// The meeting triggers in Quartz, one per distinct schedule (cadence, cron) in use: the cadence's configured time keeps
/// its trigger <c>meetings-{cadence}</c> (registered by <see cref="ScheduleRegistrar"/>); a region's own time
/// (<see cref="CadenceSetting.When"/>) adds <c>meetings-{cadence}@{cron}</c>. Triggers are only ever added here, and
/// never over a stored one, so a fire time missed while down is kept and two silos adding the same one store it once.
/// A trigger nobody follows any more goes after its next firing (<see cref="MeetingJob"/>), which still asks the
/// regions that left it for the period under way.
/// </summary>
public sealed class MeetingTriggers(ISchedulerFactory factory, IReadOnlyList<MeetingSchedule> defaults, MeetingRunner runner, TimeProvider clock,
    ILogger<MeetingTriggers> logger)
{
    public const string Group = "dispatch";

    private static string Name(Cadence cadence) => cadence.ToString().ToLowerInvariant();

    /// <summary>The job of a cadence; each of its triggers is one time at which it is held.</summary>
    public static JobKey JobKeyOf(Cadence cadence) => new($"meetings-{Name(cadence)}", Group);

    public static TriggerKey DefaultKeyOf(Cadence cadence) => new($"meetings-{Name(cadence)}", Group);

    /// <summary>The configured cron of a cadence, or null when configuration turned it off.</summary>
    public string? DefaultCron(Cadence cadence) => defaults.FirstOrDefault(d => d.Cadence == cadence)?.Cron;

    public TriggerKey KeyOf(Cadence cadence, string cron) =>
        cron == DefaultCron(cadence) ? DefaultKeyOf(cadence) : new($"meetings-{Name(cadence)}@{cron}", Group);

    /// <summary>The cron trigger of a schedule, starting now by the silo's clock (not the machine's).</summary>
    public ITrigger Build(Cadence cadence, string cron) => TriggerBuilder.Create(clock)
        .WithIdentity(KeyOf(cadence, cron))
        .ForJob(JobKeyOf(cadence))
        .UsingJobData(MeetingJob.CronKey, cron)
        .WithDescription($"{cadence} meetings of the regions that hold them at {cron}")
        .WithCronSchedule(cron, x => x.InTimeZone(Period.ChinaStandardTime).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
        .Build();

    /// <summary>The distinct schedules these regions' settings follow now.</summary>
    public IReadOnlyList<(Cadence Cadence, string Cron)> InUse(IEnumerable<RegionCadences> regions) => CadencePlans.SchedulesInUse(regions, DefaultCron);

    /// <summary>
    /// Makes sure a trigger exists for each schedule: check, then add keeping any stored one (Quartz decides under its
    /// lock, so this is idempotent across silos and never resets a pending fire time).
    /// </summary>
    public async Task EnsureAsync(IEnumerable<(Cadence Cadence, string Cron)> schedules, CancellationToken cancellationToken)
    {
        var scheduler = await factory.GetScheduler(cancellationToken);
        foreach (var (cadence, cron) in schedules)
        {
            if (await scheduler.Exists(KeyOf(cadence, cron), cancellationToken))
            {
                continue;
            }
            var result = await scheduler.ScheduleTrigger(Build(cadence, cron), TriggerConflict.Keep, cancellationToken);
            if (result.Outcome == ScheduleOutcome.Created)
            {
                logger.LogInformation("{Cadence} meetings at {Cron} (Asia/Shanghai) scheduled: next at {Next:yyyy-MM-dd HH:mm zzz}", cadence, cron,
                    result.NextFireTimeUtc.ToOffset(TimeSpan.FromHours(8)));
            }
        }
    }

    /// <summary>Rebuilds the distinct set from every region's stored settings and adds what is missing.</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken) =>
        await EnsureAsync(InUse((await runner.ReadHoldersAsync()).Select(h => h.Cadences)), cancellationToken);

    /// <summary>
    /// Whether a trigger stays after a firing: it is its schedule's own trigger, and the schedule is the cadence's
    /// configured time or some region follows it.
    /// </summary>
    public bool Keeps(TriggerKey key, Cadence cadence, string cron, IEnumerable<CadenceHolder> holders) =>
        key.Equals(KeyOf(cadence, cron)) && (cron == DefaultCron(cadence) || InUse(holders.Select(h => h.Cadences)).Contains((cadence, cron)));

    /// <summary>
    /// Removes a trigger nobody follows, then reconciles: a region that moved onto it while it was being removed gets
    /// it back, starting now (its fire time has just passed).
    /// </summary>
    public async Task RetireAsync(TriggerKey key, CancellationToken cancellationToken)
    {
        var scheduler = await factory.GetScheduler(cancellationToken);
        if (await scheduler.UnscheduleJob(key, cancellationToken))
        {
            logger.LogInformation("Meeting trigger {Trigger} removed: no region holds its meetings at that time any more", key.Name);
        }
        await ReconcileAsync(cancellationToken);
    }

    /// <summary>Every meeting trigger stored, and a row for a configured cadence whose trigger is missing.</summary>
    public async Task<IReadOnlyList<ScheduleTriggerRow>> DescribeAsync(CancellationToken cancellationToken)
    {
        var scheduler = await factory.GetScheduler(cancellationToken);
        var holders = await runner.ReadHoldersAsync();
        var rows = new List<ScheduleTriggerRow>();
        foreach (var cadence in Enum.GetValues<Cadence>())
        {
            var level = defaults.FirstOrDefault(d => d.Cadence == cadence)?.Level ?? MeetingSchedule.DefaultLevel(cadence);
            var triggers = (await scheduler.GetTriggersOfJob(JobKeyOf(cadence), cancellationToken)).OfType<ICronTrigger>().ToList();
            foreach (var t in triggers.OrderBy(t => !t.Key.Equals(DefaultKeyOf(cadence))).ThenBy(t => t.CronExpressionString, StringComparer.Ordinal))
            {
                var cron = t.CronExpressionString!;
                rows.Add(new(t.Key.Name, cadence, level, cron, t.TimeZone.Id, t.Key.Equals(DefaultKeyOf(cadence)),
                    MeetingRunner.WhoMeets(holders, cadence, cron, DefaultCron(cadence), null).Count,
                    t.NextFireTimeUtc?.ToOffset(TimeSpan.FromHours(8)), t.PreviousFireTimeUtc?.ToOffset(TimeSpan.FromHours(8)),
                    (await scheduler.GetTriggerState(t.Key, cancellationToken)).ToString()));
            }
            if (DefaultCron(cadence) is { } configured && !triggers.Any(t => t.Key.Equals(DefaultKeyOf(cadence))))
            {
                rows.Add(new(DefaultKeyOf(cadence).Name, cadence, level, configured, null, true, 0, null, null, "missing"));
            }
        }
        return rows;
    }
}
