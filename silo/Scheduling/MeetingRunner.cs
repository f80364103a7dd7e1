using Dispatch.Contracts;
using Dispatch.Grains;
using Dispatch.Grains.Domain;

namespace Dispatch.Silo.Scheduling;

/// <summary>A city or province with its cadence settings and children: what a firing needs to know who meets.</summary>
public sealed record CadenceHolder(RegionCadences Cadences, IReadOnlyList<string> Children);

/// <summary>
/// The grain side of the scheduler: reads who holds which cadence when, and holds meetings a few regions at a time.
/// One failing region is logged and does not stop the others; exactly-once is the meeting grain's, not Quartz's.
/// </summary>
public sealed class MeetingRunner(IGrainFactory grains, ILogger<MeetingRunner> logger)
{
    private const int RegionsAtOnce = 8;

    /// <summary>
    /// Every province's and city's cadence settings (the level indexes, one call per region, ~15 per province). Read
    /// at each firing, so a region's new settings apply from the next one without a restart.
    /// </summary>
    public async Task<IReadOnlyList<CadenceHolder>> ReadHoldersAsync()
    {
        var ids = (await Task.WhenAll(new[] { RegionLevel.Province, RegionLevel.City }
            .Select(l => grains.GetGrain<IRegionIndexGrain>(RegionIndexGrain.KeyOf(l)).ListAsync()))).SelectMany(r => r);
        var holders = await Task.WhenAll(ids.Select(async id =>
        {
            var region = grains.GetGrain<IRegionGrain>(id);
            return await region.GetCadencesAsync() is { } cadences ? new CadenceHolder(cadences, await region.GetChildIdsAsync()) : null;
        }));
        return holders.OfType<CadenceHolder>().ToList();
    }

    /// <summary>
    /// The regions a firing of <paramref name="cadence"/> at <paramref name="cron"/> asks (see
    /// <see cref="CadencePlans.WhoMeets"/>); <paramref name="departedSince"/> null counts only the current settings.
    /// </summary>
    public static IReadOnlyList<string> WhoMeets(IEnumerable<CadenceHolder> holders, Cadence cadence, string cron, string? defaultCron,
        DateOnly? departedSince) =>
        holders.SelectMany(h => CadencePlans.WhoMeets(h.Cadences, h.Children, cadence, cron, defaultCron, departedSince)).Distinct().ToList();

    /// <summary>
    /// What a run did: meetings held; regions that refused (the request itself is wrong, so asking again changes
    /// nothing); regions whose call failed (worth a retry).
    /// </summary>
    public sealed record RunResult(int Held, IReadOnlyList<string> Refused, IReadOnlyList<string> Failed);

    /// <summary>Holds the meeting of every region, a few at a time, reporting progress and failures per region.</summary>
    public async Task<RunResult> RunAsync(Cadence cadence, DateOnly asOf, IReadOnlyList<string> regions, CancellationToken cancellationToken)
    {
        var held = 0;
        var refused = new List<string>();
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
                    lock (refused)
                    {
                        refused.Add(regionId);
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
        return new RunResult(held, refused, failed);
    }
}
