using Dispatch.Contracts;
using Dispatch.Grains.Domain;

namespace Dispatch.Silo.Security;

/// <summary>Route metadata: what the route acts on (named by a route value) and how.</summary>
public sealed record AccessRequirement(TargetKind Kind, string? RouteValue, Access Access);

/// <summary>Route metadata: the route describes the API (the reference page), holds no data and needs no token.</summary>
public sealed record DescribesRoutesOnlyMarker;

public static class AccessEndpointExtensions
{
    /// <summary>Declares what the route touches and does; <see cref="UseDispatchAccess"/> enforces it.</summary>
    public static TBuilder Requires<TBuilder>(this TBuilder route, Access access, TargetKind kind = TargetKind.None, string? routeValue = null)
        where TBuilder : IEndpointConventionBuilder =>
        route.WithMetadata(new AccessRequirement(kind, routeValue, access));

    /// <summary>
    /// Opens an /api route to callers without a token, for pages that describe routes and show no data (the API
    /// reference, as public as <c>/openapi/v1.json</c>); never for a route that reads or changes data.
    /// </summary>
    public static TBuilder DescribesRoutesOnly<TBuilder>(this TBuilder route) where TBuilder : IEndpointConventionBuilder =>
        route.WithMetadata(new DescribesRoutesOnlyMarker());

    /// <summary>
    /// Checks every /api route's declaration against the caller's token before the handler runs: 403 problem+json
    /// saying why, without the target's data. A route that declares nothing is for operators only (default deny).
    /// </summary>
    public static IApplicationBuilder UseDispatchAccess(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (!http.Request.Path.StartsWithSegments("/api") || http.GetEndpoint() is not { } endpoint
            || endpoint.Metadata.GetMetadata<DescribesRoutesOnlyMarker>() is not null)
        {
            await next(http);
            return;
        }
        if (Tokens.CallerOf(http.User) is not { } caller)
        {
            await Results.Problem(title: "Sign in first.", detail: "This route needs a bearer token.", statusCode: StatusCodes.Status401Unauthorized)
                .ExecuteAsync(http);
            return;
        }
        var requirement = endpoint.Metadata.GetMetadata<AccessRequirement>() ?? new AccessRequirement(TargetKind.None, null, Access.Operate);
        var id = requirement.RouteValue is null ? null : http.Request.RouteValues[requirement.RouteValue]?.ToString();
        var denied = await http.RequestServices.GetRequiredService<AccessControl>().DenyAsync(caller, requirement.Kind, id, requirement.Access);
        if (denied is not null)
        {
            await Results.Problem(title: "Out of your scope.", detail: denied, statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(http);
            return;
        }
        await next(http);
    });

    public static Caller Caller(this HttpContext http) => Tokens.CallerOf(http.User)
        ?? throw new InvalidOperationException("An authenticated route ran without a caller.");
}
