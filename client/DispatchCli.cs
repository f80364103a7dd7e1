using Orleans.Runtime;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dispatch.Contracts;
using Spectre.Console;

namespace Dispatch.Client;

/// <summary>The <c>dispatch</c> command line for officials and operators.</summary>
public static class DispatchCli
{
    private static readonly Option<int> s_gatewayPort = new("--gateway-port")
    {
        Description = "Gateway port of a silo (embedded mode); default 30000, or DISPATCH_GATEWAY_PORT.",
        DefaultValueFactory = _ => int.TryParse(Environment.GetEnvironmentVariable("DISPATCH_GATEWAY_PORT"), out var p) ? p : 30000,
        Recursive = true,
    };

    private static readonly Option<bool> s_json = new("--json") { Description = "Print JSON instead of tables, for scripts.", Recursive = true };

    private static readonly Option<string?> s_token = new("--token")
    {
        Description = "Bearer token (or DISPATCH_TOKEN), required: commands act within its role and region; the silo refuses calls without one.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("DISPATCH_TOKEN"),
        Recursive = true,
    };

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static RootCommand Build()
    {
        var root = new RootCommand("dispatch: key-project dispatch (重点项目调度) from the terminal. Talks to a running Dispatch silo.");
        root.Options.Add(s_gatewayPort);
        root.Options.Add(s_json);
        root.Options.Add(s_token);
        root.Subcommands.Add(RegionsCommand());
        root.Subcommands.Add(ProjectCommand());
        root.Subcommands.Add(ProjectsCommand());
        root.Subcommands.Add(ClusterCommand.Build());
        root.Subcommands.Add(MeetingCommand.Build());
        root.Subcommands.Add(TokenCommand.Build());
        root.Subcommands.Add(ProblemCommands.Build());
        root.Subcommands.Add(WebhookCommands.Build());
        root.Subcommands.Add(ProblemStepCommands.Build());
        root.Subcommands.Add(TodoCommand.Build());
        foreach (var command in PlanCommands.Build())
        {
            root.Subcommands.Add(command);
        }
        foreach (var command in WarningCommands.Build())
        {
            root.Subcommands.Add(command);
        }
        return root;
    }

    /// <summary>Runs an operators-only action with a connected client (the silo refuses any other token).</summary>
    public static Task<int> WithClientAsync(ParseResult parse, CancellationToken ct, Func<IClusterClient, bool, Task<int>> action) =>
        WithClientAsync(parse, ct, (client, _, json) => action(client, json));

