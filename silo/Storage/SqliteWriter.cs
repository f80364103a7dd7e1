using System.Diagnostics;
using System.Threading.Channels;
using Dispatch.Grains;
using Microsoft.Data.Sqlite;

namespace Dispatch.Silo.Storage;

/// <summary>
/// The one writer of a silo's SQLite file. SQLite admits one writer at a time: connections that write
/// concurrently wait on the file lock in sleep-and-retry loops, which made each grain write cost tens of
/// milliseconds under load. Here writes queue in memory instead, and whatever has queued while the previous
/// transaction committed goes into the next one (group commit): one fsync per batch, not per write, and a
/// write is acknowledged only after its batch is durable.
/// </summary>
public sealed class SqliteWriter : IAsyncDisposable
{
    /// <summary>Upper bound of writes per transaction, so one commit never holds the file for long.</summary>
    public const int MaxBatch = 512;

    private readonly Channel<WriteJob> _queue = Channel.CreateUnbounded<WriteJob>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection _connection;
    private readonly SqliteStatements _statements;
    private readonly ILogger _logger;
    private readonly Task _loop;
    private long _batches;
    private long _writes;

    public SqliteWriter(string connectionString, ILogger<SqliteWriter> logger)
    {
        _logger = logger;
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        using (var pragma = _connection.CreateCommand())
        {
            // FULL: a batch is on disk when its writers hear so. The busy timeout covers the file's other, rare
            // writers (reminders, schema upgrades) in SQLite's own wait instead of failing.
            pragma.CommandText = $"PRAGMA synchronous=FULL; PRAGMA busy_timeout={StorageSchema.SqliteDefaultTimeoutSeconds * 1000};";
            pragma.ExecuteNonQuery();
        }
        _statements = new SqliteStatements(_connection);
        _loop = Task.Factory.StartNew(RunAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Transactions committed and writes they carried since start (for benchmarks and diagnostics).</summary>
    public (long Batches, long Writes) Committed => (Interlocked.Read(ref _batches), Interlocked.Read(ref _writes));

    /// <summary>
    /// Runs <paramref name="write"/> with the writer's statements inside the next batch and answers its result once
    /// the batch has committed. A write that throws is undone alone (a savepoint); the others in its batch go on.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<SqliteStatements, T> write)
    {
        var job = new WriteJob<T>(write);
        if (!_queue.Writer.TryWrite(job))
        {
            throw new ObjectDisposedException(nameof(SqliteWriter), "The SQLite writer has stopped; the silo is shutting down.");
        }
        return job.Result;
    }

    private async Task RunAsync()
    {
        var batch = new List<WriteJob>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var job))
            {
                batch.Add(job);
            }
            Commit(batch);
            batch.Clear();
        }
    }

    private void Commit(List<WriteJob> batch)
    {
        var started = Stopwatch.GetTimestamp();
        var done = new List<WriteJob>(batch.Count);
        try
        {
            using var transaction = _connection.BeginTransaction();
            _statements.Transaction = transaction;
            foreach (var job in batch)
            {
                _statements.For("SAVEPOINT w").ExecuteNonQuery();
                try
                {
                    job.Run(_statements);
                    _statements.For("RELEASE w").ExecuteNonQuery();
                    done.Add(job);
                }
                catch (Exception e)
                {
                    _statements.For("ROLLBACK TO w").ExecuteNonQuery();
                    _statements.For("RELEASE w").ExecuteNonQuery();
                    job.Fail(e);
                }
            }
            transaction.Commit();
        }
        catch (Exception e)
        {
            _logger.LogError(e, "A SQLite write batch of {Count} failed to commit; its writers see the error", batch.Count);
            foreach (var job in batch)
            {
                job.Fail(e);
            }
            return;
        }
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _writes, done.Count);
        DispatchMetrics.StorageBatchSize.Record(done.Count);
        DispatchMetrics.StorageCommitDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        foreach (var job in done)
        {
            job.Complete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
        _statements.Dispose();
        await _connection.DisposeAsync();
    }

    private abstract class WriteJob
    {
        public abstract void Run(SqliteStatements statements);
        public abstract void Complete();
        /// <summary>Idempotent: a write already failed alone keeps its own error.</summary>
        public abstract void Fail(Exception error);
    }

    private sealed class WriteJob<T>(Func<SqliteStatements, T> write) : WriteJob
    {
        private readonly TaskCompletionSource<T> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _value;

        public Task<T> Result => _result.Task;

        public override void Run(SqliteStatements statements) => _value = write(statements);
        public override void Complete() => _result.TrySetResult(_value!);
        public override void Fail(Exception error) => _result.TrySetException(error);
    }
}

/// <summary>
/// The writer's statements: each SQL text is prepared once on the writer's connection and reused by every later
/// write (SQLite re-parses a statement for every new command otherwise). Used only on the writer's thread.
/// </summary>
public sealed class SqliteStatements(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _prepared = new(StringComparer.Ordinal);

    internal SqliteTransaction? Transaction { get; set; }

    /// <summary>The statement for <paramref name="sql"/>, its parameters cleared, in the batch's transaction.</summary>
    public SqliteCommand For(string sql)
    {
        if (!_prepared.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            _prepared[sql] = command;
        }
        command.Parameters.Clear();
        command.Transaction = Transaction;
        return command;
    }

    public void Dispose()
    {
        foreach (var command in _prepared.Values)
        {
            command.Dispose();
        }
        _prepared.Clear();
    }
}
