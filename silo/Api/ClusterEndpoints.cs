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
    /// The Orleans Dashboard at <c>/dashboard</c> (registered on the silo by <c>AddDispatchSilo</c>), for operators only:
    /// it can show grain state. Open <c>/dashboard/?access_token=…</c> once; a cookie keeps the sign-in.
    /// </summary>
    public static IEndpointConventionBuilder MapOperatorDashboard(this IEndpointRouteBuilder app) =>
        app.MapOrleansDashboard(AuthSetup.DashboardPath).RequireAuthorization(AuthSetup.OperatorPolicy);
}
