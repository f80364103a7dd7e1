using System.Net;
using System.Net.Sockets;

namespace Dispatch.Silo.Hosting;

/// <summary>Where this silo keeps its data and which ports it listens on, from the configuration contract.</summary>
public sealed record SiloSettings(
    string DataFolder,
    string? PostgresConnectionString,
    string HttpUrl,
    int SiloPort,
    int GatewayPort,
    bool LoadSample,
    string ClusterId,
    string ServiceId)
{
    public const int DefaultHttpPort = 5080;
    public const int DefaultSiloPort = 11111;
    public const int DefaultGatewayPort = 30000;

    public bool IsCluster => !string.IsNullOrWhiteSpace(PostgresConnectionString);

    /// <summary>
    /// The address this silo publishes in the membership table (cluster mode), where other silos and clients reach it:
    /// loopback unless <c>--advertise-address</c> names this machine's address on the network the silos share.
    /// </summary>
    public IPAddress AdvertisedAddress { get; init; } = IPAddress.Loopback;

    /// <summary>TLS on the Orleans connections (<c>Dispatch:Tls:*</c>), or null for plain TCP.</summary>
    internal TlsSettings? Tls { get; init; }

    public string SqliteFile => Path.Combine(DataFolder, "dispatch.db");

    public string SchedulerSqliteFile => Path.Combine(DataFolder, "scheduler.db");

    public static SiloSettings From(IConfiguration config)
    {
        var data = config["data"] ?? config["DISPATCH_DATA"] ?? "data";
        var httpPort = Port(config, "http-port", DefaultHttpPort);
        var host = config["http-host"] ?? "127.0.0.1";
        return new SiloSettings(
            Path.GetFullPath(data),
            config.GetConnectionString("Postgres"),
            config["urls"] is { Length: > 0 } urls && config["http-port"] is null ? urls.Split(';')[0] : $"http://{host}:{httpPort}",
            Port(config, "silo-port", DefaultSiloPort),
            Port(config, "gateway-port", DefaultGatewayPort),
            !IsSet(config, "no-sample"),
            config["Orleans:ClusterId"] ?? "dispatch",
            config["Orleans:ServiceId"] ?? "dispatch")
        {
            AdvertisedAddress = Address(config, "advertise-address"),
            Tls = TlsSettings.From(config),
        };
    }

    /// <summary>A port nobody listens on now, for tests and side-by-side silos.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static int Port(IConfiguration config, string key, int fallback)
    {
        var text = config[key];
        if (text is null)
        {
            return fallback;
        }
        if (int.TryParse(text, out var port) && port is >= 0 and <= 65535)
        {
            return port == 0 ? FreePort() : port;
        }
        throw new ArgumentException($"--{key} must be a port number (0–65535, 0 = any free port), not '{text}'.");
    }

    private static IPAddress Address(IConfiguration config, string key)
    {
        var text = config[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return IPAddress.Loopback;
        }
        if (IPAddress.TryParse(text, out var address) && !address.Equals(IPAddress.Any) && !address.Equals(IPAddress.IPv6Any))
        {
            return address;
        }
        throw new ArgumentException($"--{key} must be this machine's IP address as other silos reach it (e.g. 10.0.0.5), not '{text}'.");
    }

    private static bool IsSet(IConfiguration config, string key) =>
        config[key] is { } v && (v.Length == 0 || bool.TryParse(v, out var b) && b);
}
