using System.Collections.Frozen;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Dispatch.Contracts;

namespace Dispatch.Grains;

/// <summary>
/// Dispatch's own instruments, in the meter <c>Dispatch</c> that the silo exports (Prometheus, OTLP) and
/// <c>dotnet-counters monitor -n Dispatch.Silo --counters Dispatch</c> shows. Plain System.Diagnostics.Metrics: with no
/// listener a measurement costs a flag check, so the grains record on their hot paths.
/// </summary>
public static class DispatchMetrics
{
    public const string MeterName = "Dispatch";

    public static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> s_reportsReceived = Meter.CreateCounter<long>("dispatch.reports.received", "{report}",
        "Progress reports a project accepted");
    private static readonly Counter<long> s_meetingsHeld = Meter.CreateCounter<long>("dispatch.meetings.held", "{meeting}",
        "Meetings held, by cadence");
    private static readonly Counter<long> s_warningsRaised = Meter.CreateCounter<long>("dispatch.warnings.raised", "{warning}",
        "Warnings raised, by rule and level");
    private static readonly Counter<long> s_warningsEscalated = Meter.CreateCounter<long>("dispatch.warnings.escalated", "{warning}",
        "Warnings passed up to the next region's inbox, by rule and level");

    /// <summary>Writes committed together in one SQLite transaction (the embedded mode's group commit).</summary>
    public static readonly Histogram<int> StorageBatchSize = Meter.CreateHistogram("dispatch.storage.batch.size", "{write}",
        "Writes committed together in one SQLite transaction", tags: null,
        new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512] });

    /// <summary>Time one SQLite transaction took, its writes and the commit's fsync included.</summary>
    public static readonly Histogram<double> StorageCommitDuration = Meter.CreateHistogram("dispatch.storage.commit.duration", "s",
        "Time the writer spent on one SQLite transaction, its writes and the commit's fsync included", tags: null,
        // The SDK's default buckets suit milliseconds; commits take from a fraction of a millisecond to tens of them.
        new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] });

    public static void ReportReceived() => s_reportsReceived.Add(1);

    public static void MeetingHeld(Cadence cadence) => s_meetingsHeld.Add(1, new KeyValuePair<string, object?>("cadence", Names<Cadence>.Of(cadence)));

    public static void WarningRaised(WarningView warning) => s_warningsRaised.Add(1, WarningTags(warning));

    public static void WarningEscalated(WarningView warning) => s_warningsEscalated.Add(1, WarningTags(warning));

    private static TagList WarningTags(WarningView warning) => new()
    {
        { "rule", Names<WarningRule>.Of(warning.Rule) },
        { "level", Names<Light>.Of(warning.Level) },
    };

    /// <summary>Tag values as the API spells them (camelCase), computed once per enum so that recording allocates nothing.</summary>
    private static class Names<T> where T : struct, Enum
    {
        private static readonly FrozenDictionary<T, string> s_names =
            Enum.GetValues<T>().Distinct().ToFrozenDictionary(v => v, v => JsonNamingPolicy.CamelCase.ConvertName(v.ToString()));

        public static string Of(T value) => s_names.TryGetValue(value, out var name) ? name : "other";
    }
}
