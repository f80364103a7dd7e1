using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Storage;

namespace Dispatch.Silo.Storage;

/// <summary>
/// Grain state in the embedded SQLite file, in the same <c>dispatch_grain_state</c> rows the ADO.NET provider
/// uses on PostgreSQL (so a file written before this provider reads back unchanged). Reads use pooled
/// connections side by side (write-ahead log); writes go through the file's one <see cref="SqliteWriter"/>.
/// The version column is the ETag: a write names the version it read, and a write over a newer one fails with
/// <see cref="InconsistentStateException"/>, as with any Orleans provider.
/// </summary>
public sealed class SqliteGrainStorage(
    string connectionString,
    SqliteWriter writer,
    IGrainStorageSerializer serializer,
    IOptions<ClusterOptions> cluster) : IGrainStorage
{
    private readonly string _serviceId = cluster.Value.ServiceId;

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT payload, version FROM dispatch_grain_state WHERE {ThisRow}";
        AddIdentity(command, stateName, grainId);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            Reset(grainState, etag: null);
            return;
        }
        var version = reader.GetInt64(1).ToString(CultureInfo.InvariantCulture);
        if (reader.IsDBNull(0))
        {
            Reset(grainState, version);
            return;
        }
        grainState.State = serializer.Deserialize<T>(BinaryData.FromBytes((byte[])reader.GetValue(0)));
        grainState.ETag = version;
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        // Serialized here, on the grain's turn: the grain may change its state again once the write is queued.
        var serialized = serializer.Serialize(grainState.State).ToMemory();
        var payload = MemoryMarshal.TryGetArray(serialized, out var whole) && whole.Offset == 0 && whole.Count == whole.Array!.Length
            ? whole.Array
            : serialized.ToArray();
        grainState.ETag = await StoreAsync(stateName, grainId, grainState.ETag, payload);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var etag = await StoreAsync(stateName, grainId, grainState.ETag, payload: null);
        Reset(grainState, etag);
    }

    /// <summary>
    /// A first write inserts version 1 unless a row exists; a later one swaps the payload only over the version it
    /// read. Either way exactly one row changes, or the grain's view of the state is stale.
    /// </summary>
    private Task<string> StoreAsync(string stateName, GrainId grainId, string? etag, byte[]? payload) => writer.WriteAsync(statements =>
    {
        long expected = 0;
        SqliteCommand command;
        if (etag is null)
        {
            command = statements.For("""
                INSERT INTO dispatch_grain_state
                    (service_id, state_name, grain_id_n0, grain_id_n1, grain_id_ext, grain_id_hash, state_name_hash, payload, version, modified_on)
                VALUES ($service, $state, 0, 0, $key, $hash, 0, $payload, 1, strftime('%Y-%m-%d %H:%M:%f', 'now'))
                ON CONFLICT DO NOTHING
                """);
        }
        else
        {
            expected = long.Parse(etag, CultureInfo.InvariantCulture);
            command = statements.For($"""
                UPDATE dispatch_grain_state
                SET payload = $payload, version = version + 1, modified_on = strftime('%Y-%m-%d %H:%M:%f', 'now')
                WHERE {ThisRow} AND version = $version
                """);
            command.Parameters.AddWithValue("$version", expected);
        }
        AddIdentity(command, stateName, grainId);
        command.Parameters.AddWithValue("$hash", grainId.GetUniformHashCode());
        command.Parameters.AddWithValue("$payload", (object?)payload ?? DBNull.Value);
        if (command.ExecuteNonQuery() != 1)
        {
            throw new InconsistentStateException(
                $"The stored '{stateName}' state of {grainId} is not version {etag ?? "(none)"}: another activation wrote it.",
                StoredVersion(statements, stateName, grainId), etag ?? "");
        }
        return (expected + 1).ToString(CultureInfo.InvariantCulture);
    });

    private string StoredVersion(SqliteStatements statements, string stateName, GrainId grainId)
    {
        var command = statements.For($"SELECT version FROM dispatch_grain_state WHERE {ThisRow}");
        AddIdentity(command, stateName, grainId);
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture) ?? "";
    }

    /// <summary>The row of one grain's state; <see cref="AddIdentity"/> binds its parameters.</summary>
    private const string ThisRow = "service_id = $service AND state_name = $state AND grain_id_n0 = 0 AND grain_id_n1 = 0 AND grain_id_ext = $key";

    /// <summary>
    /// The row key: the ADO.NET provider stores a string-keyed grain as N0 = N1 = 0 and the key as the extension,
    /// and every Dispatch grain has a string key.
    /// </summary>
    private void AddIdentity(SqliteCommand command, string stateName, GrainId grainId)
    {
        command.Parameters.AddWithValue("$service", _serviceId);
        command.Parameters.AddWithValue("$state", stateName);
        command.Parameters.AddWithValue("$key", grainId.Key.ToString());
    }

    private static void Reset<T>(IGrainState<T> grainState, string? etag)
    {
        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = etag;
        grainState.RecordExists = false;
    }
}