    /// <summary>
    /// Runs an action as the token's holder: the token travels with every call in the request context, and the silo
    /// judges each call as the HTTP API would. Exit codes: 2 no silo, 3 no valid token, 4 out of the token's scope.
    /// </summary>
    public static async Task<int> WithClientAsync(ParseResult parse, CancellationToken ct, Func<IClusterClient, Caller, bool, Task<int>> action)
    {
        try
        {
            await using var connection = await SiloConnection.ConnectAsync(parse.GetValue(s_gatewayPort), ct);
            // Without a token the call goes out bare and the silo refuses it (exit code 3), so the rule lives in one place.
            var caller = new Caller("anonymous", Role.Viewer, null, []);
            if (parse.GetValue(s_token)?.Trim() is { Length: > 0 } token)
            {
                RequestContext.Set(GatewayToken.RequestContextKey, token);
                if (await connection.Client.GetGrain<IAuthorityGrain>("dispatch").ValidateAsync(token) is not { } holder)
                {
                    AnsiConsole.MarkupLine("[red]The token is not valid here (expired, revoked, or from another service).[/]");
                    return 3;
                }
                caller = holder;
            }
            return await action(connection.Client, caller, parse.GetValue(s_json));
        }
        catch (NoSiloException e)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]{e.Message}[/]");
            return 2;
        }
        catch (AccessDeniedException e)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]{(e.Unauthenticated ? "Refused" : "Out of your scope")}: {e.Message}[/]");
            return e.Unauthenticated ? 3 : 4;
        }
    }

    public static void PrintJson<T>(T value) => Console.WriteLine(JsonSerializer.Serialize(value, Json));

    public static string Rate(decimal? rate) => rate is { } r ? r.ToString("P1", CultureInfo.InvariantCulture) : "—";

    public static string LightMarkup(Light light) => light switch
    {
        Light.Red => "[red]● red[/]",
        Light.Yellow => "[yellow]● yellow[/]",
        _ => "[green]● green[/]",
    };

    private static Command RegionsCommand()
    {
        var under = new Option<string>("--under") { Description = "List the children of this region (default: the province ln and its cities).", DefaultValueFactory = _ => "ln" };
        var asOf = new Option<string?>("--as-of") { Description = "Rates as of this date (yyyy-MM-dd); default today." };
        var command = new Command("regions", "List a region's children with their light counts and rates.") { under, asOf };
        command.SetAction((parse, ct) => WithClientAsync(parse, ct, async (client, caller, json) =>
        {
            var id = parse.GetValue(under)!;
            if (!TryDate(parse.GetValue(asOf), out var date))
            {
                return Fail("--as-of must be a date yyyy-MM-dd.");
            }
            if (AsOfOutOfRange(date) is { } outOfRange)
            {
                return Fail(outOfRange);
            }
            var region = client.GetGrain<IRegionGrain>(id);
            if (await region.GetAsync(date) is not { } view)
            {
                return Fail($"No region '{id}'.");
            }
            var children = await region.GetChildrenAsync(date);
            if (json)
            {
                PrintJson(new { region = view, children });
                return 0;
            }
            var table = new Table().Title($"{view.Name} ({view.Id}) · {view.ProjectCount} projects · as of {view.AsOf:yyyy-MM-dd}")
                .AddColumns("id", "name", "level", "projects", "[red]red[/]", "[yellow]yellow[/]", "[green]green[/]", "开复工率", "年度投资完成率");
            foreach (var c in children.Prepend(view))
            {
                table.AddRow(Markup.Escape(c.Id), Markup.Escape(c.Name), c.Level.ToString().ToLowerInvariant(), $"{c.ProjectCount}",
                    $"{c.Lights.Red}", $"{c.Lights.Yellow}", $"{c.Lights.Green}", Rate(c.Rates.StartResumeRate), Rate(c.Rates.AnnualInvestmentRate));
            }
            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }

    /// <summary><c>dispatch projects REGION</c>: find projects under a region, filtered (the API's GET /api/regions/{id}/projects).</summary>
    private static Command ProjectsCommand()
    {
        var region = new Argument<string>("region") { Description = "Region id, e.g. ln-anshan." };
        var subtree = new Option<bool>("--subtree") { Description = "Search everything under the region, not only its own projects." };
        var light = new Option<string?>("--light") { Description = "red, yellow or green (several with commas)." };
        var stage = new Option<ProjectStage?>("--stage") { Description = "planned, signed, approvals, started, completed, inProduction, fullCapacity." };
        var tier = new Option<ProjectTier?>("--tier") { Description = "ordinary, key, countyCoordinated, cityCoordinated." };
        var kind = new Option<ProjectKind?>("--kind") { Description = "new or continuing." };
        var leader = new Option<string?>("--leader") { Description = "Part of the leader's name (包保领导)." };
        var industry = new Option<string?>("--industry") { Description = "Part of the industry." };
        var text = new Option<string?>("--text") { Description = "Part of the project's name or id." };
        var page = new Option<int>("--page") { Description = "Page number (from 1).", DefaultValueFactory = _ => 1 };
        var size = new Option<int>("--page-size") { Description = "Projects per page (at most 1,000).", DefaultValueFactory = _ => 50 };
        var command = new Command("projects", "Find projects under a region: red first, filtered, a page at a time.")
            { region, subtree, light, stage, tier, kind, leader, industry, text, page, size };
        command.SetAction((parse, ct) => WithClientAsync(parse, ct, async (client, caller, json) =>
        {
            HashSet<Light>? lights = null;
            foreach (var part in (parse.GetValue(light) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!Enum.TryParse<Light>(part, ignoreCase: true, out var l) || !Enum.IsDefined(l))
                {
                    return Fail($"--light '{part}' is not red, yellow or green.");
                }
                (lights ??= []).Add(l);
            }
            if (parse.GetValue(page) < 1 || parse.GetValue(size) is < 1 or > ProjectQuery.MaxPageSize)
            {
                return Fail($"--page is at least 1 and --page-size between 1 and {ProjectQuery.MaxPageSize:N0}.");
            }
            var query = new ProjectQuery(parse.GetValue(subtree), lights, parse.GetValue(stage), parse.GetValue(tier), parse.GetValue(kind),
                parse.GetValue(leader), parse.GetValue(industry), parse.GetValue(text), parse.GetValue(page), parse.GetValue(size));
            var id = parse.GetValue(region)!;
            if (await client.GetGrain<IRegionGrain>(id).GetDefinitionAsync() is null)
            {
                return Fail($"No region '{id}'.");
            }
            if (await ProjectFinder.FindAsync(client, id, query, ct) is not var (found, total))
            {
                return Fail($"More than {ProjectQuery.MaxProjectsScanned:N0} projects lie under {id}; search a city or a district.");
            }
            if (json)
            {
                PrintJson(new { total, projects = found });
                return 0;
            }
            var table = new Table().Title($"{total} projects under {id}{(query.Subtree ? " (subtree)" : "")}, page {query.Page}")
                .AddColumns("id", "name", "region", "light", "stage", "tier", "completed (万元)");
            foreach (var p in found)
            {
                table.AddRow(Markup.Escape(p.Id), Markup.Escape(p.Name), Markup.Escape(p.RegionId), LightMarkup(p.Light), p.Stage.ToString(), p.Tier.ToString(),
                    p.InvestmentCompleted.ToString(CultureInfo.InvariantCulture));
            }
            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }

    private static Command ProjectCommand()
    {
        var command = new Command("project", "Show a project or report its progress.");
        var showId = new Argument<string>("id") { Description = "Project id, e.g. as-007." };
        var show = new Command("show", "Show a project: profile, milestones, warnings, reports.") { showId };
        show.SetAction((parse, ct) => WithClientAsync(parse, ct, async (client, caller, json) =>
        {
            var id = parse.GetValue(showId)!;
            if (await client.GetGrain<IProjectGrain>(id).GetAsync() is not { } p)
            {
                return Fail($"No project '{id}'.");
            }
            if (json)
            {
                PrintJson(p);
                return 0;
            }
            var grid = new Grid().AddColumn().AddColumn();
            grid.AddRow("[bold]project[/]", Markup.Escape($"{p.Id} {p.Name}"));
            grid.AddRow("region", Markup.Escape(p.RegionId));
            grid.AddRow("kind / stage", $"{p.Kind} / {p.Stage}");
            grid.AddRow("light", LightMarkup(p.Light));
            grid.AddRow("investment (万元)", $"total {p.TotalInvestment?.ToString(CultureInfo.InvariantCulture) ?? "—"}, plan this year {p.AnnualPlanInvestment?.ToString(CultureInfo.InvariantCulture) ?? "—"}, completed {p.InvestmentCompleted}");
            grid.AddRow("leader / steward", Markup.Escape($"{p.Leader ?? "—"} / {p.Steward ?? "—"}"));
            AnsiConsole.Write(grid);
            if (p.Milestones.Count > 0)
            {
                var milestones = new Table().Title("milestones (节点计划)").AddColumns("name", "planned", "actual");
                foreach (var m in p.Milestones)
                {
                    milestones.AddRow(Markup.Escape(m.Name), $"{m.PlannedDate:yyyy-MM-dd}", m.ActualDate is { } a ? $"{a:yyyy-MM-dd}" : "—");
                }
                AnsiConsole.Write(milestones);
            }
            if (p.Warnings.Count > 0)
            {
                var warnings = new Table().Title("warnings (预警)").AddColumns("id", "level", "rule", "reason");
                foreach (var w in p.Warnings)
                {
                    warnings.AddRow(Markup.Escape(w.Id), LightMarkup(w.Level), w.Rule.ToString(), Markup.Escape(w.Reason));
                }
                AnsiConsole.Write(warnings);
            }
            return 0;
        }));

        var reportId = new Argument<string>("id") { Description = "Project id." };
        var investment = new Option<decimal>("--investment") { Description = "Investment completed this year to the end of the period (万元).", Required = true };
        var percent = new Option<decimal>("--percent") { Description = "Percent complete (0–100).", Required = true };
        var period = new Option<string?>("--period") { Description = "Reporting period, e.g. 2024-03 or 2024-W12; default this month." };
        var narrative = new Option<string?>("--narrative") { Description = "What happened in the period." };
        var reached = new Option<string[]>("--reached") { Description = "A milestone reached, as NAME=yyyy-MM-dd (repeatable).", AllowMultipleArgumentsPerToken = false };
        var report = new Command("report", "Report progress (填报) for a period.") { reportId, investment, percent, period, narrative, reached };
        report.SetAction((parse, ct) => WithClientAsync(parse, ct, async (client, caller, json) =>
        {
            var milestones = new List<MilestoneReached>();
            foreach (var text in parse.GetValue(reached) ?? [])
            {
                var parts = text.Split('=', 2);
                if (parts.Length != 2 || !DateOnly.TryParseExact(parts[1], "yyyy-MM-dd", out var d))
                {
                    return Fail($"--reached '{text}' must be NAME=yyyy-MM-dd.");
                }
                milestones.Add(new MilestoneReached(parts[0], d));
            }
            var key = parse.GetValue(period) ?? ChinaToday().ToString("yyyy-MM", CultureInfo.InvariantCulture);
            var result = await client.GetGrain<IProjectGrain>(parse.GetValue(reportId)!).ReportAsync(
                new ProgressReport(key, parse.GetValue(investment), parse.GetValue(percent), milestones, parse.GetValue(narrative), default));
            if (!result.Succeeded)
            {
                foreach (var e in result.Errors)
                {
                    AnsiConsole.MarkupLineInterpolated($"[red]{e.Field}[/]: {e.Message}");
                }
                return 1;
            }
            if (json)
            {
                PrintJson(result.Value);
            }
            else
            {
                AnsiConsole.MarkupLineInterpolated($"Report {key} stored for {result.Value!.Id}; light now ");
                AnsiConsole.MarkupLine(LightMarkup(result.Value.Light));
            }
            return 0;
        }));
        command.Subcommands.Add(show);
        command.Subcommands.Add(report);
        return command;
    }

    public static DateOnly ChinaToday() =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(TimeProvider.System.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime);

    public static int Fail(string message)
    {
        AnsiConsole.MarkupLineInterpolated($"[red]{message}[/]");
        return 1;
    }

    /// <summary>Every field at fault, as the API's problem+json lists them; exit code 1.</summary>
    public static int Refused(IReadOnlyList<FieldError> errors)
    {
        foreach (var e in errors)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]{e.Field}[/]: {e.Message}");
        }
        return 1;
    }

    /// <summary>Why an <c>--as-of</c> date is refused (before 2000 or after today in China), or null; the grains refuse it too.</summary>
    public static string? AsOfOutOfRange(DateOnly? date)
    {
        return date is { } d && Limits.CheckAsOf(d, ChinaToday(), "--as-of") is { } error ? error.Message : null;
    }

    public static bool TryDate(string? text, out DateOnly? date)
    {
        date = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", out var d))
        {
            date = d;
            return true;
        }
        return false;
    }
}
