using Dispatch.Contracts;
using Dispatch.Silo.Security;

namespace Dispatch.Silo.Api;

public static class ProjectEndpoints
{
    public static RouteGroupBuilder MapProjectEndpoints(this RouteGroupBuilder api)
    {
        api.MapPut("/projects/{id}", async (string id, HttpContext http, IGrainFactory grains, AccessControl access) =>
        {
            if (JsonBody.CheckId(id) is { } badId)
            {
                return Problems.Invalid([badId]);
            }
            var (request, problem) = await JsonBody.ReadAsync<ProjectRequest>(http);
            if (problem is not null)
            {
                return problem;
            }
            var (profile, errors) = request!.ToProfile();
            if (errors.Count > 0)
            {
                return Problems.Invalid(errors);
            }
            if (await access.DenyProjectPlacementAsync(http.Caller(), id, profile!.RegionId) is { } denied)
            {
                return Results.Problem(title: "Out of your scope.", statusCode: StatusCodes.Status403Forbidden, detail: denied);
            }
            var project = grains.GetGrain<IProjectGrain>(id);
            var before = await project.GetAsync();
            var result = await project.UpsertAsync(profile!);
            if (result.Succeeded)
            {
                http.AuditChange(AuditedProfile.Of(before), AuditedProfile.Of(result.Value));
            }
            return Problems.From(result);
        }).Requires(Access.Manage, TargetKind.Project, "id");

        api.MapGet("/projects/{id}", async (string id, IGrainFactory grains) =>
            await grains.GetGrain<IProjectGrain>(id).GetAsync() is { } view ? Results.Ok(view) : Problems.NotFound("project", id))
            .Requires(Access.Read, TargetKind.Project, "id");

        api.MapPut("/projects/{id}/plans/{year}", async (string id, string year, HttpContext http, IGrainFactory grains) =>
        {
            if (!int.TryParse(year, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var y))
            {
                return Problems.Invalid([new FieldError("year", $"'{year}' is not a year; use e.g. 2025.")]);
            }
            var project = grains.GetGrain<IProjectGrain>(id);
            var before = await project.GetAsync();
            if (before is null)
            {
                return Problems.NotFound("project", id);
            }
            var (request, problem) = await JsonBody.ReadAsync<AnnualPlanRequest>(http);
            if (problem is not null)
            {
                return problem;
            }
            var result = await project.SetPlanAsync(y, request!, http.Caller().Name);
            if (result.Succeeded)
            {
                http.AuditChange(before.Plans?.FirstOrDefault(p => p.Year == y), result.Value);
            }
            return Problems.From(result);
        }).Requires(Access.Manage, TargetKind.Project, "id");

        api.MapPost("/projects/{id}/reports", async (string id, HttpContext http, IGrainFactory grains) =>
        {
            var project = grains.GetGrain<IProjectGrain>(id);
            if (await project.GetAsync() is null)
            {
                return Problems.NotFound("project", id);
            }
            var (request, problem) = await JsonBody.ReadAsync<ReportRequest>(http);
            if (problem is not null)
            {
                return problem;
            }
            var (report, errors) = request!.ToReport();
            if (errors.Count > 0)
            {
                return Problems.Invalid(errors);
            }
            return Problems.From(await project.ReportAsync(report!));
        }).Requires(Access.Report, TargetKind.Project, "id");
        return api;
    }
}
