using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dispatch.Contracts;
using Dispatch.Grains;
using Dispatch.Grains.Domain;

namespace Dispatch.Tests.Domain;

/// <summary>
/// The webhook formats, signatures, allow-list and back-off as pure functions. Signatures are checked against values
/// worked out here with the HMAC class itself, following each tool's published recipe, not with the code under test.
/// </summary>
public sealed class WebhookRulesTests
{
    private const string Haicheng = "ln-anshan-haicheng", Anshan = "ln-anshan", Province = "ln";
    private static readonly DateTimeOffset s_at = new(2025, 3, 17, 10, 1, 0, TimeSpan.FromHours(8));

    private static WarningView Warning(params string[] path) => new("hc-steel.w1", "hc-steel", "海城精品钢材项目", path[^1], WarningRule.MilestoneOverdue,
        "开工", Light.Red, WarningStatus.Open, s_at.AddDays(-14), new DateOnly(2025, 3, 3), "开工 planned 2025-02-01, 30 days overdue", path, s_at,
        null, null, null, null, null,
        HandOffs: path.Length > 1 ? [new WarningHandOff(path[^2], path[^1], s_at, HandOffReason.NotResolved, "海城市发改局", s_at.AddDays(-14), null, null)] : null);

    private static WebhookEvent Escalated() => new("hc-steel.w1.up2", RegionEventType.WarningEscalated,
        [WebhookEventKind.WarningEscalated, WebhookEventKind.StepOverdue], Anshan, s_at, Warning(Haicheng, Anshan), null, ["海城市", "鞍山市"]);

    private static WebhookTarget Target(WebhookFormat format, string? secret, string url = "https://oapi.dingtalk.com/robot/send?access_token=abc") =>
        new("wt-1", "鞍山市调度群", url, format, secret, "operator", s_at);

