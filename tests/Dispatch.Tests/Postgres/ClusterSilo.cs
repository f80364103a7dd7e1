using System.Net.Http.Headers;
using System.Net.Http.Json;
using Dispatch.Contracts;
using Dispatch.Silo.Api;
using Dispatch.Silo.Hosting;
using Dispatch.Tests.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Postgres;

/// <summary>
/// A real Dispatch silo host in cluster mode (<c>--ConnectionStrings:Postgres</c>) on free ports, in this process:
/// Kestrel, Orleans with AdoNet clustering, persistence and reminders, and clustered Quartz, all on one PostgreSQL
/// database. Several of them form a cluster; <see cref="KillAsync"/> takes one away abruptly.
/// </summary>
public sealed class ClusterSilo : IAsyncDisposable
{
    private readonly string _dataFolder;
    private WebApplication? _app;

    private ClusterSilo(string dataFolder, int httpPort, int siloPort, int gatewayPort)
    {
        _dataFolder = dataFolder;
        HttpPort = httpPort;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
    }

    public int HttpPort { get; }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    /// <summary>The address this silo has in the membership table and in <c>GET /api/cluster</c>.</summary>
    public string Address => $"127.0.0.1:{SiloPort}";

    public HttpClient Http { get; }

    public IServiceProvider Services => (_app ?? throw new InvalidOperationException("The silo is stopped.")).Services;

    /// <summary>The co-hosted silo's grain factory: a client of the cluster that lives in this silo.</summary>
    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    /// <param name="connectionString">The PostgreSQL database of the cluster.</param>
    /// <param name="clock">The application clock (grains, Quartz); Orleans' own clocks stay on real time.</param>
    /// <param name="extraArgs">More command-line settings.</param>
    public static async Task<ClusterSilo> StartAsync(string connectionString, TimeProvider? clock, params string[] extraArgs)
    {
        for (var attempt = 1; ; attempt++)
        {
            var silo = new ClusterSilo(Path.Combine(Path.GetTempPath(), "dispatch-tests", Guid.NewGuid().ToString("N")),
                SiloSettings.FreePort(), SiloSettings.FreePort(), SiloSettings.FreePort());
            try
            {
                return await silo.StartHostAsync(connectionString, clock, extraArgs);
            }
            catch (Exception e) when (attempt < 5 && SiloProcess.IsAddressInUse(e))
            {
                await silo.KillAsync();
            }
        }
    }

    private async Task<ClusterSilo> StartHostAsync(string connectionString, TimeProvider? clock, string[] extraArgs)
    {
        string[] args =
        [
            "--no-sample", "--data", _dataFolder,
            "--http-port", $"{HttpPort}", "--silo-port", $"{SiloPort}", "--gateway-port", $"{GatewayPort}",
            "--ConnectionStrings:Postgres", connectionString,
            // Three silos at Information level would print every meeting and every placement; warnings tell the story.
            "--Logging:LogLevel:Default", "Warning",
            .. extraArgs,
        ];
        _app = await DispatchHost.BuildAsync(args, clock);
        await _app.StartAsync();
        // The operator token the silo wrote into its data folder on first start.
        var token = Path.Combine(_dataFolder, "operator.token");
        if (File.Exists(token))
        {
            Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await File.ReadAllTextAsync(token)).Trim());
        }
        return this;
    }

    public async Task<ClusterInfo> ClusterAsync()
    {
        var response = await Http.GetAsync("/api/cluster");
        Assert.True(response.IsSuccessStatusCode, $"GET /api/cluster: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<ClusterInfo>(SiloProcess.Json))!;
    }

    /// <summary>Stops the silo the way SIGTERM does: grains deactivate, the silo leaves the membership table as Dead.</summary>
    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>
    /// Takes the silo away abruptly: a stop whose token is already cancelled, so nothing waits (no grain deactivates, no
    /// job finishes, requests in flight are dropped), then the host is disposed.
    /// </summary>
    public async Task KillAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            using var cancelled = new CancellationTokenSource();
            await cancelled.CancelAsync();
            try
            {
                await app.StopAsync(cancelled.Token);
            }
            catch (OperationCanceledException)
            {
                // Expected: nothing was given time to finish.
            }
            await app.DisposeAsync();
        }
    }

    /// <summary>Stops the silo if it still runs. A failure to stop is printed, not thrown: it must not hide a test's own failure.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync($"Stopping silo {Address} failed: {e}");
        }
        Http.Dispose();
        if (Directory.Exists(_dataFolder))
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
    }
}
