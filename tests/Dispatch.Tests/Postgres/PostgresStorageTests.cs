using System.Net.Http.Json;
using Dispatch.Grains;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Dispatch.Tests.Postgres;

/// <summary>Grain state through the real AdoNet provider on PostgreSQL, between real silo hosts.</summary>
[Collection(PostgresCollection.Name), Trait("Category", "Postgres")]
public sealed class PostgresStorageTests(PostgresFixture fixture)
{
    private static readonly DateTimeOffset s_start = new(2024, 3, 19, 10, 0, 0, TimeSpan.FromHours(8));

    [PostgresFact]
    public async Task State_written_by_one_silo_is_read_by_another()
    {
        await using var db = await fixture.Server.CreateDatabaseAsync();
        var clock = new ShiftedTimeProvider(s_start);
        await using var first = await ClusterSilo.StartAsync(db.ConnectionString, clock);
        await PutAsync(first, "/api/regions/pg-prov", new { name = "测试省", level = "province" });
        await PutAsync(first, "/api/regions/pg-city", new { name = "测试市", level = "city", parentId = "pg-prov" });
        await PutAsync(first, "/api/regions/pg-dist", new { name = "测试区", level = "district", parentId = "pg-city" });
        await PutAsync(first, "/api/projects/pg-p1", new
        {
            name = "跨节点项目", regionId = "pg-dist", kind = "new", totalInvestment = 20000, annualPlanInvestment = 6000,
            milestones = new object[] { new { name = "开工", plannedDate = "2024-03-01" }, new { name = "竣工", plannedDate = "2025-10-01" } },
        });
        (await first.Http.PostAsJsonAsync("/api/projects/pg-p1/reports", new { period = "2024-03", investmentCompleted = 900, percentComplete = 5 }))
            .EnsureSuccessStatusCode();
        var project = await first.Http.GetStringAsync("/api/projects/pg-p1");
        var district = await first.Http.GetStringAsync("/api/regions/pg-dist");
        var city = await first.Http.GetStringAsync("/api/regions/pg-city");
        Assert.Contains("\"milestoneOverdue\"", project, StringComparison.Ordinal);

        await using var second = await ClusterSilo.StartAsync(db.ConnectionString, clock);
        await WaitForActiveAsync(second, [first.Address, second.Address]);
        await first.StopAsync();

        // Every activation lived on the first silo, which is gone: the second reads what the first wrote.
        Assert.Equal(project, await second.Http.GetStringAsync("/api/projects/pg-p1"));
        Assert.Equal(district, await second.Http.GetStringAsync("/api/regions/pg-dist"));
        Assert.Equal(city, await second.Http.GetStringAsync("/api/regions/pg-city"));
        var silos = (await second.ClusterAsync()).Silos;
        Assert.Equal([(second.Address, "Active"), (first.Address, "Dead")], silos.Select(s => (s.Address, s.Status)).ToArray());
        Assert.True(silos[0].Activations > 0, $"activations of the live silo: {silos[0].Activations}");
        Assert.Null(silos[1].Activations);
        Assert.Equal(second.GatewayPort, silos[0].GatewayPort);
    }

    [PostgresFact]
    public async Task A_second_writer_with_the_same_etag_is_refused()
    {
        await using var db = await fixture.Server.CreateDatabaseAsync();
        await using var silo = await ClusterSilo.StartAsync(db.ConnectionString, null);
        var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(DispatchStorage.Name);
        var id = GrainId.Create("etagtest", "one");

        // Two writers read the same absent state: the first insert wins, the second is refused.
        var a = new GrainState<List<string>>([]);
        var b = new GrainState<List<string>>([]);
        await storage.ReadStateAsync("etagTest", id, a);
        await storage.ReadStateAsync("etagTest", id, b);
        Assert.Null(a.ETag);
        a.State!.Add("a1");
        b.State!.Add("b1");
        await storage.WriteStateAsync("etagTest", id, a);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("etagTest", id, b));

        // Two writers read version 1: again only the first write goes through.
        var c = new GrainState<List<string>>([]);
        var d = new GrainState<List<string>>([]);
        await storage.ReadStateAsync("etagTest", id, c);
        await storage.ReadStateAsync("etagTest", id, d);
        Assert.Equal(["a1"], c.State);
        Assert.Equal("1", c.ETag);
        c.State!.Add("c2");
        d.State!.Add("d2");
        await storage.WriteStateAsync("etagTest", id, c);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("etagTest", id, d));
        Assert.Equal("2", c.ETag);

        var stored = new GrainState<List<string>>([]);
        await storage.ReadStateAsync("etagTest", id, stored);
        Assert.Equal(["a1", "c2"], stored.State);
        Assert.Equal("2", stored.ETag);
        Assert.Equal(["etagTest|2"], await db.RowsAsync("SELECT state_name, version FROM dispatch_grain_state WHERE state_name = 'etagTest'"));
    }

    [PostgresFact]
    public async Task Of_sixteen_concurrent_first_writers_exactly_one_succeeds()
    {
        await using var db = await fixture.Server.CreateDatabaseAsync();
        await using var silo = await ClusterSilo.StartAsync(db.ConnectionString, null);
        var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(DispatchStorage.Name);
        var ids = Enumerable.Range(0, 20).Select(i => GrainId.Create("etagtest", $"race-{i}")).ToArray();

        var outcomes = new List<(int Key, bool Won)>();
        foreach (var (id, key) in ids.Select((id, key) => (id, key)))
        {
            var writers = Enumerable.Range(0, 16).Select(async w =>
            {
                var state = new GrainState<List<string>>([$"writer-{w}"]);
                try
                {
                    await storage.WriteStateAsync("race", id, state);
                    return true;
                }
                catch (InconsistentStateException)
                {
                    return false;
                }
            });
            outcomes.AddRange((await Task.WhenAll(writers)).Select(won => (key, won)));
        }

        Assert.All(outcomes.GroupBy(o => o.Key), g => Assert.Equal(1, g.Count(o => o.Won)));
        Assert.Equal(20, await db.ScalarAsync<int>("SELECT count(*) FROM dispatch_grain_state WHERE state_name = 'race'"));
        Assert.Equal(20, await db.ScalarAsync<int>("SELECT count(*) FROM dispatch_grain_state WHERE state_name = 'race' AND version = 1"));
    }

    private static async Task PutAsync(ClusterSilo silo, string path, object body)
    {
        var response = await silo.Http.PutAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Polls <c>GET /api/cluster</c> until exactly these silos are Active.</summary>
    internal static Task WaitForActiveAsync(ClusterSilo silo, IReadOnlyCollection<string> addresses) =>
        Api.SiloProcess.WaitUntilAsync(async () =>
        {
            var active = (await silo.ClusterAsync()).Silos.Where(s => s.Status == "Active").Select(s => s.Address).Order(StringComparer.Ordinal);
            return active.SequenceEqual(addresses.Order(StringComparer.Ordinal));
        }, TimeSpan.FromSeconds(60), $"silos {string.Join(", ", addresses)} to be Active");
}
