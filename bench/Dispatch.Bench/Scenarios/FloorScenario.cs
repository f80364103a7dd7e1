using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Dispatch.Bench.Scenarios;

/// <summary>
/// The floor: the dispatch's central question (which projects have an overdue milestone, per district) answered by
/// one set-based query over the same synthetic rows in a plain table (a separate SQLite file; a separate PostgreSQL
/// database on the same server), timed beside the warm dispatch. Its answer is checked against the meetings'.
/// </summary>
public static class FloorScenario
{
    private const string Query = """
        SELECT district_id, COUNT(DISTINCT project_id) AS overdue
        FROM bench_milestone
        WHERE planned < @as_of AND (actual IS NULL OR actual > @as_of)
        GROUP BY district_id
        """;

    private const int TimedRuns = 5;

    public static async Task RunAsync(StoreTarget target, string? postgres, SyntheticCountry country, DispatchRun warm)
    {
        var rows = Rows(country).ToList();
        var loading = Stopwatch.GetTimestamp();
        Func<Task<(Dictionary<string, int> Answer, TimeSpan Time)>> query;
        string? floorDatabase = null;
        if (target.Store == "sqlite")
        {
            var cs = new SqliteConnectionStringBuilder { DataSource = Path.Combine(target.DataFolder, "floor.db"), Pooling = false }.ToString();
            await LoadSqliteAsync(cs, rows);
            query = () => TimeAsync(() => new SqliteConnection(cs), c => ((SqliteCommand)c).Parameters.AddWithValue("@as_of", SyntheticCountry.Date(warm.AsOf)));
        }
        else
        {
            floorDatabase = $"dispatch_floor_{Guid.NewGuid():N}"[..30];
            await StoreTarget.ExecuteAsync(postgres!, $"CREATE DATABASE {floorDatabase}");
            var cs = StoreTarget.With(postgres!, floorDatabase);
            await LoadPostgresAsync(cs, rows);
            query = () => TimeAsync(() => new NpgsqlConnection(cs), c => ((NpgsqlCommand)c).Parameters.AddWithValue("as_of", NpgsqlDbType.Date, warm.AsOf));
        }
        var loaded = Stopwatch.GetElapsedTime(loading);
        try
        {
            var (answer, _) = await query();
            var times = new List<TimeSpan>();
            for (var i = 0; i < TimedRuns; i++)
            {
                times.Add((await query()).Time);
            }
            var median = times.Order().ElementAt(TimedRuns / 2);
            var mismatched = warm.MilestoneOverdueByDistrict.Count(kv => answer.GetValueOrDefault(kv.Key) != kv.Value)
                + answer.Keys.Count(k => !warm.MilestoneOverdueByDistrict.ContainsKey(k));
            Output.Result($"bench=floor store={target.Store} projects={country.Projects.Count} districts={country.Districts.Count()} rows={rows.Count} as_of={SyntheticCountry.Date(warm.AsOf)} query_ms={median.TotalMilliseconds:0.0} table_load_s={Output.Seconds(loaded)} dispatch_warm_s={Output.Seconds(warm.Wall)} multiple={warm.Wall / median:0} overdue_projects={answer.Values.Sum()} dispatch_overdue_projects={warm.MilestoneOverdueByDistrict.Values.Sum()} districts_mismatched={mismatched} match={(mismatched == 0 ? "true" : "false")}");
        }
        finally
        {
            if (floorDatabase is not null)
            {
                NpgsqlConnection.ClearAllPools();
                await StoreTarget.ExecuteAsync(postgres!, $"DROP DATABASE IF EXISTS {floorDatabase} WITH (FORCE)");
            }
        }
    }

    private sealed record Row(string DistrictId, string ProjectId, string Name, DateOnly Planned, DateOnly? Actual);

    private static IEnumerable<Row> Rows(SyntheticCountry country) =>
        country.Projects.SelectMany(p => p.EffectiveMilestones().Select(m => new Row(p.DistrictId, p.Id, m.Milestone.Name, m.Milestone.PlannedDate, m.Reached)));

    /// <summary>Runs the query on a fresh connection (opened before the clock starts) and reads every row.</summary>
    private static async Task<(Dictionary<string, int>, TimeSpan)> TimeAsync(Func<DbConnection> connect, Action<DbCommand> bind)
    {
        await using var connection = connect();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = Query;
        bind(command);
        var started = Stopwatch.GetTimestamp();
        var answer = new Dictionary<string, int>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                answer[reader.GetString(0)] = Convert.ToInt32(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return (answer, Stopwatch.GetElapsedTime(started));
    }

    private static async Task LoadSqliteAsync(string cs, List<Row> rows)
    {
        await using var connection = new SqliteConnection(cs);
        await connection.OpenAsync();
        await using (var ddl = connection.CreateCommand())
        {
            ddl.CommandText = """
                DROP TABLE IF EXISTS bench_milestone;
                CREATE TABLE bench_milestone (district_id TEXT NOT NULL, project_id TEXT NOT NULL, name TEXT NOT NULL, planned TEXT NOT NULL, actual TEXT);
                """;
            await ddl.ExecuteNonQueryAsync();
        }
        await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync())
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO bench_milestone VALUES (@d, @p, @n, @planned, @actual)";
            var d = insert.Parameters.Add("@d", SqliteType.Text);
            var p = insert.Parameters.Add("@p", SqliteType.Text);
            var n = insert.Parameters.Add("@n", SqliteType.Text);
            var planned = insert.Parameters.Add("@planned", SqliteType.Text);
            var actual = insert.Parameters.Add("@actual", SqliteType.Text);
            insert.Prepare();
            foreach (var row in rows)
            {
                d.Value = row.DistrictId;
                p.Value = row.ProjectId;
                n.Value = row.Name;
                planned.Value = SyntheticCountry.Date(row.Planned);
                actual.Value = row.Actual is { } a ? SyntheticCountry.Date(a) : DBNull.Value;
                await insert.ExecuteNonQueryAsync();
            }
            await transaction.CommitAsync();
        }
        await using var analyze = connection.CreateCommand();
        analyze.CommandText = "ANALYZE";
        await analyze.ExecuteNonQueryAsync();
    }

    private static async Task LoadPostgresAsync(string cs, List<Row> rows)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using (var ddl = new NpgsqlCommand(
            "CREATE TABLE bench_milestone (district_id text NOT NULL, project_id text NOT NULL, name text NOT NULL, planned date NOT NULL, actual date)", connection))
        {
            await ddl.ExecuteNonQueryAsync();
        }
        await using (var import = await connection.BeginBinaryImportAsync("COPY bench_milestone FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var row in rows)
            {
                await import.StartRowAsync();
                await import.WriteAsync(row.DistrictId, NpgsqlDbType.Text);
                await import.WriteAsync(row.ProjectId, NpgsqlDbType.Text);
                await import.WriteAsync(row.Name, NpgsqlDbType.Text);
                await import.WriteAsync(row.Planned, NpgsqlDbType.Date);
                if (row.Actual is { } a)
                {
                    await import.WriteAsync(a, NpgsqlDbType.Date);
                }
                else
                {
                    await import.WriteNullAsync();
                }
            }
            await import.CompleteAsync();
        }
        await using var analyze = new NpgsqlCommand("VACUUM ANALYZE bench_milestone", connection);
        await analyze.ExecuteNonQueryAsync();
    }
}
