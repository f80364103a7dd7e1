using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Contracts;
using Dispatch.Tests.Api;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans;

namespace Dispatch.Tests.Scheduling;

/// <summary>
/// Per-region meeting times in a real silo on a persistent SQLite store, driven by a fake clock shared with Quartz and
/// the grains: one trigger per distinct schedule, added at a change without a restart, caught up after downtime,
/// retired after the firing that still owed a region its period; failed meetings retried from the Quartz store.
/// </summary>
public sealed class RegionScheduleTests
{
    private const string Friday = "0 0 15 ? * FRI";
    private static readonly TimeSpan s_china = TimeSpan.FromHours(8);
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(90);

    private sealed record Row(string Key, Cadence Cadence, string Cron, bool IsDefault, int Regions, DateTimeOffset? NextFireTime, string State);

    private sealed record Retry(string Region, Cadence Cadence, DateOnly AsOf, int Attempt, DateTimeOffset? NextTry);

    private sealed record Schedule(string SchedulerInstance, List<Row> Triggers, List<Retry> PendingRetries);

    private static Task<Schedule> ScheduleAsync(SiloProcess silo) => silo.GetAsync<Schedule>("/api/schedule");

    private static async Task<Dictionary<string, int>> PeriodsAsync(SiloProcess silo, string region, string cadence)
    {
        var meetings = await silo.GetAsync<List<MeetingView>>($"/api/regions/{region}/meetings?cadence={cadence}");
        return meetings.GroupBy(m => m.Period).ToDictionary(g => g.Key, g => g.Count());
    }

