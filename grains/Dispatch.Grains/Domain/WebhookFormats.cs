using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dispatch.Contracts;

namespace Dispatch.Grains.Domain;

/// <summary>One HTTP POST to a webhook target: where, the JSON body and the headers.</summary>
public sealed record WebhookRequest(string Url, string Body, IReadOnlyList<KeyValuePair<string, string>> Headers);

/// <summary>
/// The bodies and signatures of the robot webhooks offices use, and of our own signed JSON. DingTalk (钉钉自定义机器人):
/// markdown, signed with <c>timestamp</c> (ms) and <c>sign</c> = Base64(HMAC-SHA256(key: secret, timestamp + "\n" +
/// secret)) in the query. WeCom (企业微信群机器人): markdown, its key already in the URL. Feishu (飞书自定义机器人): text,
/// signed with <c>timestamp</c> (s) and <c>sign</c> = Base64(HMAC-SHA256(key: timestamp + "\n" + secret, empty
/// message)) in the body. JSON: the event itself, signed in <c>X-Dispatch-Signature</c>: sha256= hex HMAC-SHA256(key:
/// secret, timestamp + "." + body). Every request says its event's id in <c>X-Dispatch-Event-Id</c>.
/// </summary>
public static class WebhookFormats
{
    public const string EventIdHeader = "X-Dispatch-Event-Id";
    public const string TimestampHeader = "X-Dispatch-Timestamp";
    public const string SignatureHeader = "X-Dispatch-Signature";

    private static readonly TimeSpan s_china = TimeSpan.FromHours(8);

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static WebhookRequest Compose(WebhookTarget target, WebhookEvent e, string? account, DateTimeOffset now)
    {
        var (title, lines) = Describe(e);
        var mention = string.IsNullOrWhiteSpace(account) ? null : $"@{account.Trim()}";
        var markdown = $"### {title}\n\n" + string.Join("\n", lines.Select(l => $"- {l}")) + (mention is null ? "" : $"\n\n{mention}");
        var plain = title + "\n" + string.Join("\n", lines) + (mention is null ? "" : $"\n{mention}");
        var headers = new List<KeyValuePair<string, string>> { new(EventIdHeader, e.Id) };
        var url = target.Url;
        string body;
        switch (target.Format)
        {
            case WebhookFormat.Dingtalk:
                body = Serialize(new JsonObject
                {
                    ["msgtype"] = "markdown",
                    ["markdown"] = new JsonObject { ["title"] = title, ["text"] = markdown },
                });
                if (target.Secret is { } dingSecret)
                {
                    var ms = now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
                    url += (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + $"timestamp={ms}&sign={Uri.EscapeDataString(DingtalkSign(ms, dingSecret))}";
                }
                break;
            case WebhookFormat.Wecom:
                body = Serialize(new JsonObject
                {
                    ["msgtype"] = "markdown",
                    ["markdown"] = new JsonObject { ["content"] = markdown },
                });
                break;
            case WebhookFormat.Feishu:
                var message = new JsonObject
                {
                    ["msg_type"] = "text",
                    ["content"] = new JsonObject { ["text"] = plain },
                };
                if (target.Secret is { } feishuSecret)
                {
                    var seconds = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                    message["timestamp"] = seconds;
                    message["sign"] = FeishuSign(seconds, feishuSecret);
                }
                body = Serialize(message);
                break;
            default:
                body = JsonSerializer.Serialize(new
                {
                    id = e.Id,
                    type = Camel(e.Type.ToString()),
                    kinds = e.Kinds.Select(k => Camel(k.ToString())).ToList(),
                    regionId = e.RegionId,
                    at = e.At,
                    account = string.IsNullOrWhiteSpace(account) ? null : account.Trim(),
                    title,
                    text = plain,
                    path = e.Warning?.Path ?? e.Problem?.Path,
                    pathNames = e.PathNames,
                    warning = e.Warning is { } w ? new
                    {
                        w.Id, w.ProjectId, w.ProjectName, w.RegionId, rule = Camel(w.Rule.ToString()), w.Subject,
                        level = Camel(w.Level.ToString()), status = Camel(w.Status.ToString()), w.RaisedAt, w.Reason, w.Path,
                    } : null,
                    problem = e.Problem is { } p ? new
                    {
                        p.Id, p.ProjectId, p.Title, p.Category, p.OwnerRegionId, p.SupervisorRegionId, status = Camel(p.Status.ToString()),
                        p.Deadline, p.Flagged, flag = p.Flag is { } f ? new { grade = Camel(f.Grade.ToString()), f.RegionId, f.Deadline, f.SupervisingOfficial, f.By } : null,
                    } : null,
                }, s_json);
                var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                headers.Add(new(TimestampHeader, timestamp));
                if (target.Secret is { } jsonSecret)
                {
                    headers.Add(new(SignatureHeader, "sha256=" + JsonSignature(timestamp, body, jsonSecret)));
                }
                break;
        }
        return new WebhookRequest(url, body, headers);
    }

    /// <summary>DingTalk's <c>sign</c> before URL encoding.</summary>
    public static string DingtalkSign(string timestampMs, string secret) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestampMs}\n{secret}")));

