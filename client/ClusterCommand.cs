using System.CommandLine;
using System.Globalization;
using Dispatch.Contracts;
using Orleans.Runtime;
using Spectre.Console;

namespace Dispatch.Client;

/// <summary><c>dispatch cluster status</c>: the silos of the cluster, as <c>GET /api/cluster</c> shows them.</summary>
public static class ClusterCommand
{
    public static Command Build()
    {
        var command = new Command("cluster", "Operators: the silos of the cluster.");
        var status = new Command("status", "List the silos the membership table knows: address, name, status (as Orleans names it), activations.");
        status.SetAction((parse, ct) => DispatchCli.WithClientAsync(parse, ct, async (client, json) =>
        {
            var silos = (await ClusterInfo.ReadAsync(client)).Silos;
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

    private static string StatusMarkup(string status) => status switch
    {
        nameof(SiloStatus.Active) => "[green]Active[/]",
        nameof(SiloStatus.Dead) => "[red]Dead[/]",
        _ => $"[yellow]{Markup.Escape(status)}[/]",
    };
}
