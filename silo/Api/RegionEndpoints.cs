using Dispatch.Contracts;
using Dispatch.Grains;
using Dispatch.Grains.Domain;
using Dispatch.Silo.Scheduling;
using Dispatch.Silo.Security;
using Microsoft.Extensions.Options;

namespace Dispatch.Silo.Api;

/// <summary>A region's cadence settings (调度安排); <c>cadences</c> null or left out returns to the defaults.</summary>
public sealed record CadencesRequest(IReadOnlyList<CadenceEntry?>? Cadences);

/// <summary>One cadence held at one level; <c>when</c> a Quartz cron in China Standard Time, left out for the cadence's configured time.</summary>
public sealed record CadenceEntry(Cadence? Cadence, RegionLevel? Level, string? When = null);

public static class RegionEndpoints
{
    public static RouteGroupBuilder MapRegionEndpoints(this RouteGroupBuilder api)
    {
        api.MapPut("/regions/{id}", async (string id, HttpContext http, IGrainFactory grains) =>
        {
            if (JsonBody.CheckId(id) is { } badId)
            {
                return Problems.Invalid([badId]);
            }
            var (request, problem) = await JsonBody.ReadAsync<RegionRequest>(http);
            if (problem is not null)
            {
                return problem;
            }
            var (definition, errors) = request!.ToDefinition();
            if (errors.Count > 0)
            {
                return Problems.Invalid(errors);
            }
            return Problems.From(await grains.GetGrain<IRegionGrain>(id).DefineAsync(definition!));
        }).Requires(Access.Operate, TargetKind.Region, "id");

        api.MapGet("/regions/{id}", async (string id, HttpRequest request, IGrainFactory grains) =>
        {
            if (!ApiSetup.TryAsOf(request, out var asOf, out var problem))
            {
                return problem!;
            }
            var view = await grains.GetGrain<IRegionGrain>(id).GetAsync(asOf);
            return view is null ? Problems.NotFound("region", id) : Results.Ok(view);
        }).Requires(Access.Read, TargetKind.Region, "id");

        api.MapGet("/regions/{id}/cadences", async (string id, IGrainFactory grains) =>
            await grains.GetGrain<IRegionGrain>(id).GetCadencesAsync() is { } cadences ? Results.Ok(cadences) : Problems.NotFound("region", id))
            .Requires(Access.Read, TargetKind.Region, "id");

        api.MapPut("/regions/{id}/cadences", async (string id, HttpContext http, IGrainFactory grains, MeetingTriggers triggers) =>
        {
            var region = grains.GetGrain<IRegionGrain>(id);
            if (await region.GetCadencesAsync() is not { } before)
            {
                return Problems.NotFound("region", id);
            }
            var (request, problem) = await JsonBody.ReadAsync<CadencesRequest>(http);
            if (problem is not null)
            {
                return problem;
            }
            if (request!.Cadences?.Any(c => c?.Cadence is null || c.Level is null) == true)
            {
                return Problems.Invalid("cadences", "Each entry names its cadence (weekly, halfMonthly, monthly, bimonthly, quarterly, yearly) and level (province, city, district).");
            }
            var result = await region.SetCadencesAsync(request.Cadences?.Select(c => new CadenceSetting(c!.Cadence!.Value, c.Level!.Value, c.When)).ToList());
            if (result.Succeeded)
            {
                http.AuditChange(before, result.Value);
                // A time no region used before gets its trigger now, not at the next restart.
                await triggers.EnsureAsync(triggers.InUse([result.Value!]), http.RequestAborted);
            }
            return Problems.From(result);
        }).Requires(Access.Manage, TargetKind.Region, "id");

        api.MapPut("/regions/{id}/targets/{year}", async (string id, string year, HttpContext http, IGrainFactory grains) =>
        {
            if (!int.TryParse(year, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var y))
            {
                return Problems.Invalid([new FieldError("year", $"'{year}' is not a year; use e.g. 2025.")]);
            }
            var region = grains.GetGrain<IRegionGrain>(id);
            if (await region.GetDefinitionAsync() is null)
            {
                return Problems.NotFound("region", id);
            }
            var (request, problem) = await JsonBody.ReadAsync<TargetRequest>(http);
            if (problem is not null)
            {
                return problem;
            }
            var before = (await region.GetAsync(null))?.Target is { } known && known.Year == y
                ? new RegionTarget(known.Year, known.ProjectsToStart, known.Investment) : null;
            var result = await region.SetTargetAsync(new RegionTarget(y, request!.ProjectsToStart, request.Investment));
            if (result.Succeeded)
            {
                http.AuditChange(before, result.Value);
            }
            return Problems.From(result);
        }).Requires(Access.Manage, TargetKind.Region, "id");

        api.MapGet("/regions/{id}/children", async (string id, HttpRequest request, IGrainFactory grains) =>
        {
            if (!ApiSetup.TryAsOf(request, out var asOf, out var problem))
            {
                return problem!;
            }
            var region = grains.GetGrain<IRegionGrain>(id);
            if (await region.GetDefinitionAsync() is null)
            {
                return Problems.NotFound("region", id);
            }
            return Results.Ok(await region.GetChildrenAsync(asOf));
        }).Requires(Access.Read, TargetKind.Region, "id");

        api.MapGet("/regions/{id}/ranking", async (string id, HttpRequest request, IGrainFactory grains, TimeProvider clock, IOptions<DispatchOptions> options) =>
        {
            var today = clock.ChinaToday();
            if (!TryRankingPeriod(request.Query["period"], today, out var period, out var problem))
            {
                return problem!;
            }
            var region = grains.GetGrain<IRegionGrain>(id);
            if (await region.GetDefinitionAsync() is null)
            {
                return Problems.NotFound("region", id);
            }
            // The figures are as of the period's end, or today while the period runs; changes against the previous period's end.
            var asOf = period.End < today ? period.End : today;
            var previous = period.Previous();
            var children = region.GetChildrenAsync(asOf);
            var before = region.GetChildrenAsync(previous.End);
            var weights = options.Value.Ranking;
            var ranked = Ranking.Rank(await children, await before, weights);
            return Results.Ok(new RegionRanking(id, period.Key, asOf, previous.Key, previous.End, weights.ToFormula(),
                ranked.FirstOrDefault(r => r.Rank is not null)?.Score,
                Ranking.AverageOf(ranked.Where(r => r.Score is not null).Select(r => r.Score!.Value)),
                ranked));
        }).Requires(Access.Read, TargetKind.Region, "id");

        api.MapGet("/regions/{id}/projects", ProjectSearch.HandleAsync).Requires(Access.Read, TargetKind.Region, "id");
        return api;
    }

