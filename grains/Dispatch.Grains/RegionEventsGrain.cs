using Dispatch.Contracts;
using Microsoft.Extensions.Logging;

namespace Dispatch.Grains;

public sealed class RegionEventsGrain(TimeProvider clock, ILogger<RegionEventsGrain> logger) : Grain, IRegionEventsGrain
{
    private static readonly TimeSpan s_lapse = TimeSpan.FromMinutes(2);
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

    public async Task PublishAsync(RegionEvent regionEvent)
    {
        var now = clock.GetUtcNow();
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
}
