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
        var list = new Command("list", "List issued tokens: name, role, scope, expiry, last use, revocation (operators only).");
        list.SetAction((parse, ct) => DispatchCli.WithClientAsync(parse, ct, async (client, json) =>
        {
            var tokens = await client.GetGrain<IAuthorityGrain>("dispatch").ListAsync();
            if (json)
            {
                DispatchCli.PrintJson(tokens);
                return 0;
            }
            var table = new Table().AddColumns("id", "name", "role", "scope", "expires", "last used", "revoked");
            foreach (var t in tokens)
            {
                table.AddRow(t.Id, Markup.Escape(t.Name), t.Role.ToString().ToLowerInvariant(), Markup.Escape(t.RegionId ?? string.Join(",", t.ProjectIds)),
                    $"{t.ExpiresAt:yyyy-MM-dd}", t.LastUsedAt is { } used ? $"{used:yyyy-MM-dd HH:mm}" : "—",
                    t.RevokedAt is { } at ? $"{at:yyyy-MM-dd HH:mm} by {Markup.Escape(t.RevokedBy ?? "")}" : "");
            }
            AnsiConsole.Write(table);
            return 0;
        }));

        var revokeId = new Argument<string>("id") { Description = "The token's id (tk-…), as `token list` shows it." };
        var revoke = new Command("revoke", "Withdraw a token: its next use is refused (operators only).") { revokeId };
        revoke.SetAction((parse, ct) => DispatchCli.WithClientAsync(parse, ct, async (client, caller, json) =>
        {
            var result = await client.GetGrain<IAuthorityGrain>("dispatch").RevokeAsync(parse.GetValue(revokeId)!, caller.Name);
            if (!result.Succeeded)
            {
                return DispatchCli.Fail(string.Join("; ", result.Errors.Select(e => e.Message)));
            }
            AnsiConsole.MarkupLineInterpolated($"Token {result.Value!.Id} of {result.Value.Name} revoked.");
            return 0;
        }));

        var write = new Option<string?>("--write") { Description = "Write the new operator token to this file (owner-only), e.g. data/operator.token." };
        var rotate = new Command("rotate-operator", "Replace the operator file's token; the old one is revoked (operators only).") { write };
        rotate.SetAction((parse, ct) => DispatchCli.WithClientAsync(parse, ct, async (client, caller, json) =>
        {
            var issued = await client.GetGrain<IAuthorityGrain>("dispatch").RotateOperatorAsync(caller.Name);
            if (parse.GetValue(write) is { Length: > 0 } path)
            {
                var next = path + ".new";
                File.Delete(next);
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }
                await using (var file = new FileStream(next, options))
                {
                    await file.WriteAsync(System.Text.Encoding.UTF8.GetBytes(issued.Token + "\n"), ct);
                }
                File.Move(next, path, overwrite: true);
                AnsiConsole.MarkupLineInterpolated($"[grey]New operator token {issued.Id}, valid until {issued.ExpiresAt:yyyy-MM-dd}, written to {path}.[/]");
                return 0;
            }
            AnsiConsole.MarkupLineInterpolated($"[grey]New operator token {issued.Id}, valid until {issued.ExpiresAt:yyyy-MM-dd} (the old one is revoked):[/]");
            Console.WriteLine(issued.Token);
            return 0;
        }));
        return new Command("token", "Bearer tokens for the HTTP API, the console and this CLI.") { issue, list, revoke, rotate };
    }
}
