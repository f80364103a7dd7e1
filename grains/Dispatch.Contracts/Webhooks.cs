using Orleans.Concurrency;

namespace Dispatch.Contracts;

/// <summary>The body a webhook target receives: a chat tool's robot format (钉钉, 企业微信, 飞书) or our signed JSON.</summary>
[GenerateSerializer, Alias("Dispatch.WebhookFormat")]
public enum WebhookFormat
{
    Dingtalk = 0,
    Wecom = 1,
    Feishu = 2,
    Json = 3,
}

/// <summary>What a subscription asks to hear of, as seen from its region.</summary>
[GenerateSerializer, Alias("Dispatch.WebhookEventKind")]
public enum WebhookEventKind
{
    /// <summary>A warning raised in the region or anywhere under it.</summary>
    WarningRaised = 0,
    /// <summary>A warning passed up to the region itself.</summary>
    WarningEscalated = 1,
    /// <summary>A problem flagged (挂牌督办) by the region, or flagged onto a problem the region owns.</summary>
    ProblemFlagged = 2,
    /// <summary>A problem step or a warning's window lapsed, so it moved up to the region (环节逾期上交).</summary>
    StepOverdue = 3,
}

/// <summary>How an attempt to deliver one event ended.</summary>
[GenerateSerializer, Alias("Dispatch.WebhookOutcome")]
public enum WebhookOutcome
{
    Delivered = 0,
    /// <summary>Failed for now; tried again after a back-off.</summary>
    Retrying = 1,
    /// <summary>Given up: refused for good, or still failing past the maximum age.</summary>
    Failed = 2,
    /// <summary>Dropped unsent: the queue was full, or the subscription's target is gone.</summary>
    Dropped = 3,
}

/// <summary>A webhook target as stored: the secret stays in the silo and is never shown.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.WebhookTarget")]
public sealed record WebhookTarget(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Url,
    [property: Id(3)] WebhookFormat Format,
    [property: Id(4)] string? Secret,
    [property: Id(5)] string CreatedBy,
    [property: Id(6)] DateTimeOffset CreatedAt);

/// <summary>A webhook target as the API shows it: the query of its URL masked (keys live there), no secret.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.WebhookTargetView")]
public sealed record WebhookTargetView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Url,
    [property: Id(3)] WebhookFormat Format,
    [property: Id(4)] bool HasSecret,
    [property: Id(5)] string CreatedBy,
    [property: Id(6)] DateTimeOffset CreatedAt);

[GenerateSerializer, Immutable, Alias("Dispatch.WebhookTargetRequest")]
public sealed record WebhookTargetRequest(
    [property: Id(0)] string? Name,
    [property: Id(1)] string? Url,
    [property: Id(2)] WebhookFormat? Format,
    [property: Id(3)] string? Secret = null);

/// <summary>A region's (or one person's, <see cref="Account"/>) wish to hear of some events at a target.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.WebhookSubscription")]
public sealed record WebhookSubscription(
    [property: Id(0)] string Id,
    [property: Id(1)] string RegionId,
    [property: Id(2)] string? Account,
    [property: Id(3)] IReadOnlyList<WebhookEventKind> Events,
    [property: Id(4)] string TargetId,
    [property: Id(5)] string CreatedBy,
    [property: Id(6)] DateTimeOffset CreatedAt);

[GenerateSerializer, Immutable, Alias("Dispatch.WebhookSubscriptionRequest")]
public sealed record WebhookSubscriptionRequest(
    [property: Id(0)] string? Account,
    [property: Id(1)] IReadOnlyList<WebhookEventKind>? Events,
    [property: Id(2)] string? TargetId);

/// <summary>
/// One event on its way to a subscription's target. <see cref="Id"/> is the same for every delivery of the same step
/// (a receiver drops repeats by it); <see cref="PathNames"/> are the names of the warning's or problem's regions.
/// </summary>
[GenerateSerializer, Immutable, Alias("Dispatch.WebhookEvent")]
public sealed record WebhookEvent(
    [property: Id(0)] string Id,
    [property: Id(1)] RegionEventType Type,
    [property: Id(2)] IReadOnlyList<WebhookEventKind> Kinds,
    [property: Id(3)] string RegionId,
    [property: Id(4)] DateTimeOffset At,
    [property: Id(5)] WarningView? Warning,
    [property: Id(6)] ProblemView? Problem,
    [property: Id(7)] IReadOnlyList<string>? PathNames = null);

/// <summary>One attempt at a delivery: when, which event, the answer's status code or the error, how many attempts so far.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.WebhookDelivery")]
public sealed record WebhookDelivery(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string EventId,
    [property: Id(2)] RegionEventType Type,
    [property: Id(3)] WebhookOutcome Outcome,
    [property: Id(4)] int Attempts,
    [property: Id(5)] int? StatusCode,
    [property: Id(6)] string? Error);

