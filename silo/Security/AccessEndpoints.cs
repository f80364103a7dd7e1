using Dispatch.Contracts;
using Dispatch.Grains.Domain;

namespace Dispatch.Silo.Security;

/// <summary>Route metadata: what the route acts on and how.</summary>
public sealed record AccessRequirement(TargetKind Kind, string? RouteValue, Access Access);

public static class AccessEndpointExtensions
{
    /// <summary>Checks the caller's scope before the handler runs: 403 problem+json saying why, without the target's data.</summary>
    public static RouteHandlerBuilder Requires(this RouteHandlerBuilder route, Access access, TargetKind kind = TargetKind.None, string? routeValue = null)
    {
        var requirement = new AccessRequirement(kind, routeValue, access);
        return route.WithMetadata(requirement).AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (Tokens.CallerOf(http.User) is not { } caller)
            {
                return Results.Problem(title: "Sign in first.", detail: "This route needs a bearer token.", statusCode: StatusCodes.Status401Unauthorized);
            }
            var id = requirement.RouteValue is null ? null : http.Request.RouteValues[requirement.RouteValue]?.ToString();
            var denied = await http.RequestServices.GetRequiredService<AccessControl>().DenyAsync(caller, requirement.Kind, id, requirement.Access);
            return denied is null
                ? await next(context)
                : Results.Problem(title: "Out of your scope.", detail: denied, statusCode: StatusCodes.Status403Forbidden);
        });
    }

    public static Caller Caller(this HttpContext http) => Tokens.CallerOf(http.User)
        ?? throw new InvalidOperationException("An authenticated route ran without a caller.");
}
