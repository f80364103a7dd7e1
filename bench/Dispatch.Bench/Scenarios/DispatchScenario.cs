using System.Collections.Concurrent;
using System.Diagnostics;
using Dispatch.Contracts;

namespace Dispatch.Bench.Scenarios;

/// <summary>One weekly dispatch of every district: wall time, projects reviewed, lights, and the overdue answer per district.</summary>
public sealed record DispatchRun(
    DateOnly AsOf,
    TimeSpan Wall,
    int Meetings,
    int Reviewed,
    int Red,
    int Yellow,
    IReadOnlyDictionary<string, int> MilestoneOverdueByDistrict,
    string Stats)
{
    public double ProjectsPerSecond => Reviewed / Wall.TotalSeconds;

    public double MicrosecondsPerProject => Wall.TotalMilliseconds * 1000 / Math.Max(1, Reviewed);
}

/// <summary>
/// The weekly dispatch (调度会) of every district, as the Quartz job does it but with the bench's concurrency:
/// cold (right after a silo restart: every grain is read from storage) for the week after the load, then warm (every
/// grain active) for the week after that: a period's meeting is held once, so the warm run needs the next period.
/// </summary>
public static class DispatchScenario
{
    private const int MaxAttempts = 10;

    /// <summary>The week reviewed cold and the week reviewed warm: one and two weeks after the country was loaded.</summary>
    public static readonly DateOnly ColdAsOf = SyntheticCountry.Today.AddDays(7);

    public static readonly DateOnly WarmAsOf = SyntheticCountry.Today.AddDays(14);

    /// <summary>Restarts the silo, runs the cold week and the warm week; answers the new silo and both runs.</summary>
    public static async Task<(BenchSilo Silo, DispatchRun Cold, DispatchRun Warm, TimeSpan Restart)> ColdAndWarmAsync(
        BenchSilo silo, SyntheticCountry country, BenchOptions options, RunStats stats, BenchClock clock)
    {
        var restarting = Stopwatch.GetTimestamp();
        silo = await silo.RestartAsync(clock);
        var restart = Stopwatch.GetElapsedTime(restarting);
        var districts = country.Districts.Select(d => d.Id).ToList();
        clock.MoveTo(ColdAsOf);
        var cold = await RunAsync(silo, districts, ColdAsOf, options.MeetingsAtOnce, stats, "cold dispatch");
        clock.MoveTo(WarmAsOf);
        var warm = await RunAsync(silo, districts, WarmAsOf, options.MeetingsAtOnce, stats, "warm dispatch");
        return (silo, cold, warm, restart);
    }

    public static void Print(string store, SyntheticCountry country, DispatchRun cold, DispatchRun warm, TimeSpan restart) =>
        Output.Result($"bench=dispatch store={store} projects={country.Projects.Count} districts={country.Districts.Count()} cold_s={Output.Seconds(cold.Wall)} warm_s={Output.Seconds(warm.Wall)} projects_per_s={warm.ProjectsPerSecond:0} cold_projects_per_s={cold.ProjectsPerSecond:0} us_per_project={warm.MicrosecondsPerProject:0} reviewed={warm.Reviewed} red={warm.Red} yellow={warm.Yellow} restart_s={Output.Seconds(restart)} cold_as_of={SyntheticCountry.Date(cold.AsOf)} warm_as_of={SyntheticCountry.Date(warm.AsOf)} {warm.Stats} {cold.Stats}");

    public static async Task<DispatchRun> RunAsync(BenchSilo silo, IReadOnlyList<string> districts, DateOnly asOf, int atOnce, RunStats stats, string label)
    {
        Output.Progress($"{label}: {districts.Count:N0} district meetings as of {SyntheticCountry.Date(asOf)}, {atOnce} at a time");
        var progress = new ProgressMeter(label + " (meetings)", districts.Count);
        var overdue = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        int reviewed = 0, red = 0, yellow = 0, timeouts = 0;
        var before = stats.Take();
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(districts, Loader.Parallelism(atOnce), async (district, _) =>
        {
            // A meeting that outlives Orleans' response timeout goes on in the silo; asking again answers the meeting
            // once held (or resumes it), as the scheduler's next firing would. Such timeouts are counted.
            ChangeResult<MeetingView>? result = null;
            for (var attempt = 1; result is null; attempt++)
            {
                try
                {
                    result = await silo.Grains.GetGrain<IRegionGrain>(district).RunMeetingAsync(Cadence.Weekly, asOf);
                }
                catch (TimeoutException) when (attempt < MaxAttempts)
                {
                    Interlocked.Increment(ref timeouts);
                }
            }
            if (result.Value is not { Status: MeetingStatus.Held, Agenda: { } agenda })
            {
                throw new InvalidOperationException($"{district}: meeting not held: {string.Join("; ", result.Errors.Select(e => e.Message))}");
            }
            Interlocked.Add(ref reviewed, agenda.ProjectsReviewed);
            Interlocked.Add(ref red, agenda.Lights.Red);
            Interlocked.Add(ref yellow, agenda.Lights.Yellow);
            overdue[district] = agenda.Warnings.Where(w => w.Rule == WarningRule.MilestoneOverdue).Select(w => w.ProjectId).Distinct().Count();
            progress.Add();
        });
        var wall = Stopwatch.GetElapsedTime(started);
        var after = stats.Take();
        var prefix = label.StartsWith("cold", StringComparison.Ordinal) ? "cold_" : "";
        var spent = $"{prefix}timeouts={timeouts} {RunStats.Since(before, after, prefix)}";
        Output.Progress($"{label}: {Output.Seconds(wall)} s, {reviewed:N0} projects reviewed; {spent}");
        return new DispatchRun(asOf, wall, districts.Count, reviewed, red, yellow, overdue, spent);
    }
}
