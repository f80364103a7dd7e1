using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Dispatch.Bench.Scenarios;

/// <summary>
/// Report ingestion through the HTTP API: <c>POST /api/projects/{id}/reports</c> for projects drawn at random, a fixed
/// number in flight; throughput and latency percentiles. The first requests warm the connections and are not counted.
/// </summary>
public static class IngestScenario
{
    private const int WarmUp = 500;

    public static async Task RunAsync(BenchSilo silo, SyntheticCountry country, BenchOptions options, RunStats stats)
    {
        var random = new Random(options.Seed + 7);
        var elapsed = SyntheticCountry.Today.DayOfYear / 365.0;
        var bodies = Enumerable.Range(0, WarmUp + options.IngestReports).Select(_ =>
        {
            var p = country.Projects[random.Next(country.Projects.Count)];
            var plan = (double)(p.Profile.AnnualPlanInvestment ?? 0m);
            var done = Math.Round(plan * elapsed * (0.8 + random.NextDouble() * 0.3));
            var percent = Math.Min(100, Math.Round(elapsed * 100 * (0.8 + random.NextDouble() * 0.3)));
            var json = string.Create(CultureInfo.InvariantCulture,
                $$"""{"period":"2025-06","investmentCompleted":{{done}},"percentComplete":{{percent}},"milestonesReached":[],"narrative":"本月完成投资 {{done}} 万元"}""");
            return (p.Id, Body: Encoding.UTF8.GetBytes(json));
        }).ToArray();

        using var http = silo.CreateHttpClient(options.IngestInFlight * 2);
        await PostAllAsync(http, bodies.AsMemory(0, WarmUp), options.IngestInFlight, new long[WarmUp]);

        Output.Progress($"ingest: {options.IngestReports:N0} reports over HTTP, {options.IngestInFlight} in flight");
        var latencies = new long[options.IngestReports];
        var before = stats.Take();
        var started = Stopwatch.GetTimestamp();
        var failed = await PostAllAsync(http, bodies.AsMemory(WarmUp), options.IngestInFlight, latencies);
        var wall = Stopwatch.GetElapsedTime(started);
        var after = stats.Take();
        var ms = latencies.Select(t => t * 1000.0 / Stopwatch.Frequency).Order().ToArray();
        Output.Result($"bench=ingest store={silo.Target.Store} projects={country.Projects.Count} reports={options.IngestReports} in_flight={options.IngestInFlight} wall_s={Output.Seconds(wall)} reports_per_s={options.IngestReports / wall.TotalSeconds:0} p50_ms={Percentile(ms, 0.50):0.0} p90_ms={Percentile(ms, 0.90):0.0} p99_ms={Percentile(ms, 0.99):0.0} max_ms={ms[^1]:0.0} failed={failed} auth={(silo.Token is null ? "none" : "bearer")} {RunStats.Since(before, after)}");
    }

    /// <summary>Posts every body with <paramref name="inFlight"/> requests at a time; answers how many failed.</summary>
    private static async Task<int> PostAllAsync(HttpClient http, ReadOnlyMemory<(string Id, byte[] Body)> bodies, int inFlight, long[] latencies)
    {
        var next = -1;
        var failed = 0;
        async Task Worker()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < bodies.Length)
            {
                var (id, body) = bodies.Span[i];
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                var started = Stopwatch.GetTimestamp();
                using var response = await http.PostAsync($"/api/projects/{id}/reports", content);
                latencies[i] = Stopwatch.GetTimestamp() - started;
                if (response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    throw new InvalidOperationException("The API answered 401 and the data folder holds no operator.token to send.");
                }
                if (!response.IsSuccessStatusCode)
                {
                    if (Interlocked.Increment(ref failed) <= 3)
                    {
                        Output.Progress($"  ingest: {id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    }
                }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(_ => Task.Run(Worker)));
        return failed;
    }

    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
