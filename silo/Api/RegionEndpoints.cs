using Dispatch.Contracts;
using Dispatch.Silo.Security;

namespace Dispatch.Silo.Api;

public static class RegionEndpoints
{
    public static RouteGroupBuilder MapRegionEndpoints(this RouteGroupBuilder api)
    {
        api.MapPut("/regions/{id}", async (string id, HttpContext http, IGrainFactory grains) =>
        {
            if (JsonBody.CheckId(id) is { } badId)
            {
                return Problems.Invalid([badId]);
            }
            var (request, problem) = await JsonBody.ReadAsync<RegionRequest>(http);
            if (problem is not null)
            {
                return problem;
            }
            var (definition, errors) = request!.ToDefinition();
            if (errors.Count > 0)
            {
                return Problems.Invalid(errors);
            }
            return Problems.From(await grains.GetGrain<IRegionGrain>(id).DefineAsync(definition!));
        }).Requires(Access.Operate, TargetKind.Region, "id");

        api.MapGet("/regions/{id}", async (string id, HttpRequest request, IGrainFactory grains) =>
        {
            if (!ApiSetup.TryAsOf(request, out var asOf, out var problem))
            {
                return problem!;
            }
            var view = await grains.GetGrain<IRegionGrain>(id).GetAsync(asOf);
            return view is null ? Problems.NotFound("region", id) : Results.Ok(view);
        }).Requires(Access.Read, TargetKind.Region, "id");

        api.MapGet("/regions/{id}/children", async (string id, HttpRequest request, IGrainFactory grains) =>
        {
            if (!ApiSetup.TryAsOf(request, out var asOf, out var problem))
            {
                return problem!;
            }
            var region = grains.GetGrain<IRegionGrain>(id);
            if (await region.GetDefinitionAsync() is null)
            {
                return Problems.NotFound("region", id);
            }
            return Results.Ok(await region.GetChildrenAsync(asOf));
        }).Requires(Access.Read, TargetKind.Region, "id");

        api.MapGet("/regions/{id}/projects", ProjectSearch.HandleAsync).Requires(Access.Read, TargetKind.Region, "id");
        return api;
    }
}
