using System.Net;
using System.Net.Http.Headers;
using Dispatch.Contracts;
using Dispatch.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Bench;

/// <summary>
/// The real Dispatch host (<see cref="DispatchHost.BuildAsync"/>: Orleans, storage, Quartz, HTTP API) in this process,
/// on free ports and the target's data, without the sample. The bench calls grains through the host's own
/// <see cref="IGrainFactory"/> and the API over loopback HTTP.
/// </summary>
public sealed class BenchSilo : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _disposed;

    private readonly IReadOnlyList<string> _extraArgs;

    private BenchSilo(WebApplication app, StoreTarget target, int httpPort, IReadOnlyList<string> extraArgs)
    {
        _extraArgs = extraArgs;
        _app = app;
        Target = target;
        BaseAddress = new Uri($"http://127.0.0.1:{httpPort}");
        Grains = app.Services.GetRequiredService<IGrainFactory>();
    }

    public StoreTarget Target { get; }

    public IGrainFactory Grains { get; }

    public Uri BaseAddress { get; }

    /// <summary>The operator's bearer token when the API asks for one (the silo writes it to the data folder).</summary>
    public string? Token { get; private set; }

    public static async Task<BenchSilo> StartAsync(StoreTarget target, TimeProvider clock, IReadOnlyList<string> extraArgs)
    {
        var httpPort = SiloSettings.FreePort();
        string[] args =
        [
            "--data", target.DataFolder,
            "--http-port", $"{httpPort}",
            "--silo-port", $"{SiloSettings.FreePort()}",
            "--gateway-port", $"{SiloSettings.FreePort()}",
            "--no-sample",
            // The bench's result lines are the output; the silo says only what goes wrong.
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Warning",
            // The bench sends thousands of requests a second with one token from one address: no rate limits.
            "--Dispatch:RateLimits:PerToken=0",
            "--Dispatch:RateLimits:PerAddress=0",
            "--Dispatch:RateLimits:EventStreams=0",
            // Meetings are held when the bench asks, never by a cron trigger firing in the middle of a measurement.
            .. Enum.GetValues<Cadence>().Select(c => $"--Dispatch:Schedule:{c.ToString().ToLowerInvariant()}="),
            .. target.SiloArgs(),
            .. extraArgs,
        ];
        var app = await DispatchHost.BuildAsync(args, clock);
        await app.StartAsync();
        var silo = new BenchSilo(app, target, httpPort, extraArgs);
        var tokenFile = Path.Combine(target.DataFolder, "operator.token");
        if (File.Exists(tokenFile))
        {
            silo.Token = (await File.ReadAllTextAsync(tokenFile)).Trim();
        }
        return silo;
    }

    /// <summary>A client for the API: pooled connections, as many as <paramref name="connections"/>, with the token if there is one.</summary>
    public HttpClient CreateHttpClient(int connections, TimeSpan? timeout = null)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
        };
        var client = new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(100) };
        if (Token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        }
        return client;
    }

    /// <summary>Stops this host (gracefully: activations write nothing more, Orleans leaves the cluster) and starts a new one on the same data.</summary>
    public async Task<BenchSilo> RestartAsync(TimeProvider clock)
    {
        await DisposeAsync();
        return await StartAsync(Target, clock, _extraArgs);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        await _app.StopAsync();
        await _app.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }
}
