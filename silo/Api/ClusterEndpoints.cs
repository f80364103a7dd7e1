using Dispatch.Contracts;
using Dispatch.Silo.Security;
using Orleans.Dashboard;

namespace Dispatch.Silo.Api;

public static class ClusterEndpoints
{
    /// <summary>
    /// <c>GET /api/cluster</c>: the silos of the cluster. An operators' route: it goes behind the operator role when
    /// bearer tokens land; until then it is as open as every other route.
    /// </summary>
    public static RouteGroupBuilder MapClusterEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/cluster", async (IGrainFactory grains) => Results.Ok(await ClusterInfo.ReadAsync(grains))).Requires(Access.Operate);
        return api;
    }

    /// <summary>
    /// Grain types whose state the dashboard never shows: the authority keeps the tokens' signing key, the webhook
    /// registry the targets' secrets and keyed URLs.
    /// </summary>
    public static readonly IReadOnlySet<string> SecretGrainTypes = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        typeof(Dispatch.Grains.AuthorityGrain).FullName!,
        typeof(Dispatch.Grains.WebhookRegistryGrain).FullName!,
    };

    /// <summary>
    /// The Orleans Dashboard at <c>/dashboard</c> (registered on the silo by <c>AddDispatchSilo</c>), for operators only:
    /// it can show grain state. Open <c>/dashboard/?access_token=…</c> once; a cookie keeps the sign-in.
    /// </summary>
    /// <remarks>
    /// The dashboard's grain-state explorer (<c>GET /dashboard/GrainState?grainType=…&amp;grainId=…</c>) activates the
    /// grain and calls its parameterless methods that answer its state type or are named <c>GetState</c>, and shows
    /// what they return. It has no option to leave a type out, so the route refuses the secret types itself.
    /// </remarks>
    public static IEndpointConventionBuilder MapOperatorDashboard(this IEndpointRouteBuilder app) =>
        app.MapOrleansDashboard(AuthSetup.DashboardPath).RequireAuthorization(AuthSetup.OperatorPolicy).AddEndpointFilter(async (context, next) =>
        {
            var request = context.HttpContext.Request;
            if (request.Path.Value?.EndsWith("/GrainState", StringComparison.OrdinalIgnoreCase) == true
                && request.Query["grainType"].Any(t => t is not null && SecretGrainTypes.Contains(t.Trim())))
            {
                return Results.Problem(title: "Not shown.", detail: "The state of this grain type holds secrets; the dashboard does not show it.",
                    statusCode: StatusCodes.Status403Forbidden);
            }
            return await next(context);
        });
}
