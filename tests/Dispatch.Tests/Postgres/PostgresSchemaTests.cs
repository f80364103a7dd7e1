using Dispatch.Silo.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dispatch.Tests.Postgres;

/// <summary>Our Evolve migrations for the Orleans AdoNet providers, on a real PostgreSQL server.</summary>
[Collection(PostgresCollection.Name), Trait("Category", "Postgres")]
public sealed class PostgresSchemaTests(PostgresFixture fixture)
{
    /// <summary>Evolve's record: schema public found empty (type 2), then each of our scripts (type 0) in version order.</summary>
    private const string Changelog =
        $"SELECT type, version, name, success FROM {StorageSchema.MetadataTableName} ORDER BY id";

    /// <summary>The query keys the Orleans AdoNet providers (persistence, clustering, reminders) read.</summary>
    private static readonly string[] s_queryKeys =
    [
        "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey", "ClearStorageKey", "DeleteMembershipTableEntriesKey",
        "DeleteReminderRowKey", "DeleteReminderRowsKey", "DeleteStorageKey", "GatewaysQueryKey", "InsertMembershipKey",
        "InsertMembershipVersionKey", "MembershipReadAllKey", "MembershipReadRowKey", "ReadFromStorageKey",
        "ReadRangeRows1Key", "ReadRangeRows2Key", "ReadReminderRowKey", "ReadReminderRowsKey", "UpdateIAmAlivetimeKey",
        "UpdateMembershipKey", "UpsertReminderRowKey", "WriteToStorageKey",
    ];

    /// <summary>What the changelog holds once every embedded PostgreSQL script ran, each exactly once.</summary>
    private static List<string> ExpectedChangelog()
    {
        const string Prefix = StorageSchema.ResourcePrefix + "postgres.";
        var scripts = typeof(StorageSchema).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .Select(n => n[Prefix.Length..])
            .Select(n => (Version: int.Parse(n[1..n.IndexOf("__", StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture), Name: n))
            .OrderBy(s => s.Version)
            .Select(s => $"0|{s.Version}|{s.Name}|True");
        return ["2|0|public|True", .. scripts];
    }

    /// <summary>Everything in schema public that a migration could change: columns, constraints, indexes, stored queries.</summary>
    private static readonly string[] s_catalog =
    [
        """
        SELECT table_name, column_name, data_type, is_nullable, coalesce(column_default, '')
        FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, column_name
        """,
        """
        SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
        FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public' ORDER BY 1, 2
        """,
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname",
        "SELECT querykey, md5(querytext) FROM orleansquery ORDER BY querykey",
        $"SELECT id, type, version, name, checksum, success, installed_on FROM {StorageSchema.MetadataTableName} ORDER BY id",
    ];

    [PostgresFact]
    public async Task Applying_the_schema_again_is_a_no_op()
    {
        await using var db = await fixture.Server.CreateDatabaseAsync();
        StorageSchema.ApplyPostgres(db.ConnectionString, NullLogger.Instance);
        var before = await CatalogAsync(db);

        StorageSchema.ApplyPostgres(db.ConnectionString, NullLogger.Instance);

        Assert.Equal(ExpectedChangelog(), await db.RowsAsync(Changelog));
        Assert.Contains("0|1|V1__orleans_storage.sql|True", ExpectedChangelog());
        Assert.Equal(before, await CatalogAsync(db));
        Assert.Empty(s_queryKeys.Except(await db.RowsAsync("SELECT querykey FROM orleansquery")));
    }

    [PostgresFact]
    public async Task Silos_starting_together_apply_the_schema_once()
    {
        await using var db = await fixture.Server.CreateDatabaseAsync();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => StorageSchema.ApplyPostgres(db.ConnectionString, NullLogger.Instance))));

        Assert.Equal(ExpectedChangelog(), await db.RowsAsync(Changelog));
        Assert.Empty(s_queryKeys.Except(await db.RowsAsync("SELECT querykey FROM orleansquery")));
    }

    private static async Task<List<string>> CatalogAsync(PostgresDatabase db)
    {
        var all = new List<string>();
        foreach (var sql in s_catalog)
        {
            all.AddRange(await db.RowsAsync(sql));
        }
        return all;
    }
}
