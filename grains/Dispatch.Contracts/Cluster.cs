using Orleans.Runtime;

namespace Dispatch.Contracts;

/// <summary>One silo of the cluster as an operator sees it. <see cref="Status"/> is Orleans' own name (Active, Dead, …).</summary>
public sealed record SiloInfo(
    string Address,
    string Name,
    string Status,
    int? Activations,
    string HostName,
    int GatewayPort,
    int Generation,
    DateTimeOffset StartedAt,
    DateTimeOffset LastHeartbeat);

/// <summary>The answer of <c>GET /api/cluster</c>.</summary>
public sealed record ClusterInfo(IReadOnlyList<SiloInfo> Silos)
{
    /// <summary>How long one silo may take to report its statistics before its activations are shown as unknown.</summary>
    public static readonly TimeSpan StatisticsTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Every silo the membership table knows, active ones first, with the activation count of each active silo (null for
    /// a silo that is not active or did not answer in time: a dying silo must not make the whole listing fail).
    /// </summary>
    public static async Task<ClusterInfo> ReadAsync(IGrainFactory grains)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var hosts = await management.GetDetailedHosts(onlyActive: false);
        var activations = await Task.WhenAll(hosts.Select(h => h.Status == SiloStatus.Active
            ? ActivationsAsync(management, h.SiloAddress)
            : Task.FromResult<int?>(null)));
        var silos = hosts
            .Select((h, i) => new SiloInfo(
                $"{h.SiloAddress.Endpoint.Address}:{h.SiloAddress.Endpoint.Port}",
                h.SiloName ?? "",
                h.Status.ToString(),
                activations[i],
                h.HostName ?? "",
                h.ProxyPort,
                h.SiloAddress.Generation,
                Utc(h.StartTime),
                Utc(h.IAmAliveTime)))
            .OrderBy(s => s.Status == nameof(SiloStatus.Active) ? 0 : 1)
            .ThenBy(s => s.Address, StringComparer.Ordinal)
            .ThenByDescending(s => s.Generation)
            .ToList();
        return new ClusterInfo(silos);
    }

    private static async Task<int?> ActivationsAsync(IManagementGrain management, SiloAddress silo)
    {
        try
        {
            var statistics = await management.GetRuntimeStatistics([silo]).WaitAsync(StatisticsTimeout);
            return statistics.Length == 1 ? statistics[0].ActivationCount : null;
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            return null;
        }
    }

    private static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));
}
