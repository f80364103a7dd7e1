using System.CommandLine;
using Dispatch.Contracts;
using Spectre.Console;

namespace Dispatch.Client;

/// <summary><c>dispatch todo</c>: the token holder's to-do list (待办), as <c>GET /api/me/todo</c> answers it.</summary>
public static class TodoCommand
{
    public static Command Build()
    {
        var region = new Option<string?>("--region") { Description = "A region under yours (operators: the region to see as its officials do)." };
        var command = new Command("todo", "Your to-do list (待办): warnings to acknowledge, problems to accept, verify or answer, decisions due, reports overdue.") { region };
        command.SetAction((parse, ct) => DispatchCli.WithClientAsync(parse, ct, async (client, caller, json) =>
        {
            var list = await client.GetGrain<ITodoGrain>("todo").GetAsync(caller, parse.GetValue(region));
            if (json)
            {
                DispatchCli.PrintJson(list);
                return 0;
            }
            AnsiConsole.MarkupLineInterpolated($"[bold]待办 / to do[/] of {list.Name}{(list.RegionId is { } r ? $" ({r} and below)" : "")}, as of {list.Today:yyyy-MM-dd}");
            if (list.Note is { } note)
            {
                AnsiConsole.MarkupLineInterpolated($"[yellow]{note}[/]");
            }
            foreach (var (name, group) in new[] { ("warnings", list.Warnings), ("problems", list.Problems), ("decisions", list.Decisions), ("reports", list.Reports) })
            {
                AnsiConsole.MarkupLineInterpolated($"[bold]{name}[/]: {group.Total}{(group.Overdue > 0 ? $", [red]{group.Overdue} overdue[/]" : "")}");
                if (group.Items.Count == 0)
                {
                    continue;
                }
                var table = new Table().AddColumns("to do", "about", "link", "region", "due", "");
                foreach (var i in group.Items)
                {
                    var link = i.WarningId ?? i.ProblemId ?? (i.MeetingId is { } m ? $"{m} #{i.DecisionNumber}" : i.ProjectId ?? "");
                    var due = i.DueAt is { } at ? at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm") : i.DueOn?.ToString("yyyy-MM-dd") ?? "—";
                    table.AddRow(i.Kind.ToString().ToLowerInvariant(), Markup.Escape(i.ProjectName is { } p ? $"{p}: {i.Title}" : i.Title), Markup.Escape(link),
                        Markup.Escape(i.RegionId), due, i.Overdue ? "[red]overdue[/]" : "");
                }
                AnsiConsole.Write(table);
                if (group.Total > group.Items.Count)
                {
                    AnsiConsole.MarkupLineInterpolated($"[grey]the {group.Items.Count} most urgent of {group.Total}[/]");
                }
            }
            return 0;
        }));
        return command;
    }
}
