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
            var view = (await Registry(grains).SubscriptionsOfAsync(id)).First(v => v.Id == result.Value!.Id);
            return Results.Created($"/api/regions/{id}/webhooks", view);
        }).Requires(Access.Manage, TargetKind.Region, "id");

        api.MapGet("/regions/{id}/webhooks", async (string id, IGrainFactory grains) =>
        {
            if (await grains.GetGrain<IRegionGrain>(id).GetDefinitionAsync() is null)
            {
                return Problems.NotFound("region", id);
            }
            return Results.Ok(await Registry(grains).SubscriptionsOfAsync(id));
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
}
