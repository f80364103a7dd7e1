using System.CommandLine;
using System.Threading.Channels;
using Dispatch.Contracts;
using Spectre.Console;

namespace Dispatch.Client;

/// <summary><c>dispatch warnings REGION</c>, <c>dispatch ack ID</c>, <c>dispatch watch REGION</c>.</summary>
public static class WarningCommands
{
    public static IEnumerable<Command> Build() => [Warnings(), Acknowledge(), Watch()];

    private static Command Warnings()
    {
        var region = new Argument<string>("region") { Description = "Region id, e.g. ln-anshan." };
        var status = new Option<string?>("--status") { Description = "open, acknowledged or closed; default all." };
        var command = new Command("warnings", "List a region's warning inbox (预警), including what escalated into it.") { region, status };
        command.SetAction((parse, ct) => DispatchCli.WithClientAsync(parse, ct, async (client, caller, json) =>
        {
            WarningStatus? filter = null;
            if (parse.GetValue(status) is { Length: > 0 } text)
            {
                if (!Enum.TryParse<WarningStatus>(text, ignoreCase: true, out var s) || !Enum.IsDefined(s))
                {
                    return DispatchCli.Fail("--status must be open, acknowledged or closed.");
                }
                filter = s;
            }
            var grain = client.GetGrain<IRegionGrain>(parse.GetValue(region)!);
            if (await grain.GetDefinitionAsync() is null)
            {
                return DispatchCli.Fail($"No region '{parse.GetValue(region)}'.");
            }
            var warnings = await grain.GetWarningsAsync(filter);
            if (json)
            {
                DispatchCli.PrintJson(warnings);
                return 0;
            }
            var table = new Table().AddColumns("id", "level", "status", "rule", "project", "in inbox of", "path", "reason");
            foreach (var w in warnings)
            {
                table.AddRow(Markup.Escape(w.Id), DispatchCli.LightMarkup(w.Level), w.Status.ToString().ToLowerInvariant(), w.Rule.ToString(),
                    Markup.Escape(w.ProjectName), Markup.Escape(w.RegionId), Markup.Escape(string.Join(" → ", w.Path)), Markup.Escape(w.Reason));
            }
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLineInterpolated($"{warnings.Count} warnings");
            return 0;
        }));
        return command;
    }

    private static Command Acknowledge()
    {
        var id = new Argument<string>("id") { Description = "Warning id, e.g. as-007.w1." };
        var measure = new Option<string?>("--measure") { Description = "The measure planned (措施)." };
        var plannedBy = new Option<DateOnly?>("--planned-by") { Description = "The date the measure is planned by (yyyy-MM-dd)." };
        var command = new Command("ack",
            "Acknowledge a warning where it sits: it stops waiting for an acknowledgement, and passes up only if its cause persists past the level's resolve window.")
        { id, measure, plannedBy };
        command.SetAction((parse, ct) => DispatchCli.WithClientAsync(parse, ct, async (client, caller, json) =>
        {
            var warningId = parse.GetValue(id)!;
            var cut = warningId.LastIndexOf(".w", StringComparison.Ordinal);
            if (cut <= 0)
            {
                return DispatchCli.Fail($"'{warningId}' is not a warning id (project-id.wN).");
            }
            var result = await client.GetGrain<IProjectGrain>(warningId[..cut]).AcknowledgeWarningAsync(warningId, caller.Name, parse.GetValue(measure), parse.GetValue(plannedBy));
            if (!result.Succeeded)
            {
                return DispatchCli.Fail(string.Join("; ", result.Errors.Select(e => e.Message)));
            }
            if (json)
            {
                DispatchCli.PrintJson(result.Value);
            }
            else
            {
                AnsiConsole.MarkupLineInterpolated($"{warningId} acknowledged by {result.Value!.AcknowledgedBy}.");
            }
            return 0;
        }));
        return command;
    }

    private static Command Watch()
    {
        var region = new Argument<string>("region") { Description = "Region id: its whole subtree is watched." };
        var command = new Command("watch", "Print live alerts (warnings raised, escalated, acknowledged, closed; meetings held) as they arrive; Ctrl+C stops.") { region };
        command.SetAction((parse, ct) => DispatchCli.WithClientAsync(parse, ct, async (client, caller, json) =>
        {
            var id = parse.GetValue(region)!;
            if (await client.GetGrain<IRegionGrain>(id).GetDefinitionAsync() is null)
            {
                return DispatchCli.Fail($"No region '{id}'.");
            }
            var sink = new EventPrinter();
            var reference = client.CreateObjectReference<IRegionEventObserver>(sink);
            var hub = client.GetGrain<IRegionEventsGrain>(id);
            await hub.SubscribeAsync(reference);
            AnsiConsole.MarkupLineInterpolated($"Watching {id}; Ctrl+C stops.");
            using var renew = new PeriodicTimer(TimeSpan.FromSeconds(30));
            try
            {
                var renewal = renew.WaitForNextTickAsync(ct).AsTask();
                while (!ct.IsCancellationRequested)
                {
                    var next = sink.Events.ReadAsync(ct).AsTask();
                    while (await Task.WhenAny(next, renewal) == renewal)
                    {
                        await renewal;
                        await hub.SubscribeAsync(reference);
                        renewal = renew.WaitForNextTickAsync(ct).AsTask();
                    }
                    Print(await next, json);
                }
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C.
            }
            finally
            {
                await hub.UnsubscribeAsync(reference);
                client.DeleteObjectReference<IRegionEventObserver>(reference);
            }
            return 0;
        }));
        return command;
    }

    private static void Print(RegionEvent e, bool json)
    {
        if (json)
        {
            Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(e, DispatchCli.Json).ReplaceLineEndings(" "));
            return;
        }
        var level = e.Warning is { } w ? DispatchCli.LightMarkup(w.Level) : "[blue]●[/]";
        AnsiConsole.MarkupLine($"{e.At.ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd HH:mm:ss} {level} [bold]{e.Type}[/] {Markup.Escape(e.RegionId)} {Markup.Escape(e.Summary ?? "")}");
    }

    private sealed class EventPrinter : IRegionEventObserver
    {
        private readonly Channel<RegionEvent> _events = Channel.CreateUnbounded<RegionEvent>();

        public ChannelReader<RegionEvent> Events => _events.Reader;

        public Task OnEventAsync(RegionEvent regionEvent)
        {
            _events.Writer.TryWrite(regionEvent);
            return Task.CompletedTask;
        }
    }
}