    /// <summary>
    /// Reads the optional <c>period</c> of a ranking: a month <c>yyyy-MM</c>, a quarter <c>yyyy-Qn</c> or a year
    /// <c>yyyy</c>, the current month when absent; one that has not begun by today (China time) is refused.
    /// </summary>
    private static bool TryRankingPeriod(string? text, DateOnly today, out Period period, out IResult? problem)
    {
        problem = null;
        if (string.IsNullOrEmpty(text))
        {
            period = Period.Of(Cadence.Monthly, today);
            return true;
        }
        if (!Period.TryParse(text, out var parsed) || parsed.Cadence is not (Cadence.Monthly or Cadence.Quarterly or Cadence.Yearly))
        {
            period = Period.Of(Cadence.Monthly, today);
            problem = Problems.Invalid("period", $"period must be a month yyyy-MM, a quarter yyyy-Qn or a year yyyy (e.g. {today:yyyy-MM}), not '{text}'.");
            return false;
        }
        period = parsed;
        if (period.Start > today)
        {
            problem = Problems.Invalid("period", $"period {period.Key} begins after today ({today:yyyy-MM-dd}); rank a period that has begun.");
            return false;
        }
        if (period.End < Limits.EarliestDate)
        {
            problem = Problems.Invalid("period", $"period {period.Key} ends before {Limits.EarliestDate:yyyy-MM-dd}.");
            return false;
        }
        return true;
    }
}
