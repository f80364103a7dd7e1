using System.Data;
using System.Data.Common;
using Dispatch.Silo.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dispatch.Tests.Storage;

/// <summary>
/// The SQLite schema against the contract of the Orleans ADO.NET providers, on a real database file:
/// each stored query is run the way Orleans runs it (the text from OrleansQuery, named parameters
/// of the same .NET types and DbTypes, every result set read, columns read by name).
/// </summary>
public sealed class OrleansSqlContractTests : IDisposable
{
    private const string ServiceId = "dispatch-test";
    private const string DeploymentId = "dispatch-cluster";

    private static readonly DateTime _startTime = new(2025, 3, 1, 8, 0, 0, DateTimeKind.Utc);

    private readonly string _folder;
    private readonly string _connectionString;

    public OrleansSqlContractTests()
    {
        _folder = Path.Combine(Path.GetTempPath(), "dispatch-sql-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        _connectionString = StorageSchema.SqliteConnectionString(Path.Combine(_folder, "dispatch.db"));
        StorageSchema.ApplySqlite(_connectionString, NullLogger.Instance);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void Scripts_are_embedded_under_one_folder_per_database()
    {
        var names = typeof(StorageSchema).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(StorageSchema.ResourcePrefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.Equal(
            [
                "Dispatch.Silo.Storage.Sql.postgres.V1__orleans_storage.sql",
                "Dispatch.Silo.Storage.Sql.postgres.V2__audit.sql",
                "Dispatch.Silo.Storage.Sql.postgres.V3__audit_change.sql",
                "Dispatch.Silo.Storage.Sql.sqlite.V1__orleans_storage.sql",
                "Dispatch.Silo.Storage.Sql.sqlite.V2__audit.sql",
                "Dispatch.Silo.Storage.Sql.sqlite.V3__audit_change.sql",
            ],
            names);
    }

    [Fact]
    public void Applying_the_schema_again_is_a_no_op()
    {
        // Evolve's record: the "main" schema found empty (type 2), then our scripts (type 0, versions 1 to 3).
        const string Changelog =
            $"SELECT group_concat(entry, ',') FROM (SELECT type || ':' || version || ':' || name AS entry FROM {StorageSchema.MetadataTableName} ORDER BY id)";
        const string Objects = "SELECT group_concat(type || ':' || name, ',') FROM (SELECT type, name FROM sqlite_master ORDER BY name)";
        var changelogBefore = Scalar<string>(Changelog);
        var objectsBefore = Scalar<string>(Objects);
        var queriesBefore = ReadQueries();

        StorageSchema.ApplySqlite(_connectionString, NullLogger.Instance);

        Assert.Equal("2:0:main,0:1:V1__orleans_storage.sql,0:2:V2__audit.sql,0:3:V3__audit_change.sql", changelogBefore);
        Assert.Equal(changelogBefore, Scalar<string>(Changelog));
        Assert.Equal(objectsBefore, Scalar<string>(Objects));
        Assert.Equal(queriesBefore, ReadQueries());
        Assert.Equal("wal", Scalar<string>("PRAGMA journal_mode"));
    }

    [Fact]
    public void Every_query_key_the_providers_need_is_stored()
    {
        string[] persistence = ["ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey", "DeleteStorageKey"];
        string[] clustering =
        [
            "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey", "UpdateIAmAlivetimeKey",
            "MembershipReadRowKey", "MembershipReadAllKey", "DeleteMembershipTableEntriesKey", "GatewaysQueryKey",
            "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey",
        ];
        string[] reminders =
        [
            "UpsertReminderRowKey", "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key",
            "ReadRangeRows2Key", "DeleteReminderRowKey", "DeleteReminderRowsKey",
        ];

        var queries = ReadQueries();

        Assert.Equal(
            persistence.Concat(clustering).Concat(reminders).Order(StringComparer.Ordinal),
            queries.Keys.Order(StringComparer.Ordinal));
        Assert.All(queries.Values, text => Assert.False(string.IsNullOrWhiteSpace(text)));
    }

    [Fact]
    public void First_write_creates_version_1_and_a_second_first_write_is_refused()
    {
        var grain = new GrainKey(0, 42, null);

        Assert.Equal([1], Write(grain, version: null, [1, 2, 3]));
        Assert.Empty(Write(grain, version: null, [9, 9, 9]));

        Assert.Equal(1, CountStateRows(grain));
        var read = Read(grain);
        Assert.NotNull(read);
        Assert.Equal(new byte[] { 1, 2, 3 }, read.Value.Payload);
        Assert.Equal(1, read.Value.Version);
    }

    [Fact]
    public void Identities_differing_in_any_part_are_separate_rows()
    {
        var longKey = new GrainKey(0, 7, null);
        var longKeyWithExtension = new GrainKey(0, 7, "eu");
        var guidKey = new GrainKey(-5, 7, null);

        Assert.Equal([1], Write(longKey, null, [1]));
        Assert.Equal([1], Write(longKeyWithExtension, null, [2]));
        Assert.Equal([1], Write(guidKey, null, [3]));
        Assert.Equal([1], Write(longKey, null, [4], stateName: "other-state"));
        Assert.Equal([1], Write(longKey, null, [5], serviceId: "other-service"));

        Assert.Equal(new byte[] { 1 }, Read(longKey)!.Value.Payload);
        Assert.Equal(new byte[] { 2 }, Read(longKeyWithExtension)!.Value.Payload);
        Assert.Equal(new byte[] { 3 }, Read(guidKey)!.Value.Payload);
        Assert.Equal(5, Scalar<long>("SELECT count(*) FROM dispatch_grain_state"));
    }

    [Fact]
    public void Updates_need_the_current_version()
    {
        var grain = new GrainKey(0, 0, "job-17");
        Assert.Equal([1], Write(grain, null, [1]));

        Assert.Equal([2], Write(grain, version: 1, [2]));
        Assert.Empty(Write(grain, version: 1, [3]));
        Assert.Empty(Write(grain, version: 7, [4]));

        var read = Read(grain);
        Assert.Equal(new byte[] { 2 }, read!.Value.Payload);
        Assert.Equal(2, read.Value.Version);
        Assert.Equal(1, CountStateRows(grain));
    }

    [Fact]
    public void Concurrent_first_writes_store_one_row_and_one_winner()
    {
        var grain = new GrainKey(0, 99, null);

        var results = Enumerable.Range(0, 16)
            .AsParallel()
            .WithDegreeOfParallelism(16)
            .Select(i => Write(grain, version: null, [(byte)i]))
            .ToList();

        Assert.Equal(1, results.Count(r => r.SequenceEqual([1])));
        Assert.Equal(15, results.Count(r => r.Count == 0));
        Assert.Equal(1, CountStateRows(grain));
    }

    [Fact]
    public void Reading_a_missing_state_answers_no_row()
    {
        Assert.Null(Read(new GrainKey(1, 2, "nothing")));
    }

    [Fact]
    public void Clear_keeps_the_row_without_payload_and_bumps_the_version()
    {
        var grain = new GrainKey(0, 5, null);
        Assert.Equal([1], Write(grain, null, [1, 1]));

        Assert.Equal(["2"], Clear(grain, version: 1));
        Assert.Empty(Clear(grain, version: 1));

        var read = Read(grain);
        Assert.Null(read!.Value.Payload);
        Assert.Equal(2, read.Value.Version);
        Assert.Equal([3], Write(grain, version: 2, [7]));
        Assert.Equal(new byte[] { 7 }, Read(grain)!.Value.Payload);
    }

    [Fact]
    public void Delete_removes_the_row_when_the_version_matches()
    {
        var grain = new GrainKey(0, 6, null);
        Assert.Equal([1], Write(grain, null, [1]));
        Assert.Equal([2], Write(grain, 1, [2]));

        Assert.Empty(Delete(grain, version: 1));
        Assert.Equal(1, CountStateRows(grain));

        Assert.Equal(["3"], Delete(grain, version: 2));
        Assert.Equal(0, CountStateRows(grain));
        Assert.Null(Read(grain));
        Assert.Equal([1], Write(grain, null, [3]));
    }

    [Fact]
    public void Membership_versions_every_insert_and_update_but_not_the_heartbeat()
    {
        var silo1 = new Silo("10.0.0.1", 11111, 100, "silo-1", ProxyPort: 30000);
        var silo2 = new Silo("10.0.0.2", 11111, 200, "silo-2");

        Assert.True(InsertMembershipVersion());
        Assert.False(InsertMembershipVersion());
        var empty = ReadAllMembers();
        Assert.Equal(0, empty.Version);
        Assert.Empty(empty.Members);

        Assert.True(InsertMember(silo1, status: 2, version: 0));
        Assert.False(InsertMember(silo2, status: 2, version: 0));
        Assert.False(InsertMember(silo1, status: 2, version: 1));
        Assert.True(InsertMember(silo2, status: 2, version: 1));

        var afterInsert = ReadAllMembers();
        Assert.Equal(2, afterInsert.Version);
        Assert.Equal(["10.0.0.1:11111:100", "10.0.0.2:11111:200"], afterInsert.Members.Select(m => m.Id).Order(StringComparer.Ordinal));
        var first = afterInsert.Members.Single(m => m.Id == "10.0.0.1:11111:100");
        Assert.Equal("silo-1", first.SiloName);
        Assert.Equal("host-silo-1", first.HostName);
        Assert.Equal(2, first.Status);
        Assert.Equal(30000, first.ProxyPort);
        Assert.Null(first.SuspectTimes);
        Assert.Equal(_startTime, first.StartTime);
        Assert.Equal(_startTime, first.IAmAliveTime);

        var alive = _startTime.AddSeconds(30).AddTicks(1234);
        Assert.False(UpdateMember(silo1, status: 3, suspectTimes: null, alive, version: 1));
        Assert.True(UpdateMember(silo1, status: 3, suspectTimes: "10.0.0.2:11111@200,2025-03-01 08:00:10.000 GMT", alive, version: 2));
        Assert.False(UpdateMember(new Silo("10.0.0.9", 1, 1, "ghost"), 3, null, alive, version: 3));

        var heartbeat = _startTime.AddMinutes(1);
        UpdateIAmAlive(silo2, heartbeat);

        var afterUpdate = ReadAllMembers();
        Assert.Equal(3, afterUpdate.Version);
        var updated = afterUpdate.Members.Single(m => m.Id == "10.0.0.1:11111:100");
        Assert.Equal(3, updated.Status);
        Assert.Equal("10.0.0.2:11111@200,2025-03-01 08:00:10.000 GMT", updated.SuspectTimes);
        Assert.Equal(alive, updated.IAmAliveTime);
        Assert.Equal(heartbeat, afterUpdate.Members.Single(m => m.Id == "10.0.0.2:11111:200").IAmAliveTime);

        var row = ReadMemberRow(silo2);
        Assert.Equal(3, row.Version);
        Assert.Equal(["10.0.0.2:11111:200"], row.Members.Select(m => m.Id));
        var missing = ReadMemberRow(new Silo("10.0.0.9", 1, 1, "ghost"));
        Assert.Equal(3, missing.Version);
        Assert.Empty(missing.Members);

        Assert.Equal([("10.0.0.1", 30000, 100)], Gateways());
    }

    [Fact]
    public void Defunct_silos_are_cleaned_up_and_the_table_can_be_deleted()
    {
        var active = new Silo("10.0.0.1", 11111, 1, "active");
        var dead = new Silo("10.0.0.2", 11111, 2, "dead");
        var deadButRecent = new Silo("10.0.0.3", 11111, 3, "recent");
        Assert.True(InsertMembershipVersion());
        Assert.True(InsertMember(active, status: 3, version: 0));
        Assert.True(InsertMember(dead, status: 3, version: 1));
        Assert.True(InsertMember(deadButRecent, status: 3, version: 2));
        Assert.True(UpdateMember(dead, status: 6, suspectTimes: null, _startTime, version: 3));
        Assert.True(UpdateMember(deadButRecent, status: 6, suspectTimes: null, _startTime.AddDays(2), version: 4));

        // The per-row query leaves a row alone once any captured value changed.
        CleanupDefunctSiloEntry(dead, _startTime.AddSeconds(1), suspectTimes: null);
        CleanupDefunctSiloEntry(dead, _startTime, suspectTimes: "something");
        Assert.Equal(3, ReadAllMembers().Members.Count);
        CleanupDefunctSiloEntry(dead, _startTime, suspectTimes: "");
        Assert.Equal(["active", "recent"], ReadAllMembers().Members.Select(m => m.SiloName).Order(StringComparer.Ordinal));

        // The bulk query: every silo that is not Active and was last alive before the cut-off.
        Assert.False(UpdateMember(dead, status: 6, suspectTimes: null, _startTime, version: 5));
        Assert.True(InsertMember(dead, status: 6, version: 5));
        Assert.Equal(6, ReadAllMembers().Version);
        CleanupDefunctSiloEntries(cutOff: _startTime.AddDays(1));
        Assert.Equal(["active", "recent"], ReadAllMembers().Members.Select(m => m.SiloName).Order(StringComparer.Ordinal));

        Execute("DeleteMembershipTableEntriesKey", c => c.Add("DeploymentId", DeploymentId));
        Assert.Empty(ReadRows("MembershipReadAllKey", c => c.Add("DeploymentId", DeploymentId), r => r.GetValue(0)));
        Assert.True(InsertMembershipVersion());
    }

    [Fact]
    public void Reminders_upsert_read_range_and_delete()
    {
        var start = new DateTime(2025, 3, 1, 9, 30, 0, DateTimeKind.Utc).AddTicks(4321);
        var longPeriod = TimeSpan.FromDays(60);

        Assert.Equal(0, UpsertReminder("project/1", "daily", start, TimeSpan.FromDays(1), grainHash: 10));
        Assert.Equal(1, UpsertReminder("project/1", "daily", start.AddHours(1), TimeSpan.FromHours(12), grainHash: 10));
        Assert.Equal(0, UpsertReminder("project/1", "monthly", start, longPeriod, grainHash: 10));
        Assert.Equal(0, UpsertReminder("project/2", "daily", start, TimeSpan.FromDays(1), grainHash: -20));

        var daily = ReadReminder("project/1", "daily");
        Assert.Equal(new ReminderRow("project/1", "daily", start.AddHours(1), 12 * 3600 * 1000L, 1), daily);
        Assert.Null(ReadReminder("project/1", "weekly"));
        Assert.Equal(
            [
                new ReminderRow("project/1", "daily", start.AddHours(1), 12 * 3600 * 1000L, 1),
                new ReminderRow("project/1", "monthly", start, (long)longPeriod.TotalMilliseconds, 0),
            ],
            ReadReminders("ReadReminderRowsKey", c => c.Add("GrainId", "project/1", DbType.AnsiString)));

        Assert.Equal(["project/1", "project/1"], ReadRange(beginHash: 0, endHash: 10));
        Assert.Empty(ReadRange(beginHash: 10, endHash: 100));
        Assert.Equal(["project/2"], ReadRange(beginHash: unchecked((uint)-30), endHash: 0));
        // Wrap-around: from the top of the signed ring back to -20, then up to 5.
        Assert.Equal(["project/2"], ReadRange(beginHash: 100, endHash: 5));
        Assert.Equal(["project/1", "project/1", "project/2"], ReadRange(beginHash: 20, endHash: 15));

        Assert.False(DeleteReminder("project/1", "daily", version: 0));
        Assert.True(DeleteReminder("project/1", "daily", version: 1));
        Assert.False(DeleteReminder("project/1", "daily", version: 1));
        Assert.Null(ReadReminder("project/1", "daily"));

        Execute("DeleteReminderRowsKey", c => c.Add("ServiceId", ServiceId));
        Assert.Equal(0, Scalar<long>("SELECT count(*) FROM dispatch_reminder"));
    }

    // ---- persistence -------------------------------------------------------------------------

    private readonly record struct GrainKey(long N0, long N1, string? Extension);

    private List<int?> Write(GrainKey grain, int? version, byte[] payload, string stateName = "state", string serviceId = ServiceId) =>
        ReadRows("WriteToStorageKey", c =>
        {
            AddGrainParameters(c, grain, stateName, serviceId);
            c.Add("GrainStateVersion", version);
            c.Add("PayloadBinary", payload);
        }, r => NullableInt(r, "NewGrainStateVersion"));

    private List<string?> Clear(GrainKey grain, int? version) =>
        ReadRows("ClearStorageKey", c =>
        {
            AddGrainParameters(c, grain, "state", ServiceId);
            c.Add("GrainStateVersion", version);
        }, r => r.GetValue(0).ToString());

    private List<string?> Delete(GrainKey grain, int? version) =>
        ReadRows("DeleteStorageKey", c =>
        {
            AddGrainParameters(c, grain, "state", ServiceId);
            c.Add("GrainStateVersion", version);
        }, r => r.GetValue(0).ToString());

    private (byte[]? Payload, int? Version)? Read(GrainKey grain)
    {
        var rows = ReadRows("ReadFromStorageKey", c => AddGrainParameters(c, grain, "state", ServiceId),
            r => (Payload: r.IsDBNull(r.GetOrdinal("PayloadBinary")) ? null : (byte[])r["PayloadBinary"], Version: NullableInt(r, "Version")));
        return rows.Count == 0 ? null : rows.Single();
    }

    private static void AddGrainParameters(ParameterAdder c, GrainKey grain, string stateName, string serviceId)
    {
        c.Add("GrainIdHash", HashOf(grain));
        c.Add("GrainIdN0", grain.N0);
        c.Add("GrainIdN1", grain.N1);
        c.Add("GrainTypeHash", stateName.Length * 7919);
        c.Add("GrainTypeString", stateName);
        c.Add("GrainIdExtensionString", grain.Extension);
        c.Add("ServiceId", serviceId);
    }

    private static int HashOf(GrainKey grain) => unchecked((int)(grain.N0 * 31 + grain.N1) ^ (grain.Extension?.Length ?? 0));

    private long CountStateRows(GrainKey grain) =>
        Scalar<long>($"SELECT count(*) FROM dispatch_grain_state WHERE grain_id_n0 = {grain.N0} AND grain_id_n1 = {grain.N1}");

    // ---- membership --------------------------------------------------------------------------

    private sealed record Silo(string Address, int Port, int Generation, string Name, int ProxyPort = 0);

    private sealed record Member(
        string Id, string SiloName, string HostName, int Status, int ProxyPort, string? SuspectTimes,
        DateTime StartTime, DateTime IAmAliveTime);

    private sealed record MembershipTable(int Version, List<Member> Members);

    private bool InsertMembershipVersion() =>
        ReadSingleBoolean("InsertMembershipVersionKey", c => c.Add("DeploymentId", DeploymentId));

    private bool InsertMember(Silo silo, int status, int version) =>
        ReadSingleBoolean("InsertMembershipKey", c =>
        {
            c.Add("DeploymentId", DeploymentId);
            c.Add("IAmAliveTime", _startTime);
            c.Add("SiloName", silo.Name);
            c.Add("HostName", "host-" + silo.Name);
            AddSiloAddress(c, silo);
            c.Add("StartTime", _startTime);
            c.Add("Status", status);
            c.Add("ProxyPort", silo.ProxyPort);
            c.Add("Version", version);
        });

    private bool UpdateMember(Silo silo, int status, string? suspectTimes, DateTime iAmAlive, int version) =>
        ReadSingleBoolean("UpdateMembershipKey", c =>
        {
            c.Add("DeploymentId", DeploymentId);
            AddSiloAddress(c, silo);
            c.Add("IAmAliveTime", iAmAlive);
            c.Add("Status", status);
            c.Add("SuspectTimes", suspectTimes);
            c.Add("Version", version);
        });

    private void UpdateIAmAlive(Silo silo, DateTime iAmAlive) =>
        Execute("UpdateIAmAlivetimeKey", c =>
        {
            c.Add("DeploymentId", DeploymentId);
            AddSiloAddress(c, silo);
            c.Add("IAmAliveTime", iAmAlive);
        });

    private void CleanupDefunctSiloEntry(Silo silo, DateTime iAmAlive, string? suspectTimes) =>
        Execute("CleanupDefunctSiloEntryKey", c =>
        {
            c.Add("DeploymentId", DeploymentId);
            AddSiloAddress(c, silo);
            c.Add("SuspectTimes", suspectTimes);
            c.Add("StartTime", _startTime);
            c.Add("IAmAliveTime", iAmAlive);
        });

    private void CleanupDefunctSiloEntries(DateTime cutOff) =>
        Execute("CleanupDefunctSiloEntriesKey", c =>
        {
            c.Add("DeploymentId", DeploymentId);
            c.Add("IAmAliveTime", cutOff);
        });

    private MembershipTable ReadAllMembers() =>
        ToTable(ReadRows("MembershipReadAllKey", c => c.Add("DeploymentId", DeploymentId), ReadMember));

    private MembershipTable ReadMemberRow(Silo silo) =>
        ToTable(ReadRows("MembershipReadRowKey", c =>
        {
            c.Add("DeploymentId", DeploymentId);
            AddSiloAddress(c, silo);
        }, ReadMember));

    private List<(string Address, int ProxyPort, int Generation)> Gateways() =>
        ReadRows("GatewaysQueryKey", c =>
        {
            c.Add("DeploymentId", DeploymentId);
            c.Add("Status", 3);
        }, r => ((string)r["Address"], r.GetInt32(r.GetOrdinal("ProxyPort")), r.GetInt32(r.GetOrdinal("Generation"))));

    private static void AddSiloAddress(ParameterAdder c, Silo silo)
    {
        c.Add("Address", silo.Address, DbType.AnsiString);
        c.Add("Port", silo.Port);
        c.Add("Generation", silo.Generation);
    }

    /// <summary>Reads a row as Orleans does: no member when StartTime is NULL, the version always.</summary>
    private static (Member? Member, int Version) ReadMember(IDataRecord r)
    {
        var version = Convert.ToInt32(r["Version"], System.Globalization.CultureInfo.InvariantCulture);
        var startOrdinal = r.GetOrdinal("StartTime");
        if (r.IsDBNull(startOrdinal))
        {
            return (null, version);
        }
        var id = $"{(string)r["Address"]}:{r.GetInt32(r.GetOrdinal("Port"))}:{r.GetInt32(r.GetOrdinal("Generation"))}";
        var suspectOrdinal = r.GetOrdinal("SuspectTimes");
        var member = new Member(
            id,
            (string)r["SiloName"],
            (string)r["HostName"],
            r.GetInt32(r.GetOrdinal("Status")),
            r.GetInt32(r.GetOrdinal("ProxyPort")),
            r.IsDBNull(suspectOrdinal) ? null : (string)r.GetValue(suspectOrdinal),
            DateTime.SpecifyKind(r.GetDateTime(startOrdinal), DateTimeKind.Utc),
            DateTime.SpecifyKind(r.GetDateTime(r.GetOrdinal("IAmAliveTime")), DateTimeKind.Utc));
        return (member, version);
    }

    private static MembershipTable ToTable(List<(Member? Member, int Version)> rows)
    {
        Assert.NotEmpty(rows);
        return new MembershipTable(rows[0].Version, rows.Where(r => r.Member is not null).Select(r => r.Member!).ToList());
    }

    // ---- reminders ---------------------------------------------------------------------------

    private sealed record ReminderRow(string GrainId, string ReminderName, DateTime StartTime, long Period, int Version);

    private int UpsertReminder(string grainId, string name, DateTime start, TimeSpan period, int grainHash)
    {
        var rows = ReadRows("UpsertReminderRowKey", c =>
        {
            c.Add("ServiceId", ServiceId);
            c.Add("GrainHash", grainHash);
            c.Add("GrainId", grainId, DbType.AnsiString);
            c.Add("ReminderName", name);
            c.Add("StartTime", start);
            // Orleans sends an int when the period fits, a long otherwise.
            if (period.TotalMilliseconds <= int.MaxValue)
            {
                c.Add("Period", (int)period.TotalMilliseconds);
            }
            else
            {
                c.Add("Period", (long)period.TotalMilliseconds);
            }
        }, r => Convert.ToInt32(r["Version"], System.Globalization.CultureInfo.InvariantCulture));
        return rows.First();
    }

    private ReminderRow? ReadReminder(string grainId, string name) =>
        ReadReminders("ReadReminderRowKey", c =>
        {
            c.Add("GrainId", grainId, DbType.AnsiString);
            c.Add("ReminderName", name);
        }).SingleOrDefault();

    private List<string> ReadRange(uint beginHash, uint endHash)
    {
        // The provider's own choice between the two range queries.
        var key = (int)beginHash < (int)endHash ? "ReadRangeRows1Key" : "ReadRangeRows2Key";
        return ReadReminders(key, c =>
        {
            c.Add("BeginHash", (int)beginHash);
            c.Add("EndHash", (int)endHash);
        }).Select(r => r.GrainId).Order(StringComparer.Ordinal).ToList();
    }

    private List<ReminderRow> ReadReminders(string key, Action<ParameterAdder> parameters) =>
        ReadRows(key, c =>
        {
            c.Add("ServiceId", ServiceId);
            parameters(c);
        }, r => new ReminderRow(
            (string)r["GrainId"],
            (string)r["ReminderName"],
            DateTime.SpecifyKind(r.GetDateTime(r.GetOrdinal("StartTime")), DateTimeKind.Utc),
            r.GetInt64(r.GetOrdinal("Period")),
            Convert.ToInt32(r["Version"], System.Globalization.CultureInfo.InvariantCulture)))
        .OrderBy(r => r.GrainId, StringComparer.Ordinal)
        .ThenBy(r => r.ReminderName, StringComparer.Ordinal)
        .ToList();

    private bool DeleteReminder(string grainId, string name, int version) =>
        ReadSingleBoolean("DeleteReminderRowKey", c =>
        {
            c.Add("ServiceId", ServiceId);
            c.Add("GrainId", grainId, DbType.AnsiString);
            c.Add("ReminderName", name);
            c.Add("Version", version);
        });

    // ---- running stored queries the way Orleans does ------------------------------------------

    /// <summary>Adds parameters like Orleans' DbExtensions: by name, DbType from the .NET type, null as DBNull.</summary>
    private sealed class ParameterAdder(DbCommand command)
    {
        private static readonly Dictionary<Type, DbType> _dbTypes = new()
        {
            [typeof(int)] = DbType.Int32,
            [typeof(int?)] = DbType.Int32,
            [typeof(long)] = DbType.Int64,
            [typeof(string)] = DbType.String,
            [typeof(byte[])] = DbType.Binary,
            [typeof(DateTime)] = DbType.DateTime,
        };

        public void Add<T>(string name, T? value, DbType? dbType = null)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = (object?)value ?? DBNull.Value;
            parameter.DbType = dbType ?? _dbTypes[typeof(T)];
            command.Parameters.Add(parameter);
        }
    }

    private Dictionary<string, string> ReadQueries()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT QueryKey, QueryText FROM OrleansQuery";
        using var reader = command.ExecuteReader();
        var queries = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            queries.Add((string)reader["QueryKey"], (string)reader["QueryText"]);
        }
        return queries;
    }

