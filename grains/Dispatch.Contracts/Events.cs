using Orleans.Concurrency;

namespace Dispatch.Contracts;

/// <summary>What happened, for live alerts (server-sent events and <c>dispatch watch</c>).</summary>
[GenerateSerializer, Alias("Dispatch.RegionEventType")]
public enum RegionEventType
{
    WarningRaised = 0,
    WarningEscalated = 1,
    WarningAcknowledged = 2,
    WarningClosed = 3,
    MeetingHeld = 4,
    WarningUpdated = 5,
    /// <summary>A problem flagged (挂牌督办) by a level above its owner.</summary>
    ProblemFlagged = 6,
    /// <summary>A problem whose step was missed went up one level, flagged there.</summary>
    ProblemEscalated = 7,
}

/// <summary>
/// A live alert about a region's subtree: a warning's change, a problem's flag or escalation, or a meeting held.
/// <see cref="RegionId"/> is where the warning sits now, or the region a problem was flagged by or moved up to.
/// </summary>
[GenerateSerializer, Immutable, Alias("Dispatch.RegionEvent")]
public sealed record RegionEvent(
    [property: Id(0)] RegionEventType Type,
    [property: Id(1)] string RegionId,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] WarningView? Warning,
    [property: Id(4)] string? MeetingId,
    [property: Id(5)] string? Summary,
    [property: Id(6)] ProblemView? Problem = null);

/// <summary>A subscriber to a region's live alerts.</summary>
[Alias("Dispatch.IRegionEventObserver")]
public interface IRegionEventObserver : IGrainObserver
{
    [Alias("OnEvent"), OneWay]
    Task OnEventAsync(RegionEvent regionEvent);
}

/// <summary>
/// The live-alert hub of one region (keyed by region id, no stored state): notifies its subscribers and passes each
/// event on to the parent's hub, so a city's subscribers see everything in its districts.
/// </summary>
[Alias("Dispatch.IRegionEventsGrain")]
public interface IRegionEventsGrain : IGrainWithStringKey
{
    /// <summary>Subscribes (or renews) an observer; a subscription not renewed within two minutes lapses.</summary>
    [Requires(Access.Read, TargetKind.Region)]
    [Alias("Subscribe")]
    Task SubscribeAsync(IRegionEventObserver observer);

    [Requires(Access.Read, TargetKind.Region)]
    [Alias("Unsubscribe")]
    Task UnsubscribeAsync(IRegionEventObserver observer);

    [Alias("Publish")]
    Task PublishAsync(RegionEvent regionEvent);

    /// <summary>The region's webhook subscriptions changed: read them again before the next event.</summary>
    [Alias("InvalidateWebhooks"), OneWay]
    Task InvalidateWebhooksAsync();
}
