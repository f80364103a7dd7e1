using System.CommandLine;
using Dispatch.Contracts;
using Spectre.Console;

namespace Dispatch.Client;

/// <summary>
/// <c>dispatch webhook …</c>: operators keep the targets (钉钉, 企业微信, 飞书 robots or signed JSON); officials subscribe
/// their region and read each subscription's latest deliveries, as <c>/api/webhooks</c> and <c>/api/regions/{id}/webhooks</c> do.
/// </summary>
public static class WebhookCommands
{
    public static Command Build()
    {
        var command = new Command("webhook", "Alerts pushed to chat tools and other receivers (outgoing webhooks).");
        command.Subcommands.Add(TargetCommand());
        command.Subcommands.Add(SubscribeCommand());
        command.Subcommands.Add(ListCommand());
        command.Subcommands.Add(UnsubscribeCommand());
        return command;
    }

    private static IWebhookRegistryGrain Registry(IClusterClient client) => client.GetGrain<IWebhookRegistryGrain>(WebhookRegistry.Key);

    private static Command TargetCommand()
    {
        var name = new Option<string>("--name") { Description = "What officials see, e.g. 鞍山市发改委值班群.", Required = true };
        var url = new Option<string>("--url") { Description = "The robot's or receiver's URL; its host must be on Dispatch:Webhooks:AllowedHosts.", Required = true };
        var format = new Option<string>("--format") { Description = "dingtalk, wecom, feishu or json.", Required = true };
        var secret = new Option<string?>("--secret") { Description = "Signing secret (钉钉 加签, 飞书 签名校验, HMAC of the json format)." };
        var add = new Command("add", "Add a webhook target (operators only).") { name, url, format, secret };
        add.SetAction((parse, ct) => DispatchCli.WithClientAsync(parse, ct, async (client, caller, json) =>
        {
            if (!Enum.TryParse<WebhookFormat>(parse.GetValue(format), ignoreCase: true, out var f) || !Enum.IsDefined(f) || char.IsAsciiDigit(parse.GetValue(format)![0]))
            {
                return DispatchCli.Fail("--format must be dingtalk, wecom, feishu or json.");
            }
            var result = await Registry(client).AddTargetAsync(new WebhookTargetRequest(parse.GetValue(name), parse.GetValue(url), f, parse.GetValue(secret)), caller.Name);
            if (!result.Succeeded)
            {
                return DispatchCli.Fail(string.Join("; ", result.Errors.Select(e => $"{e.Field}: {e.Message}")));
            }
            if (json)
            {
                DispatchCli.PrintJson(result.Value);
                return 0;
            }
            AnsiConsole.MarkupLineInterpolated($"Target {result.Value!.Id} ({result.Value.Format.ToString().ToLowerInvariant()}) added: {result.Value.Url}");
            return 0;
        }));

        var list = new Command("list", "List the webhook targets, URLs masked, secrets never shown (operators only).");
        list.SetAction((parse, ct) => DispatchCli.WithClientAsync(parse, ct, async (client, json) =>
        {
            var targets = await Registry(client).ListTargetsAsync();
            if (json)
            {
                DispatchCli.PrintJson(targets);
                return 0;
            }
            var table = new Table().AddColumns("id", "name", "format", "url", "signed", "added by");
            foreach (var t in targets)
            {
                table.AddRow(t.Id, Markup.Escape(t.Name), t.Format.ToString().ToLowerInvariant(), Markup.Escape(t.Url), t.HasSecret ? "yes" : "no",
                    Markup.Escape($"{t.CreatedBy} {t.CreatedAt:yyyy-MM-dd}"));
            }
            AnsiConsole.Write(table);
            return 0;
        }));

        var id = new Argument<string>("id") { Description = "The target's id (wt-…), as `webhook target list` shows it." };
        var remove = new Command("remove", "Remove a target and the subscriptions that deliver to it (operators only).") { id };
        remove.SetAction((parse, ct) => DispatchCli.WithClientAsync(parse, ct, async (client, json) =>
            await Registry(client).RemoveTargetAsync(parse.GetValue(id)!)
                ? Done($"Target {parse.GetValue(id)} removed.")
                : DispatchCli.Fail($"No webhook target '{parse.GetValue(id)}'.")));
        return new Command("target", "Where alerts go (operators only).") { add, list, remove };
    }

