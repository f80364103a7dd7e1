using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dispatch.Grains;
using Dispatch.Silo.Hosting;
using Dispatch.Tests.Api;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Dispatch.Tests.Hosting;

/// <summary>
/// Health probes and the operators' metrics on a real silo. The Dispatch meter is one per process and other tests'
/// silos record into it too, so counts are compared as "at least" and "grew", never as exact figures.
/// </summary>
public sealed partial class TelemetryTests : IAsyncLifetime
{
    private SiloProcess _silo = null!;

    public async Task InitializeAsync()
    {
        _silo = await SiloProcess.StartAsync();
        await Put("/api/regions/tm", new { name = "遥测省", level = "province" });
        await Put("/api/regions/tm-city", new { name = "遥测市", level = "city", parentId = "tm" });
        await Put("/api/regions/tm-d1", new { name = "遥测区", level = "district", parentId = "tm-city" });
        await Put("/api/projects/tm-p1", HttpApiTests.ValidProject("tm-d1"));
    }

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task Metrics_after_a_monthly_report_include_reports_received_storage_batches_and_orleans()
    {
        var report = await _silo.Http.PostAsJsonAsync("/api/projects/tm-p1/reports",
            new { period = "2024-03", investmentCompleted = 1200, percentComplete = 5, milestonesReached = Array.Empty<object>(), narrative = "场地平整" });
        Assert.True(report.IsSuccessStatusCode, await report.Content.ReadAsStringAsync());

        var response = await _silo.Http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(Sum(text, "dispatch_reports_received_total") >= 1, text);
        Assert.True(Sum(text, "dispatch_storage_batch_size_count") >= 1, text);
        Assert.True(Sum(text, "dispatch_storage_commit_duration_seconds_count") >= 1, text);
        Assert.Contains(SeriesNames(text), n => n.StartsWith("orleans_", StringComparison.Ordinal));
        Assert.Contains(SeriesNames(text), n => n.StartsWith("http_server_request_duration_seconds", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metrics_are_for_operators_only()
    {
        using var anonymous = _silo.Client(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
        var officialToken = await _silo.IssueTokenAsync(new { role = "official", regionId = "tm-d1", name = "王科长" });
        using var official = _silo.Client(officialToken);
        Assert.Equal(HttpStatusCode.Forbidden, (await official.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task A_meeting_held_counts_in_meetings_held_by_cadence()
    {
        var before = Sum(await _silo.Http.GetStringAsync("/metrics"), "dispatch_meetings_held_total", "cadence=\"weekly\"");
        var meeting = await _silo.Http.PostAsJsonAsync("/api/regions/tm-d1/meetings", new { cadence = "weekly", asOf = "2024-03-18" });
        Assert.True(meeting.IsSuccessStatusCode, await meeting.Content.ReadAsStringAsync());
        // The exporter may answer a scrape from its short-lived cache: wait for a fresh one.
        await SiloProcess.WaitUntilAsync(async () => Sum(await _silo.Http.GetStringAsync("/metrics"), "dispatch_meetings_held_total", "cadence=\"weekly\"") >= before + 1,
            TimeSpan.FromSeconds(10), "dispatch_meetings_held_total to count the meeting");
    }

    [Fact]
    public async Task Ready_lists_its_checks_without_a_token()
    {
        using var anonymous = _silo.Client(null);
        var ready = await anonymous.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        var checks = body.RootElement.GetProperty("checks");
        Assert.Equal(["storage", "silo", "grains", "scheduler"], checks.EnumerateObject().Select(c => c.Name));
        Assert.All(checks.EnumerateObject(), c => Assert.True(c.Value.GetProperty("ok").GetBoolean(), c.ToString()));
        Assert.Equal("Active", checks.GetProperty("silo").GetProperty("detail").GetString());
        Assert.Equal("running", checks.GetProperty("scheduler").GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Ready_is_503_while_the_scheduler_stands_by_and_200_once_it_runs_again()
    {
        var scheduler = await _silo.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.Standby();
        using var anonymous = _silo.Client(null);
        try
        {
            var ready = await anonymous.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Equal("application/problem+json", ready.Content.Headers.ContentType?.MediaType);
            using var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
            var checks = body.RootElement.GetProperty("checks");
            Assert.False(checks.GetProperty("scheduler").GetProperty("ok").GetBoolean());
            Assert.Equal("standby", checks.GetProperty("scheduler").GetProperty("detail").GetString());
            Assert.True(checks.GetProperty("storage").GetProperty("ok").GetBoolean());
            Assert.Contains("scheduler: standby", body.RootElement.GetProperty("detail").GetString());
        }
        finally
        {
            await scheduler.Start();
        }
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task The_grafana_dashboard_queries_only_metrics_the_silo_exports()
    {
        var report = await _silo.Http.PostAsJsonAsync("/api/projects/tm-p1/reports",
            new { period = "2024-03", investmentCompleted = 1200, percentComplete = 5, milestonesReached = Array.Empty<object>(), narrative = "场地平整" });
        Assert.True(report.IsSuccessStatusCode, await report.Content.ReadAsStringAsync());
        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(BuiltOutput.RepositoryRoot, "docs", "grafana-dispatch.json")));
        var panels = dashboard.RootElement.GetProperty("panels").EnumerateArray().Where(p => p.TryGetProperty("targets", out _)).ToList();
        Assert.True(panels.Count >= 9, $"only {panels.Count} panels with queries");
        var queried = panels.SelectMany(p => p.GetProperty("targets").EnumerateArray()
                .SelectMany(t => MetricNames(t.GetProperty("expr").GetString()!)).Select(m => (Panel: p.GetProperty("title").GetString(), Metric: m)))
            .ToList();
        Assert.Contains(queried, q => q.Metric == "dispatch_reports_received_total");

        // A counter shows in /metrics only once it has counted (no warning escalates in this test), so our own
        // instruments also count by the exporter's naming, which the storage histograms (recorded above) confirm.
        var ours = DispatchSeriesNames();
        Assert.Contains("dispatch_storage_commit_duration_seconds_bucket", ours);
        var exported = new HashSet<string>();
        await SiloProcess.WaitUntilAsync(async () =>
        {
            exported = SeriesNames(await _silo.Http.GetStringAsync("/metrics"));
            return exported.Contains("dispatch_storage_commit_duration_seconds_bucket") && exported.Contains("dispatch_storage_batch_size_bucket");
        }, TimeSpan.FromSeconds(10), "the storage histograms in /metrics");
        var missing = queried.Where(q => !exported.Contains(q.Metric) && !ours.Contains(q.Metric)).Select(q => $"{q.Panel}: {q.Metric}").ToList();
        Assert.True(missing.Count == 0, "not exported: " + string.Join(", ", missing));
    }

    /// <summary>
    /// The series the Dispatch meter's instruments export as, by the Prometheus exporter's rules: dots become
    /// underscores, seconds add <c>_seconds</c>, counters <c>_total</c>, histograms their bucket, sum and count.
    /// </summary>
    private static HashSet<string> DispatchSeriesNames()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, _) =>
        {
            if (instrument.Meter.Name != DispatchMetrics.MeterName)
            {
                return;
            }
            var name = instrument.Name.Replace('.', '_') + (instrument.Unit == "s" ? "_seconds" : "");
            string[] series = instrument.GetType().Name.StartsWith("Histogram", StringComparison.Ordinal) ? [name + "_bucket", name + "_sum", name + "_count"]
                : instrument.GetType().Name.StartsWith("Counter", StringComparison.Ordinal) ? [name + "_total"] : [name];
            names.UnionWith(series);
        };
        listener.Start();
        return names;
    }

    private async Task Put(string path, object body)
    {
        var response = await _silo.Http.PutAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"PUT {path}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>The sum of a metric's samples in Prometheus' text format, over the series whose labels contain <paramref name="label"/>.</summary>
    private static double Sum(string text, string metric, string label = "") => text.Split('\n')
        .Where(l => l.StartsWith(metric + "{", StringComparison.Ordinal) || l.StartsWith(metric + " ", StringComparison.Ordinal))
        .Where(l => l.Contains(label, StringComparison.Ordinal))
        .Sum(l => double.Parse(l[(l.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture));

    private static HashSet<string> SeriesNames(string text) => text.Split('\n')
        .Where(l => l.Length > 0 && l[0] != '#')
        .Select(l => l[..l.IndexOfAny(['{', ' '])])
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>The metric names a PromQL expression reads: label matchers, ranges and groupings left out, functions too.</summary>
    private static IEnumerable<string> MetricNames(string expr)
    {
        var bare = Grouping().Replace(Range().Replace(Matchers().Replace(expr, ""), ""), "");
        return Identifier().Matches(bare).Select(m => m.Value)
            .Where(name => !name.StartsWith("$", StringComparison.Ordinal) && !s_functions.Contains(name))
            .Distinct();
    }

    private static readonly HashSet<string> s_functions = ["sum", "rate", "irate", "increase", "histogram_quantile", "by", "without", "avg", "max", "min", "count", "topk", "le"];

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Range();

    [GeneratedRegex(@"\b(by|without)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\$?[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex Identifier();
}

public sealed class TelemetrySettingsTests
{
    private static TelemetrySettings From(params (string Key, string Value)[] values) => TelemetrySettings.From(
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build());

    [Fact]
    public void Prometheus_is_on_and_otlp_off_by_default()
    {
        var settings = From();
        Assert.True(settings.Prometheus);
        Assert.Null(settings.OtlpEndpoint);
        Assert.False(settings.Tracing);
    }

    [Fact]
    public void An_otlp_endpoint_turns_tracing_on_and_a_bad_one_stops_the_start()
    {
        var settings = From(("Dispatch:Telemetry:Otlp:Endpoint", "http://collector:4318"), ("Dispatch:Telemetry:Otlp:Protocol", "http/protobuf"),
            ("Dispatch:Telemetry:Prometheus", "false"));
        Assert.Equal(new TelemetrySettings(false, new Uri("http://collector:4318"), OpenTelemetry.Exporter.OtlpExportProtocol.HttpProtobuf), settings);
        Assert.True(settings.Tracing);
        Assert.Contains("Otlp:Endpoint", Assert.Throws<ArgumentException>(() => From(("Dispatch:Telemetry:Otlp:Endpoint", "collector"))).Message);
        Assert.Contains("Otlp:Protocol", Assert.Throws<ArgumentException>(() => From(("Dispatch:Telemetry:Otlp:Protocol", "udp"))).Message);
    }
}
