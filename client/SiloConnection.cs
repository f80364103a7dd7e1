using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace Dispatch.Client;

/// <summary>An Orleans client of the silos' gateway: localhost in embedded mode, AdoNet membership in cluster mode.</summary>
public sealed class SiloConnection : IAsyncDisposable
{
    private readonly IHost _host;

    private SiloConnection(IHost host) => _host = host;

    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    /// <summary>Connects to the gateway; <paramref name="settings"/> add to the environment's configuration (tests).</summary>
    public static async Task<SiloConnection> ConnectAsync(int gatewayPort, CancellationToken cancellationToken,
        IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.Logging.ClearProviders();
        var tls = Dispatch.Silo.Hosting.TlsSettings.From(builder.Configuration);
        var postgres = builder.Configuration.GetConnectionString("Postgres");
        var attempts = 0;
        builder.UseOrleansClient(client =>
        {
            // A person at a terminal wants a clear answer in seconds, not Orleans' default of retrying for minutes.
            client.UseConnectionRetryFilter(async (_, ct) =>
            {
                if (++attempts > 3)
                {
                    return false;
                }
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
                return true;
            });
            if (tls is not null)
            {
                client.UseTls(tls.ConfigureClient);
            }
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = builder.Configuration["Orleans:ClusterId"] ?? "dispatch";
                o.ServiceId = builder.Configuration["Orleans:ServiceId"] ?? "dispatch";
            });
            if (string.IsNullOrWhiteSpace(postgres))
            {
                client.UseLocalhostClustering(gatewayPort);
            }
            else
            {
                client.UseAdoNetClustering(o =>
                {
                    o.Invariant = "Npgsql";
                    o.ConnectionString = postgres;
                });
            }
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            host.Dispose();
            throw new NoSiloException(string.IsNullOrWhiteSpace(postgres)
                ? $"No Dispatch silo answers on gateway 127.0.0.1:{gatewayPort}. Start one with `dotnet run --project silo`, or pass --gateway-port."
                : "No Dispatch silo is active in the PostgreSQL cluster (ConnectionStrings__Postgres). Start one with `dotnet run --project silo`.", e);
        }
        return new SiloConnection(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}

public sealed class NoSiloException(string message, Exception inner) : Exception(message, inner);
