using Dispatch.Contracts;
using Dispatch.Silo.Hosting;
using Dispatch.Silo.Security;

namespace Dispatch.Silo.Api;

public sealed record TokenRequestBody(Role? Role, string? RegionId, IReadOnlyList<string>? ProjectIds, string? Name, int? ValidDays);

/// <summary>Tokens, the caller, and the audit log.</summary>
public static class AccessEndpoints
{
    public static RouteGroupBuilder MapAccessEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/me", (HttpContext http) => Results.Ok(http.Caller())).Requires(Access.Read, TargetKind.Self);

        // 待办: the caller's own list; an official may narrow it to a region under theirs, an operator must name one.
        api.MapGet("/me/todo", async (string? regionId, HttpContext http, IGrainFactory grains, AccessControl access) =>
        {
            var caller = http.Caller();
            if (regionId is not null)
            {
                if (await access.DenyAsync(caller, TargetKind.Region, regionId, Access.Read) is { } denied)
                {
                    return Results.Problem(title: "Out of your scope.", detail: denied, statusCode: StatusCodes.Status403Forbidden);
                }
                if (await grains.GetGrain<IRegionGrain>(regionId).GetDefinitionAsync() is null)
                {
                    return Problems.NotFound("region", regionId);
                }
            }
            return Results.Ok(await grains.GetGrain<ITodoGrain>("todo").GetAsync(caller, regionId));
        }).Requires(Access.Read, TargetKind.Self);

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
            if (request.ValidDays is < 1 or > 3660)
            {
                return Problems.Invalid("validDays", "validDays is a whole number of days, at least 1.");
            }
            var result = await grains.GetGrain<IAuthorityGrain>("dispatch").IssueAsync(new TokenRequest(request.Role.Value, request.Name ?? "",
                request.RegionId, request.ProjectIds, request.ValidDays is { } days ? TimeSpan.FromDays(days) : null));
            if (result.Succeeded)
            {
                http.AuditDetail($"token {result.Value!.Id} for {result.Value.Caller.Name} ({result.Value.Caller.Role.ToString().ToLowerInvariant()}{(result.Value.Caller.RegionId is { } r ? $" of {r}" : "")}) until {result.Value.ExpiresAt:yyyy-MM-dd}");
            }
            return Problems.From(result, t => Results.Ok(new { id = t.Id, token = t.Token, caller = t.Caller, expiresAt = t.ExpiresAt }));
        }).Requires(Access.Operate, TargetKind.Token);

        api.MapGet("/tokens", async (IGrainFactory grains) => Results.Ok(await grains.GetGrain<IAuthorityGrain>("dispatch").ListAsync()))
            .Requires(Access.Operate, TargetKind.Token);

        api.MapDelete("/tokens/{id}", async (string id, HttpContext http, TokenRegistry registry) =>
        {
            var result = await registry.RevokeAsync(id, http.Caller().Name);
            if (!result.Succeeded)
            {
                return Problems.NotFound("token", id);
            }
            http.AuditDetail($"revoked token {id} of {result.Value!.Name}");
            return Results.Ok(result.Value);
        }).Requires(Access.Operate, TargetKind.Token, "id");

        api.MapPost("/tokens/operator/rotate", async (HttpContext http, TokenRegistry registry, SiloSettings settings, CancellationToken ct) =>
        {
            var issued = await registry.RotateOperatorAsync(http.Caller().Name);
            var path = Path.Combine(settings.DataFolder, AuthSetup.OperatorTokenFile);
            await AuthBootstrap.WriteOperatorTokenAsync(path, issued.Token, ct);
            http.AuditDetail($"rotated the operator token: {issued.Id} replaces the previous one; written to {path}");
            return Results.Ok(new { id = issued.Id, token = issued.Token, caller = issued.Caller, expiresAt = issued.ExpiresAt, path });
        }).Requires(Access.Operate, TargetKind.Token);

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
