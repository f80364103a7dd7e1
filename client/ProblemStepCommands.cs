using System.CommandLine;
using Dispatch.Contracts;
using Spectre.Console;

namespace Dispatch.Client;

/// <summary>
/// <c>dispatch problem accept|transfer|flag|report-solved|verify|reject PROBLEM …</c>: the steps of a problem's life
/// (问题清单), with the options of the API's bodies, signed by the token's holder.
/// </summary>
public static class ProblemStepCommands
{
    public static Command Build()
    {
        var command = new Command("problem", "Take a step of a problem's life: accept (受理), transfer (转办), flag (挂牌督办), report-solved (办结), verify (销号), reject (驳回).");
        command.Subcommands.Add(Accept());
        command.Subcommands.Add(Transfer());
        command.Subcommands.Add(Flag());
        command.Subcommands.Add(Note("report-solved", "办结: report an accepted problem solved, for the supervising level to verify.", "--note", "How it was solved (required).",
            (project, id, by, note) => project.ReportProblemSolvedAsync(id, by, note)));
        command.Subcommands.Add(Note("verify", "销号: the supervising level verifies the problem solved and closes it out.", "--note", "What was checked.",
            (project, id, by, note) => project.ResolveProblemAsync(id, by, note)));
        command.Subcommands.Add(Note("reject", "驳回: the supervising level sends a problem reported solved back to its owner.", "--reason", "Why it is sent back (required).",
            (project, id, by, reason) => project.RejectProblemAsync(id, by, reason)));
        return command;
    }

    private static Argument<string> ProblemId() => new("problem") { Description = "Problem id, e.g. as-007.q1." };

    private static Command Accept()
    {
        var id = ProblemId();
        var office = new Option<string?>("--office") { Description = "The responsible office (责任单位)." };
        var leader = new Option<string?>("--leader") { Description = "The leader who answers for it." };
        var deadline = new Option<DateOnly?>("--deadline") { Description = "The deadline (yyyy-MM-dd)." };
        var command = new Command("accept", "受理: the owning level's office takes a raised problem in hand (首办负责).") { id, office, leader, deadline };
        command.SetAction((parse, ct) => StepAsync(parse, ct, id, (project, problemId, by) =>
            project.AcceptProblemAsync(problemId, by, new ProblemAcceptance(parse.GetValue(office), parse.GetValue(leader), parse.GetValue(deadline)))));
        return command;
    }

    private static Command Transfer()
    {
        var id = ProblemId();
        var level = new Option<string?>("--to-level") { Description = "district, city or province: the project's region of that level." };
        var office = new Option<string?>("--to-office") { Description = "The office it goes to." };
        var reason = new Option<string?>("--reason") { Description = "Why it is transferred (required)." };
        var command = new Command("transfer", "转办: hand a problem not yet reported solved to another office or level; it is to be accepted again.") { id, level, office, reason };
        command.SetAction((parse, ct) =>
        {
            RegionLevel? toLevel = null;
            if (parse.GetValue(level) is { Length: > 0 } text)
            {
                if (!Enum.TryParse<RegionLevel>(text, ignoreCase: true, out var l) || !Enum.IsDefined(l) || char.IsAsciiDigit(text[0]))
                {
                    return Task.FromResult(DispatchCli.Fail("--to-level must be district, city or province."));
                }
                toLevel = l;
            }
            return StepAsync(parse, ct, id, (project, problemId, by) =>
                project.TransferProblemAsync(problemId, by, new ProblemTransfer(toLevel, parse.GetValue(office), parse.GetValue(reason))));
        });
        return command;
    }

    private static Command Flag()
    {
        var id = ProblemId();
        var grade = new Option<string?>("--grade") { Description = "yellowCard (黄牌) or redCard (红牌)." };
        var deadline = new Option<DateOnly?>("--deadline") { Description = "The new deadline (yyyy-MM-dd)." };
        var official = new Option<string?>("--official") { Description = "The supervising official (督办领导)." };
        var region = new Option<string?>("--region") { Description = "The flagging region; default your token's region." };
        var command = new Command("flag", "挂牌督办: a level above the owner puts the problem under its flag.") { id, grade, deadline, official, region };
        command.SetAction((parse, ct) =>
        {
            FlagGrade? parsed = null;
            if (parse.GetValue(grade) is { Length: > 0 } text)
            {
                if (!Enum.TryParse<FlagGrade>(text, ignoreCase: true, out var g) || !Enum.IsDefined(g) || char.IsAsciiDigit(text[0]))
                {
                    return Task.FromResult(DispatchCli.Fail("--grade must be yellowCard or redCard."));
                }
                parsed = g;
            }
            return DispatchCli.WithClientAsync(parse, ct, (client, caller, json) => RunAsync(client, caller, json, parse.GetValue(id)!, (project, problemId, by) =>
                project.FlagProblemAsync(problemId, by, new ProblemFlagRequest(parsed, parse.GetValue(deadline), parse.GetValue(official),
                    parse.GetValue(region) ?? caller.RegionId))));
        });
        return command;
    }

    private static Command Note(string name, string description, string optionName, string optionDescription,
        Func<IProjectGrain, string, string, string?, Task<ChangeResult<ProblemView>>> step)
    {
        var id = ProblemId();
        var text = new Option<string?>(optionName) { Description = optionDescription };
        var command = new Command(name, description) { id, text };
        command.SetAction((parse, ct) => StepAsync(parse, ct, id, (project, problemId, by) => step(project, problemId, by, parse.GetValue(text))));
        return command;
    }

    private static Task<int> StepAsync(ParseResult parse, CancellationToken ct, Argument<string> id,
        Func<IProjectGrain, string, string, Task<ChangeResult<ProblemView>>> step) =>
        DispatchCli.WithClientAsync(parse, ct, (client, caller, json) => RunAsync(client, caller, json, parse.GetValue(id)!, step));

    /// <summary>Takes the step on the problem's project as the token's holder; a refusal prints each field at fault (exit 1).</summary>
    private static async Task<int> RunAsync(IClusterClient client, Caller caller, bool json, string problemId,
        Func<IProjectGrain, string, string, Task<ChangeResult<ProblemView>>> step)
    {
        var cut = problemId.LastIndexOf(".q", StringComparison.Ordinal);
        if (cut <= 0)
        {
            return DispatchCli.Fail($"'{problemId}' is not a problem id (project-id.qN).");
        }
        var result = await step(client.GetGrain<IProjectGrain>(problemId[..cut]), problemId, caller.Name);
        if (!result.Succeeded)
        {
            return DispatchCli.Refused(result.Errors);
        }
        var p = result.Value!;
        if (json)
        {
            DispatchCli.PrintJson(p);
            return 0;
        }
        AnsiConsole.MarkupLineInterpolated($"{p.Id} ({p.Title}): {p.Status}, owned by {p.OwnerRegionId}{(p.Owner is { } o ? $" {o}" : "")}, supervised by {p.SupervisorRegionId}, due {p.Deadline:yyyy-MM-dd}.");
        return 0;
    }
}
