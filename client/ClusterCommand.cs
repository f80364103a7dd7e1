using System.CommandLine;
using System.Globalization;
using Orleans.Runtime;
using Spectre.Console;

namespace Dispatch.Client;

/// <summary><c>dispatch cluster status</c>: the silos of the cluster, as <c>GET /api/cluster</c> shows them.</summary>
public static class ClusterCommand
{
    /// <summary>How long one silo may take to report its statistics before its activations are shown as unknown.</summary>
    private static readonly TimeSpan s_statisticsTimeout = TimeSpan.FromSeconds(5);

    public static Command Build()
    {
        var command = new Command("cluster", "Operators: the silos of the cluster.");
        var status = new Command("status", "List the silos the membership table knows: address, name, status (as Orleans names it), activations.");
        status.SetAction((parse, ct) => DispatchCli.WithClientAsync(parse, ct, async (client, json) =>
        {
            var silos = await ReadAsync(client);
            if (json)
            {
                DispatchCli.PrintJson(new { silos });
                return 0;
            }
            var active = silos.Count(s => s.Status == nameof(SiloStatus.Active));
            var table = new Table().Title($"{active} active silo(s) of {silos.Count} known")
                .AddColumns(new TableColumn("address").NoWrap(), new TableColumn("name").NoWrap(), new TableColumn("status").NoWrap(),
                    new TableColumn("activations").RightAligned(), new TableColumn("gateway").RightAligned(), new TableColumn("started UTC").NoWrap());
            foreach (var s in silos)
            {
                table.AddRow(Markup.Escape(s.Address), Markup.Escape(s.Name), StatusMarkup(s.Status),
                    s.Activations?.ToString(CultureInfo.InvariantCulture) ?? "—", s.GatewayPort > 0 ? $"{s.GatewayPort}" : "—",
                    s.StartedAt.ToString("MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
            }
            AnsiConsole.Write(table);
            return 0;
        }));
        command.Subcommands.Add(status);
        return command;
    }

    /// <summary>One silo; the same shape as an entry of <c>GET /api/cluster</c>.</summary>
    public sealed record SiloRow(
        string Address,
        string Name,
        string Status,
        int? Activations,
        string HostName,
        int GatewayPort,
        int Generation,
        DateTimeOffset StartedAt,
        DateTimeOffset LastHeartbeat);

    public static async Task<IReadOnlyList<SiloRow>> ReadAsync(IClusterClient client)
    {
        var management = client.GetGrain<IManagementGrain>(0);
        var hosts = await management.GetDetailedHosts(onlyActive: false);
        var activations = await Task.WhenAll(hosts.Select(h => h.Status == SiloStatus.Active
            ? ActivationsAsync(management, h.SiloAddress)
            : Task.FromResult<int?>(null)));
        return hosts
            .Select((h, i) => new SiloRow(
                $"{h.SiloAddress.Endpoint.Address}:{h.SiloAddress.Endpoint.Port}",
                h.SiloName ?? "",
                h.Status.ToString(),
                activations[i],
                h.HostName ?? "",
                h.ProxyPort,
                h.SiloAddress.Generation,
                new DateTimeOffset(DateTime.SpecifyKind(h.StartTime, DateTimeKind.Utc)),
                new DateTimeOffset(DateTime.SpecifyKind(h.IAmAliveTime, DateTimeKind.Utc))))
            .OrderBy(s => s.Status == nameof(SiloStatus.Active) ? 0 : 1)
            .ThenBy(s => s.Address, StringComparer.Ordinal)
            .ThenByDescending(s => s.Generation)
            .ToList();
    }

    private static async Task<int?> ActivationsAsync(IManagementGrain management, SiloAddress silo)
    {
        try
        {
            var statistics = await management.GetRuntimeStatistics([silo]).WaitAsync(s_statisticsTimeout);
            return statistics.Length == 1 ? statistics[0].ActivationCount : null;
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            return null;
        }
    }

    private static string StatusMarkup(string status) => status switch
    {
        nameof(SiloStatus.Active) => "[green]Active[/]",
        nameof(SiloStatus.Dead) => "[red]Dead[/]",
        _ => $"[yellow]{Markup.Escape(status)}[/]",
    };
}
