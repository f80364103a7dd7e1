using Dispatch.Grains;
using Dispatch.Silo.Hosting;
using Orleans.Configuration;
using Orleans.Storage;

namespace Dispatch.Silo.Storage;

/// <summary>Orleans wiring of the two storage modes: embedded SQLite (default) and a PostgreSQL cluster.</summary>
public static class StorageSetup
{
    /// <summary>Orleans' name for the Microsoft.Data.Sqlite factory.</summary>
    public const string SqliteInvariant = "System.Data.SQLite";
    public const string PostgresInvariant = "Npgsql";

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
            silo.ConfigureEndpoints(settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: true);
        }
        else
        {
            silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort);
        }
        silo.AddDispatchGrainStorage(invariant, connectionString);
        silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = RegionGrain.MinimumReminderPeriod);
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = invariant;
            o.ConnectionString = connectionString;
        });
        return silo;
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
        Directory.CreateDirectory(settings.DataFolder);
        var cs = StorageSchema.SqliteConnectionString(settings.SqliteFile);
        StorageSchema.ApplySqlite(cs, logger);
        return (SqliteInvariant, cs);
    }
}
