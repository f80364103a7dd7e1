using System.Diagnostics;
using System.Globalization;

namespace Dispatch.Bench;

/// <summary>Result lines (stdout, one per scenario, <c>key=value</c> pairs) and progress (stderr).</summary>
public static class Output
{
    private static readonly Lock s_gate = new();
    private static string? s_file;

    public static void AlsoTo(string? file) => s_file = file;

    /// <summary>Writes one parseable result line: <c>bench=name key=value …</c>.</summary>
    public static void Result(FormattableString line)
    {
        var text = line.ToString(CultureInfo.InvariantCulture);
        lock (s_gate)
        {
            Console.Out.WriteLine(text);
            Console.Out.Flush();
            if (s_file is not null)
            {
                File.AppendAllText(s_file, text + Environment.NewLine);
            }
        }
    }

    public static void Progress(FormattableString line)
    {
        lock (s_gate)
        {
            Console.Error.WriteLine(line.ToString(CultureInfo.InvariantCulture));
        }
    }

    public static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
}

/// <summary>Counts work done and prints a progress line every few seconds.</summary>
public sealed class ProgressMeter(string what, long total)
{
    private readonly long _start = Stopwatch.GetTimestamp();
    private long _done;
    private long _lastPrinted = Stopwatch.GetTimestamp();

    public long Done => Interlocked.Read(ref _done);

    public void Add(long n = 1)
    {
        var done = Interlocked.Add(ref _done, n);
        var now = Stopwatch.GetTimestamp();
        var last = Interlocked.Read(ref _lastPrinted);
        if (Stopwatch.GetElapsedTime(last, now) > TimeSpan.FromSeconds(5) && Interlocked.CompareExchange(ref _lastPrinted, now, last) == last)
        {
            var elapsed = Stopwatch.GetElapsedTime(_start, now).TotalSeconds;
            Output.Progress($"  {what}: {done:N0}/{total:N0} ({100.0 * done / Math.Max(1, total):0}%) in {elapsed:0} s, {done / elapsed:N0}/s");
        }
    }
}