    private static Command SubscribeCommand()
    {
        var region = new Argument<string>("region") { Description = "The region whose alerts to push, e.g. ln-anshan." };
        var target = new Option<string>("--target") { Description = "The target's id (wt-…).", Required = true };
        var events = new Option<string[]>("--event")
        {
            Description = "warningRaised, warningEscalated, problemFlagged or stepOverdue (repeatable).",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var account = new Option<string?>("--account") { Description = "A person the messages name (@), for a subscription of one official." };
        var subscribe = new Command("subscribe", "Push a region's chosen events to a target (officials of the region, operators).") { region, target, events, account };
        subscribe.SetAction((parse, ct) => DispatchCli.WithClientAsync(parse, ct, async (client, caller, json) =>
        {
            var kinds = new List<WebhookEventKind>();
            foreach (var text in parse.GetValue(events) ?? [])
            {
                if (!Enum.TryParse<WebhookEventKind>(text, ignoreCase: true, out var kind) || !Enum.IsDefined(kind) || char.IsAsciiDigit(text[0]))
                {
                    return DispatchCli.Fail($"--event '{text}' must be warningRaised, warningEscalated, problemFlagged or stepOverdue.");
                }
                kinds.Add(kind);
            }
            var result = await Registry(client).AddSubscriptionAsync(parse.GetValue(region)!,
                new WebhookSubscriptionRequest(parse.GetValue(account), kinds, parse.GetValue(target)), caller.Name);
            if (!result.Succeeded)
            {
                return DispatchCli.Fail(string.Join("; ", result.Errors.Select(e => $"{e.Field}: {e.Message}")));
            }
            if (json)
            {
                DispatchCli.PrintJson(result.Value);
                return 0;
            }
            AnsiConsole.MarkupLineInterpolated($"Subscription {result.Value!.Id}: {result.Value.RegionId} → {result.Value.TargetId} ({string.Join(", ", result.Value.Events.Select(Camel))}).");
            return 0;
        }));
        return subscribe;
    }

    private static Command ListCommand()
    {
        var region = new Argument<string>("region") { Description = "Region id, e.g. ln-anshan." };
        var list = new Command("list", "A region's subscriptions with their queues and latest deliveries and failures.") { region };
        list.SetAction((parse, ct) => DispatchCli.WithClientAsync(parse, ct, async (client, caller, json) =>
        {
            var subscriptions = await Registry(client).SubscriptionsOfAsync(parse.GetValue(region)!);
            if (json)
            {
                DispatchCli.PrintJson(subscriptions);
                return 0;
            }
            foreach (var s in subscriptions)
            {
                var d = s.Deliveries;
                AnsiConsole.MarkupLineInterpolated(
                    $"[bold]{s.Id}[/] → {s.TargetName} ({s.Format.ToString().ToLowerInvariant()}): {string.Join(", ", s.Events.Select(Camel))}; {d.Delivered} delivered, {d.Pending} waiting, {d.Failed} failed, {d.Dropped} dropped");
                var table = new Table().AddColumns("at", "event", "outcome", "attempts", "answer");
                foreach (var r in d.Recent.Take(5))
                {
                    table.AddRow($"{r.At.ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd HH:mm:ss}", Markup.Escape(r.EventId), OutcomeMarkup(r.Outcome), $"{r.Attempts}",
                        Markup.Escape(r.StatusCode is { } code ? $"{code}" : r.Error ?? ""));
                }
                AnsiConsole.Write(table);
            }
            AnsiConsole.MarkupLineInterpolated($"{subscriptions.Count} subscriptions");
            return 0;
        }));
        return list;
    }

    private static Command UnsubscribeCommand()
    {
        var id = new Argument<string>("id") { Description = "The subscription's id (ws-…), as `webhook list REGION` shows it." };
        var unsubscribe = new Command("unsubscribe", "Stop a subscription and drop what waits in its queue.") { id };
        unsubscribe.SetAction((parse, ct) => DispatchCli.WithClientAsync(parse, ct, async (client, caller, json) =>
            await Registry(client).RemoveSubscriptionAsync(parse.GetValue(id)!)
                ? Done($"Subscription {parse.GetValue(id)} removed.")
                : DispatchCli.Fail($"No webhook subscription '{parse.GetValue(id)}'.")));
        return unsubscribe;
    }

    private static int Done(string message)
    {
        AnsiConsole.MarkupLineInterpolated($"{message}");
        return 0;
    }

    private static string OutcomeMarkup(WebhookOutcome outcome) => outcome switch
    {
        WebhookOutcome.Delivered => "[green]delivered[/]",
        WebhookOutcome.Retrying => "[yellow]retrying[/]",
        _ => $"[red]{outcome.ToString().ToLowerInvariant()}[/]",
    };

    private static string Camel(WebhookEventKind kind) => kind.ToString() is var name ? char.ToLowerInvariant(name[0]) + name[1..] : "";
}
