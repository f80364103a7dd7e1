using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dispatch.Contracts;
using Dispatch.Grains.Domain;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Api;

/// <summary>
/// Outgoing webhooks through a real host on SQLite and a real HTTP receiver started here, on the real clock with the
/// 24×7 calendar and a two-second acknowledgement window, so a Haicheng warning reaches Anshan within seconds; the
/// city keeps what reaches it for a day. Retries wait one, then two seconds.
/// </summary>
public sealed class WebhookApiTests : IAsyncLifetime
{
    private const string Province = "ln", City = "ln-anshan", Haicheng = "ln-anshan-haicheng";
    private const string Secret = "鞍山-webhook-secret";
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);
    private static readonly DateOnly s_today = TimeProvider.System.ChinaToday();
    private WebhookReceiver _receiver = null!;
    private SiloProcess _silo = null!;

    public async Task InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();
        _silo = await SiloProcess.StartAsync(false,
            "--Dispatch:Escalation:AcknowledgeWithin", "00:00:02", "--Dispatch:Escalation:City:AcknowledgeWithin", "1.00:00:00",
            "--Dispatch:Calendar:Mode", "AroundTheClock",
            "--Dispatch:Webhooks:AllowedHosts:0", $"http://127.0.0.1:{_receiver.Port}",
            "--Dispatch:Webhooks:AllowedHosts:1", $"http://localhost:{_receiver.Port}",
            "--Dispatch:Webhooks:AllowedHosts:2", "oapi.dingtalk.com",
            "--Dispatch:Webhooks:FirstRetryAfter", "00:00:01", "--Dispatch:Webhooks:MaxRetryAfter", "00:00:02",
            "--Dispatch:RateLimits:PerToken=0");
        await Put($"/api/regions/{Province}", new { name = "辽宁省", level = "province" });
        await Put($"/api/regions/{City}", new { name = "鞍山市", level = "city", parentId = Province });
        await Put($"/api/regions/{Haicheng}", new { name = "海城市", level = "district", parentId = City });
    }

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    private async Task Put(string path, object body)
    {
        var response = await _silo.Http.PutAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"PUT {path}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>A Haicheng project whose 开工 milestone was planned 20 days ago and not reached: a red warning at once.</summary>
    private Task PutOverdueAsync(string id) => Put($"/api/projects/{id}", new
    {
        name = $"海城项目{id}", regionId = Haicheng, kind = "new", totalInvestment = 8_000m,
        milestones = new[] { new { name = "开工", plannedDate = s_today.AddDays(-20).ToString("yyyy-MM-dd") } },
    });

    private async Task<string> MilestoneWarningIdAsync(string projectId) =>
        Assert.Single((await _silo.GetAsync<ProjectView>($"/api/projects/{projectId}")).Warnings, w => w.Rule == WarningRule.MilestoneOverdue).Id;

    private async Task<string> CreateTargetAsync(object body)
    {
        var response = await _silo.Http.PostAsJsonAsync("/api/webhooks/targets", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST target: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<string> SubscribeAsync(HttpClient client, string region, object body)
    {
        var response = await client.PostAsJsonAsync($"/api/regions/{region}/webhooks", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST subscription: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("id").GetString()!;
    }

    private Task<List<WebhookSubscriptionView>> SubscriptionsAsync(string region) => _silo.GetAsync<List<WebhookSubscriptionView>>($"/api/regions/{region}/webhooks");

    private static string HexHmac(string key, string message)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(key));
        return Convert.ToHexString(hmac.ComputeHash(Encoding.UTF8.GetBytes(message))).ToLowerInvariant();
    }

    private Task WaitDeliveredAsync(string eventId) => SiloProcess.WaitUntilAsync(
        () => Task.FromResult(_receiver.Accepted.Any(r => r.Headers.GetValueOrDefault(WebhookFormats.EventIdHeader) == eventId)), s_wait,
        $"{eventId} accepted by the receiver", async () => $"received: {string.Join("; ", _receiver.Requests.Select(r => $"{r.Answered} {r.Headers.GetValueOrDefault(WebhookFormats.EventIdHeader)}"))}; "
            + $"subscriptions: {JsonSerializer.Serialize(await SubscriptionsAsync(City), SiloProcess.Json)}");

    [Fact]
    public async Task Anshan_receives_one_signed_event_when_a_Haicheng_warning_escalates_to_it_even_after_the_receiver_was_down()
    {
        var target = await CreateTargetAsync(new { name = "鞍山市调度群", url = _receiver.Url(), format = "json", secret = Secret });
        using var anshan = _silo.Client(await _silo.IssueTokenAsync(new { role = "official", regionId = City, name = "鞍山市发改委" }));
        var subscription = await SubscribeAsync(anshan, City, new { events = new[] { "warningEscalated" }, targetId = target });

        _receiver.Down = true;
        await PutOverdueAsync("hc-steel");
        var warningId = await MilestoneWarningIdAsync("hc-steel");
        var eventId = $"{warningId}.up2";
        // Down for at least two attempts (one second, then two seconds apart), then up again.
        await SiloProcess.WaitUntilAsync(() => Task.FromResult(_receiver.Requests.Count(r => r.Answered == 503 && r.Headers[WebhookFormats.EventIdHeader] == eventId) >= 2),
            s_wait, "two refused attempts");
        _receiver.Down = false;
        await WaitDeliveredAsync(eventId);

        var attempts = _receiver.Requests.Where(r => r.Headers[WebhookFormats.EventIdHeader] == eventId).ToList();
        Assert.True(attempts.Count >= 3, $"{attempts.Count} attempts");
        Assert.All(attempts.SkipLast(1), a => Assert.Equal(503, a.Answered));
        var delivered = Assert.Single(attempts, a => a.Answered == 200);
        // The receiver checks the signature with the secret it shares: HMAC-SHA256 over "timestamp.body".
        var timestamp = delivered.Headers[WebhookFormats.TimestampHeader];
        Assert.Equal("sha256=" + HexHmac(Secret, $"{timestamp}.{delivered.Body}"), delivered.Headers[WebhookFormats.SignatureHeader]);
        Assert.True(Math.Abs(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds() - long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture)) < 120);
        using (var body = JsonDocument.Parse(delivered.Body))
        {
            var root = body.RootElement;
            Assert.Equal((eventId, "warningEscalated", City), (root.GetProperty("id").GetString(), root.GetProperty("type").GetString(), root.GetProperty("regionId").GetString()));
            Assert.Equal([Haicheng, City], root.GetProperty("warning").GetProperty("path").EnumerateArray().Select(p => p.GetString()));
            Assert.Equal(["海城市", "鞍山市"], root.GetProperty("pathNames").EnumerateArray().Select(p => p.GetString()));
            Assert.Contains("海城市 → 鞍山市", root.GetProperty("text").GetString(), StringComparison.Ordinal);
            Assert.Equal(("hc-steel", "red"), (root.GetProperty("warning").GetProperty("projectId").GetString(), root.GetProperty("warning").GetProperty("level").GetString()));
        }

        // The console's view: the delivery, the refused attempts before it, nothing pending.
        var view = Assert.Single(await SubscriptionsAsync(City));
        Assert.Equal((subscription, "鞍山市调度群", WebhookFormat.Json), (view.Id, view.TargetName, view.Format));
        Assert.True(view.Deliveries.Delivered >= 1);
        var latest = view.Deliveries.Recent.Where(d => d.EventId == eventId).ToList();
        Assert.Equal((WebhookOutcome.Delivered, 200, attempts.Count), (latest[0].Outcome, latest[0].StatusCode, latest[0].Attempts));
        Assert.All(latest.Skip(1), d => Assert.Equal((WebhookOutcome.Retrying, 503), (d.Outcome, d.StatusCode)));

        // The same step told again (as a project retrying its notification would) makes no second event.
        var atCity = (await _silo.GetAsync<List<WarningView>>($"/api/regions/{City}/warnings")).Single(w => w.Id == warningId);
        var hub = _silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IRegionEventsGrain>(Haicheng);
        for (var i = 0; i < 2; i++)
        {
            await hub.PublishAsync(new RegionEvent(RegionEventType.WarningEscalated, City, TimeProvider.System.GetUtcNow(), atCity, null, "repeat"));
        }
        // A later escalation is delivered after them: by then a repeat would have arrived too.
        await PutOverdueAsync("hc-steel-2");
        await WaitDeliveredAsync($"{await MilestoneWarningIdAsync("hc-steel-2")}.up2");
        Assert.Single(_receiver.Accepted, r => r.Headers[WebhookFormats.EventIdHeader] == eventId);
        Assert.All(_receiver.Accepted.GroupBy(r => r.Headers[WebhookFormats.EventIdHeader]), g => Assert.Single(g));
        Assert.All(_receiver.Requests, r => Assert.EndsWith(".up2", r.Headers[WebhookFormats.EventIdHeader], StringComparison.Ordinal));
    }

    [Fact]
    public async Task Only_operators_create_targets_to_allow_listed_hosts_and_a_name_resolving_to_an_internal_address_is_refused_at_send()
    {
        using var anshan = _silo.Client(await _silo.IssueTokenAsync(new { role = "official", regionId = City, name = "鞍山市发改委" }));
        using var haicheng = _silo.Client(await _silo.IssueTokenAsync(new { role = "official", regionId = Haicheng, name = "海城市发改局" }));
        var refused = await anshan.PostAsJsonAsync("/api/webhooks/targets", new { name = "x", url = _receiver.Url(), format = "json" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await anshan.GetAsync("/api/webhooks/targets")).StatusCode);

        foreach (var (body, field) in new (object Body, string Field)[]
        {
            (new { name = "x", url = "https://evil.example.com/hook", format = "json" }, "url"),
            (new { name = "x", url = "http://oapi.dingtalk.com/robot/send", format = "dingtalk" }, "url"),
            (new { name = "x", url = $"http://127.0.0.1:{_receiver.Port + 1}/hook", format = "json" }, "url"),
            (new { name = "x", url = "http://169.254.169.254/latest/meta-data", format = "json" }, "url"),
            (new { name = "x", url = _receiver.Url(), format = "slack" }, "format"),
            (new { name = "", url = _receiver.Url(), format = "json" }, "name"),
        })
        {
            var response = await _silo.Http.PostAsJsonAsync("/api/webhooks/targets", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Contains(field, problem.RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        }

        var ding = await CreateTargetAsync(new { name = "钉钉群", url = "https://oapi.dingtalk.com/robot/send?access_token=secret-token", format = "dingtalk", secret = "SECabc" });
        var byName = await CreateTargetAsync(new { name = "本机名", url = $"http://localhost:{_receiver.Port}/by-name", format = "wecom" });
        var listed = await _silo.Http.GetStringAsync("/api/webhooks/targets");
        Assert.DoesNotContain("SECabc", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-token", listed, StringComparison.Ordinal);
        var targets = JsonSerializer.Deserialize<List<WebhookTargetView>>(listed, SiloProcess.Json)!;
        Assert.Equal((true, "https://oapi.dingtalk.com/robot/send?access_token=***"), targets.Single(t => t.Id == ding) is var d ? (d.HasSecret, d.Url) : default);
        Assert.False(targets.Single(t => t.Id == byName).HasSecret);

        // Officials subscribe their own region only; a bad subscription is refused naming the field.
        Assert.Equal(HttpStatusCode.Forbidden, (await haicheng.PostAsJsonAsync($"/api/regions/{City}/webhooks", new { events = new[] { "warningRaised" }, targetId = byName })).StatusCode);
        foreach (var (body, field) in new (object Body, string Field)[]
        {
            (new { events = Array.Empty<string>(), targetId = byName }, "events"),
            (new { events = new[] { "everything" }, targetId = byName }, "events[0]"),
            (new { events = new[] { "warningRaised" }, targetId = "wt-999" }, "targetId"),
        })
        {
            var response = await haicheng.PostAsJsonAsync($"/api/regions/{Haicheng}/webhooks", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Contains(field, problem.RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        }

        // localhost is on the list by name, but it resolves to a loopback address that is not itself listed: never connected.
        var subscription = await SubscribeAsync(haicheng, Haicheng, new { account = "海城市发改局", events = new[] { "warningRaised" }, targetId = byName });
        await PutOverdueAsync("hc-local");
        await SiloProcess.WaitUntilAsync(async () => (await SubscriptionsAsync(Haicheng)).Single().Deliveries.Failed >= 1, s_wait, "the refused delivery");
        var failure = (await SubscriptionsAsync(Haicheng)).Single().Deliveries.Recent[0];
        Assert.Equal(WebhookOutcome.Failed, failure.Outcome);
        Assert.Null(failure.StatusCode);
        Assert.Contains("internal addresses", failure.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(_receiver.Requests, r => r.Path.StartsWith("/by-name", StringComparison.Ordinal));

        // Haicheng removes its subscription; Anshan cannot remove it, nor can a viewer.
        Assert.Equal(HttpStatusCode.OK, (await haicheng.DeleteAsync($"/api/webhooks/subscriptions/{subscription}")).StatusCode);
        Assert.Empty(await SubscriptionsAsync(Haicheng));
        Assert.Equal(HttpStatusCode.NotFound, (await _silo.Http.DeleteAsync($"/api/webhooks/subscriptions/{subscription}")).StatusCode);
        var audit = await _silo.Http.GetStringAsync("/api/audit");
        Assert.Contains("/api/webhooks/targets", audit, StringComparison.Ordinal);
        Assert.DoesNotContain("SECabc", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_waiting_for_a_receiver_that_is_down_survive_a_silo_restart_and_are_delivered_once_after_it()
    {
        var target = await CreateTargetAsync(new { name = "海城市调度群", url = _receiver.Url("/restart"), format = "json", secret = Secret });
        var subscription = await SubscribeAsync(_silo.Http, Haicheng, new { events = new[] { "warningRaised" }, targetId = target });
        _receiver.Down = true;
        await PutOverdueAsync("hc-restart");
        var eventId = $"{await MilestoneWarningIdAsync("hc-restart")}.raised";
        await SiloProcess.WaitUntilAsync(() => Task.FromResult(_receiver.Requests.Any(r => r.Headers[WebhookFormats.EventIdHeader] == eventId)), s_wait, "a first refused attempt");

        await _silo.StopAsync();
        _receiver.Down = false;
        await _silo.StartAsync();
        // Nothing touches the subscription: its reminder must wake it.
        await WaitDeliveredAsync(eventId);
        Assert.Single(_receiver.Accepted, r => r.Headers[WebhookFormats.EventIdHeader] == eventId);
        var view = (await SubscriptionsAsync(Haicheng)).Single(s => s.Id == subscription);
        Assert.Equal(WebhookOutcome.Delivered, view.Deliveries.Recent.First(d => d.EventId == eventId).Outcome);
    }
}
