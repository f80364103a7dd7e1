using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Contracts;
using Dispatch.Grains.Domain;

namespace Dispatch.Tests.Api;

/// <summary>
/// The warning acceptance lines through a real host on SQLite, with the acknowledgement timeout set to two seconds on
/// the 24×7 calendar. Dates are relative to today (China Standard Time), since the host runs on the real clock.
/// </summary>
public sealed class WarningApiTests : IAsyncLifetime
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(45);
    private static readonly DateOnly s_today = TimeProvider.System.ChinaToday();
    private SiloProcess _silo = null!;

    public async Task InitializeAsync()
    {
        _silo = await SiloProcess.StartAsync(false, "--Dispatch:Escalation:AcknowledgeWithin", "00:00:02", "--Dispatch:Calendar:Mode", "AroundTheClock");
        await Put("/api/regions/wp", new { name = "测试省", level = "province" });
        await Put("/api/regions/wp-city", new { name = "测试市", level = "city", parentId = "wp" });
        await Put("/api/regions/wp-city-d", new { name = "测试区", level = "district", parentId = "wp-city" });
    }

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    private async Task Put(string path, object body) => (await _silo.Http.PutAsJsonAsync(path, body)).EnsureSuccessStatusCode();

    /// <summary>A project whose 开工 milestone was planned 20 days ago and not reached.</summary>
    private Task PutOverdue(string id, decimal total = 8000m) => Put($"/api/projects/{id}", new
    {
        name = $"项目{id}",
        regionId = "wp-city-d",
        kind = "new",
        totalInvestment = total,
        milestones = new[] { new { name = "开工", plannedDate = s_today.AddDays(-20).ToString("yyyy-MM-dd") } },
    });

    /// <summary>The inbox's milestone warnings (a start planned 20 days ago may also be past the year's start deadline).</summary>
    private async Task<List<WarningView>> Inbox(string region, string status = "open") =>
        (await _silo.GetAsync<List<WarningView>>($"/api/regions/{region}/warnings?status={status}")).Where(w => w.Rule == WarningRule.MilestoneOverdue).ToList();

    [Fact]
    public async Task A_20_days_overdue_milestone_is_red_in_the_district_inbox_and_passes_to_the_city_unless_acknowledged()
    {
        await PutOverdue("wp-late");
        await PutOverdue("wp-acked");
        var acked = (await Inbox("wp-city-d")).Single(w => w.ProjectId == "wp-acked");
        var ack = await _silo.Http.PostAsJsonAsync($"/api/warnings/{acked.Id}/ack", new { by = "区长" });
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);

        var meeting = await _silo.Http.PostAsJsonAsync("/api/regions/wp-city-d/meetings", new { cadence = "weekly", asOf = s_today.ToString("yyyy-MM-dd") });
        Assert.Equal(HttpStatusCode.OK, meeting.StatusCode);
        var project = await _silo.GetAsync<ProjectView>("/api/projects/wp-late");
        Assert.Equal(Light.Red, project.Light);
        var warning = Assert.Single(project.Warnings, w => w.Rule == WarningRule.MilestoneOverdue);
        Assert.Equal(Light.Red, warning.Level);

        await SiloProcess.WaitUntilAsync(async () => (await Inbox("wp-city")).Any(w => w.Id == warning.Id), s_wait, "the warning in the city inbox");
        var atCity = (await Inbox("wp-city")).Single(w => w.Id == warning.Id);
        Assert.Equal("wp-city-d", atCity.Path[0]);
        Assert.Equal("wp-city", atCity.Path[1]);
        Assert.DoesNotContain(await Inbox("wp-city", "acknowledged"), w => w.ProjectId == "wp-acked");
        Assert.DoesNotContain(await Inbox("wp-city"), w => w.ProjectId == "wp-acked");
        Assert.Equal(WarningStatus.Acknowledged, (await Inbox("wp-city-d", "acknowledged")).Single(w => w.ProjectId == "wp-acked").Status);
    }

    [Fact]
    public async Task A_red_warning_on_a_60000_wan_project_is_in_the_city_inbox_without_waiting()
    {
        await PutOverdue("wp-big", total: 60_000m);
        var atCity = Assert.Single(await Inbox("wp-city"));
        Assert.Equal("wp-big", atCity.ProjectId);
        Assert.Equal(["wp-city-d", "wp-city"], atCity.Path);
    }

    [Fact]
    public async Task Acknowledging_an_unknown_warning_is_a_404_and_the_signer_is_the_token_holder_whatever_the_body_says()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _silo.Http.PostAsJsonAsync("/api/warnings/nope.w1/ack", new { note = "x" })).StatusCode);
        await PutOverdue("wp-noname");
        var warning = Assert.Single(await Inbox("wp-city-d"));
        var response = await _silo.Http.PostAsJsonAsync($"/api/warnings/{warning.Id}/ack", new { by = "冒名顶替者", note = "已安排" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var acknowledged = (await Inbox("wp-city-d", "acknowledged")).Single(w => w.ProjectId == "wp-noname");
        Assert.Equal(WarningStatus.Acknowledged, acknowledged.Status);
        Assert.Equal("operator", acknowledged.AcknowledgedBy);
    }

    [Fact]
    public async Task The_city_event_stream_shows_a_warning_raised_in_its_district()
    {
        using var stream = _silo.Client(_silo.OperatorToken);
        stream.Timeout = Timeout.InfiniteTimeSpan;
        using var response = await stream.GetAsync("/api/regions/wp-city/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.StartsWith(": subscribed", await reader.ReadLineAsync());

        await PutOverdue("wp-live");
        using var deadline = new CancellationTokenSource(s_wait);
        string? type = null;
        JsonElement data = default;
        while (type != "warningRaised")
        {
            var line = await reader.ReadLineAsync(deadline.Token);
            if (line?.StartsWith("event: ", StringComparison.Ordinal) == true)
            {
                type = line["event: ".Length..];
                data = JsonDocument.Parse((await reader.ReadLineAsync(deadline.Token))!["data: ".Length..]).RootElement;
            }
        }
        Assert.Equal("wp-live", data.GetProperty("warning").GetProperty("projectId").GetString());
        Assert.Equal("red", data.GetProperty("warning").GetProperty("level").GetString());
    }

    [Fact]
    public async Task An_escalation_due_while_the_silo_is_down_happens_once_after_the_restart()
    {
        await PutOverdue("wp-restart");
        var warning = Assert.Single(await Inbox("wp-city-d"));
        await _silo.RestartAsync();
        // Nothing touches the district: its durable reminder must bring the escalation about.
        await SiloProcess.WaitUntilAsync(async () => (await Inbox("wp-city")).Any(w => w.Id == warning.Id), s_wait, "the warning in the city inbox after the restart");
        var atCity = (await Inbox("wp-city")).Single(w => w.Id == warning.Id);
        Assert.Equal(atCity.Path.Distinct().Count(), atCity.Path.Count);
        Assert.Equal(["wp-city-d", "wp-city"], atCity.Path.Take(2));
    }
}