    /// <summary>Runs a stored query and reads every row of every result set, as Orleans' RelationalStorage does.</summary>
    private List<TResult> ReadRows<TResult>(string key, Action<ParameterAdder> parameters, Func<IDataRecord, TResult> selector)
    {
        var text = ReadQueries()[key];
        using var connection = Open();
        using var command = connection.CreateCommand();
        parameters(new ParameterAdder(command));
        command.CommandText = text;
        using var reader = command.ExecuteReader();
        var results = new List<TResult>();
        do
        {
            while (reader.Read())
            {
                results.Add(selector(reader));
            }
        }
        while (reader.NextResult());
        return results;
    }

    private void Execute(string key, Action<ParameterAdder> parameters) =>
        ReadRows(key, parameters, r => 0);

    /// <summary>Orleans' "truthy" answer: exactly one column, the first row decides.</summary>
    private bool ReadSingleBoolean(string key, Action<ParameterAdder> parameters) =>
        ReadRows(key, parameters, r =>
        {
            Assert.Equal(1, r.FieldCount);
            return Convert.ToBoolean(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);
        }).First();

    private static int? NullableInt(IDataRecord record, string name)
    {
        var value = record[name];
        return value == DBNull.Value ? null : Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private T Scalar<T>(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)command.ExecuteScalar()!;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }
}
