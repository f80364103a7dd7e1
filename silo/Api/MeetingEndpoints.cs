using System.Globalization;
using Dispatch.Contracts;
using Dispatch.Grains.Domain;
using Dispatch.Silo.Security;
using Dispatch.Silo.Scheduling;
using Quartz;

namespace Dispatch.Silo.Api;

/// <summary>
/// Hold a meeting: <c>period</c> is the period it judges (调度周期); without it, the latest whose figures are due on
/// <c>asOf</c> (a weekly meeting's own week).
/// </summary>
public sealed record MeetingRequest(Cadence? Cadence, DateOnly? AsOf, string? Period = null);

/// <summary>POST /api/projects/{id}/problems: raised (上报) in the name of the token's holder.</summary>
public sealed record ProblemRequestBody(string? Title, string? Category, RegionLevel? OwnerLevel, DateOnly? Deadline, string? Owner);

public sealed record ResolveRequest(string? By, string? Note);

/// <summary>A decision marked done (办结); who marks it is the token's holder, the note is kept.</summary>
public sealed record DecisionDoneRequest(string? Note);

public static class MeetingEndpoints
{
    public static RouteGroupBuilder MapMeetingEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/regions/{id}/meetings", async (string id, HttpContext http, IGrainFactory grains, TimeProvider clock) =>
        {
            var (request, problem) = await JsonBody.ReadAsync<MeetingRequest>(http);
            if (problem is not null)
            {
                return problem;
            }
            if (request!.Cadence is null)
            {
                return Problems.Invalid("cadence", "cadence is required: weekly, halfMonthly, monthly, bimonthly, quarterly or yearly.");
            }
            var region = grains.GetGrain<IRegionGrain>(id);
            if (await region.GetDefinitionAsync() is null)
            {
                return Problems.NotFound("region", id);
            }
            return Problems.From(await region.RunMeetingAsync(request.Cadence.Value, request.AsOf ?? clock.ChinaToday(), request.Period));
        }).Requires(Access.Act, TargetKind.Region, "id");

        api.MapGet("/regions/{id}/meetings", async (string id, string? cadence, string? period, IGrainFactory grains) =>
        {
            Cadence? parsed = null;
            if (!string.IsNullOrEmpty(cadence))
            {
                if (!Enum.TryParse<Cadence>(cadence, ignoreCase: true, out var c) || !Enum.IsDefined(c))
                {
                    return Problems.Invalid("cadence", $"'{cadence}' is not a cadence: weekly, halfMonthly, monthly, bimonthly, quarterly or yearly.");
                }
                parsed = c;
            }
            var region = grains.GetGrain<IRegionGrain>(id);
            if (await region.GetDefinitionAsync() is null)
            {
                return Problems.NotFound("region", id);
            }
            return Results.Ok(await region.GetMeetingsAsync(parsed, string.IsNullOrEmpty(period) ? null : period));
        }).Requires(Access.Read, TargetKind.Region, "id");

        // 议定事项督办 as it stands now: what a meeting's agenda listed when it was held, less what was done since.
        api.MapGet("/regions/{id}/follow-ups", async (string id, IGrainFactory grains, TimeProvider clock) =>
        {
            var region = grains.GetGrain<IRegionGrain>(id);
            if (await region.GetDefinitionAsync() is null)
            {
                return Problems.NotFound("region", id);
            }
            return Results.Ok(await region.GetFollowUpsAsync(clock.ChinaToday()));
        }).Requires(Access.Read, TargetKind.Region, "id");

        api.MapGet("/meetings/{regionId}/{cadence}/{period}", async (string regionId, string cadence, string period, IGrainFactory grains) =>
            await grains.GetGrain<IMeetingGrain>($"{regionId}/{cadence.ToLowerInvariant()}/{period}").GetAsync() is { } meeting
                ? Results.Ok(meeting) : Problems.NotFound("meeting", $"{regionId}/{cadence}/{period}"))
            .Requires(Access.Read, TargetKind.Meeting, "regionId");

        api.MapPost("/meetings/{regionId}/{cadence}/{period}/decisions", async (string regionId, string cadence, string period, HttpContext http, IGrainFactory grains) =>
        {
            var (request, problem) = await JsonBody.ReadAsync<DecisionRequest>(http);
            if (problem is not null)
            {
                return problem;
            }
            var meeting = grains.GetGrain<IMeetingGrain>($"{regionId}/{cadence.ToLowerInvariant()}/{period}");
            if (await meeting.GetAsync() is null)
            {
                return Problems.NotFound("meeting", $"{regionId}/{cadence}/{period}");
            }
            // Who decided is the token's holder, whatever the body says.
            return Problems.From(await meeting.DecideAsync(request! with { By = http.Caller().Name }));
        }).Requires(Access.Act, TargetKind.Meeting, "regionId");

        // The number is read here, not bound: a binding failure would answer without problem+json.
        api.MapPost("/meetings/{regionId}/{cadence}/{period}/decisions/{number}/done", async (string regionId, string cadence, string period, string number,
            HttpContext http, IGrainFactory grains) =>
        {
            if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                return Problems.NotFound("decision", $"{regionId}/{cadence}/{period}/decisions/{number}");
            }
            var (request, problem) = await JsonBody.ReadAsync<DecisionDoneRequest>(http);
            if (problem is not null)
            {
                return problem;
            }
            var meeting = grains.GetGrain<IMeetingGrain>($"{regionId}/{cadence.ToLowerInvariant()}/{period}");
            var before = (await meeting.GetAsync())?.Decisions.FirstOrDefault(d => d.Number == n);
            var result = await meeting.MarkDecisionDoneAsync(n, http.Caller().Name, request!.Note);
            if (result.Succeeded)
            {
                http.AuditChange(before, result.Value!.Decisions.First(d => d.Number == n));
            }
            return result.Errors is [{ Field: "number" }] ? Problems.NotFound("decision", $"{regionId}/{cadence}/{period}/decisions/{n}") : Problems.From(result);
        }).Requires(Access.Act, TargetKind.Meeting, "regionId");

        api.MapPost("/projects/{id}/problems", async (string id, HttpContext http, IGrainFactory grains) =>
        {
            var project = grains.GetGrain<IProjectGrain>(id);
            if (await project.GetAsync() is null)
            {
                return Problems.NotFound("project", id);
            }
            var (request, problem) = await JsonBody.ReadAsync<ProblemRequestBody>(http);
            if (problem is not null)
            {
                return problem;
            }
            if (request!.Deadline is null)
            {
                return Problems.Invalid("deadline", "deadline is required (yyyy-MM-dd).");
            }
            if (request.OwnerLevel is null)
            {
                return Problems.Invalid("ownerLevel", "ownerLevel is required: district, city or province.");
            }
            var result = await project.AddProblemAsync(new ProblemRequest(request.Title ?? "", request.Category ?? "", request.OwnerLevel.Value,
                request.Deadline.Value, request.Owner, http.Caller().Name));
            return Problems.From(result, p => Results.Created($"/api/projects/{id}", p));
        }).Requires(Access.Report, TargetKind.Project, "id");

        api.MapPost("/problems/{id}/resolve", async (string id, HttpContext http, IGrainFactory grains) =>
        {
            var cut = id.LastIndexOf(".q", StringComparison.Ordinal);
            if (cut <= 0)
            {
                return Problems.NotFound("problem", id);
            }
            var (request, problem) = await JsonBody.ReadAsync<ResolveRequest>(http);
            if (problem is not null)
            {
                return problem;
            }
            var result = await grains.GetGrain<IProjectGrain>(id[..cut]).ResolveProblemAsync(id, http.Caller().Name, request!.Note);
            return result.Errors is [{ Field: "problemId" }] ? Problems.NotFound("problem", id) : Problems.From(result);
        }).Requires(Access.Act, TargetKind.Problem, "id");

        api.MapGet("/schedule", async (ISchedulerFactory factory, MeetingTriggers triggers, MeetingRetries retries, CancellationToken cancellationToken) =>
        {
            var scheduler = await factory.GetScheduler(cancellationToken);
            return Results.Ok(new
            {
                schedulerInstance = scheduler.SchedulerInstanceId,
                triggers = await triggers.DescribeAsync(cancellationToken),
                pendingRetries = await retries.ListAsync(cancellationToken),
            });
        }).Requires(Access.Operate);
        return api;
    }
}
