using Npgsql;

namespace Dispatch.Bench;

/// <summary>
/// Where one synthetic country lives: a fresh data folder, and on PostgreSQL a fresh database on the given server.
/// Everything is deleted (the database dropped) on dispose unless <c>--keep</c>.
/// </summary>
public sealed class StoreTarget : IAsyncDisposable
{
    private readonly string? _serverConnectionString;
    private readonly bool _keep;

    private StoreTarget(string store, string dataFolder, string? serverConnectionString, string? database, bool keep)
    {
        Store = store;
        DataFolder = dataFolder;
        _serverConnectionString = serverConnectionString;
        Database = database;
        _keep = keep;
    }

    /// <summary><c>sqlite</c> or <c>postgres</c>, as the result lines name it.</summary>
    public string Store { get; }

    public string DataFolder { get; }

    /// <summary>The PostgreSQL database of this country; null on SQLite.</summary>
    public string? Database { get; }

    public string? ConnectionString => Database is null ? null : With(_serverConnectionString!, Database);

    public static async Task<StoreTarget> CreateAsync(string store, string workFolder, string? postgres, int projects, bool keep)
    {
        var folder = Path.Combine(workFolder, $"{store}-{projects}-{Guid.NewGuid():N}"[..^24]);
        Directory.CreateDirectory(folder);
        if (store == "sqlite")
        {
            return new StoreTarget(store, folder, null, null, keep);
        }
        var database = $"dispatch_bench_{projects}_{Guid.NewGuid():N}"[..40];
        await ExecuteAsync(postgres!, $"CREATE DATABASE {database}");
        return new StoreTarget(store, folder, postgres, database, keep);
    }

    /// <summary>The silo's extra command-line arguments for this store.</summary>
    public IEnumerable<string> SiloArgs() => ConnectionString is { } cs ? [$"--ConnectionStrings:Postgres={cs}"] : [];

    public static string With(string connectionString, string database) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Database = database, Pooling = true }.ToString();

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_keep)
        {
            Console.Error.WriteLine($"bench: kept {DataFolder}{(Database is null ? "" : $" and database {Database}")}");
            return;
        }
        if (Database is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(_serverConnectionString!, $"DROP DATABASE IF EXISTS {Database} WITH (FORCE)");
        }
        try
        {
            Directory.Delete(DataFolder, recursive: true);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"bench: could not delete {DataFolder}: {e.Message}");
        }
    }
}
