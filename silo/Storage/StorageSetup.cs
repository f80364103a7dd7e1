using System.Net;
using Dispatch.Grains;
using Dispatch.Silo.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Storage;

namespace Dispatch.Silo.Storage;

/// <summary>Orleans wiring of the two storage modes: embedded SQLite (default) and a PostgreSQL cluster.</summary>
public static class StorageSetup
{
    /// <summary>Orleans' name for the Microsoft.Data.Sqlite factory.</summary>
    public const string SqliteInvariant = "System.Data.SQLite";
    public const string PostgresInvariant = "Npgsql";

    /// <summary>The areas of the Orleans runtime whose clocks stay on real time (see <see cref="AddDispatchSilo"/>).</summary>
    private static readonly string[] s_runtimeClocks =
    [
        TimeProviderNames.Messaging,
        TimeProviderNames.Membership,
        TimeProviderNames.SystemTimers,
        TimeProviderNames.ActivationManagement,
        TimeProviderNames.GrainDirectory,
    ];

    public static ISiloBuilder AddDispatchSilo(this ISiloBuilder silo, SiloSettings settings)
    {
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = settings.ClusterId;
            o.ServiceId = settings.ServiceId;
        });
        var (invariant, connectionString) = PrepareDatabase(settings);
        if (settings.IsCluster)
        {
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = invariant;
                o.ConnectionString = connectionString;
            });
            // Silos and clients find each other through the addresses in the membership table: loopback for a cluster
            // on one machine, the machine's own address (--advertise-address) when the silos run on several.
            silo.ConfigureEndpoints(settings.AdvertisedAddress, settings.SiloPort, settings.GatewayPort,
                listenOnAnyHostAddress: !IPAddress.IsLoopback(settings.AdvertisedAddress));
        }
        else
        {
            silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort);
        }
        // Silo-to-silo and client-to-gateway connections over TLS with the cluster's certificates (Dispatch:Tls).
        if (settings.Tls is { } tls)
        {
            silo.UseTls(tls.ConfigureSilo);
        }
        // The application clock (grains, Quartz) may be a test's fake clock. Orleans' own clocks (request time-outs,
        // membership probes and heartbeats, maintenance timers, activation collection, directory cache) stay on real
        // time: a frozen clock would stop failure detection, and a moved one would write fake heartbeat times into
        // the membership table the other silos read.
        foreach (var area in s_runtimeClocks)
        {
            silo.Services.AddKeyedSingleton(area, TimeProvider.System);
        }
        // Orleans Dashboard for operators, served by the silo's HTTP host at /dashboard behind the operator role; its
        // grain-state explorer refuses the authority grain (ClusterEndpoints.MapOperatorDashboard).
        silo.AddDashboard();
        if (settings.IsCluster)
        {
            silo.AddDispatchGrainStorage(invariant, connectionString);
        }
        else
        {
            silo.AddSqliteGrainStorage(connectionString);
        }
        silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = RegionGrain.MinimumReminderPeriod);
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = invariant;
            o.ConnectionString = connectionString;
        });
        return silo;
    }

    /// <summary>Grain state in the embedded SQLite file, written by the file's one <see cref="SqliteWriter"/>.</summary>
    private static void AddSqliteGrainStorage(this ISiloBuilder silo, string connectionString)
    {
        silo.Services.AddSingleton(sp => new SqliteWriter(connectionString, sp.GetRequiredService<ILogger<SqliteWriter>>()));
        silo.Services.AddKeyedSingleton<IGrainStorage>(DispatchStorage.Name, (sp, _) => new SqliteGrainStorage(connectionString,
            sp.GetRequiredService<SqliteWriter>(), ActivatorUtilities.CreateInstance<OrleansGrainStorageSerializer>(sp),
            sp.GetRequiredService<IOptions<ClusterOptions>>()));
    }

    /// <summary>Grain state through the AdoNet provider, serialized with Orleans' own version-tolerant codecs.</summary>
    public static ISiloBuilder AddDispatchGrainStorage(this ISiloBuilder silo, string invariant, string connectionString) =>
        silo.AddAdoNetGrainStorage(DispatchStorage.Name, ob => ob.Configure<IServiceProvider>((o, sp) =>
        {
            o.Invariant = invariant;
            o.ConnectionString = connectionString;
            o.GrainStorageSerializer = ActivatorUtilities.CreateInstance<OrleansGrainStorageSerializer>(sp);
        }));

    /// <summary>Applies our schema (idempotent) and answers the invariant and connection string to use.</summary>
    private static (string Invariant, string ConnectionString) PrepareDatabase(SiloSettings settings)
    {
        using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true));
        var logger = loggerFactory.CreateLogger("Dispatch.Storage");
        if (settings.IsCluster)
        {
            StorageSchema.ApplyPostgres(settings.PostgresConnectionString!, logger);
            return (PostgresInvariant, settings.PostgresConnectionString!);
        }
        // Owner-only from the first byte: SQLite keeps an existing file's mode and gives it to its -wal and -shm files.
        PrivateFiles.EnsureFolder(settings.DataFolder);
        PrivateFiles.EnsureFile(settings.SqliteFile);
        PrivateFiles.EnsureFile(settings.SchedulerSqliteFile);
        var cs = StorageSchema.SqliteConnectionString(settings.SqliteFile);
        StorageSchema.ApplySqlite(cs, logger);
        return (SqliteInvariant, cs);
    }
}
