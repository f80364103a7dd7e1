using System.Globalization;
using Dispatch.Contracts;

namespace Dispatch.Grains.Domain;

/// <summary>Which events a region's subscriptions hear of, their ids, what a subscription may ask for, and the back-off.</summary>
public static class WebhookRules
{
    public const int MaxTargets = 500;
    public const int MaxSubscriptionsPerRegion = 50;
    /// <summary>Event ids a delivery queue remembers, so a repeat of the same step is dropped.</summary>
    public const int RememberedIds = 1_000;
    /// <summary>Attempts a subscription's status keeps, newest first.</summary>
    public const int RecentDeliveries = 20;

    /// <summary>
    /// The kinds an event is, as seen from the hub of <paramref name="regionId"/> (which hears everything of its subtree):
    /// any warning raised under it; a warning passed up to it (and, when its window lapsed, a step overdue); a problem
    /// flagged by it or onto one it owns; a problem whose step lapsed moving up to it.
    /// </summary>
    public static IReadOnlyList<WebhookEventKind> KindsAt(RegionEvent e, string regionId)
    {
        switch (e.Type)
        {
            case RegionEventType.WarningRaised when e.Warning is not null:
                return [WebhookEventKind.WarningRaised];
            case RegionEventType.WarningEscalated when e.Warning is { } w && w.RegionId == regionId:
                return w.HandOffs is [.., { Reason: HandOffReason.NotAcknowledged or HandOffReason.NotResolved }]
                    ? [WebhookEventKind.WarningEscalated, WebhookEventKind.StepOverdue]
                    : [WebhookEventKind.WarningEscalated];
            case RegionEventType.ProblemFlagged when e.Problem is { } p && (p.Flag?.RegionId == regionId || p.OwnerRegionId == regionId):
                return [WebhookEventKind.ProblemFlagged];
            case RegionEventType.ProblemEscalated when e.Problem is { } p && (p.OwnerRegionId == regionId || p.SupervisorRegionId == regionId):
                return [WebhookEventKind.StepOverdue];
            default:
                return [];
        }
    }

    /// <summary>
    /// The event's id, the same however often the same step is told: a warning's id with the step (raised, or passed up
    /// to its n-th region), a problem's id with the step and the instant of the step that made it.
    /// </summary>
    public static string EventId(RegionEvent e) => e switch
    {
        { Type: RegionEventType.WarningRaised, Warning: { } w } => $"{w.Id}.raised",
        { Type: RegionEventType.WarningEscalated, Warning: { } w } => $"{w.Id}.up{w.Path.Count}",
        { Type: RegionEventType.ProblemFlagged, Problem: { } p } => $"{p.Id}.flag{StepMark(p)}",
        { Type: RegionEventType.ProblemEscalated, Problem: { } p } => $"{p.Id}.up{StepMark(p)}",
        _ => $"{e.Type}.{e.RegionId}.{e.At.ToUnixTimeMilliseconds()}",
    };

    private static string StepMark(ProblemView p) =>
        (p.Steps is [.., var last] ? last.At : p.Flag?.At ?? p.CreatedAt).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    public static IReadOnlyList<FieldError> ValidateTarget(WebhookTargetRequest request, WebhookAllowList allowList)
    {
        var errors = new List<FieldError>();
        InputRules.Require(errors, "name", request.Name, "Give the target a name (name), e.g. 鞍山市调度群.");
        InputRules.CheckText(errors, "name", request.Name, Limits.MaxShortText);
        if (allowList.Check(request.Url) is { } url)
        {
            errors.Add(url);
        }
        if (request.Format is not { } format || !Enum.IsDefined(format))
        {
            errors.Add(new("format", "Say the target's format (format): dingtalk, wecom, feishu or json."));
        }
        if (request.Secret is { } secret && (secret.Length is 0 or > 200 || secret.Any(char.IsControl)))
        {
            errors.Add(new("secret", "secret must be 1 to 200 characters without control characters."));
        }
        return errors;
    }

    public static IReadOnlyList<FieldError> ValidateSubscription(WebhookSubscriptionRequest request)
    {
        var errors = new List<FieldError>();
        InputRules.CheckText(errors, "account", request.Account, Limits.MaxShortText);
        if (request.Account is { } account && (string.IsNullOrWhiteSpace(account) || account.Contains('\n') || account.Contains('\t')))
        {
            errors.Add(new("account", "account names one person (a token's name) on one line, or is left out."));
        }
        if (request.Events is not { Count: > 0 } events)
        {
            errors.Add(new("events", "Choose the events to deliver (events): warningRaised, warningEscalated, problemFlagged, stepOverdue."));
        }
        else if (InputRules.CheckCount(errors, "events", events.Count, 8, "events") && events.Any(k => !Enum.IsDefined(k)))
        {
            errors.Add(new("events", "events may hold warningRaised, warningEscalated, problemFlagged and stepOverdue."));
        }
        InputRules.Require(errors, "targetId", request.TargetId, "Say which target delivers (targetId); operators list them at GET /api/webhooks/targets.");
        InputRules.CheckText(errors, "targetId", request.TargetId, 100);
        return errors;
    }

    /// <summary>A URL as shown to people: the query's values masked, since chat tools put their keys there.</summary>
    public static string MaskUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return "";
        }
        var query = uri.Query.TrimStart('?');
        var masked = query.Length == 0 ? "" : "?" + string.Join("&", query.Split('&').Select(pair => pair.Split('=')[0] + "=***"));
        return $"{uri.Scheme}://{uri.Authority}{MaskPath(uri.AbsolutePath)}{masked}";
    }

    /// <summary>Feishu's key is the last path segment (…/hook/{key}): a long last segment is masked too.</summary>
    private static string MaskPath(string path)
    {
        var cut = path.LastIndexOf('/');
        return cut >= 0 && path.Length - cut - 1 >= 16 ? path[..(cut + 1)] + "***" : path;
    }

    /// <summary>
    /// How long to wait after the <paramref name="attempts"/>-th failed attempt: the first wait, four times longer after
    /// each further failure, never longer than the cap (5 s, 20 s, 80 s, 5 min 20 s, 21 min, 30 min, … by default).
    /// </summary>
    public static TimeSpan RetryAfter(int attempts, WebhookOptions options)
    {
        var wait = options.FirstRetryAfter;
        for (var i = 1; i < attempts && wait < options.MaxRetryAfter; i++)
        {
            wait *= 4;
        }
        return wait < options.MaxRetryAfter ? wait : options.MaxRetryAfter;
    }
}
