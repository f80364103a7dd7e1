using Dispatch.Contracts;
using Dispatch.Silo.Security;

namespace Dispatch.Silo.Api;

/// <summary>
/// Outgoing webhooks: operators keep the targets (where, in which format, with which secret), officials subscribe
/// their region to events delivered there, and see each subscription's latest deliveries.
/// </summary>
public static class WebhookEndpoints
{
    public static RouteGroupBuilder MapWebhookEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/webhooks/targets", async (HttpContext http, IGrainFactory grains) =>
        {
            var (request, problem) = await JsonBody.ReadAsync<WebhookTargetRequest>(http);
            if (problem is not null)
            {
                return problem;
            }
            var result = await Registry(grains).AddTargetAsync(request!, http.Caller().Name);
            if (!result.Succeeded)
            {
                return Problems.Invalid(result.Errors);
            }
            http.AuditChange<WebhookTargetView>(null, result.Value);
            return Results.Created($"/api/webhooks/targets/{result.Value!.Id}", result.Value);
        }).Requires(Access.Operate);

        api.MapGet("/webhooks/targets", async (IGrainFactory grains) => Results.Ok(await Registry(grains).ListTargetsAsync()))
            .Requires(Access.Operate);

        api.MapDelete("/webhooks/targets/{id}", async (string id, HttpContext http, IGrainFactory grains) =>
        {
            var before = (await Registry(grains).ListTargetsAsync()).FirstOrDefault(t => t.Id == id);
            if (before is null || !await Registry(grains).RemoveTargetAsync(id))
            {
                return Problems.NotFound("webhook target", id);
            }
            http.AuditChange<WebhookTargetView>(before, null);
            return Results.Ok(new { removed = id });
        }).Requires(Access.Operate);

        api.MapPost("/regions/{id}/webhooks", async (string id, HttpContext http, IGrainFactory grains) =>
        {
            var (request, problem) = await JsonBody.ReadAsync<WebhookSubscriptionRequest>(http);
            if (problem is not null)
            {
                return problem;
            }
            if (await grains.GetGrain<IRegionGrain>(id).GetDefinitionAsync() is null)
            {
                return Problems.NotFound("region", id);
            }
            var result = await Registry(grains).AddSubscriptionAsync(id, request!, http.Caller().Name);
            if (!result.Succeeded)
            {
                return Problems.Invalid(result.Errors);
            }
            http.AuditChange<WebhookSubscription>(null, result.Value);
            return Results.Created($"/api/regions/{id}/webhooks", await ViewAsync(grains, result.Value!));
        }).Requires(Access.Manage, TargetKind.Region, "id");

        api.MapGet("/regions/{id}/webhooks", async (string id, IGrainFactory grains) =>
        {
            if (await grains.GetGrain<IRegionGrain>(id).GetDefinitionAsync() is null)
            {
                return Problems.NotFound("region", id);
            }
            var routes = await Registry(grains).RoutesOfAsync(id);
            return Results.Ok(await Task.WhenAll(routes.Select(r => ViewAsync(grains, r.Subscription, r.Target))));
        }).Requires(Access.Read, TargetKind.Region, "id");

        api.MapDelete("/webhooks/subscriptions/{id}", async (string id, HttpContext http, IGrainFactory grains) =>
        {
            var before = await Registry(grains).GetSubscriptionAsync(id);
            if (before is null || !await Registry(grains).RemoveSubscriptionAsync(id))
            {
                return Problems.NotFound("webhook subscription", id);
            }
            http.AuditChange<WebhookSubscription>(before, null);
            return Results.Ok(new { removed = id });
        }).Requires(Access.Manage, TargetKind.WebhookSubscription, "id");
        return api;
    }

    private static IWebhookRegistryGrain Registry(IGrainFactory grains) => grains.GetGrain<IWebhookRegistryGrain>(WebhookRegistry.Key);

    private static async Task<WebhookSubscriptionView> ViewAsync(IGrainFactory grains, WebhookSubscription s, WebhookTarget? target = null)
    {
        target ??= (await Registry(grains).GetRouteAsync(s.Id))?.Target;
        var status = await grains.GetGrain<IWebhookDeliveryGrain>(s.Id).GetStatusAsync();
        return new WebhookSubscriptionView(s.Id, s.RegionId, s.Account, s.Events, s.TargetId, target?.Name ?? "", target?.Format ?? WebhookFormat.Json,
            s.CreatedBy, s.CreatedAt, status);
    }
}
