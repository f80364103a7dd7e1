using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using Dispatch.Bench.Scenarios;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Dispatch.Bench;

/// <summary>
/// The whole bench, store by store (SQLite always, PostgreSQL when given): the smaller countries of the scale
/// scenario first, then the main country (load, cold and warm dispatch, the floor query, memory, ingestion, alerts).
/// Every country lives in its own data folder (and database) and is deleted afterwards.
/// </summary>
public static class BenchRun
{
    public static async Task RunAsync(BenchOptions options, string work)
    {
        await PrintMachineAsync(options);
        using var stats = new RunStats();
        using var serverErrors = new ServerErrors();
        var clock = new BenchClock(SyntheticCountry.TodayInstant);
        var stores = new List<string>();
        if (options.Sqlite)
        {
            stores.Add("sqlite");
        }
        if (options.Postgres is not null)
        {
            stores.Add("postgres");
        }
        var density = options.Projects / (double)options.Districts;
        foreach (var store in stores)
        {
            var scaleRuns = new List<(SyntheticCountry Country, DispatchRun Warm)>();
            if (options.Runs("scale"))
            {
                foreach (var size in options.ScaleSizes.Where(s => s < options.Projects).Distinct().Order())
                {
                    var small = SyntheticCountry.Generate(size, Math.Max(1, (int)Math.Round(size / density)), options.Seed);
                    var (_, warm) = await LoadAndDispatchAsync(store, small, options, work, stats, clock, main: null);
                    scaleRuns.Add((small, warm!));
                }
            }
            var country = SyntheticCountry.Generate(options.Projects, options.Districts, options.Seed);
            var (_, mainWarm) = await LoadAndDispatchAsync(store, country, options, work, stats, clock, main: options);
            if (options.Runs("scale") && mainWarm is not null && options.ScaleSizes.Contains(options.Projects))
            {
                scaleRuns.Add((country, mainWarm));
            }
            if (scaleRuns.Count > 0)
            {
                PrintScale(store, scaleRuns);
            }
        }
    }

    /// <summary>
    /// Loads a country on a fresh store, then (for the scale scenario, or when the main scenarios need it) restarts the
    /// silo and runs the cold and warm dispatch; for the main country also the floor, memory, ingest and alert
    /// scenarios, in that order (each after the previous one's state changes).
    /// </summary>
    private static async Task<(DispatchRun? Cold, DispatchRun? Warm)> LoadAndDispatchAsync(string store, SyntheticCountry country, BenchOptions options,
        string work, RunStats stats, BenchClock clock, BenchOptions? main)
    {
        await using var target = await StoreTarget.CreateAsync(store, work, options.Postgres, country.Projects.Count, options.Keep);
        // Every country is loaded on the same day (a fresh store each time), whatever day the last dispatch moved to.
        clock.MoveTo(SyntheticCountry.Today);
        Output.Progress($"{store}: loading {country.Projects.Count:N0} projects in {country.Districts.Count():N0} districts ({country.ReportCount:N0} reports, {country.ProblemCount:N0} problems) into {target.DataFolder}{(target.Database is null ? "" : $" and database {target.Database}")}");
        var silo = await BenchSilo.StartAsync(target, clock, options.SiloArgs);
        try
        {
            await Loader.LoadAsync(silo, country, options, stats);
            DispatchRun? cold = null, warm = null;
            var needsDispatch = main is null || main.Runs("dispatch") || main.Runs("floor") || main.Runs("scale");
            if (needsDispatch)
            {
                (silo, cold, warm, var restart) = await DispatchScenario.ColdAndWarmAsync(silo, country, options, stats, clock);
                if (main is not null && main.Runs("dispatch"))
                {
                    DispatchScenario.Print(store, country, cold, warm, restart);
                }
            }
            if (main is null)
            {
                return (cold, warm);
            }
            if (main.Runs("floor"))
            {
                await FloorScenario.RunAsync(target, options.Postgres, country, warm!);
            }
            if (main.Runs("memory"))
            {
                silo = await MemoryScenario.RunAsync(silo, country, stats, clock);
            }
            if (main.Runs("ingest"))
            {
                await IngestScenario.RunAsync(silo, country, options, stats);
            }
            if (main.Runs("alerts"))
            {
                await AlertScenario.RunAsync(silo, country, options);
            }
            return (cold, warm);
        }
        finally
        {
            await silo.DisposeAsync();
        }
    }

    private static void PrintScale(string store, List<(SyntheticCountry Country, DispatchRun Warm)> runs)
    {
        runs = runs.OrderBy(r => r.Country.Projects.Count).ToList();
        var baseline = runs[0].Warm.MicrosecondsPerProject;
        var ratios = runs.Select(r => r.Warm.MicrosecondsPerProject / baseline).ToList();
        string Join<T>(IEnumerable<T> values, string format) => string.Join(",", values.Select(v => string.Format(CultureInfo.InvariantCulture, format, v)));
        Output.Result($"bench=scale store={store} projects={Join(runs.Select(r => r.Country.Projects.Count), "{0}")} districts={Join(runs.Select(r => r.Country.Districts.Count()), "{0}")} warm_s={Join(runs.Select(r => r.Warm.Wall.TotalSeconds), "{0:0.00}")} us_per_project={Join(runs.Select(r => r.Warm.MicrosecondsPerProject), "{0:0}")} ratio={Join(ratios, "{0:0.00}")} linear_within_20pct={(ratios.Max() <= 1.2 && ratios.Min() >= 1 / 1.2 ? "true" : "false")} no_worse_than_linear_within_20pct={(ratios.Max() <= 1.2 ? "true" : "false")}");
    }

    private static async Task PrintMachineAsync(BenchOptions options)
    {
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1073741824.0;
        string sqliteVersion, synchronous;
        await using (var connection = new SqliteConnection("Data Source=:memory:"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT sqlite_version()";
            sqliteVersion = (string)(await command.ExecuteScalarAsync())!;
            command.CommandText = "PRAGMA synchronous";
            synchronous = Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) switch
            {
                "0" => "off",
                "1" => "normal",
                "2" => "full",
                "3" => "extra",
                var other => other ?? "?",
            };
        }
        var postgres = "none";
        if (options.Postgres is not null)
        {
            await using var connection = new NpgsqlConnection(options.Postgres);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT current_setting('server_version') || '/fsync=' || current_setting('fsync') || '/synchronous_commit=' || current_setting('synchronous_commit')", connection);
            postgres = ((string)(await command.ExecuteScalarAsync())!).Replace(' ', '_');
        }
        Output.Result($"bench=machine cores={Environment.ProcessorCount} memory_gb={memory:0.0} os={RuntimeInformation.OSDescription.Replace(' ', '_')} runtime={RuntimeInformation.FrameworkDescription.Replace(' ', '_')} server_gc={GCSettings.IsServerGC.ToString().ToLowerInvariant()} sqlite={sqliteVersion} sqlite_synchronous={synchronous} postgres={postgres} seed={options.Seed} today={SyntheticCountry.Date(SyntheticCountry.Today)} silo_args={(options.SiloArgs.Count == 0 ? "none" : string.Join(",", options.SiloArgs.Select(a => a.TrimStart('-'))))}");
    }
}