/// <summary>A subscription's deliveries: pending, counts, and the latest attempts (newest first).</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.WebhookDeliveryStatus")]
public sealed record WebhookDeliveryStatus(
    [property: Id(0)] int Pending,
    [property: Id(1)] long Delivered,
    [property: Id(2)] long Failed,
    [property: Id(3)] long Dropped,
    [property: Id(4)] DateTimeOffset? NextAttemptAt,
    [property: Id(5)] IReadOnlyList<WebhookDelivery> Recent);

/// <summary>A subscription as the API lists it, with its target's name and format and its deliveries.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.WebhookSubscriptionView")]
public sealed record WebhookSubscriptionView(
    [property: Id(0)] string Id,
    [property: Id(1)] string RegionId,
    [property: Id(2)] string? Account,
    [property: Id(3)] IReadOnlyList<WebhookEventKind> Events,
    [property: Id(4)] string TargetId,
    [property: Id(5)] string TargetName,
    [property: Id(6)] WebhookFormat Format,
    [property: Id(7)] string CreatedBy,
    [property: Id(8)] DateTimeOffset CreatedAt,
    [property: Id(9)] WebhookDeliveryStatus Deliveries);

/// <summary>A subscription with its target, for the grain that delivers it.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.WebhookRoute")]
public sealed record WebhookRoute(
    [property: Id(0)] WebhookSubscription Subscription,
    [property: Id(1)] WebhookTarget Target);

public static class WebhookRegistry
{
    /// <summary>The key of the one registry grain.</summary>
    public const string Key = "dispatch";
}

/// <summary>
/// The webhook registry of the service (one grain, key <c>dispatch</c>): the operators' targets and the regions'
/// subscriptions. Holds the targets' secrets, so only silos call it.
/// </summary>
[Alias("Dispatch.IWebhookRegistryGrain")]
public interface IWebhookRegistryGrain : IGrainWithStringKey
{
    /// <summary>Adds a target whose URL the operators' allow-list admits (else an error naming <c>url</c>).</summary>
    [Alias("AddTarget")]
    Task<ChangeResult<WebhookTargetView>> AddTargetAsync(WebhookTargetRequest request, string by);

    [Alias("ListTargets"), AlwaysInterleave]
    Task<IReadOnlyList<WebhookTargetView>> ListTargetsAsync();

    /// <summary>Removes a target and the subscriptions that deliver to it; false when unknown.</summary>
    [Alias("RemoveTarget")]
    Task<bool> RemoveTargetAsync(string targetId);

    [Requires(Access.Manage, TargetKind.Region, Argument = "regionId", SignedBy = "by")]
    [Alias("AddSubscription")]
    Task<ChangeResult<WebhookSubscription>> AddSubscriptionAsync(string regionId, WebhookSubscriptionRequest request, string by);

    /// <summary>Removes a subscription and its queue; false when unknown.</summary>
    [Requires(Access.Manage, TargetKind.WebhookSubscription, Argument = "subscriptionId")]
    [Alias("RemoveSubscription")]
    Task<bool> RemoveSubscriptionAsync(string subscriptionId);

    [Alias("GetSubscription"), AlwaysInterleave]
    Task<WebhookSubscription?> GetSubscriptionAsync(string subscriptionId);

    /// <summary>
    /// The subscriptions of one region as officials may see them: the target's name and format (never its URL's key or
    /// secret) and each queue's deliveries.
    /// </summary>
    [Requires(Access.Read, TargetKind.Region, Argument = "regionId")]
    [Alias("SubscriptionsOf"), AlwaysInterleave]
    Task<IReadOnlyList<WebhookSubscriptionView>> SubscriptionsOfAsync(string regionId);

    /// <summary>The subscriptions of one region with their targets.</summary>
    [Alias("RoutesOf"), AlwaysInterleave]
    Task<IReadOnlyList<WebhookRoute>> RoutesOfAsync(string regionId);

    [Alias("GetRoute"), AlwaysInterleave]
    Task<WebhookRoute?> GetRouteAsync(string subscriptionId);
}

/// <summary>
/// The durable delivery queue of one subscription (keyed by its id): events wait in grain state and are sent with
/// back-off until delivered, refused for good or too old; a reminder wakes it after a restart.
/// </summary>
[Alias("Dispatch.IWebhookDeliveryGrain")]
public interface IWebhookDeliveryGrain : IGrainWithStringKey
{
    /// <summary>Queues an event; one already seen (same id) is dropped. One-way: publishing never waits on a receiver.</summary>
    [Alias("Enqueue"), OneWay]
    Task EnqueueAsync(WebhookEvent webhookEvent);

    [Alias("GetStatus"), AlwaysInterleave]
    Task<WebhookDeliveryStatus> GetStatusAsync();

    /// <summary>Forgets the queue and stops trying (the subscription was removed).</summary>
    [Alias("Stop")]
    Task StopAsync();
}
