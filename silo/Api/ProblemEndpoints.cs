using Dispatch.Contracts;
using Dispatch.Silo.Security;

namespace Dispatch.Silo.Api;

/// <summary>POST /api/problems/{id}/report-solved (办结) and /verify (销号).</summary>
public sealed record ProblemNoteRequest(string? Note);

/// <summary>POST /api/problems/{id}/reject (驳回).</summary>
public sealed record ProblemReasonRequest(string? Reason);

/// <summary>The steps of a problem's life (问题清单) after it is raised, and a region's list of the problems it owns or supervises.</summary>
public static class ProblemEndpoints
{
    public static RouteGroupBuilder MapProblemEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/regions/{id}/problems", async (string id, string? role, string? status, string? flagged, IGrainFactory grains) =>
        {
            var errors = new List<FieldError>();
            var parsedRole = Parse<ProblemRole>(role, "role", "owner or supervisor", errors);
            var parsedStatus = Parse<ProblemStatus>(status, "status", "raised, accepted, reportedSolved or closed", errors);
            bool? parsedFlagged = null;
            if (!string.IsNullOrEmpty(flagged))
            {
                if (bool.TryParse(flagged, out var f))
                {
                    parsedFlagged = f;
                }
                else
                {
                    errors.Add(new("flagged", $"'{flagged}' is not true or false."));
                }
            }
            if (errors.Count > 0)
            {
                return Problems.Invalid(errors);
            }
            var region = grains.GetGrain<IRegionGrain>(id);
            if (await region.GetDefinitionAsync() is null)
            {
                return Problems.NotFound("region", id);
            }
            return Results.Ok(await region.GetProblemsAsync(parsedRole, parsedStatus, parsedFlagged));
        }).Requires(Access.Read, TargetKind.Region, "id");

        api.MapPost("/problems/{id}/accept", (string id, HttpContext http, IGrainFactory grains) =>
            StepAsync<ProblemAcceptance>(id, http, grains, (project, by, body) => project.AcceptProblemAsync(id, by, body)))
            .Requires(Access.Act, TargetKind.ProblemOwned, "id");

        api.MapPost("/problems/{id}/transfer", (string id, HttpContext http, IGrainFactory grains) =>
            StepAsync<ProblemTransfer>(id, http, grains, (project, by, body) => project.TransferProblemAsync(id, by, body)))
            .Requires(Access.Act, TargetKind.ProblemOwned, "id");

        api.MapPost("/problems/{id}/report-solved", (string id, HttpContext http, IGrainFactory grains) =>
            StepAsync<ProblemNoteRequest>(id, http, grains, (project, by, body) => project.ReportProblemSolvedAsync(id, by, body.Note)))
            .Requires(Access.Act, TargetKind.ProblemOwned, "id");

        api.MapPost("/problems/{id}/verify", (string id, HttpContext http, IGrainFactory grains) =>
            StepAsync<ProblemNoteRequest>(id, http, grains, (project, by, body) => project.ResolveProblemAsync(id, by, body.Note)))
            .Requires(Access.Act, TargetKind.Problem, "id");

        api.MapPost("/problems/{id}/reject", (string id, HttpContext http, IGrainFactory grains) =>
            StepAsync<ProblemReasonRequest>(id, http, grains, (project, by, body) => project.RejectProblemAsync(id, by, body.Reason)))
            .Requires(Access.Act, TargetKind.Problem, "id");

        api.MapPost("/problems/{id}/flag", async (string id, HttpContext http, IGrainFactory grains, AccessControl access) =>
        {
            var (request, problem) = await JsonBody.ReadAsync<ProblemFlagRequest>(http);
            if (problem is not null)
            {
                return problem;
            }
            var caller = http.Caller();
            // An official flags for their own region unless they name one under it; the region must be theirs to act for.
            var flag = request! with { RegionId = request.RegionId ?? caller.RegionId };
            if (flag.RegionId is not null && await access.DenyAsync(caller, TargetKind.Region, flag.RegionId, Access.Act) is { } denied)
            {
                return Results.Problem(title: "Out of your scope.", detail: denied, statusCode: StatusCodes.Status403Forbidden);
            }
            return await StepAsync(id, http, grains, flag, (project, by, body) => project.FlagProblemAsync(id, by, body));
        }).Requires(Access.Act, TargetKind.Problem, "id");
        return api;
    }

    private static async Task<IResult> StepAsync<T>(string id, HttpContext http, IGrainFactory grains,
        Func<IProjectGrain, string, T, Task<ChangeResult<ProblemView>>> step) where T : class
    {
        var (request, problem) = await JsonBody.ReadAsync<T>(http);
        return problem ?? await StepAsync(id, http, grains, request!, step);
    }

    /// <summary>Takes the step on the problem's project, signed by the caller; an unknown problem is a 404.</summary>
    private static async Task<IResult> StepAsync<T>(string id, HttpContext http, IGrainFactory grains, T body,
        Func<IProjectGrain, string, T, Task<ChangeResult<ProblemView>>> step) where T : class
    {
        var cut = id.LastIndexOf(".q", StringComparison.Ordinal);
        if (cut <= 0)
        {
            return Problems.NotFound("problem", id);
        }
        var result = await step(grains.GetGrain<IProjectGrain>(id[..cut]), http.Caller().Name, body);
        return result.Errors is [{ Field: "problemId" }] ? Problems.NotFound("problem", id) : Problems.From(result);
    }

    private static TEnum? Parse<TEnum>(string? text, string field, string allowed, List<FieldError> errors) where TEnum : struct, Enum
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        if (Enum.TryParse<TEnum>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) && !char.IsAsciiDigit(text[0]))
        {
            return value;
        }
        errors.Add(new(field, $"'{text}' is not a {field}: {allowed}."));
        return null;
    }
}
