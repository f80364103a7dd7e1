using System.Text.Json;
using Dispatch.Contracts;
using Dispatch.Tests.Api;

namespace Dispatch.Tests.Security;

/// <summary>
/// <c>dispatch webhook …</c> through the gateway: operators keep targets, a city's official subscribes the city and reads
/// its deliveries, a district official can do neither for the city; no secret or URL key leaves the silo.
/// </summary>
public sealed class WebhookCliTests : IAsyncLifetime
{
    private const string Secret = "SEC-鞍山-0042";
    private const string RobotKey = "a1b2c3d4e5";
    private SiloProcess _silo = null!;

    public async Task InitializeAsync() => _silo = await SiloProcess.StartAsync(true,
        "--Dispatch:Webhooks:AllowedHosts:0", "oapi.dingtalk.com");

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task Operators_add_targets_a_citys_official_subscribes_the_city_and_a_district_official_is_refused()
    {
        var city = await _silo.IssueTokenAsync(new { role = "official", regionId = "ln-anshan", name = "推送处长" });
        var district = await _silo.IssueTokenAsync(new { role = "official", regionId = "ln-anshan-haicheng", name = "推送科长" });
        string[] As(string token, params string[] args) => [.. args, "--gateway-port", $"{_silo.GatewayPort}", "--token", token];
        var url = $"https://oapi.dingtalk.com/robot/send?access_token={RobotKey}";

        var (code, output) = await GatewayTests.RunCliAsync(As(district, "webhook", "target", "add", "--name", "海城值班群", "--url", url, "--format", "dingtalk"));
        Assert.True(code == 4, output);
        (code, output) = await GatewayTests.RunCliAsync(As(_silo.OperatorToken, "webhook", "target", "add", "--name", "内网", "--url", "https://10.0.0.8/hook", "--format", "json"));
        Assert.True(code == 1, output);
        Assert.Contains("url", output);
        (code, output) = await GatewayTests.RunCliAsync(As(_silo.OperatorToken, "webhook", "target", "add", "--name", "鞍山值班群", "--url", url,
            "--format", "dingtalk", "--secret", Secret, "--json"));
        Assert.True(code == 0, output);
        var target = JsonSerializer.Deserialize<WebhookTargetView>(output, SiloProcess.Json)!;
        Assert.True(target.HasSecret);
        Assert.DoesNotContain(RobotKey, output);
        Assert.DoesNotContain(Secret, output);

        (code, output) = await GatewayTests.RunCliAsync(As(city, "webhook", "subscribe", "ln-anshan", "--target", target.Id, "--event", "escalated"));
        Assert.True(code == 1, output);
        Assert.Contains("--event", output);
        (code, output) = await GatewayTests.RunCliAsync(As(district, "webhook", "subscribe", "ln-anshan", "--target", target.Id, "--event", "warningEscalated"));
        Assert.True(code == 4, output);
        (code, output) = await GatewayTests.RunCliAsync(As(city, "webhook", "subscribe", "ln-anshan", "--target", target.Id,
            "--event", "warningEscalated", "--event", "problemFlagged", "--json"));
        Assert.True(code == 0, output);
        var subscription = JsonSerializer.Deserialize<WebhookSubscription>(output, SiloProcess.Json)!;
        Assert.Equal("推送处长", subscription.CreatedBy);
        Assert.Equal([WebhookEventKind.WarningEscalated, WebhookEventKind.ProblemFlagged], subscription.Events);

        (code, output) = await GatewayTests.RunCliAsync(As(city, "webhook", "list", "ln-anshan", "--json"));
        Assert.True(code == 0, output);
        var listed = Assert.Single(JsonSerializer.Deserialize<List<WebhookSubscriptionView>>(output, SiloProcess.Json)!);
        Assert.Equal((subscription.Id, "鞍山值班群", 0), (listed.Id, listed.TargetName, listed.Deliveries.Pending));
        Assert.DoesNotContain(RobotKey, output);
        Assert.DoesNotContain(Secret, output);
        (code, _) = await GatewayTests.RunCliAsync(As(district, "webhook", "list", "ln-anshan"));
        Assert.Equal(4, code);

        // The HTTP API sees what the CLI did.
        var overHttp = await _silo.Http.GetStringAsync("/api/regions/ln-anshan/webhooks");
        Assert.Contains(subscription.Id, overHttp);

        (code, _) = await GatewayTests.RunCliAsync(As(district, "webhook", "unsubscribe", subscription.Id));
        Assert.Equal(4, code);
        (code, output) = await GatewayTests.RunCliAsync(As(city, "webhook", "unsubscribe", subscription.Id));
        Assert.True(code == 0, output);
        (code, output) = await GatewayTests.RunCliAsync(As(city, "webhook", "list", "ln-anshan", "--json"));
        Assert.True(code == 0, output);
        Assert.Empty(JsonSerializer.Deserialize<List<WebhookSubscriptionView>>(output, SiloProcess.Json)!);

        (code, output) = await GatewayTests.RunCliAsync(As(_silo.OperatorToken, "webhook", "target", "list", "--json"));
        Assert.True(code == 0, output);
        Assert.Contains(target.Id, output);
        (code, output) = await GatewayTests.RunCliAsync(As(_silo.OperatorToken, "webhook", "target", "remove", target.Id));
        Assert.True(code == 0, output);
        (code, _) = await GatewayTests.RunCliAsync(As(_silo.OperatorToken, "webhook", "target", "remove", target.Id));
        Assert.Equal(1, code);
    }
}
