using System.Data.Common;
using EvolveDb;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Dispatch.Silo.Storage;

/// <summary>
/// Creates and upgrades the tables and stored queries of the Orleans ADO.NET providers (grain
/// persistence, clustering, reminders) with Evolve, from the scripts embedded under
/// <c>Storage/Sql/sqlite</c> and <c>Storage/Sql/postgres</c>. Applying an up-to-date database
/// again changes nothing.
/// </summary>
public static class StorageSchema
{
    /// <summary>Prefix of the embedded migration scripts; the database folder name follows.</summary>
    public const string ResourcePrefix = "Dispatch.Silo.Storage.Sql.";

    /// <summary>
    /// Evolve's own record of applied scripts. A name of our own, so other Evolve-managed scripts in
    /// the same database (with their own V1, V2...) never mix with these.
    /// </summary>
    public const string MetadataTableName = "dispatch_storage_changelog";

    /// <summary>Seconds a command (and SQLite's wait for a busy database) may take.</summary>
    public const int SqliteDefaultTimeoutSeconds = 30;

    /// <summary>A pooled read-write connection string for the SQLite file, created on first use.</summary>
    public static string SqliteConnectionString(string dbFilePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dbFilePath);
        return new SqliteConnectionStringBuilder
        {
            DataSource = dbFilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = SqliteDefaultTimeoutSeconds,
        }.ToString();
    }

    /// <summary>
    /// Switches the SQLite file to write-ahead logging (a setting stored in the file) and applies
    /// the pending SQLite scripts.
    /// </summary>
    public static void ApplySqlite(string connectionString, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(logger);

        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        UseWriteAheadLog(connection, logger);
        Migrate(connection, "sqlite", logger);
    }

    /// <summary>
    /// Applies the pending PostgreSQL scripts. Evolve holds a PostgreSQL advisory lock meanwhile,
    /// so several silos starting at once apply them one after the other.
    /// </summary>
    public static void ApplyPostgres(string connectionString, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(logger);

        using var connection = new NpgsqlConnection(connectionString);
        Migrate(connection, "postgres", logger);
    }

    /// <summary>
    /// WAL lets readers work while a writer commits. The mode cannot change inside a transaction,
    /// so it is set here, before Evolve opens its own.
    /// </summary>
    private static void UseWriteAheadLog(SqliteConnection connection, ILogger logger)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        var mode = Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            logger.LogDebug("SQLite {DataSource} uses write-ahead logging", connection.DataSource);
        }
        else
        {
            // An in-memory database answers "memory": nothing to persist, nothing to fix.
            logger.LogWarning("SQLite {DataSource} kept journal mode {JournalMode} instead of WAL",
                connection.DataSource, mode);
        }
    }

    private static void Migrate(DbConnection connection, string folder, ILogger logger)
    {
        var database = $"{folder} storage";
        var evolve = new Evolve(connection, message => logger.LogInformation("Evolve ({Database}): {Message}", database, message))
        {
            EmbeddedResourceAssemblies = [typeof(StorageSchema).Assembly],
            EmbeddedResourceFilters = [ResourcePrefix + folder + "."],
            MetadataTableName = MetadataTableName,
            IsEraseDisabled = true,
        };
        try
        {
            evolve.Migrate();
        }
        catch (Exception e)
        {
            logger.LogError(e, "Applying the {Database} schema failed", database);
            throw;
        }
        logger.LogInformation("{Database} schema is up to date ({Applied} script(s) applied now)",
            database, evolve.NbMigration);
    }
}
