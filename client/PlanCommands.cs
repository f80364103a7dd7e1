using System.CommandLine;
using System.Globalization;
using Dispatch.Contracts;
using Spectre.Console;

namespace Dispatch.Client;

/// <summary>
/// <c>dispatch plan set PROJECT YEAR</c> (a project's line on a year's list, 年度计划) and <c>dispatch target set REGION YEAR</c>
/// (a region's yearly targets, 年度目标): the same grain calls and checks as the PUT routes.
/// </summary>
public static class PlanCommands
{
    public static IEnumerable<Command> Build() => [Plan(), Target()];

    private static Command Plan()
    {
        var projectId = new Argument<string>("projectId") { Description = "Project id, e.g. as-007." };
        var year = new Argument<int>("year") { Description = "The list's year, e.g. 2025." };
        var investment = new Option<decimal?>("--investment") { Description = "The year's planned investment (万元)." };
        var start = new Option<string?>("--start") { Description = "Planned start (resume) in the year, yyyy-MM-dd." };
        var actualStart = new Option<string?>("--actual-start") { Description = "Actual start (resume) in the year, yyyy-MM-dd, when known." };
        var kind = new Option<ProjectKind?>("--kind") { Description = "new (新开工) or continuing (续建) that year; default the project's kind for the year." };
        var funds = new Option<decimal?>("--funds") { Description = "Funds in place (到位资金, 万元)." };
        var key = new Option<bool?>("--key") { Description = "On the year's key list (重点项目): true or false." };
        var withdraw = new Option<string?>("--withdraw") { Description = "Take the project off the year's list (退库), with this reason." };
        var set = new Command("set", "Put a project's plan for a year; it replaces what was put for that year before.")
            { projectId, year, investment, start, actualStart, kind, funds, key, withdraw };
        set.SetAction((parse, ct) => DispatchCli.WithClientAsync(parse, ct, async (client, caller, json) =>
        {
            if (!DispatchCli.TryDate(parse.GetValue(start), out var planned) || !DispatchCli.TryDate(parse.GetValue(actualStart), out var actual))
            {
                return DispatchCli.Fail("--start and --actual-start must be dates yyyy-MM-dd.");
            }
            var reason = parse.GetValue(withdraw);
            var request = new AnnualPlanRequest(parse.GetValue(kind), parse.GetValue(investment), planned, actual, null, parse.GetValue(funds),
                parse.GetValue(key), reason is null ? null : true, reason);
            var id = parse.GetValue(projectId)!;
            var result = await client.GetGrain<IProjectGrain>(id).SetPlanAsync(parse.GetValue(year), request, caller.Name);
            if (!result.Succeeded)
            {
                return DispatchCli.Refused(result.Errors);
            }
            if (json)
            {
                DispatchCli.PrintJson(result.Value);
                return 0;
            }
            var p = result.Value!;
            var listing = p.Listing switch
            {
                PlanListing.Withdrawn => $"withdrawn (退库): {p.WithdrawnReason}",
                PlanListing.ToConfirm => "to confirm (待确认)",
                _ => "listed",
            };
            AnsiConsole.MarkupLineInterpolated(
                $"{id} {p.Year}: {p.Kind}, {listing}; planned {Amount(p.PlannedInvestment)} 万 from {Date(p.PlannedStart)}, started {Date(p.ActualStart)}, funds in place {Amount(p.FundsInPlace)} 万.");
            return 0;
        }));
        var command = new Command("plan", "A project's plans by year (年度计划).");
        command.Subcommands.Add(set);
        return command;
    }

    private static Command Target()
    {
        var regionId = new Argument<string>("regionId") { Description = "Region id, e.g. ln-anshan." };
        var year = new Argument<int>("year") { Description = "The target's year, e.g. 2025." };
        var startCount = new Option<int?>("--start-count") { Description = "New projects to start in the year (新开工)." };
        var investment = new Option<decimal?>("--investment") { Description = "Investment to complete in the year (万元)." };
        var set = new Command("set", "Set a region's targets for a year (年度目标).") { regionId, year, startCount, investment };
        set.SetAction((parse, ct) => DispatchCli.WithClientAsync(parse, ct, async (client, caller, json) =>
        {
            var id = parse.GetValue(regionId)!;
            var region = client.GetGrain<IRegionGrain>(id);
            if (await region.GetDefinitionAsync() is null)
            {
                return DispatchCli.Fail($"No region '{id}'.");
            }
            var result = await region.SetTargetAsync(new RegionTarget(parse.GetValue(year), parse.GetValue(startCount), parse.GetValue(investment)));
            if (!result.Succeeded)
            {
                return DispatchCli.Refused(result.Errors);
            }
            if (json)
            {
                DispatchCli.PrintJson(result.Value);
                return 0;
            }
            var t = result.Value!;
            AnsiConsole.MarkupLineInterpolated(
                $"{id} {t.Year}: {t.ProjectsToStart?.ToString(CultureInfo.InvariantCulture) ?? "—"} projects to start, {Amount(t.Investment)} 万 to invest.");
            return 0;
        }));
        var command = new Command("target", "A region's yearly targets (年度目标).");
        command.Subcommands.Add(set);
        return command;
    }

    private static string Amount(decimal? amount) => amount?.ToString(CultureInfo.InvariantCulture) ?? "—";

    private static string Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—";
}
