using Dispatch.Silo.Hosting;
using Dispatch.Silo.Storage;
using Quartz;

namespace Dispatch.Silo.Scheduling;

/// <summary>Quartz inside the silo with a persistent job store: SQLite unclustered, or PostgreSQL clustered.</summary>
public static class SchedulerSetup
{
    public static IServiceCollection AddDispatchScheduler(this IServiceCollection services, SiloSettings settings, IConfiguration config, TimeProvider clock)
    {
        var schedules = MeetingSchedule.FromConfiguration(config);
        services.AddSingleton(schedules);
        services.AddSingleton(RetryBackoff.FromConfiguration(config));
        services.AddSingleton<MeetingRunner>();
        services.AddSingleton<MeetingTriggers>();
        services.AddSingleton<MeetingRetries>();
        var misfireThreshold = config.GetValue("Dispatch:Scheduler:MisfireThreshold", TimeSpan.FromMinutes(1));
        services.AddQuartz(q =>
        {
            q.UseTimeProvider(clock);
            q.UsePersistentStore(store =>
            {
                store.UseSystemTextJsonSerializer();
                if (settings.IsCluster)
                {
                    store.UsePostgres(settings.PostgresConnectionString!);
                    store.UseClustering(c =>
                    {
                        c.CheckinInterval = TimeSpan.FromSeconds(5);
                        c.CheckinMisfireThreshold = TimeSpan.FromSeconds(20);
                    });
                }
                else
                {
                    store.UseSqlite(StorageSchema.SqliteConnectionString(settings.SchedulerSqliteFile));
                }
                store.ConfigureStore(o => o.MisfireThreshold = misfireThreshold);
                store.ProvisionSchema();
            });
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        services.AddHostedService<ScheduleRegistrar>();
        return services;
    }
}