    private static byte[] Hmac(string key, string message)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(key));
        return hmac.ComputeHash(Encoding.UTF8.GetBytes(message));
    }

    [Fact]
    public void DingTalk_gets_markdown_and_a_timestamp_in_milliseconds_with_the_url_encoded_sign_of_timestamp_newline_secret()
    {
        const string secret = "SEC0123456789abcdef";
        var request = WebhookFormats.Compose(Target(WebhookFormat.Dingtalk, secret), Escalated(), "鞍山市发改委", s_at);

        var ms = s_at.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("1742176860000", ms);
        var expected = Convert.ToBase64String(Hmac(secret, ms + "\n" + secret));
        var query = new Uri(request.Url).Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal(("abc", ms), (query["access_token"], query["timestamp"]));
        Assert.Equal(expected, Uri.UnescapeDataString(query["sign"]));
        Assert.DoesNotContain('+', query["sign"]);
        Assert.DoesNotContain('/', query["sign"]);

        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("markdown", body.RootElement.GetProperty("msgtype").GetString());
        var text = body.RootElement.GetProperty("markdown").GetProperty("text").GetString()!;
        Assert.Equal("【预警上交】海城精品钢材项目", body.RootElement.GetProperty("markdown").GetProperty("title").GetString());
        Assert.Contains("海城市 → 鞍山市", text, StringComparison.Ordinal);
        Assert.Contains("红色预警", text, StringComparison.Ordinal);
        Assert.Contains("逾期未解决", text, StringComparison.Ordinal);
        Assert.Contains("时间：2025-03-17 10:01", text, StringComparison.Ordinal);
        Assert.EndsWith("@鞍山市发改委", text, StringComparison.Ordinal);
        Assert.Contains(request.Headers, h => h.Key == WebhookFormats.EventIdHeader && h.Value == "hc-steel.w1.up2");
    }

    [Fact]
    public void DingTalk_without_a_secret_leaves_the_url_as_it_is()
    {
        var request = WebhookFormats.Compose(Target(WebhookFormat.Dingtalk, null), Escalated(), null, s_at);
        Assert.Equal("https://oapi.dingtalk.com/robot/send?access_token=abc", request.Url);
    }

    [Fact]
    public void Feishu_gets_text_and_a_timestamp_in_seconds_with_the_sign_keyed_by_timestamp_newline_secret_over_nothing()
    {
        const string secret = "feishu-secret";
        var request = WebhookFormats.Compose(Target(WebhookFormat.Feishu, secret, "https://open.feishu.cn/open-apis/bot/v2/hook/0123456789abcdef0123"),
            Escalated(), null, s_at);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("text", body.RootElement.GetProperty("msg_type").GetString());
        Assert.StartsWith("【预警上交】海城精品钢材项目\n", body.RootElement.GetProperty("content").GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("1742176860", body.RootElement.GetProperty("timestamp").GetString());
        Assert.Equal(Convert.ToBase64String(Hmac("1742176860\n" + secret, "")), body.RootElement.GetProperty("sign").GetString());
        Assert.Equal("https://open.feishu.cn/open-apis/bot/v2/hook/0123456789abcdef0123", request.Url);
    }

    [Fact]
    public void WeCom_gets_markdown_content_and_its_key_stays_in_the_url()
    {
        var request = WebhookFormats.Compose(Target(WebhookFormat.Wecom, null, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k-1"), Escalated(), "张三", s_at);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("markdown", body.RootElement.GetProperty("msgtype").GetString());
        Assert.Contains("海城市 → 鞍山市", body.RootElement.GetProperty("markdown").GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Equal("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k-1", request.Url);
    }

    [Fact]
    public void Json_is_signed_over_timestamp_dot_body_in_lower_case_hex_and_carries_the_event()
    {
        const string secret = "json-secret";
        var request = WebhookFormats.Compose(Target(WebhookFormat.Json, secret, "https://hooks.example.org/dispatch"), Escalated(), null, s_at);
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value);
        Assert.Equal("1742176860", headers[WebhookFormats.TimestampHeader]);
        Assert.Equal("sha256=" + Convert.ToHexString(Hmac(secret, "1742176860." + request.Body)).ToLowerInvariant(), headers[WebhookFormats.SignatureHeader]);
        using var body = JsonDocument.Parse(request.Body);
        var root = body.RootElement;
        Assert.Equal(("hc-steel.w1.up2", "warningEscalated", Anshan), (root.GetProperty("id").GetString(), root.GetProperty("type").GetString(), root.GetProperty("regionId").GetString()));
        Assert.Equal(["warningEscalated", "stepOverdue"], root.GetProperty("kinds").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(["海城市", "鞍山市"], root.GetProperty("pathNames").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(("hc-steel", "red", "milestoneOverdue"), (root.GetProperty("warning").GetProperty("projectId").GetString(),
            root.GetProperty("warning").GetProperty("level").GetString(), root.GetProperty("warning").GetProperty("rule").GetString()));
    }

    [Theory]
    [InlineData(WebhookFormat.Json, 200, "", WebhookOutcome.Delivered)]
    [InlineData(WebhookFormat.Dingtalk, 200, "{\"errcode\":0,\"errmsg\":\"ok\"}", WebhookOutcome.Delivered)]
    [InlineData(WebhookFormat.Dingtalk, 200, "{\"errcode\":310000,\"errmsg\":\"sign not match\"}", WebhookOutcome.Retrying)]
    [InlineData(WebhookFormat.Wecom, 200, "{\"errcode\":45009,\"errmsg\":\"api freq out of limit\"}", WebhookOutcome.Retrying)]
    [InlineData(WebhookFormat.Feishu, 200, "{\"code\":0,\"msg\":\"success\",\"data\":{}}", WebhookOutcome.Delivered)]
    [InlineData(WebhookFormat.Feishu, 200, "{\"code\":19021,\"msg\":\"sign match fail\"}", WebhookOutcome.Retrying)]
    [InlineData(WebhookFormat.Json, 503, "", WebhookOutcome.Retrying)]
    [InlineData(WebhookFormat.Json, 429, "", WebhookOutcome.Retrying)]
    [InlineData(WebhookFormat.Json, 302, "", WebhookOutcome.Failed)]
    [InlineData(WebhookFormat.Json, 404, "", WebhookOutcome.Failed)]
    [InlineData(WebhookFormat.Dingtalk, 200, "<html>cut", WebhookOutcome.Delivered)]
    public void An_answer_is_judged_by_its_status_and_by_the_chat_tools_error_code(WebhookFormat format, int status, string body, WebhookOutcome expected) =>
        Assert.Equal(expected, WebhookFormats.Judge(format, status, body).Outcome);

    [Fact]
    public void Back_off_starts_at_the_first_wait_grows_fourfold_and_stops_at_the_cap()
    {
        var options = new WebhookOptions();
        Assert.Equal(new[] { 5, 20, 80, 320, 1280, 1800, 1800 }, Enumerable.Range(1, 7).Select(n => (int)WebhookRules.RetryAfter(n, options).TotalSeconds));
        var quick = new WebhookOptions { FirstRetryAfter = TimeSpan.FromSeconds(1), MaxRetryAfter = TimeSpan.FromSeconds(2) };
        Assert.Equal(new[] { 1, 2, 2 }, Enumerable.Range(1, 3).Select(n => (int)WebhookRules.RetryAfter(n, quick).TotalSeconds));
    }

    [Fact]
    public void The_allow_list_admits_exact_scheme_host_and_port_and_names_url_otherwise()
    {
        var list = WebhookAllowList.Parse(["oapi.dingtalk.com", "hooks.example.org:8443", "http://127.0.0.1:5099", "OPEN.Feishu.cn"], out var errors);
        Assert.Empty(errors);
        Assert.Null(list.Check("https://oapi.dingtalk.com/robot/send?access_token=x"));
        Assert.Null(list.Check("https://open.feishu.cn/open-apis/bot/v2/hook/x"));
        Assert.Null(list.Check("https://hooks.example.org:8443/a"));
        Assert.Null(list.Check("http://127.0.0.1:5099/hook"));
        foreach (var bad in new[]
        {
            "http://oapi.dingtalk.com/robot/send", "https://oapi.dingtalk.com:8443/robot/send", "https://hooks.example.org/a", "https://evil.example.com/",
            "https://oapi.dingtalk.com.evil.com/", "https://user:pw@oapi.dingtalk.com/", "ftp://oapi.dingtalk.com/", "http://127.0.0.1:5100/", "https://127.0.0.1:5099/",
            "http://localhost:5099/", "oapi.dingtalk.com/robot", "", "https://oapi.dingtalk.com/#x",
        })
        {
            Assert.Equal("url", list.Check(bad)?.Field);
        }
        Assert.Equal("url", WebhookAllowList.Parse([]).Check("https://oapi.dingtalk.com/")?.Field);
        WebhookAllowList.Parse(["https://x.org/path", "a b", "ftp://x.org"], out var bad3);
        Assert.Equal(3, bad3.Count);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.16.0.1", true)]
    [InlineData("172.31.255.255", true)]
    [InlineData("172.32.0.1", false)]
    [InlineData("192.168.1.1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("224.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("ff02::1", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("64:ff9b::a00:1", true)]
    [InlineData("203.119.129.1", false)]
    [InlineData("2408:8000::1", false)]
    public void Internal_addresses_are_told_from_public_ones(string address, bool isInternal) =>
        Assert.Equal(isInternal, WebhookAllowList.IsInternal(IPAddress.Parse(address)));

    [Fact]
    public void An_internal_address_is_reached_only_when_the_entry_is_that_address_itself()
    {
        var list = WebhookAllowList.Parse(["http://127.0.0.1:5099", "http://localhost:5099", "hooks.example.org"]);
        var literal = list.Match(new Uri("http://127.0.0.1:5099/hook"))!;
        var name = list.Match(new Uri("http://localhost:5099/hook"))!;
        var rebound = list.Match(new Uri("https://hooks.example.org/hook"))!;
        Assert.True(WebhookAllowList.MayConnect(literal, IPAddress.Loopback));
        Assert.False(WebhookAllowList.MayConnect(literal, IPAddress.Parse("127.0.0.2")));
        Assert.False(WebhookAllowList.MayConnect(name, IPAddress.Loopback));
        Assert.False(WebhookAllowList.MayConnect(rebound, IPAddress.Parse("10.0.0.8")));
        Assert.True(WebhookAllowList.MayConnect(rebound, IPAddress.Parse("203.119.129.1")));
    }

    [Fact]
    public void A_region_hears_warnings_raised_under_it_escalations_to_it_flags_by_or_onto_it_and_lapsed_steps_that_reach_it()
    {
        var raised = new RegionEvent(RegionEventType.WarningRaised, Haicheng, s_at, Warning(Haicheng), null, null);
        Assert.Equal([WebhookEventKind.WarningRaised], WebhookRules.KindsAt(raised, Anshan));
        var up = new RegionEvent(RegionEventType.WarningEscalated, Anshan, s_at, Warning(Haicheng, Anshan), null, null);
        Assert.Equal([WebhookEventKind.WarningEscalated, WebhookEventKind.StepOverdue], WebhookRules.KindsAt(up, Anshan));
        Assert.Empty(WebhookRules.KindsAt(up, Province));
        Assert.Empty(WebhookRules.KindsAt(up, Haicheng));
        var direct = Warning(Haicheng, Anshan) with { HandOffs = [new WarningHandOff(Haicheng, Anshan, s_at, HandOffReason.CityCoordinated, null, null, null, null)] };
        Assert.Equal([WebhookEventKind.WarningEscalated], WebhookRules.KindsAt(up with { Warning = direct }, Anshan));
        Assert.Empty(WebhookRules.KindsAt(new RegionEvent(RegionEventType.WarningAcknowledged, Haicheng, s_at, Warning(Haicheng), null, null), Anshan));

        var problem = new ProblemView("hc-steel.q1", "hc-steel", "用地报批", "用地", RegionLevel.District, Haicheng, null, new DateOnly(2025, 4, 1),
            ProblemStatus.Accepted, true, s_at, null, null, null, null, Flag: new ProblemFlag(FlagGrade.YellowCard, Anshan, new DateOnly(2025, 4, 1), "李市长", "鞍山市发改委", s_at),
            Path: [Haicheng, Anshan], Steps: [new ProblemStep(ProblemAction.Flagged, "鞍山市发改委", s_at)]);
        var flagged = new RegionEvent(RegionEventType.ProblemFlagged, Anshan, s_at, null, null, null, problem);
        Assert.Equal([WebhookEventKind.ProblemFlagged], WebhookRules.KindsAt(flagged, Anshan));
        Assert.Equal([WebhookEventKind.ProblemFlagged], WebhookRules.KindsAt(flagged, Haicheng));
        Assert.Empty(WebhookRules.KindsAt(flagged, Province));
        var lapsed = new RegionEvent(RegionEventType.ProblemEscalated, Anshan, s_at, null, null, null, problem with { OwnerRegionId = Anshan });
        Assert.Equal([WebhookEventKind.StepOverdue], WebhookRules.KindsAt(lapsed, Anshan));
        Assert.Empty(WebhookRules.KindsAt(lapsed, Haicheng));
    }

    [Fact]
    public void The_same_step_always_has_the_same_id_and_the_next_step_another()
    {
        var up = new RegionEvent(RegionEventType.WarningEscalated, Anshan, s_at, Warning(Haicheng, Anshan), null, null);
        Assert.Equal("hc-steel.w1.up2", WebhookRules.EventId(up));
        Assert.Equal(WebhookRules.EventId(up), WebhookRules.EventId(up with { At = s_at.AddMinutes(5) }));
        Assert.Equal("hc-steel.w1.up3", WebhookRules.EventId(up with { Warning = Warning(Haicheng, Anshan, Province) }));
        Assert.Equal("hc-steel.w1.raised", WebhookRules.EventId(up with { Type = RegionEventType.WarningRaised }));
    }

    [Fact]
    public void Shown_urls_mask_the_keys_in_the_query_and_in_a_long_last_segment()
    {
        Assert.Equal("https://oapi.dingtalk.com/robot/send?access_token=***", WebhookRules.MaskUrl("https://oapi.dingtalk.com/robot/send?access_token=abcdef"));
        Assert.Equal("https://open.feishu.cn/open-apis/bot/v2/hook/***", WebhookRules.MaskUrl("https://open.feishu.cn/open-apis/bot/v2/hook/0123456789abcdef0123"));
        Assert.Equal("http://127.0.0.1:5099/hook", WebhookRules.MaskUrl("http://127.0.0.1:5099/hook"));
    }
}