    private static async Task PutCadencesAsync(SiloProcess silo, string region, object cadences)
    {
        var response = await silo.Http.PutAsJsonAsync($"/api/regions/{region}/cadences", new { cadences });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_city_meets_at_its_own_time_set_without_a_restart_caught_up_after_downtime_and_its_old_trigger_retires_after_the_last_due_firing()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 3, 11, 10, 0, 0, s_china));
        await using var silo = await SiloProcess.StartAsync(true, clock, "--Dispatch:Scheduler:MisfireThreshold", "00:00:05");
        var anshanDistrict = (await silo.GetAsync<List<RegionView>>("/api/regions/ln-anshan/children"))[0].Id;

        // Fushun's 周调度 moves to Friday 15:00, set at runtime: its trigger exists at once.
        await PutCadencesAsync(silo, "ln-fushun", new object[]
        {
            new { cadence = "weekly", level = "city", when = "0 0 15 ? * fri" },
            new { cadence = "monthly", level = "city" },
            new { cadence = "quarterly", level = "city" },
        });
        Assert.Equal(Friday, (await silo.GetAsync<RegionCadences>("/api/regions/ln-fushun/cadences")).Settings.Single(s => s.Cadence == Cadence.Weekly).When);
        var schedule = await ScheduleAsync(silo);
        var friday = Assert.Single(schedule.Triggers, t => t.Cadence == Cadence.Weekly && !t.IsDefault);
        Assert.Equal(($"meetings-weekly@{Friday}", Friday, 1, new DateTimeOffset(2024, 3, 15, 15, 0, 0, s_china)), (friday.Key, friday.Cron, friday.Regions, friday.NextFireTime));
        var monday = Assert.Single(schedule.Triggers, t => t.Cadence == Cadence.Weekly && t.IsDefault);
        Assert.Equal(new DateTimeOffset(2024, 3, 18, 9, 0, 0, s_china), monday.NextFireTime);
        Assert.Equal((await silo.GetAsync<List<RegionView>>("/api/regions/ln-anshan/children")).Count, monday.Regions);
        Assert.Empty(schedule.PendingRetries);

        // Friday 15:00: Fushun meets; Anshan's districts keep Monday.
        clock.Advance(new DateTimeOffset(2024, 3, 15, 15, 0, 30, s_china) - clock.GetUtcNow());
        await SiloProcess.WaitUntilAsync(async () => (await PeriodsAsync(silo, "ln-fushun", "weekly")).ContainsKey("2024-W11"), s_wait, "Fushun's 2024-W11 meeting on Friday");
        Assert.Empty(await PeriodsAsync(silo, anshanDistrict, "weekly"));

        // Down over Friday 03-22, back on Saturday: the missed Friday still runs once, and a change made now (a monthly
        // time of Fushun's own) adds its trigger without resetting the pending one.
        await silo.StopAsync();
        clock = new FakeTimeProvider(new DateTimeOffset(2024, 3, 23, 10, 0, 0, s_china));
        silo.Clock = clock;
        await silo.StartAsync();
        await PutCadencesAsync(silo, "ln-fushun", new object[]
        {
            new { cadence = "weekly", level = "city", when = Friday },
            new { cadence = "monthly", level = "city", when = "0 0 10 8 * ?" },
            new { cadence = "quarterly", level = "city" },
        });
        await SiloProcess.WaitUntilAsync(async () => (await PeriodsAsync(silo, "ln-fushun", "weekly")).ContainsKey("2024-W12"), s_wait,
            "Fushun's missed 2024-W12 meeting", async () => await silo.Http.GetStringAsync("/api/schedule"));
        Assert.Contains((await ScheduleAsync(silo)).Triggers, t => t.Key == "meetings-monthly@0 0 10 8 * ?" && t.Regions == 1);
        await SiloProcess.WaitUntilAsync(async () => (await PeriodsAsync(silo, anshanDistrict, "weekly")).ContainsKey("2024-W12"), s_wait, "Anshan's missed Monday");

        // Wednesday of W13 (Monday 03-25 has passed), Fushun goes back to Monday: the Friday trigger still holds W13 for
        // it, then, followed by nobody, goes.
        clock.Advance(new DateTimeOffset(2024, 3, 27, 10, 0, 0, s_china) - clock.GetUtcNow());
        await SiloProcess.WaitUntilAsync(async () => (await PeriodsAsync(silo, anshanDistrict, "weekly")).ContainsKey("2024-W13"), s_wait, "Anshan's 2024-W13 meeting");
        Assert.False((await PeriodsAsync(silo, "ln-fushun", "weekly")).ContainsKey("2024-W13"));
        await PutCadencesAsync(silo, "ln-fushun", new object[]
        {
            new { cadence = "weekly", level = "city" },
            new { cadence = "monthly", level = "city", when = "0 0 10 8 * ?" },
        });
        Assert.Contains((await ScheduleAsync(silo)).Triggers, t => t.Key == $"meetings-weekly@{Friday}" && t.Regions == 0);
        clock.Advance(new DateTimeOffset(2024, 3, 29, 15, 0, 30, s_china) - clock.GetUtcNow());
        await SiloProcess.WaitUntilAsync(async () => (await ScheduleAsync(silo)).Triggers.All(t => t.Key != $"meetings-weekly@{Friday}"), s_wait,
            "the Friday trigger to retire", async () => await silo.Http.GetStringAsync("/api/schedule"));
        Assert.Equal(new Dictionary<string, int> { ["2024-W11"] = 1, ["2024-W12"] = 1, ["2024-W13"] = 1 }, await PeriodsAsync(silo, "ln-fushun", "weekly"));
        Assert.Equal(new Dictionary<string, int> { ["2024-W12"] = 1, ["2024-W13"] = 1 }, await PeriodsAsync(silo, anshanDistrict, "weekly"));
    }

    /// <summary>Fails a region's meeting calls a given number of times, as a lost silo or a timeout would.</summary>
    private sealed class FailingMeetings(string regionId, int times) : IIncomingGrainCallFilter
    {
        private int _left = times;

        public Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.InterfaceMethod.Name == nameof(IRegionGrain.RunMeetingAsync) && context.TargetId.Key.ToString() == regionId
                && Interlocked.Decrement(ref _left) >= 0)
            {
                throw new TimeoutException($"{regionId}: injected failure");
            }
            return context.Invoke();
        }
    }

    [Fact]
    public async Task A_failing_city_gets_pending_retries_shown_in_the_schedule_then_its_meeting_once_and_the_province_meets_monthly()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 4, 6, 9, 29, 0, s_china));
        await using var silo = await SiloProcess.StartAsync(true, clock,
            services => services.AddSingleton<IIncomingGrainCallFilter>(new FailingMeetings("ln-dandong", 2)),
            "--Dispatch:Scheduler:MisfireThreshold", "00:00:05", "--Dispatch:Scheduler:RetryBackoff", "00:01:00, 00:05:00");

        clock.Advance(TimeSpan.FromMinutes(2));
        // The province holds its own monthly meeting by default (what escalated to it in March).
        await SiloProcess.WaitUntilAsync(async () => (await PeriodsAsync(silo, "ln", "monthly")).ContainsKey("2024-03"), s_wait, "the province's 2024-03 meeting");
        await SiloProcess.WaitUntilAsync(async () => (await ScheduleAsync(silo)).PendingRetries.Count > 0, s_wait, "Dandong's retry");
        Assert.Equal(new Retry("ln-dandong", Cadence.Monthly, new DateOnly(2024, 4, 6), 1, new DateTimeOffset(2024, 4, 6, 9, 32, 0, s_china)),
            Assert.Single((await ScheduleAsync(silo)).PendingRetries));
        Assert.Empty(await PeriodsAsync(silo, "ln-dandong", "monthly"));
        Assert.True((await PeriodsAsync(silo, "ln-jinzhou", "monthly")).ContainsKey("2024-03"));

        // The first retry fails too: the next waits five minutes.
        clock.Advance(TimeSpan.FromMinutes(1));
        await SiloProcess.WaitUntilAsync(async () => (await ScheduleAsync(silo)).PendingRetries is [{ Attempt: 2 }], s_wait, "Dandong's second retry",
            async () => await silo.Http.GetStringAsync("/api/schedule"));
        Assert.Equal(new DateTimeOffset(2024, 4, 6, 9, 37, 0, s_china), (await ScheduleAsync(silo)).PendingRetries[0].NextTry);
        Assert.Empty(await PeriodsAsync(silo, "ln-dandong", "monthly"));

        clock.Advance(TimeSpan.FromMinutes(5));
        await SiloProcess.WaitUntilAsync(async () => (await PeriodsAsync(silo, "ln-dandong", "monthly")).ContainsKey("2024-03"), s_wait, "Dandong's 2024-03 meeting");
        await SiloProcess.WaitUntilAsync(async () => (await ScheduleAsync(silo)).PendingRetries.Count == 0, s_wait, "no retry left");
        Assert.Equal(new Dictionary<string, int> { ["2024-03"] = 1 }, await PeriodsAsync(silo, "ln-dandong", "monthly"));
        Assert.Equal(new Dictionary<string, int> { ["2024-03"] = 1 }, await PeriodsAsync(silo, "ln", "monthly"));
    }

    [Fact]
    public async Task A_time_that_fires_more_than_once_a_day_is_refused_naming_when()
    {
        await using var silo = await SiloProcess.StartAsync(true, new FakeTimeProvider(new DateTimeOffset(2024, 3, 11, 10, 0, 0, s_china)));
        var response = await silo.Http.PutAsJsonAsync("/api/regions/ln-fushun/cadences", new
        {
            cadences = new[] { new { cadence = "weekly", level = "city", when = "0 0 9,15 ? * FRI" } },
        });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("when", problem.RootElement.GetProperty("field").GetString());
        Assert.Contains("more than once a day", problem.RootElement.GetProperty("errors").GetProperty("when")[0].GetString());
        Assert.All((await ScheduleAsync(silo)).Triggers, t => Assert.True(t.IsDefault));
    }
}
