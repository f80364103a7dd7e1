using System.Diagnostics;
using Dispatch.Contracts;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Dispatch.Bench.Scenarios;

/// <summary>
/// Memory per active project grain: managed heap (after a full blocking collection) and working set before and after
/// activating every project of the country on a freshly restarted silo, divided by the project activations Orleans
/// counts (<see cref="IManagementGrain.GetSimpleGrainStatistics()"/>). The activations also time cold reads.
/// </summary>
public static class MemoryScenario
{
    public static async Task<BenchSilo> RunAsync(BenchSilo silo, SyntheticCountry country, RunStats stats, TimeProvider clock)
    {
        silo = await silo.RestartAsync(clock);
        var management = silo.Grains.GetGrain<IManagementGrain>(0);
        var ids = country.Projects.Select(p => p.Id).ToArray();
        var projectsBefore = await ProjectActivationsAsync(management);
        var totalBefore = await management.GetTotalActivationCount();
        var (heapBefore, workingSetBefore) = Settle();

        Output.Progress($"memory: activating {ids.Length:N0} project grains");
        var before = stats.Take();
        var started = Stopwatch.GetTimestamp();
        var progress = new ProgressMeter("memory (activations)", ids.Length);
        await Parallel.ForEachAsync(ids, Loader.Parallelism(64), async (id, ct) =>
        {
            if (await silo.Grains.GetGrain<IProjectGrain>(id).GetAsync() is null)
            {
                throw new InvalidOperationException($"{id} has no state");
            }
            progress.Add();
        });
        var activation = Stopwatch.GetElapsedTime(started);
        var after = stats.Take();

        var (heapAfter, workingSetAfter) = Settle();
        var projects = await ProjectActivationsAsync(management) - projectsBefore;
        var total = await management.GetTotalActivationCount() - totalBefore;
        var payload = await MeanProjectPayloadAsync(silo.Target);
        Output.Result($"bench=memory store={silo.Target.Store} projects={country.Projects.Count} project_activations={projects} all_activations={total} heap_kb_per_grain={(heapAfter - heapBefore) / 1024.0 / Math.Max(1, projects):0.00} ws_kb_per_grain={(workingSetAfter - workingSetBefore) / 1024.0 / Math.Max(1, projects):0.00} heap_mb_before={heapBefore / 1048576.0:0} heap_mb_after={heapAfter / 1048576.0:0} ws_mb_before={workingSetBefore / 1048576.0:0} ws_mb_after={workingSetAfter / 1048576.0:0} stored_state_bytes={payload:0} activate_s={Output.Seconds(activation)} activations_per_s={ids.Length / activation.TotalSeconds:0} {RunStats.Since(before, after)}");
        return silo;
    }

    private static async Task<int> ProjectActivationsAsync(IManagementGrain management) =>
        (await management.GetSimpleGrainStatistics()).Where(s => s.GrainType.Contains("ProjectGrain", StringComparison.Ordinal)).Sum(s => s.ActivationCount);

    /// <summary>Managed heap after full blocking, compacting collections, and the working set then.</summary>
    private static (long Heap, long WorkingSet) Settle()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        return (heap, process.WorkingSet64);
    }

    /// <summary>The mean stored (serialized) size of a project's state, for scale beside its size in memory.</summary>
    private static async Task<double> MeanProjectPayloadAsync(StoreTarget target)
    {
        const string sqlite = "SELECT avg(length(payload)) FROM dispatch_grain_state WHERE state_name = 'project'";
        const string postgres = "SELECT avg(octet_length(payload))::float8 FROM dispatch_grain_state WHERE state_name = 'project'";
        try
        {
            if (target.ConnectionString is { } cs)
            {
                await using var connection = new NpgsqlConnection(cs);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand(postgres, connection);
                return Convert.ToDouble(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
            }
            await using var sqliteConnection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = Path.Combine(target.DataFolder, "dispatch.db"),
                Mode = SqliteOpenMode.ReadOnly,
            }.ToString());
            await sqliteConnection.OpenAsync();
            await using var sqliteCommand = sqliteConnection.CreateCommand();
            sqliteCommand.CommandText = sqlite;
            return Convert.ToDouble(await sqliteCommand.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidCastException or FormatException)
        {
            return double.NaN;
        }
    }
}
