using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Contracts;
using Dispatch.Tests.Api;

namespace Dispatch.Tests.Postgres;

/// <summary>A region's own meeting time on clustered Quartz: added from two silos at once, stored once, held once.</summary>
[Collection(PostgresCollection.Name), Trait("Category", "Postgres")]
public sealed class ClusterScheduleTests(PostgresFixture fixture)
{
    private static readonly TimeSpan s_china = TimeSpan.FromHours(8);

    [PostgresFact]
    public async Task Two_silos_adding_the_same_new_time_store_one_trigger_and_the_city_meets_once()
    {
        await using var db = await fixture.Server.CreateDatabaseAsync();
        var clock = new ShiftedTimeProvider(new DateTimeOffset(2024, 3, 15, 10, 0, 0, s_china));
        await using var first = await ClusterSilo.StartAsync(db.ConnectionString, clock);
        await using var second = await ClusterSilo.StartAsync(db.ConnectionString, clock);
        await PostgresStorageTests.WaitForActiveAsync(second, [first.Address, second.Address]);
        foreach (var (path, region) in new (string, object)[]
        {
            ("/api/regions/cs-prov", new { name = "测试省", level = "province" }),
            ("/api/regions/cs-city", new { name = "测试市", level = "city", parentId = "cs-prov" }),
            ("/api/regions/cs-dist", new { name = "测试区", level = "district", parentId = "cs-city" }),
        })
        {
            (await first.Http.PutAsJsonAsync(path, region)).EnsureSuccessStatusCode();
        }

        // A time a few seconds ahead, on this Friday only (once a day): both silos set it at once.
        var at = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).AddSeconds(15);
        var when = string.Create(CultureInfo.InvariantCulture, $"{at.Second} {at.Minute} {at.Hour} ? * FRI");
        var body = new { cadences = new[] { new { cadence = "weekly", level = "city", when } } };
        var puts = await Task.WhenAll(first.Http.PutAsJsonAsync("/api/regions/cs-city/cadences", body), second.Http.PutAsJsonAsync("/api/regions/cs-city/cadences", body));
        Assert.All(puts, p => Assert.True(p.IsSuccessStatusCode, p.ReasonPhrase));

        using var schedule = JsonDocument.Parse(await second.Http.GetStringAsync("/api/schedule"));
        var own = Assert.Single(schedule.RootElement.GetProperty("triggers").EnumerateArray(), t => !t.GetProperty("isDefault").GetBoolean());
        Assert.Equal(($"meetings-weekly@{when}", 1), (own.GetProperty("key").GetString(), own.GetProperty("regions").GetInt32()));

        await SiloProcess.WaitUntilAsync(async () => (await first.Http.GetFromJsonAsync<List<MeetingView>>("/api/regions/cs-city/meetings?cadence=weekly", SiloProcess.Json))!.Count > 0,
            TimeSpan.FromSeconds(90), "the city's weekly meeting at its own time");
        var meetings = (await second.Http.GetFromJsonAsync<List<MeetingView>>("/api/regions/cs-city/meetings?cadence=weekly", SiloProcess.Json))!;
        Assert.Equal("2024-W11", Assert.Single(meetings).Period);
    }
}
