using Dispatch.Contracts;
using Dispatch.Silo.Security;

namespace Dispatch.Silo.Api;

public sealed record TokenRequestBody(Role? Role, string? RegionId, IReadOnlyList<string>? ProjectIds, string? Name, int? ValidDays);

/// <summary>Tokens, the caller, and the audit log.</summary>
public static class AccessEndpoints
{
    public static RouteGroupBuilder MapAccessEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/me", (HttpContext http) => Results.Ok(http.Caller())).Requires(Access.Read);

        api.MapPost("/tokens", async (HttpContext http, IGrainFactory grains) =>
        {
            var (request, problem) = await JsonBody.ReadAsync<TokenRequestBody>(http);
            if (problem is not null)
            {
                return problem;
            }
            if (request!.Role is null)
            {
                return Problems.Invalid("role", "role is required: operator, official, reporter or viewer.");
            }
            var result = await grains.GetGrain<IAuthorityGrain>("dispatch").IssueAsync(new TokenRequest(request.Role.Value, request.Name ?? "",
                request.RegionId, request.ProjectIds, request.ValidDays is { } days ? TimeSpan.FromDays(days) : null));
            if (result.Succeeded)
            {
                http.AuditDetail($"token for {result.Value!.Caller.Name} ({result.Value.Caller.Role.ToString().ToLowerInvariant()}{(result.Value.Caller.RegionId is { } r ? $" of {r}" : "")})");
            }
            return Problems.From(result, t => Results.Ok(new { token = t.Token, caller = t.Caller, expiresAt = t.ExpiresAt }));
        }).Requires(Access.Operate);

        api.MapGet("/audit", async (int? limit, string? actor, AuditLog audit, CancellationToken ct) =>
        {
            if (limit is < 1 or > 10_000)
            {
                return Problems.Invalid("limit", "limit must be between 1 and 10,000.");
            }
            return Results.Ok(await audit.ReadAsync(limit ?? 200, string.IsNullOrEmpty(actor) ? null : actor, ct));
        }).Requires(Access.Operate);
        return api;
    }
}
