using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dispatch.Contracts;

namespace Dispatch.Bench.Scenarios;

/// <summary>
/// Alert latency: from sending the report that lights a project red to its <c>warningRaised</c> event arriving on the
/// city's server-sent event stream (<c>GET /api/regions/{city}/events</c>). Each sample is a project with no
/// investment warning open, started at least a quarter ago, that reports nothing invested this year, which puts it far
/// behind 序时进度. Samples go one after another, so this is the latency of an otherwise idle silo.
/// </summary>
public static class AlertScenario
{
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(15);

    public static async Task RunAsync(BenchSilo silo, SyntheticCountry country, BenchOptions options)
    {
        var byDistrict = country.Projects.ToLookup(p => p.DistrictId);
        var candidates = new List<(string ProjectId, string CityId)>();
        foreach (var city in country.Cities)
        {
            foreach (var district in country.Districts.Where(d => d.ParentId == city.Id))
            {
                foreach (var p in byDistrict[district.Id])
                {
                    var view = await silo.Grains.GetGrain<IProjectGrain>(p.Id).GetAsync();
                    // 序时进度 runs from the planned start: only a project under way for a quarter is surely behind when it
                    // reports nothing invested.
                    if (view is { AnnualPlanInvestment: > 0m, Stage: ProjectStage.Started }
                        && view.Milestones.Any(m => m.Name is "开工" or "复工" && m.PlannedDate <= SyntheticCountry.Today.AddDays(-90))
                        && !view.Warnings.Any(w => w.Rule == WarningRule.InvestmentBehindPlan))
                    {
                        candidates.Add((p.Id, city.Id));
                    }
                }
            }
            if (candidates.Count >= options.AlertSamples)
            {
                break;
            }
        }
        candidates = candidates.Take(options.AlertSamples).ToList();
        var cities = candidates.Select(c => c.CityId).Distinct().ToList();
        Output.Progress($"alerts: {candidates.Count} samples on {cities.Count} cities' event streams");

        var waiting = new ConcurrentDictionary<string, TaskCompletionSource<long>>(StringComparer.Ordinal);
        using var streamClient = silo.CreateHttpClient(cities.Count + 1, Timeout.InfiniteTimeSpan);
        using var cancel = new CancellationTokenSource();
        var streams = new List<Task>();
        foreach (var city in cities)
        {
            var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            streams.Add(ReadEventsAsync(streamClient, city, silo.Token, waiting, subscribed, cancel.Token));
            await subscribed.Task.WaitAsync(s_patience);
        }

        using var http = silo.CreateHttpClient(4);
        var latencies = new List<double>();
        var posts = new List<double>();
        var timeouts = 0;
        foreach (var (projectId, _) in candidates)
        {
            var arrived = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            waiting[projectId] = arrived;
            using var content = new StringContent(
                """{"period":"2025-06","investmentCompleted":0,"percentComplete":0,"milestonesReached":[],"narrative":"资金未到位，本年未完成投资"}""",
                Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
            var sent = Stopwatch.GetTimestamp();
            using var response = await http.PostAsync($"/api/projects/{projectId}/reports", content);
            posts.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
            response.EnsureSuccessStatusCode();
            try
            {
                var at = await arrived.Task.WaitAsync(s_patience);
                latencies.Add(Stopwatch.GetElapsedTime(sent, at).TotalMilliseconds);
            }
            catch (TimeoutException)
            {
                timeouts++;
            }
            waiting.TryRemove(projectId, out _);
        }
        await cancel.CancelAsync();
        await Task.WhenAll(streams.Select(s => s.ContinueWith(_ => { }, TaskScheduler.Default)));

        var sorted = latencies.Order().ToArray();
        var postSorted = posts.Order().ToArray();
        Output.Result($"bench=alerts store={silo.Target.Store} projects={country.Projects.Count} samples={sorted.Length} cities={cities.Count} p50_ms={IngestScenario.Percentile(sorted, 0.5):0.0} p90_ms={IngestScenario.Percentile(sorted, 0.9):0.0} p99_ms={IngestScenario.Percentile(sorted, 0.99):0.0} max_ms={(sorted.Length == 0 ? double.NaN : sorted[^1]):0.0} report_p50_ms={IngestScenario.Percentile(postSorted, 0.5):0.0} report_p99_ms={IngestScenario.Percentile(postSorted, 0.99):0.0} timeouts={timeouts}");
    }

    /// <summary>Reads one city's event stream; completes a waiting sample when its project's investment warning is raised.</summary>
    private static async Task ReadEventsAsync(HttpClient http, string city, string? token, ConcurrentDictionary<string, TaskCompletionSource<long>> waiting,
        TaskCompletionSource subscribed, CancellationToken ct)
    {
        var path = $"/api/regions/{city}/events" + (token is null ? "" : $"?access_token={Uri.EscapeDataString(token)}");
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            response.EnsureSuccessStatusCode();
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
            string? type = null;
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                if (line.StartsWith(": subscribed", StringComparison.Ordinal))
                {
                    subscribed.TrySetResult();
                }
                else if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    type = line["event: ".Length..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal) && type == "warningRaised")
                {
                    var at = Stopwatch.GetTimestamp();
                    using var json = JsonDocument.Parse(line["data: ".Length..]);
                    if (json.RootElement.TryGetProperty("warning", out var warning)
                        && warning.GetProperty("rule").GetString() == "investmentBehindPlan"
                        && waiting.TryGetValue(warning.GetProperty("projectId").GetString() ?? "", out var sample))
                    {
                        sample.TrySetResult(at);
                    }
                }
                else if (line.Length == 0)
                {
                    type = null;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
        {
            subscribed.TrySetException(e);
        }
    }
}
