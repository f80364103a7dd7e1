using System.CommandLine;
using Dispatch.Contracts;
using Spectre.Console;

namespace Dispatch.Client;

/// <summary><c>dispatch meeting run|list|show</c>: dispatch meetings (调度会) of a region.</summary>
public static class MeetingCommand
{
    private const string Cadences = "weekly, halfMonthly, monthly, bimonthly, quarterly or yearly";

    public static Command Build()
    {
        var command = new Command("meeting", "Hold, list and read dispatch meetings (调度会).");
        command.Subcommands.Add(Run());
        command.Subcommands.Add(RunAll());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        return command;
    }

    private static Option<string> CadenceOption(bool required) => new("--cadence")
    {
        Description = $"Meeting cadence: {Cadences}.",
        Required = required,
    };

    private static bool TryCadence(string? text, out Cadence? cadence)
    {
        cadence = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }
        if (Enum.TryParse<Cadence>(text, ignoreCase: true, out var c) && Enum.IsDefined(c))
        {
            cadence = c;
            return true;
        }
        return false;
    }

    private static Command Run()
    {
        var region = new Argument<string>("region") { Description = "Region id, e.g. ln-anshan-haicheng." };
        var cadence = CadenceOption(required: true);
        var asOf = new Option<string?>("--as-of") { Description = "Hold the meeting as of this date (yyyy-MM-dd); default today." };
        var period = new Option<string?>("--period")
        {
            Description = "The period it judges (2024-03, 2024-Q1, …); default the latest whose figures are due on the as-of date (weekly: its week).",
        };
        var command = new Command("run", "Hold a region's meeting for a period, or show the one already held.") { region, cadence, asOf, period };
        command.SetAction((parse, ct) => DispatchCli.WithClientAsync(parse, ct, async (client, caller, json) =>
        {
            if (!TryCadence(parse.GetValue(cadence), out var c) || c is null)
            {
                return DispatchCli.Fail($"--cadence must be {Cadences}.");
            }
            if (!DispatchCli.TryDate(parse.GetValue(asOf), out var date))
            {
                return DispatchCli.Fail("--as-of must be a date yyyy-MM-dd.");
            }
            if (DispatchCli.AsOfOutOfRange(date) is { } outOfRange)
            {
                return DispatchCli.Fail(outOfRange);
            }
            var day = date ?? DispatchCli.ChinaToday();
            var result = await AnsiConsole.Status().StartAsync($"Holding the {c} meeting of {parse.GetValue(region)} as of {day:yyyy-MM-dd}…",
                _ => client.GetGrain<IRegionGrain>(parse.GetValue(region)!).RunMeetingAsync(c.Value, day, parse.GetValue(period)));
            if (!result.Succeeded)
            {
                return DispatchCli.Fail(string.Join("; ", result.Errors.Select(e => $"{e.Field}: {e.Message}")));
            }
            Print(result.Value!, json);
            return 0;
        }));
        return command;
    }

    private static Command RunAll()
    {
        var level = new Option<string>("--level") { Description = "district, city or province: hold the meeting of every region of that level.", DefaultValueFactory = _ => "district" };
        var cadence = CadenceOption(required: true);
        var asOf = new Option<string?>("--as-of") { Description = "Hold the meetings as of this date (yyyy-MM-dd), each judging the period due then; default today." };
        var atOnce = new Option<int>("--parallel") { Description = "Regions at once (default 8).", DefaultValueFactory = _ => 8 };
        var command = new Command("run-all", "Hold a meeting for every region of a level (what the scheduler does), with progress (operators).") { level, cadence, asOf, atOnce };
        command.SetAction((parse, ct) => DispatchCli.WithClientAsync(parse, ct, async (client, json) =>
        {
            if (!Enum.TryParse<RegionLevel>(parse.GetValue(level), ignoreCase: true, out var l) || !Enum.IsDefined(l))
            {
                return DispatchCli.Fail("--level must be district, city or province.");
            }
            if (!TryCadence(parse.GetValue(cadence), out var c) || c is null)
            {
                return DispatchCli.Fail($"--cadence must be {Cadences}.");
            }
            if (!DispatchCli.TryDate(parse.GetValue(asOf), out var date))
            {
                return DispatchCli.Fail("--as-of must be a date yyyy-MM-dd.");
            }
            if (DispatchCli.AsOfOutOfRange(date) is { } outOfRange)
            {
                return DispatchCli.Fail(outOfRange);
            }
            var day = date ?? DispatchCli.ChinaToday();
            var regions = await client.GetGrain<IRegionIndexGrain>(l.ToString().ToLowerInvariant()).ListAsync();
            var held = new List<MeetingView>();
            var failed = new List<(string Region, string Why)>();
            using var gate = new SemaphoreSlim(Math.Max(1, parse.GetValue(atOnce)));
            async Task HoldOne(string regionId, Action done)
            {
                await gate.WaitAsync(ct);
                try
                {
                    var result = await client.GetGrain<IRegionGrain>(regionId).RunMeetingAsync(c.Value, day);
                    lock (held)
                    {
                        if (result.Succeeded)
                        {
                            held.Add(result.Value!);
                        }
                        else
                        {
                            failed.Add((regionId, string.Join("; ", result.Errors.Select(e => e.Message))));
                        }
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    lock (held)
                    {
                        failed.Add((regionId, e.Message));
                    }
                }
                finally
                {
                    gate.Release();
                    done();
                }
            }
            if (json)
            {
                await Task.WhenAll(regions.Select(r => HoldOne(r, () => { })));
                DispatchCli.PrintJson(new { held = held.Select(m => m.Id), failed = failed.Select(f => new { region = f.Region, why = f.Why }) });
            }
            else
            {
                await AnsiConsole.Progress().StartAsync(async progress =>
                {
                    var task = progress.AddTask($"{c} meetings of {regions.Count} {l.ToString().ToLowerInvariant()} regions as of {day:yyyy-MM-dd}", maxValue: regions.Count);
                    await Task.WhenAll(regions.Select(r => HoldOne(r, () => task.Increment(1))));
                });
                AnsiConsole.MarkupLineInterpolated($"{held.Count} held, {failed.Count} failed; {held.Sum(m => m.Agenda?.Projects.Count ?? 0)} projects on the agendas.");
                foreach (var (region, why) in failed)
                {
                    AnsiConsole.MarkupLineInterpolated($"[red]{region}[/]: {why}");
                }
            }
            return failed.Count == 0 ? 0 : 1;
        }));
        return command;
    }

    private static Command List()
    {
        var region = new Argument<string>("region") { Description = "Region id." };
        var cadence = CadenceOption(required: false);
        var period = new Option<string?>("--period") { Description = "Only this period, e.g. 2024-W12 or 2024-03." };
        var command = new Command("list", "List the meetings a region has held, newest first.") { region, cadence, period };
        command.SetAction((parse, ct) => DispatchCli.WithClientAsync(parse, ct, async (client, caller, json) =>
        {
            if (!TryCadence(parse.GetValue(cadence), out var c))
            {
                return DispatchCli.Fail($"--cadence must be {Cadences}.");
            }
            var meetings = await client.GetGrain<IRegionGrain>(parse.GetValue(region)!).GetMeetingsAsync(c, parse.GetValue(period));
            if (json)
            {
                DispatchCli.PrintJson(meetings);
                return 0;
            }
            var table = new Table().AddColumns("id", "status", "as of", "held at", "on agenda", "reviewed", "decisions");
            foreach (var m in meetings)
            {
                table.AddRow(Markup.Escape(m.Id), m.Status.ToString(), $"{m.AsOf:yyyy-MM-dd}", $"{m.HeldAt:yyyy-MM-dd HH:mm}",
                    $"{m.Agenda?.Projects.Count ?? 0}", $"{m.Agenda?.ProjectsReviewed ?? 0}", $"{m.Decisions.Count}");
            }
            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }

    private static Command Show()
    {
        var id = new Argument<string>("id") { Description = "Meeting id region/cadence/period, e.g. ln-anshan-haicheng/weekly/2024-W12." };
        var command = new Command("show", "Show a meeting's agenda and minutes.") { id };
        command.SetAction((parse, ct) => DispatchCli.WithClientAsync(parse, ct, async (client, caller, json) =>
        {
            if (await client.GetGrain<IMeetingGrain>(parse.GetValue(id)!).GetAsync() is not { } meeting)
            {
                return DispatchCli.Fail($"No meeting '{parse.GetValue(id)}'.");
            }
            Print(meeting, json);
            return 0;
        }));
        return command;
    }

    private static void Print(MeetingView m, bool json)
    {
        if (json)
        {
            DispatchCli.PrintJson(m);
            return;
        }
        AnsiConsole.MarkupLineInterpolated($"[bold]{m.Id}[/] · {m.Status} · as of {m.AsOf:yyyy-MM-dd} · held {m.HeldAt:yyyy-MM-dd HH:mm}");
        if (m.Agenda is not { } agenda)
        {
            return;
        }
        AnsiConsole.MarkupLineInterpolated($"{agenda.ProjectsReviewed} projects reviewed · red {agenda.Lights.Red} · yellow {agenda.Lights.Yellow} · green {agenda.Lights.Green} · 开复工率 {DispatchCli.Rate(agenda.Rates.StartResumeRate)} · 年度投资完成率 {DispatchCli.Rate(agenda.Rates.AnnualInvestmentRate)}");
        if (agenda.Projects.Count > 0)
        {
            var projects = new Table().Title("projects on the agenda").AddColumns("project", "light", "why");
            foreach (var p in agenda.Projects)
            {
                projects.AddRow(Markup.Escape($"{p.ProjectId} {p.Name}"), DispatchCli.LightMarkup(p.Light), Markup.Escape(string.Join("\n", p.Reasons)));
            }
            AnsiConsole.Write(projects);
        }
        if (agenda.Problems.Count > 0)
        {
            var problems = new Table().Title("open problems").AddColumns("id", "problem", "owner", "deadline", "flagged");
            foreach (var p in agenda.Problems)
            {
                problems.AddRow(Markup.Escape(p.Id), Markup.Escape(p.Title), Markup.Escape($"{p.OwnerRegionId} {p.Owner}"), $"{p.Deadline:yyyy-MM-dd}", p.Flagged ? "挂牌督办" : "");
            }
            AnsiConsole.Write(problems);
        }
        if (agenda.Ranking.Count > 0)
        {
            var ranking = new Table().Title("ranking (晾晒比拼)").AddColumns("#", "region", "score", "开复工率", "年度投资完成率", "red");
            foreach (var r in agenda.Ranking)
            {
                ranking.AddRow(r.Rank is { } rank ? $"{rank}{(r.Tied ? " 并列" : "")}" : "—", Markup.Escape($"{r.RegionId} {r.Name}"), r.Score is { } score ? $"{score:0.0}" : Markup.Escape(r.Reason ?? ""), DispatchCli.Rate(r.Rates.StartResumeRate),
                    DispatchCli.Rate(r.Rates.AnnualInvestmentRate), $"{r.Lights.Red}");
            }
            AnsiConsole.Write(ranking);
        }
        foreach (var d in m.Decisions)
        {
            AnsiConsole.MarkupLineInterpolated($"decision {d.Number}: {d.Text} ({d.By}){(d.ProblemId is null ? "" : $" → problem {d.ProblemId}, due {d.Deadline:yyyy-MM-dd}")}");
        }
    }
}
