using System.Text.Json;
using Dispatch.Silo.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Storage;

namespace Dispatch.Tests.Storage;

/// <summary>The embedded default's grain storage and its one writer, on a real SQLite file with the real schema.</summary>
public sealed class SqliteGrainStorageTests : IAsyncDisposable
{
    private const string ServiceId = "dispatch-test";

    private readonly string _folder;
    private readonly string _connectionString;
    private readonly SqliteWriter _writer;
    private readonly SqliteGrainStorage _storage;

    public SqliteGrainStorageTests()
    {
        _folder = Path.Combine(Path.GetTempPath(), "dispatch-storage-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        _connectionString = StorageSchema.SqliteConnectionString(Path.Combine(_folder, "dispatch.db"));
        StorageSchema.ApplySqlite(_connectionString, NullLogger.Instance);
        _writer = new SqliteWriter(_connectionString, NullLogger<SqliteWriter>.Instance);
        _storage = new SqliteGrainStorage(_connectionString, _writer, new JsonStateSerializer(),
            Options.Create(new ClusterOptions { ServiceId = ServiceId }));
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    public sealed class Counter
    {
        public int Value { get; set; }
        public List<string> Notes { get; set; } = [];
    }

    private static GrainId Grain(string key) => GrainId.Create("project", key);

    private async Task<GrainState<Counter>> ReadAsync(string key)
    {
        var state = new GrainState<Counter>(new Counter());
        await _storage.ReadStateAsync("project", Grain(key), state);
        return state;
    }

    [Fact]
    public async Task A_state_reads_back_as_written_and_each_write_moves_the_version()
    {
        var empty = await ReadAsync("p1");
        Assert.Equal((false, (string?)null, 0), (empty.RecordExists, empty.ETag, empty.State!.Value));

        empty.State!.Value = 7;
        empty.State!.Notes.Add("开工");
        await _storage.WriteStateAsync("project", Grain("p1"), empty);
        Assert.Equal(("1", true), (empty.ETag, empty.RecordExists));
        empty.State!.Value = 8;
        await _storage.WriteStateAsync("project", Grain("p1"), empty);

        var read = await ReadAsync("p1");
        Assert.Equal(("2", true, 8, "开工"), (read.ETag, read.RecordExists, read.State!.Value, Assert.Single(read.State!.Notes)));
        Assert.False((await ReadAsync("p2")).RecordExists);
    }

    [Fact]
    public async Task A_write_over_a_newer_version_fails_and_changes_nothing()
    {
        var first = await ReadAsync("p1");
        first.State!.Value = 1;
        await _storage.WriteStateAsync("project", Grain("p1"), first);
        var stale = await ReadAsync("p1");
        first.State!.Value = 2;
        await _storage.WriteStateAsync("project", Grain("p1"), first);

        stale.State!.Value = 99;
        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("project", Grain("p1"), stale));
        Assert.Equal(("2", "1"), (error.StoredEtag, error.CurrentEtag));
        Assert.Equal((2, "2"), ((await ReadAsync("p1")).State!.Value, (await ReadAsync("p1")).ETag));
    }

    [Fact]
    public async Task Of_sixteen_concurrent_first_writes_exactly_one_wins()
    {
        var writes = Enumerable.Range(0, 16).Select(async i =>
        {
            var state = new GrainState<Counter>(new Counter { Value = i });
            try
            {
                await _storage.WriteStateAsync("project", Grain("contested"), state);
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        });
        Assert.Equal(1, (await Task.WhenAll(writes)).Count(won => won));
        Assert.Equal("1", (await ReadAsync("contested")).ETag);
    }

    [Fact]
    public async Task Writes_queued_together_commit_together_and_one_failing_write_spares_the_rest()
    {
        var stale = new GrainState<Counter>(new Counter()) { ETag = "41" };
        var writes = Enumerable.Range(0, 200)
            .Select(i => _storage.WriteStateAsync("project", Grain($"g{i}"), new GrainState<Counter>(new Counter { Value = i })))
            .Append(_storage.WriteStateAsync("project", Grain("g7"), stale))
            .ToList();
        var all = Task.WhenAll(writes);
        await Assert.ThrowsAsync<InconsistentStateException>(() => all);

        Assert.Equal(200, writes.Count(w => w.IsCompletedSuccessfully));
        Assert.Equal(7, (await ReadAsync("g7")).State!.Value);
        Assert.Equal(199, (await ReadAsync("g199")).State!.Value);
        var (batches, committed) = _writer.Committed;
        Assert.Equal(200, committed);
        Assert.True(batches < 200, $"{committed} writes went in {batches} transactions");
    }

    [Fact]
    public async Task A_cleared_state_reads_as_new_and_can_be_written_again()
    {
        var state = await ReadAsync("p1");
        state.State!.Value = 5;
        await _storage.WriteStateAsync("project", Grain("p1"), state);
        await _storage.ClearStateAsync("project", Grain("p1"), state);
        Assert.Equal((false, "2", 0), (state.RecordExists, state.ETag, state.State!.Value));

        var read = await ReadAsync("p1");
        Assert.Equal((false, "2", 0), (read.RecordExists, read.ETag, read.State!.Value));
        read.State!.Value = 6;
        await _storage.WriteStateAsync("project", Grain("p1"), read);
        Assert.Equal(("3", 6), ((await ReadAsync("p1")).ETag, (await ReadAsync("p1")).State!.Value));
    }

    [Fact]
    public async Task Rows_written_by_the_ado_net_provider_read_back_and_keep_their_version()
    {
        // The ADO.NET provider's own stored write query, with the values it sends for a string-keyed grain.
        await using (var connection = new SqliteConnection(_connectionString))
        {
            connection.Open();
            using var query = connection.CreateCommand();
            query.CommandText = "SELECT QueryText FROM OrleansQuery WHERE QueryKey = 'WriteToStorageKey'";
            using var write = connection.CreateCommand();
            write.CommandText = (string)query.ExecuteScalar()!;
            write.Parameters.AddWithValue("@ServiceId", ServiceId);
            write.Parameters.AddWithValue("@GrainTypeString", "project");
            write.Parameters.AddWithValue("@GrainIdN0", 0L);
            write.Parameters.AddWithValue("@GrainIdN1", 0L);
            write.Parameters.AddWithValue("@GrainIdExtensionString", "legacy");
            write.Parameters.AddWithValue("@GrainIdHash", 1);
            write.Parameters.AddWithValue("@GrainTypeHash", 2);
            write.Parameters.AddWithValue("@PayloadBinary", new JsonStateSerializer().Serialize(new Counter { Value = 3 }).ToArray());
            write.Parameters.AddWithValue("@GrainStateVersion", DBNull.Value);
            write.ExecuteNonQuery();
        }

        var read = await ReadAsync("legacy");
        Assert.Equal((true, "1", 3), (read.RecordExists, read.ETag, read.State!.Value));
        read.State!.Value = 4;
        await _storage.WriteStateAsync("project", Grain("legacy"), read);
        Assert.Equal(("2", 4), ((await ReadAsync("legacy")).ETag, (await ReadAsync("legacy")).State!.Value));
    }

    /// <summary>The silo serializes with Orleans' codecs; any real serializer shows the storage contract.</summary>
    private sealed class JsonStateSerializer : IGrainStorageSerializer
    {
        public BinaryData Serialize<T>(T? input) => BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(input));

        public T Deserialize<T>(BinaryData input) => input.ToObjectFromJson<T>()!;
    }
}
