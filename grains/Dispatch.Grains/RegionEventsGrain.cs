using Dispatch.Contracts;
using Dispatch.Grains.Domain;
using Microsoft.Extensions.Logging;

namespace Dispatch.Grains;

public sealed class RegionEventsGrain(TimeProvider clock, ILogger<RegionEventsGrain> logger) : Grain, IRegionEventsGrain
{
    private static readonly TimeSpan s_lapse = TimeSpan.FromMinutes(2);
    /// <summary>How long the region's webhook subscriptions are used before they are read again (changes also invalidate them).</summary>
    private static readonly TimeSpan s_webhooksFresh = TimeSpan.FromMinutes(1);
    private IReadOnlyList<WebhookRoute>? _webhooks;
    private DateTimeOffset _webhooksReadAt;
    private readonly Dictionary<IRegionEventObserver, DateTimeOffset> _subscribers = [];
    private string? _parentId;
    private bool _parentKnown;

    public Task SubscribeAsync(IRegionEventObserver observer)
    {
        _subscribers[observer] = clock.GetUtcNow();
        return Task.CompletedTask;
    }

    public Task UnsubscribeAsync(IRegionEventObserver observer)
    {
        _subscribers.Remove(observer);
        return Task.CompletedTask;
    }

    public Task InvalidateWebhooksAsync()
    {
        _webhooks = null;
        return Task.CompletedTask;
    }

    public async Task PublishAsync(RegionEvent regionEvent)
    {
        var now = clock.GetUtcNow();
        try
        {
            await HandToWebhooksAsync(regionEvent, now);
        }
        catch (Exception e)
        {
            // Webhooks must never stop an alert from reaching the consoles and the regions above.
            logger.LogWarning(e, "Webhooks of {Region} missed a {Type} event", this.GetPrimaryKeyString(), regionEvent.Type);
        }
        foreach (var (observer, renewed) in _subscribers.ToList())
        {
            if (now - renewed > s_lapse)
            {
                _subscribers.Remove(observer);
                continue;
            }
            try
            {
                await observer.OnEventAsync(regionEvent);
            }
            catch (Exception e)
            {
                logger.LogDebug(e, "Dropping a subscriber of {Region} that did not answer", this.GetPrimaryKeyString());
                _subscribers.Remove(observer);
            }
        }
        if (!_parentKnown)
        {
            _parentId = (await GrainFactory.GetGrain<IRegionGrain>(this.GetPrimaryKeyString()).GetDefinitionAsync())?.ParentId;
            _parentKnown = true;
        }
        if (_parentId is not null)
        {
            await GrainFactory.GetGrain<IRegionEventsGrain>(_parentId).PublishAsync(regionEvent);
        }
    }

    /// <summary>
    /// Queues the event with each of the region's subscriptions that asked for one of its kinds. The delivery grains take
    /// it one-way: a slow or absent receiver never slows publishing.
    /// </summary>
    private async Task HandToWebhooksAsync(RegionEvent regionEvent, DateTimeOffset now)
    {
        var kinds = WebhookRules.KindsAt(regionEvent, this.GetPrimaryKeyString());
        if (kinds.Count == 0)
        {
            return;
        }
        if (_webhooks is null || now - _webhooksReadAt > s_webhooksFresh || now < _webhooksReadAt)
        {
            _webhooks = await GrainFactory.GetGrain<IWebhookRegistryGrain>(WebhookRegistry.Key).RoutesOfAsync(this.GetPrimaryKeyString());
            _webhooksReadAt = now;
        }
        WebhookEvent? webhookEvent = null;
        foreach (var route in _webhooks)
        {
            var wanted = kinds.Intersect(route.Subscription.Events).ToList();
            if (wanted.Count == 0)
            {
                continue;
            }
            webhookEvent ??= new WebhookEvent(WebhookRules.EventId(regionEvent), regionEvent.Type, kinds, regionEvent.RegionId, regionEvent.At,
                regionEvent.Warning, regionEvent.Problem);
            await GrainFactory.GetGrain<IWebhookDeliveryGrain>(route.Subscription.Id).EnqueueAsync(webhookEvent);
        }
    }
}
