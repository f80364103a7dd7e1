namespace Dispatch.Silo.Hosting;

/// <summary>Says, once the silo serves, where it listens and where its data lives.</summary>
public sealed class StartupReport(SiloSettings settings, IHostApplicationLifetime lifetime, ILogger<StartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            logger.LogInformation("Dispatch silo serving HTTP on {Url} (silo port {SiloPort}, gateway port {GatewayPort})",
                settings.HttpUrl, settings.SiloPort, settings.GatewayPort);
            if (settings.IsCluster)
            {
                logger.LogInformation("Cluster mode: state, membership, reminders and scheduler on PostgreSQL");
            }
            else
            {
                logger.LogInformation("Embedded mode: data in {Folder} (state {StateFile}, scheduler {SchedulerFile})",
                    settings.DataFolder, settings.SqliteFile, settings.SchedulerSqliteFile);
            }
            logger.LogInformation("Operator token: {Path}; console: {Url}/, API reference: {Url}/api/docs ({Url}/openapi/v1.json)",
                Path.Combine(settings.DataFolder, "operator.token"), settings.HttpUrl, settings.HttpUrl, settings.HttpUrl);
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
