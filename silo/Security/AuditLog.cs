using System.Data.Common;
using System.Text.Json;
using Dispatch.Silo.Hosting;
using Dispatch.Silo.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Dispatch.Silo.Security;

/// <summary>One change or refused attempt: who, from where, what, when, and what it changed.</summary>
public sealed record AuditEntry(long Id, DateTimeOffset At, string Actor, string Role, string Action, string Target, int Status, string? Detail)
{
    /// <summary>The caller's remote address.</summary>
    public string? Address { get; init; }

    /// <summary>What the change changed, as the handler told it: <c>{"before":{…},"after":{…}}</c> with the fields that differ.</summary>
    public JsonElement? Change { get; init; }
}

/// <summary>The audit log, an append-only table beside the grain state (SQLite file or PostgreSQL).</summary>
public sealed class AuditLog(SiloSettings settings, IServiceProvider services)
{
    private readonly DbDataSource _source = settings.IsCluster
        ? NpgsqlDataSource.Create(settings.PostgresConnectionString!)
        : SqliteFactory.Instance.CreateDataSource(StorageSchema.SqliteConnectionString(settings.SqliteFile));
    private readonly SqliteWriter? _writer = settings.IsCluster ? null : services.GetRequiredService<SqliteWriter>();

    private const string InsertSql =
        "INSERT INTO dispatch_audit (at, actor, role, action, target, status, detail, address, change) VALUES (@at, @actor, @role, @action, @target, @status, @detail, @address, @change)";

    public async Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        if (_writer is null)
        {
            await using var command = _source.CreateCommand(InsertSql);
            AddEntry(command, entry, entry.At.UtcDateTime);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return;
        }
        // On SQLite the entry joins the grain writes' next batch rather than competing with them for the file lock.
        await _writer.WriteAsync(statements =>
        {
            var command = statements.For(InsertSql);
            AddEntry(command, entry, entry.At.UtcDateTime.ToString("O"));
            return command.ExecuteNonQuery();
        });
    }

    private static void AddEntry(DbCommand command, AuditEntry entry, object at)
    {
        Add(command, "@at", at);
        Add(command, "@actor", entry.Actor);
        Add(command, "@role", entry.Role);
        Add(command, "@action", entry.Action);
        Add(command, "@target", entry.Target);
        Add(command, "@status", entry.Status);
        Add(command, "@detail", (object?)entry.Detail ?? DBNull.Value);
        Add(command, "@address", (object?)entry.Address ?? DBNull.Value);
        Add(command, "@change", entry.Change is { } change ? change.GetRawText() : DBNull.Value);
    }

    /// <summary>The newest entries first, optionally only one actor's.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(int limit, string? actor, CancellationToken cancellationToken)
    {
        await using var command = _source.CreateCommand(
            "SELECT id, at, actor, role, action, target, status, detail, address, change FROM dispatch_audit WHERE (@actor IS NULL OR actor = @actor) ORDER BY id DESC LIMIT @limit");
        Add(command, "@actor", (object?)actor ?? DBNull.Value);
        Add(command, "@limit", limit);
        var entries = new List<AuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var at = reader.GetValue(1) switch
            {
                DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
                string s => DateTimeOffset.Parse(s, System.Globalization.CultureInfo.InvariantCulture),
                var other => throw new InvalidDataException($"Unexpected audit time {other}"),
            };
            entries.Add(new AuditEntry(reader.GetInt64(0), at, reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.GetInt32(6), reader.IsDBNull(7) ? null : reader.GetString(7))
            {
                Address = reader.IsDBNull(8) ? null : reader.GetString(8),
                Change = reader.IsDBNull(9) ? null : ParseJson(reader.GetString(9)),
            });
        }
        return entries;
    }

    private static JsonElement ParseJson(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
