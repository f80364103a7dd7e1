using System.CommandLine;
using Dispatch.Contracts;
using Spectre.Console;

namespace Dispatch.Client;

/// <summary><c>dispatch token issue</c>: operators mint bearer tokens for officials, reporters and viewers.</summary>
public static class TokenCommand
{
    public static Command Build()
    {
        var role = new Option<string>("--role") { Description = "operator, official, reporter or viewer.", Required = true };
        var region = new Option<string?>("--region") { Description = "The region an official's token covers (and everything under it)." };
        var projects = new Option<string[]>("--project") { Description = "A project a reporter may report on (repeatable)." };
        var name = new Option<string>("--name") { Description = "The holder's name, recorded in the audit log.", Required = true };
        var days = new Option<int?>("--days") { Description = "Days the token is valid (default 30)." };
        var issue = new Command("issue", "Mint a bearer token (operators only).") { role, region, projects, name, days };
        issue.SetAction((parse, ct) => DispatchCli.WithClientAsync(parse, ct, async (client, json) =>
        {
            if (!Enum.TryParse<Role>(parse.GetValue(role), ignoreCase: true, out var r) || !Enum.IsDefined(r))
            {
                return DispatchCli.Fail("--role must be operator, official, reporter or viewer.");
            }
            var result = await client.GetGrain<IAuthorityGrain>("dispatch").IssueAsync(new TokenRequest(r, parse.GetValue(name)!, parse.GetValue(region),
                parse.GetValue(projects), parse.GetValue(days) is { } d ? TimeSpan.FromDays(d) : null));
            if (!result.Succeeded)
            {
                return DispatchCli.Fail(string.Join("; ", result.Errors.Select(e => $"{e.Field}: {e.Message}")));
            }
            if (json)
            {
                DispatchCli.PrintJson(new { token = result.Value!.Token, caller = result.Value.Caller, expiresAt = result.Value.ExpiresAt });
                return 0;
            }
            AnsiConsole.MarkupLineInterpolated($"[grey]{result.Value!.Caller.Role.ToString().ToLowerInvariant()} token for {result.Value.Caller.Name}, valid until {result.Value.ExpiresAt:yyyy-MM-dd}:[/]");
            Console.WriteLine(result.Value.Token);
            return 0;
        }));
        return new Command("token", "Bearer tokens for the HTTP API, the console and this CLI.") { issue };
    }
}
