using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace Dispatch.Bench;

/// <summary>
/// What the process spent during a scenario: wall and CPU time, allocations, collections, and the grain-storage reads
/// and writes Orleans reports through its <c>orleans-storage-*-latency</c> instruments (count and mean latency), and
/// on SQLite the one writer's transactions (<c>dispatch.storage.*</c>): how many, writes per transaction, and the share
/// of the time the writer was busy.
/// The bench hosts the silo, so these are the silo's figures plus the load generator's.
/// </summary>
public sealed class RunStats : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _writesByState = new(StringComparer.Ordinal);
    private long _writes;
    private long _reads;
    private double _writeMs;
    private double _readMs;
    private long _transactions;
    private long _batchedWrites;
    private double _transactionMs;

    public RunStats()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name is "orleans-storage-write-latency" or "orleans-storage-read-latency"
                or "dispatch.storage.batch.size" or "dispatch.storage.commit.duration")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<float>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    public Snapshot Take()
    {
        using var process = Process.GetCurrentProcess();
        return new Snapshot(Stopwatch.GetTimestamp(), process.TotalProcessorTime, GC.GetTotalAllocatedBytes(precise: true), GC.CollectionCount(0),
            GC.CollectionCount(1), GC.CollectionCount(2), Interlocked.Read(ref _writes), Interlocked.Read(ref _reads), Volatile.Read(ref _writeMs),
            Volatile.Read(ref _readMs), new Dictionary<string, long>(_writesByState, StringComparer.Ordinal),
            Interlocked.Read(ref _transactions), Interlocked.Read(ref _batchedWrites), Volatile.Read(ref _transactionMs));
    }

    /// <summary><c>key=value</c> pairs for a result line: CPU used (in cores), allocations, gen-2 collections, storage traffic.</summary>
    public static string Since(Snapshot from, Snapshot to, string prefix = "")
    {
        var wall = Stopwatch.GetElapsedTime(from.Timestamp, to.Timestamp).TotalSeconds;
        var cpu = (to.Cpu - from.Cpu).TotalSeconds;
        var writes = to.Writes - from.Writes;
        var reads = to.Reads - from.Reads;
        var p = prefix;
        return string.Create(CultureInfo.InvariantCulture,
            $"{p}cpu_cores={cpu / Math.Max(wall, 1e-9):0.00} {p}alloc_mb={(to.Allocated - from.Allocated) / 1048576.0:0} {p}gc0={to.Gen0 - from.Gen0} {p}gc1={to.Gen1 - from.Gen1} {p}gc2={to.Gen2 - from.Gen2} " +
            $"{p}state_writes={writes} {p}write_ms={(writes == 0 ? 0 : (to.WriteMs - from.WriteMs) / writes):0.00} {p}state_reads={reads} {p}read_ms={(reads == 0 ? 0 : (to.ReadMs - from.ReadMs) / reads):0.00} {p}load1={LoadAverage()} {p}writes_by={ByState(from, to)}{SqliteWriter(from, to, wall, p)}");
    }

    /// <summary>The SQLite writer's transactions, writes per transaction, and the share of the wall time it was busy.</summary>
    private static string SqliteWriter(Snapshot from, Snapshot to, double wall, string p)
    {
        var transactions = to.Transactions - from.Transactions;
        return transactions == 0 ? "" : string.Create(CultureInfo.InvariantCulture,
            $" {p}sqlite_tx={transactions} {p}sqlite_writes_per_tx={(to.BatchedWrites - from.BatchedWrites) / (double)transactions:0.0} {p}sqlite_writer_busy={(to.TransactionMs - from.TransactionMs) / 1000 / Math.Max(wall, 1e-9):0.00}");
    }

    /// <summary>Writes per state name (project, region, meeting, …), most first: <c>project:1200,region:900</c>.</summary>
    private static string ByState(Snapshot from, Snapshot to)
    {
        var parts = to.WritesByState
            .Select(kv => (kv.Key, Count: kv.Value - from.WritesByState.GetValueOrDefault(kv.Key)))
            .Where(x => x.Count > 0)
            .OrderByDescending(x => x.Count)
            .Select(x => $"{x.Key}:{x.Count}");
        var text = string.Join(",", parts);
        return text.Length == 0 ? "none" : text;
    }

    /// <summary>
    /// The machine's one-minute load average at the end of the scenario (Linux): above the core count, other processes
    /// competed with the bench for CPU or disk, and the figures are pessimistic.
    /// </summary>
    private static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "na";
        }
        catch (IOException)
        {
            return "na";
        }
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (instrument.Name == "dispatch.storage.batch.size")
        {
            Interlocked.Increment(ref _transactions);
            Interlocked.Add(ref _batchedWrites, (long)value);
        }
        else if (instrument.Name == "dispatch.storage.commit.duration")
        {
            Add(ref _transactionMs, value * 1000);
        }
        else if (instrument.Name == "orleans-storage-write-latency")
        {
            Interlocked.Increment(ref _writes);
            var state = "other";
            foreach (var tag in tags)
            {
                if (tag.Key is "state_name" or "state_type" && tag.Value is string name)
                {
                    state = name;
                    break;
                }
            }
            _writesByState.AddOrUpdate(state, 1, (_, n) => n + 1);
            Add(ref _writeMs, value);
        }
        else
        {
            Interlocked.Increment(ref _reads);
            Add(ref _readMs, value);
        }
    }

    private static void Add(ref double target, double value)
    {
        double seen, sum;
        do
        {
            seen = Volatile.Read(ref target);
            sum = seen + value;
        }
        while (Interlocked.CompareExchange(ref target, sum, seen) != seen);
    }

    public void Dispose() => _listener.Dispose();

    public readonly record struct Snapshot(long Timestamp, TimeSpan Cpu, long Allocated, int Gen0, int Gen1, int Gen2, long Writes, long Reads,
        double WriteMs, double ReadMs, IReadOnlyDictionary<string, long> WritesByState, long Transactions, long BatchedWrites, double TransactionMs);
}