    /// <summary>Feishu's <c>sign</c>: the string to sign is the key, the message is empty.</summary>
    public static string FeishuSign(string timestampSeconds, string secret) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes($"{timestampSeconds}\n{secret}"), Array.Empty<byte>()));

    /// <summary>Our JSON signature, lower-case hex.</summary>
    public static string JsonSignature(string timestampSeconds, string body, string secret) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestampSeconds}.{body}")));

    /// <summary>
    /// What an answer means. The chat tools answer 200 even when they refuse (a bad signature, too many messages), with
    /// a non-zero <c>errcode</c> (DingTalk, WeCom) or <c>code</c> (Feishu) in the body: that is a failure, tried again.
    /// 408, 429 and 5xx are tried again; any other answer (a redirect, which is not followed, or a 4xx) is final.
    /// </summary>
    public static (WebhookOutcome Outcome, string? Error) Judge(WebhookFormat format, int status, string body)
    {
        if (status is >= 200 and < 300)
        {
            var field = format switch
            {
                WebhookFormat.Dingtalk or WebhookFormat.Wecom => "errcode",
                WebhookFormat.Feishu => "code",
                _ => null,
            };
            if (field is not null && Refusal(body, field) is { } refusal)
            {
                return (WebhookOutcome.Retrying, refusal);
            }
            return (WebhookOutcome.Delivered, null);
        }
        var error = $"HTTP {status}";
        return status is 408 or 429 or >= 500 ? (WebhookOutcome.Retrying, error) : (WebhookOutcome.Failed, error);
    }

    private static string? Refusal(string body, string field)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(field, out var code)
                && code.ValueKind == JsonValueKind.Number && code.TryGetInt64(out var n) && n != 0)
            {
                var message = doc.RootElement.TryGetProperty(field == "code" ? "msg" : "errmsg", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                return $"{field} {n}: {message}";
            }
        }
        catch (JsonException)
        {
            // Not JSON (or cut at the read cap): the status code is all there is to go by.
        }
        return null;
    }

    /// <summary>The title and lines of the message, in the officials' language.</summary>
    public static (string Title, IReadOnlyList<string> Lines) Describe(WebhookEvent e)
    {
        var path = Path(e);
        var when = $"时间：{e.At.ToOffset(s_china):yyyy-MM-dd HH:mm}";
        if (e.Warning is { } w)
        {
            var level = w.Level == Light.Red ? "红色" : "黄色";
            var title = e.Type switch
            {
                RegionEventType.WarningEscalated => $"【预警上交】{w.ProjectName}",
                RegionEventType.WarningRaised => $"【新预警】{w.ProjectName}",
                _ => $"【预警】{w.ProjectName}",
            };
            var lines = new List<string> { $"项目：{w.ProjectName}（{w.ProjectId}）", $"级别：{level}预警", $"原因：{w.Reason}", $"路径：{path}" };
            if (w.HandOffs is [.., var last] && e.Type == RegionEventType.WarningEscalated)
            {
                lines.Add($"上交原因：{HandOffText(last.Reason)}");
            }
            lines.Add(when);
            return (title, lines);
        }
        if (e.Problem is { } p)
        {
            var title = e.Type == RegionEventType.ProblemEscalated ? $"【问题逾期上交】{p.Title}" : $"【挂牌督办】{p.Title}";
            var lines = new List<string> { $"项目：{p.ProjectId}", $"问题：{p.Title}（{p.Category}）", $"路径：{path}" };
            if (p.Flag is { } f)
            {
                lines.Add($"督办：{(f.Grade == FlagGrade.RedCard ? "红牌" : "黄牌")}，期限 {f.Deadline:yyyy-MM-dd}" + (f.SupervisingOfficial is { } official ? $"，督办人 {official}" : ""));
            }
            lines.Add(when);
            return (title, lines);
        }
        return ($"【{e.Type}】{e.RegionId}", [when]);
    }

    private static string Path(WebhookEvent e)
    {
        var ids = e.Warning?.Path ?? e.Problem?.Path ?? [e.RegionId];
        var names = e.PathNames is { } known && known.Count == ids.Count ? known : ids;
        return string.Join(" → ", names);
    }

    private static string HandOffText(HandOffReason reason) => reason switch
    {
        HandOffReason.NotAcknowledged => "逾期未确认",
        HandOffReason.NotResolved => "逾期未解决",
        _ => "市级统筹项目红色预警直报",
    };

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    private static string Serialize(JsonObject body) => body.ToJsonString(s_json);
}
