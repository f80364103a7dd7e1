using System.Text.Json;
using System.Threading.Channels;
using Dispatch.Contracts;
using Dispatch.Grains.Domain;
using Dispatch.Silo.Security;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Dispatch.Silo.Api;

/// <summary>
/// An acknowledgement; who acknowledges is the token's holder, the note goes to the audit log, the measure planned
/// (措施) and the date it is planned by stay on the warning.
/// </summary>
public sealed record AcknowledgeRequest(string? Note, string? Measure = null, DateOnly? PlannedBy = null);

/// <summary>A close-out (销号); who closes out is the token's holder.</summary>
public sealed record CloseRequest(string? Note);

public static class WarningEndpoints
{
    public static RouteGroupBuilder MapWarningEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/regions/{id}/warnings", async (string id, string? status, IGrainFactory grains) =>
        {
            WarningStatus? parsed = null;
            if (!string.IsNullOrEmpty(status))
            {
                if (!Enum.TryParse<WarningStatus>(status, ignoreCase: true, out var s) || !Enum.IsDefined(s))
                {
                    return Problems.Invalid("status", $"'{status}' is not a status: open, acknowledged or closed.");
                }
                parsed = s;
            }
            var region = grains.GetGrain<IRegionGrain>(id);
            if (await region.GetDefinitionAsync() is null)
            {
                return Problems.NotFound("region", id);
            }
            return Results.Ok(await region.GetWarningsAsync(parsed));
        }).Requires(Access.Read, TargetKind.Region, "id");

        api.MapPost("/warnings/{id}/ack", async (string id, HttpContext http, IGrainFactory grains) =>
        {
            var (request, problem) = await JsonBody.ReadAsync<AcknowledgeRequest>(http);
            if (problem is not null)
            {
                return problem;
            }
            // The note goes only to the audit log, so the grain never sees it: held to the same limit here.
            if (InputRules.ValidateSignOff(null, request!.Note) is { Count: > 0 } badNote)
            {
                return Problems.Invalid(badNote);
            }
            return await ProjectOf(id, grains) is { } project
                ? FromWarning(id, await AuditedAsync(http, project, id,
                    () => project.AcknowledgeWarningAsync(id, http.Caller().Name, request.Measure, request.PlannedBy), request.Note))
                : Problems.NotFound("warning", id);
        }).Requires(Access.Act, TargetKind.Warning, "id");

        api.MapPost("/warnings/{id}/close", async (string id, HttpContext http, IGrainFactory grains) =>
        {
            var (request, problem) = await JsonBody.ReadAsync<CloseRequest>(http);
            if (problem is not null)
            {
                return problem;
            }
            return await ProjectOf(id, grains) is { } project
                ? FromWarning(id, await AuditedAsync(http, project, id, () => project.CloseWarningAsync(id, http.Caller().Name, request!.Note), request!.Note))
                : Problems.NotFound("warning", id);
        }).Requires(Access.Act, TargetKind.Warning, "id");

        api.MapGet("/regions/{id}/events", StreamEventsAsync).Requires(Access.Read, TargetKind.Region, "id")
            .RequireRateLimiting(RateLimits.EventStreamsPolicy);
        return api;
    }

    /// <summary>The project that owns a warning: ids are <c>{projectId}.w{n}</c>.</summary>
    public static async Task<IProjectGrain?> ProjectOf(string warningId, IGrainFactory grains)
    {
        var cut = warningId.LastIndexOf(".w", StringComparison.Ordinal);
        if (cut <= 0)
        {
            return null;
        }
        var project = grains.GetGrain<IProjectGrain>(warningId[..cut]);
        return await project.GetAsync() is null ? null : project;
    }

    /// <summary>Runs a change of one warning and tells the audit entry the warning before and after, and the caller's note.</summary>
    private static async Task<ChangeResult<WarningView>> AuditedAsync(HttpContext http, IProjectGrain project, string id,
        Func<Task<ChangeResult<WarningView>>> change, string? note)
    {
        var before = (await project.GetAsync())?.Warnings.FirstOrDefault(w => w.Id == id);
        var result = await change();
        if (result.Succeeded)
        {
            http.AuditChange(before, result.Value);
            if (!string.IsNullOrWhiteSpace(note))
            {
                http.AuditDetail($"note: {note}");
            }
        }
        return result;
    }

    private static IResult FromWarning(string id, ChangeResult<WarningView> result) =>
        result.Errors is [{ Field: "warningId", Message: var m }] && m.StartsWith("No warning", StringComparison.Ordinal)
            ? Problems.NotFound("warning", id)
            : Problems.From(result);

    /// <summary>Server-sent events: warnings raised, escalated, acknowledged and closed, and meetings held, in the subtree.</summary>
    private static async Task StreamEventsAsync(string id, HttpContext http, IGrainFactory grains, TokenRegistry registry, IOptions<JsonOptions> json,
        ILogger<RegionEventSink> logger)
    {
        if (await grains.GetGrain<IRegionGrain>(id).GetDefinitionAsync() is null)
        {
            await Problems.NotFound("region", id).ExecuteAsync(http);
            return;
        }
        http.Response.Headers.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        var sink = new RegionEventSink();
        var reference = grains.CreateObjectReference<IRegionEventObserver>(sink);
        var hub = grains.GetGrain<IRegionEventsGrain>(id);
        var ct = http.RequestAborted;
        try
        {
            await hub.SubscribeAsync(reference);
            await http.Response.WriteAsync($": subscribed to {id}\n\n", ct);
            await http.Response.Body.FlushAsync(ct);
            using var renew = new PeriodicTimer(TimeSpan.FromSeconds(30));
            // A stream lives no longer than its token: revoked or expired, it ends within a second.
            using var recheck = new PeriodicTimer(TimeSpan.FromSeconds(1));
            var renewal = renew.WaitForNextTickAsync(ct).AsTask();
            var tokenCheck = recheck.WaitForNextTickAsync(ct).AsTask();
            var next = sink.Events.ReadAsync(ct).AsTask();
            while (!ct.IsCancellationRequested)
            {
                var done = await Task.WhenAny(next, renewal, tokenCheck);
                if (done == tokenCheck)
                {
                    await tokenCheck;
                    if (!registry.IsCurrent(http.User))
                    {
                        await http.Response.WriteAsync("event: tokenEnded\ndata: {\"reason\":\"The token was revoked or has expired; sign in again.\"}\n\n", ct);
                        await http.Response.Body.FlushAsync(ct);
                        break;
                    }
                    tokenCheck = recheck.WaitForNextTickAsync(ct).AsTask();
                    continue;
                }
                if (done == renewal)
                {
                    await renewal;
                    await hub.SubscribeAsync(reference);
                    await http.Response.WriteAsync(": keep-alive\n\n", ct);
                    await http.Response.Body.FlushAsync(ct);
                    renewal = renew.WaitForNextTickAsync(ct).AsTask();
                    continue;
                }
                var e = await next;
                var type = JsonNamingPolicy.CamelCase.ConvertName(e.Type.ToString());
                await http.Response.WriteAsync($"event: {type}\ndata: {JsonSerializer.Serialize(e, json.Value.SerializerOptions)}\n\n", ct);
                await http.Response.Body.FlushAsync(ct);
                next = sink.Events.ReadAsync(ct).AsTask();
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away.
        }
        finally
        {
            try
            {
                await hub.UnsubscribeAsync(reference);
            }
            catch (Exception e)
            {
                logger.LogDebug(e, "Unsubscribing an event stream of {Region} failed; it lapses by itself", id);
            }
            grains.DeleteObjectReference<IRegionEventObserver>(reference);
        }
    }
}

/// <summary>Receives a region's live alerts for one HTTP event stream.</summary>
public sealed class RegionEventSink : IRegionEventObserver
{
    private readonly Channel<RegionEvent> _events = Channel.CreateBounded<RegionEvent>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });

    public ChannelReader<RegionEvent> Events => _events.Reader;

    public Task OnEventAsync(RegionEvent regionEvent)
    {
        _events.Writer.TryWrite(regionEvent);
        return Task.CompletedTask;
    }
}
