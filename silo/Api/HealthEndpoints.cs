using System.Data.Common;
using System.Text.Json;
using Dispatch.Contracts;
using Dispatch.Grains.Domain;
using Dispatch.Silo.Hosting;
using Dispatch.Silo.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;
using Orleans.Runtime;
using Quartz;

namespace Dispatch.Silo.Api;

/// <summary>
/// Probes for load balancers and orchestrators, public like <c>/health</c>: <c>/health/live</c> says the process answers;
/// <c>/health/ready</c> that this silo can do its work: the database answers, the silo is <c>Active</c> in its cluster,
/// a grain answers through storage, and the meeting scheduler is running (not in standby). Each check has 5 s.
/// </summary>
public static class HealthEndpoints
{
    private static readonly TimeSpan s_checkTimeout = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", () => Results.Ok(new { status = "serving" }));
        app.MapGet("/health/live", () => Results.Ok(new { status = "alive" }));
        app.MapGet("/health/ready", ReadyAsync);
        return app;
    }

    private static async Task<IResult> ReadyAsync(IServiceProvider services, SiloSettings settings, WorkingCalendar calendar, TimeProvider clock,
        CancellationToken ct)
    {
        var districts = -1;
        var storage = CheckAsync(() => StorageAsync(settings, ct));
        var silo = CheckAsync(() => Task.FromResult(SiloStatus(services)));
        var grains = CheckAsync(async () =>
        {
            districts = (await services.GetRequiredService<IGrainFactory>().GetGrain<IRegionIndexGrain>("district").ListAsync().WaitAsync(s_checkTimeout, ct)).Count;
            return new Check(true, "answering");
        });
        var scheduler = CheckAsync(() => SchedulerAsync(services.GetRequiredService<ISchedulerFactory>(), ct));
        await Task.WhenAll(storage, silo, grains, scheduler);
        var checks = new Dictionary<string, Check>
        {
            ["storage"] = storage.Result,
            ["silo"] = silo.Result,
            ["grains"] = grains.Result,
            ["scheduler"] = scheduler.Result,
        };
        if (checks.Values.Any(c => !c.Ok))
        {
            var failed = string.Join("; ", checks.Where(c => !c.Value.Ok).Select(c => $"{c.Key}: {c.Value.Detail}"));
            return Results.Problem(title: "Not ready.", detail: failed, statusCode: StatusCodes.Status503ServiceUnavailable,
                extensions: new Dictionary<string, object?> { ["checks"] = checks });
        }
        // A year without holiday data does not stop the silo: its deadlines count Monday to Friday, and this says so.
        var notes = calendar.YearsAssumed(clock.ChinaToday())
            .Select(y => $"calendar: no holiday data for {y}; escalation deadlines there count Monday to Friday (add it to Dispatch:Calendar:ExtraFile)")
            .ToList();
        return Results.Ok(new
        {
            status = "ready",
            checks,
            districts,
            calendar = new { mode = calendar.IsAroundTheClock ? "aroundTheClock" : "office", years = calendar.Years.Order().ToList() },
            notes,
        });
    }

    /// <summary>One check's outcome: <c>detail</c> says what was found (<c>Active</c>, <c>running</c>) or what is wrong.</summary>
    public sealed record Check(bool Ok, string Detail);

    /// <summary>Runs a probe; one that throws has failed, with the exception's message as its detail.</summary>
    private static async Task<Check> CheckAsync(Func<Task<Check>> probe)
    {
        try
        {
            return await probe();
        }
        catch (Exception e) when (e is TimeoutException or OrleansException or DbException or InvalidOperationException or SchedulerException)
        {
            return new Check(false, e.Message);
        }
    }

    /// <summary>A query on a connection of its own, so that a database that stopped answering shows here even when grains are cached.</summary>
    private static async Task<Check> StorageAsync(SiloSettings settings, CancellationToken ct)
    {
        await using DbConnection connection = settings.IsCluster
            ? new NpgsqlConnection(settings.PostgresConnectionString)
            : new SqliteConnection(StorageSchema.SqliteConnectionString(settings.SqliteFile));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(s_checkTimeout);
        try
        {
            await connection.OpenAsync(timeout.Token);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(timeout.Token);
            return new Check(true, "reachable");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new Check(false, $"the database did not answer within {s_checkTimeout.TotalSeconds:0} s");
        }
    }

    /// <summary>This silo's status in the membership table as Orleans names it (<c>Active</c>, <c>Joining</c>, <c>ShuttingDown</c>, …).</summary>
    private static Check SiloStatus(IServiceProvider services)
    {
        var local = services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
        var status = services.GetRequiredService<IClusterMembershipService>().CurrentSnapshot.GetSiloStatus(local);
        return new Check(status == Orleans.Runtime.SiloStatus.Active, status.ToString());
    }

    private static async Task<Check> SchedulerAsync(ISchedulerFactory factory, CancellationToken ct)
    {
        var status = (await factory.GetScheduler(ct)).Status;
        return new Check(status == SchedulerStatus.Running, JsonNamingPolicy.CamelCase.ConvertName(status.ToString()));
    }
}
