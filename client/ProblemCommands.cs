using System.CommandLine;
using Dispatch.Contracts;
using Spectre.Console;

namespace Dispatch.Client;

/// <summary><c>dispatch problems REGION</c>: the problems a region owns or supervises (问题清单).</summary>
public static class ProblemCommands
{
    public static Command Build()
    {
        var region = new Argument<string>("region") { Description = "Region id, e.g. ln-anshan." };
        var role = new Option<string?>("--role") { Description = "owner (办理) or supervisor (督办, verifies and closes out); default both." };
        var status = new Option<string?>("--status") { Description = "raised, accepted, reportedSolved or closed; default all." };
        var flagged = new Option<bool?>("--flagged") { Description = "true: only problems under a flag (挂牌督办); false: only the others." };
        var command = new Command("problems", "List the problems of projects under a region that it owns or supervises (问题清单).") { region, role, status, flagged };
        command.SetAction((parse, ct) => DispatchCli.WithClientAsync(parse, ct, async (client, caller, json) =>
        {
            ProblemRole? roleFilter = null;
            if (parse.GetValue(role) is { Length: > 0 } roleText)
            {
                if (!TryParse<ProblemRole>(roleText, out var r))
                {
                    return DispatchCli.Fail("--role must be owner or supervisor.");
                }
                roleFilter = r;
            }
            ProblemStatus? statusFilter = null;
            if (parse.GetValue(status) is { Length: > 0 } statusText)
            {
                if (!TryParse<ProblemStatus>(statusText, out var s))
                {
                    return DispatchCli.Fail("--status must be raised, accepted, reportedSolved or closed.");
                }
                statusFilter = s;
            }
            var grain = client.GetGrain<IRegionGrain>(parse.GetValue(region)!);
            if (await grain.GetDefinitionAsync() is null)
            {
                return DispatchCli.Fail($"No region '{parse.GetValue(region)}'.");
            }
            var problems = await grain.GetProblemsAsync(roleFilter, statusFilter, parse.GetValue(flagged));
            if (json)
            {
                DispatchCli.PrintJson(problems);
                return 0;
            }
            var table = new Table().AddColumns("id", "status", "title", "owner", "responsible office", "deadline", "flag", "supervisor");
            foreach (var p in problems)
            {
                var flag = p.Flag is { } f ? $"{(f.Grade == FlagGrade.RedCard ? "[red]红牌[/]" : "[yellow]黄牌[/]")} {Markup.Escape(f.SupervisingOfficial ?? "")}"
                    : p.Flagged ? "[yellow]挂牌[/]" : "";
                table.AddRow(Markup.Escape(p.Id), Markup.Escape(Camel(p.Status)), Markup.Escape(p.Title), Markup.Escape($"{p.OwnerRegionId} {p.Owner}".Trim()),
                    Markup.Escape($"{p.ResponsibleOffice} {p.Leader}".Trim()), $"{p.Deadline:yyyy-MM-dd}", flag, Markup.Escape(p.SupervisorRegionId));
            }
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLineInterpolated($"{problems.Count} problems");
            return 0;
        }));
        return command;
    }

    private static bool TryParse<TEnum>(string text, out TEnum value) where TEnum : struct, Enum =>
        Enum.TryParse(text, ignoreCase: true, out value) && Enum.IsDefined(value) && !char.IsAsciiDigit(text[0]);

    private static string Camel(ProblemStatus status) => status.ToString() is var name ? char.ToLowerInvariant(name[0]) + name[1..] : "";
}
