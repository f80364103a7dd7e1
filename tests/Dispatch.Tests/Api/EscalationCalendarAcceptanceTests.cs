using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Dispatch.Tests.Api;

/// <summary>
/// Escalation on the working-day clock through a real host on SQLite, on a fake clock and the shipped holiday data:
/// a warning does not pass up during a holiday, and an acknowledged warning whose cause persists past the district's
/// resolve window reaches the city with its path (Haicheng → Anshan).
/// </summary>
public sealed class EscalationCalendarAcceptanceTests : IAsyncDisposable
{
    private const string Province = "ln", City = "ln-anshan", Haicheng = "ln-anshan-haicheng";
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);
    private SiloProcess? _silo;

    private SiloProcess Silo => _silo!;

    /// <summary>An instant in China Standard Time.</summary>
    private static DateTimeOffset Cn(int year, int month, int day, int hour, int minute = 0) => new(year, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    public async ValueTask DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }

    /// <summary>Province, Anshan and Haicheng (海城市), and a project in Haicheng whose 开工 milestone is overdue.</summary>
    private async Task<WarningView> StartAsync(FakeTimeProvider clock, DateOnly plannedStart, params string[] args)
    {
        _silo = await SiloProcess.StartAsync(false, clock, args);
        await Put($"/api/regions/{Province}", new { name = "辽宁省", level = "province" });
        await Put($"/api/regions/{City}", new { name = "鞍山市", level = "city", parentId = Province });
        await Put($"/api/regions/{Haicheng}", new { name = "海城市", level = "district", parentId = City });
        await Put("/api/projects/hc-steel", new
        {
            name = "海城精品钢材项目", regionId = Haicheng, kind = "new", totalInvestment = 8_000m,
            milestones = new[] { new { name = "开工", plannedDate = plannedStart.ToString("yyyy-MM-dd") } },
        });
        return Assert.Single(await InboxAsync(Haicheng));
    }

    private async Task Put(string path, object body)
    {
        var response = await Silo.Http.PutAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"PUT {path}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>The milestone warnings a region's inbox holds now (a start overdue may also be past the year's deadline).</summary>
    private async Task<List<WarningView>> InboxAsync(string region) =>
        (await Silo.GetAsync<List<WarningView>>($"/api/regions/{region}/warnings"))
            .Where(w => w.Rule == WarningRule.MilestoneOverdue && w.RegionId == region && w.Status != WarningStatus.Closed).ToList();

    /// <summary>Runs a region's escalation check now, as its timer or reminder would: how many warnings were due.</summary>
    private Task<int> CheckAsync(string region) => Silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IRegionGrain>(region).CheckEscalationsAsync();

    private Task WaitInCityAsync(string warningId) => SiloProcess.WaitUntilAsync(
        async () => (await InboxAsync(City)).Any(w => w.Id == warningId), s_wait, $"{warningId} in the Anshan inbox");

    [Fact]
    public async Task With_a_short_window_a_warning_raised_before_Spring_Festival_does_not_escalate_during_the_holiday_but_after_the_first_working_days_window()
    {
        // Saturday 14 February 2026, 16:30: a make-up working day (调休上班), the last before the holiday (15–23 February).
        var clock = new FakeTimeProvider(Cn(2026, 2, 14, 16, 30));
        var warning = await StartAsync(clock, new DateOnly(2026, 1, 20), "--Dispatch:Escalation:AcknowledgeWithin", "02:00:00");

        // The data ends with 2026: readiness stays ready and says that 2027 counts Monday to Friday.
        var ready = await Silo.GetAsync<JsonElement>("/health/ready");
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        Assert.Equal([2024, 2025, 2026], ready.GetProperty("calendar").GetProperty("years").EnumerateArray().Select(y => y.GetInt32()));
        Assert.Contains("2027", Assert.Single(ready.GetProperty("notes").EnumerateArray()).GetString(), StringComparison.Ordinal);

        // Two office hours: one that Saturday, one on Tuesday 24 February, the first working day after: due at 09:30.
        foreach (var at in new[] { Cn(2026, 2, 14, 18), Cn(2026, 2, 15, 10), Cn(2026, 2, 17, 10), Cn(2026, 2, 20, 15), Cn(2026, 2, 23, 17), Cn(2026, 2, 24, 9, 29) })
        {
            clock.SetUtcNow(at);
            Assert.Equal(0, await CheckAsync(Haicheng));
            Assert.Empty(await InboxAsync(City));
        }
        Assert.Equal(warning.Id, Assert.Single(await InboxAsync(Haicheng)).Id);

        // Past the window the district's own timer passes it up, on the fake clock.
        clock.SetUtcNow(Cn(2026, 2, 24, 9, 31));
        await WaitInCityAsync(warning.Id);
        var atCity = Assert.Single(await InboxAsync(City));
        Assert.Equal([Haicheng, City], atCity.Path);
        Assert.Equal(HandOffReason.NotAcknowledged, Assert.Single(atCity.HandOffs!).Reason);
    }

    [Fact]
    public async Task A_warning_acknowledged_in_Haicheng_whose_cause_persists_past_the_resolve_window_reaches_Anshan_with_its_path()
    {
        // Monday 3 March 2025, 10:00; the default windows: 1 working day to acknowledge, 10 to resolve at a district.
        var clock = new FakeTimeProvider(Cn(2025, 3, 3, 10));
        var warning = await StartAsync(clock, new DateOnly(2025, 2, 1));
        using var haicheng = Silo.Client(await Silo.IssueTokenAsync(new { role = "official", regionId = Haicheng, name = "海城市发改局" }));
        using var anshan = Silo.Client(await Silo.IssueTokenAsync(new { role = "official", regionId = City, name = "鞍山市发改委" }));

        Assert.Empty((await Silo.GetAsync<JsonElement>("/health/ready")).GetProperty("notes").EnumerateArray());

        // Bad acknowledgements are refused naming the field, and change nothing.
        foreach (var (body, field) in new (object Body, string Field)[]
        {
            (new { measure = new string('措', 4_001) }, "measure"),
            (new { plannedBy = "2025-02-30" }, "plannedBy"),
            (new { plannedBy = "2020-01-01" }, "plannedBy"),
            (new { plannedBy = "2031-01-01" }, "plannedBy"),
            (new { note = "a\u0001b" }, "note"),
        })
        {
            var refused = await haicheng.PostAsJsonAsync($"/api/warnings/{warning.Id}/ack", body);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
            Assert.Contains(field, problem.RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        }
        Assert.Equal((WarningStatus.Open, null), Assert.Single(await InboxAsync(Haicheng)) is var still ? (still.Status, still.Measure) : default);

        var ack = await haicheng.PostAsJsonAsync($"/api/warnings/{warning.Id}/ack", new { note = "已约谈企业", measure = "协调用地报批，督促企业开工", plannedBy = "2025-03-14" });
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        var acknowledged = (await ack.Content.ReadFromJsonAsync<WarningView>(SiloProcess.Json))!;
        Assert.Equal((WarningStatus.Acknowledged, "协调用地报批，督促企业开工", new DateOnly(2025, 3, 14)), (acknowledged.Status, acknowledged.Measure, acknowledged.PlannedBy));

        // Ten working days from Monday 3 March 10:00 run out on Monday 17 March at 10:00; the cause persists.
        clock.SetUtcNow(Cn(2025, 3, 17, 9, 59));
        Assert.Equal(0, await CheckAsync(Haicheng));
        Assert.Empty(await InboxAsync(City));
        clock.SetUtcNow(Cn(2025, 3, 17, 10, 1));
        await WaitInCityAsync(warning.Id);
        var atCity = Assert.Single(await InboxAsync(City));
        Assert.Equal((City, WarningStatus.Open), (atCity.RegionId, atCity.Status));
        Assert.Equal([Haicheng, City], atCity.Path);
        var handOff = Assert.Single(atCity.HandOffs!);
        Assert.Equal((Haicheng, City, HandOffReason.NotResolved, "海城市发改局", "协调用地报批，督促企业开工"),
            (handOff.FromRegionId, handOff.ToRegionId, handOff.Reason, handOff.AcknowledgedBy, handOff.Measure));
        Assert.Empty(await InboxAsync(Haicheng));

        // At the city the city acts: Haicheng can no longer acknowledge it, Anshan acknowledges and closes it out.
        Assert.Equal(HttpStatusCode.Forbidden, (await haicheng.PostAsJsonAsync($"/api/warnings/{warning.Id}/ack", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anshan.PostAsJsonAsync($"/api/warnings/{warning.Id}/ack", new { measure = "市级专班协调" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anshan.PostAsJsonAsync($"/api/warnings/{warning.Id}/close", new { note = "用地已批，企业已开工准备" })).StatusCode);

        // Past the city's windows nothing moves: closed out (销号), it passes nowhere.
        clock.SetUtcNow(Cn(2025, 4, 9, 10));
        Assert.Equal(0, await CheckAsync(City));
        Assert.Empty(await InboxAsync(City));
        Assert.Empty(await InboxAsync(Province));
        var closed = (await Silo.GetAsync<List<WarningView>>($"/api/regions/{City}/warnings?status=closed")).Single(w => w.Id == warning.Id);
        Assert.Equal([Haicheng, City], closed.Path);
    }
}
