using Dispatch.Contracts;

namespace Dispatch.Silo.Api;

public static class ProjectEndpoints
{
    public static RouteGroupBuilder MapProjectEndpoints(this RouteGroupBuilder api)
    {
        api.MapPut("/projects/{id}", async (string id, HttpContext http, IGrainFactory grains) =>
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
            return Problems.From(await grains.GetGrain<IProjectGrain>(id).UpsertAsync(profile!));
        });

        api.MapGet("/projects/{id}", async (string id, IGrainFactory grains) =>
            await grains.GetGrain<IProjectGrain>(id).GetAsync() is { } view ? Results.Ok(view) : Problems.NotFound("project", id));

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
        });
        return api;
    }
}
