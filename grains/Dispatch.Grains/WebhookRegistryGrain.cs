using Dispatch.Contracts;
using Dispatch.Grains.Domain;
using Microsoft.Extensions.Options;

namespace Dispatch.Grains;

[GenerateSerializer, Alias("Dispatch.WebhookRegistryState")]
public sealed class WebhookRegistryState
{
    [Id(0)] public Dictionary<string, WebhookTarget> Targets { get; set; } = [];
    [Id(1)] public Dictionary<string, WebhookSubscription> Subscriptions { get; set; } = [];
    /// <summary>Ids are never reused: a removed subscription's delivery grain keeps no state a new one could inherit.</summary>
    [Id(2)] public int Sequence { get; set; }
}

public sealed class WebhookRegistryGrain(
    [PersistentState("webhooks", DispatchStorage.Name)] IPersistentState<WebhookRegistryState> state,
    TimeProvider clock,
    IOptions<DispatchOptions> options) : Grain, IWebhookRegistryGrain
{
    private WebhookAllowList AllowList => WebhookAllowList.Parse(options.Value.Webhooks.AllowedHosts);

    public async Task<ChangeResult<WebhookTargetView>> AddTargetAsync(WebhookTargetRequest request, string by)
    {
        if (request is null)
        {
            return ChangeResult<WebhookTargetView>.Failed("body", "Send the target's name, url and format.");
        }
        var errors = WebhookRules.ValidateTarget(request, AllowList).ToList();
        InputRules.CheckCount(errors, "body", state.State.Targets.Count + 1, WebhookRules.MaxTargets, "webhook targets");
        if (errors.Count > 0)
        {
            return ChangeResult<WebhookTargetView>.Failed(errors);
        }
        state.State.Sequence++;
        var target = new WebhookTarget($"wt-{state.State.Sequence}", request.Name!.Trim(), request.Url!.Trim(), request.Format!.Value,
            request.Secret, by, clock.GetUtcNow());
        state.State.Targets[target.Id] = target;
        await state.WriteStateAsync();
        return ChangeResult<WebhookTargetView>.Ok(View(target));
    }

    public Task<IReadOnlyList<WebhookTargetView>> ListTargetsAsync() =>
        Task.FromResult<IReadOnlyList<WebhookTargetView>>(state.State.Targets.Values.OrderBy(t => t.CreatedAt).Select(View).ToList());

    public async Task<bool> RemoveTargetAsync(string targetId)
    {
        if (!state.State.Targets.Remove(targetId))
        {
            return false;
        }
        var orphans = state.State.Subscriptions.Values.Where(s => s.TargetId == targetId).ToList();
        foreach (var s in orphans)
        {
            state.State.Subscriptions.Remove(s.Id);
        }
        await state.WriteStateAsync();
        await Task.WhenAll(orphans.Select(ForgetAsync));
        return true;
    }

    public async Task<ChangeResult<WebhookSubscription>> AddSubscriptionAsync(string regionId, WebhookSubscriptionRequest request, string by)
    {
        if (request is null)
        {
            return ChangeResult<WebhookSubscription>.Failed("body", "Send the events, the target and optionally the account.");
        }
        var errors = WebhookRules.ValidateSubscription(request).ToList();
        if (errors.Count == 0 && !state.State.Targets.ContainsKey(request.TargetId!))
        {
            errors.Add(new("targetId", $"No webhook target '{request.TargetId}'; operators list them at GET /api/webhooks/targets."));
        }
        InputRules.CheckCount(errors, "regionId", state.State.Subscriptions.Values.Count(s => s.RegionId == regionId) + 1,
            WebhookRules.MaxSubscriptionsPerRegion, "webhook subscriptions in this region");
        if (errors.Count > 0)
        {
            return ChangeResult<WebhookSubscription>.Failed(errors);
        }
        state.State.Sequence++;
        var subscription = new WebhookSubscription($"ws-{state.State.Sequence}", regionId, request.Account?.Trim(),
            request.Events!.Distinct().Order().ToList(), request.TargetId!, by, clock.GetUtcNow());
        state.State.Subscriptions[subscription.Id] = subscription;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IRegionEventsGrain>(regionId).InvalidateWebhooksAsync();
        return ChangeResult<WebhookSubscription>.Ok(subscription);
    }

    public async Task<bool> RemoveSubscriptionAsync(string subscriptionId)
    {
        if (!state.State.Subscriptions.Remove(subscriptionId, out var subscription))
        {
            return false;
        }
        await state.WriteStateAsync();
        await ForgetAsync(subscription);
        return true;
    }

    /// <summary>Tells the region's hub to stop fanning out to it and empties its queue.</summary>
    private async Task ForgetAsync(WebhookSubscription subscription)
    {
        await GrainFactory.GetGrain<IRegionEventsGrain>(subscription.RegionId).InvalidateWebhooksAsync();
        await GrainFactory.GetGrain<IWebhookDeliveryGrain>(subscription.Id).StopAsync();
    }

    public Task<WebhookSubscription?> GetSubscriptionAsync(string subscriptionId) =>
        Task.FromResult(state.State.Subscriptions.GetValueOrDefault(subscriptionId));

    public Task<IReadOnlyList<WebhookRoute>> RoutesOfAsync(string regionId) => Task.FromResult<IReadOnlyList<WebhookRoute>>(
        state.State.Subscriptions.Values.Where(s => s.RegionId == regionId).OrderBy(s => s.CreatedAt)
            .Select(s => new WebhookRoute(s, state.State.Targets[s.TargetId])).ToList());

    public async Task<IReadOnlyList<WebhookSubscriptionView>> SubscriptionsOfAsync(string regionId) =>
        await Task.WhenAll((await RoutesOfAsync(regionId)).Select(async r => new WebhookSubscriptionView(r.Subscription.Id, regionId,
            r.Subscription.Account, r.Subscription.Events, r.Target.Id, r.Target.Name, r.Target.Format, r.Subscription.CreatedBy,
            r.Subscription.CreatedAt, await GrainFactory.GetGrain<IWebhookDeliveryGrain>(r.Subscription.Id).GetStatusAsync())));

    public Task<WebhookRoute?> GetRouteAsync(string subscriptionId) => Task.FromResult(
        state.State.Subscriptions.GetValueOrDefault(subscriptionId) is { } s && state.State.Targets.GetValueOrDefault(s.TargetId) is { } t
            ? new WebhookRoute(s, t) : null);

    private static WebhookTargetView View(WebhookTarget t) =>
        new(t.Id, t.Name, WebhookRules.MaskUrl(t.Url), t.Format, t.Secret is not null, t.CreatedBy, t.CreatedAt);
}
