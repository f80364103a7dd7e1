using Dispatch.Contracts;

namespace Dispatch.Silo.Api;

/// <summary>GET /api/regions/{id}/projects: <see cref="ProjectQuery"/> from the query string.</summary>
public static class ProjectSearch
{
    /// <summary>Reads the query string; every bad value is an error naming its parameter.</summary>
    public static (ProjectQuery? Query, IReadOnlyList<FieldError> Errors) QueryFrom(IQueryCollection q)
    {
        var errors = new List<FieldError>();
        T? EnumOf<T>(string name) where T : struct, Enum
        {
            var text = q[name].ToString();
            if (text.Length == 0)
            {
                return null;
            }
            if (Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) && !int.TryParse(text, out _))
            {
                return value;
            }
            errors.Add(new(name, $"'{Clip(text)}' is not a {name}: use {string.Join(", ", Enum.GetNames<T>().Select(n => char.ToLowerInvariant(n[0]) + n[1..]))}."));
            return null;
        }
        int Number(string name, int fallback, int max)
        {
            var text = q[name].ToString();
            if (text.Length == 0)
            {
                return fallback;
            }
            if (int.TryParse(text, out var n) && n >= 1 && n <= max)
            {
                return n;
            }
            errors.Add(new(name, $"{name} is a whole number from 1 to {max:N0}, not '{Clip(text)}'."));
            return fallback;
        }
        string? Text(string name)
        {
            var text = q[name].ToString().Trim();
            if (text.Length > 200)
            {
                errors.Add(new(name, $"{name} has at most 200 characters."));
                return null;
            }
            return text.Length == 0 ? null : text;
        }
        var scope = q["scope"].ToString();
        if (scope is not ("" or "direct" or "subtree"))
        {
            errors.Add(new("scope", $"scope is 'direct' (the region's own projects, the default) or 'subtree' (everything under it), not '{Clip(scope)}'."));
        }
        HashSet<Light>? lights = null;
        foreach (var part in q["light"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Enum.TryParse<Light>(part, ignoreCase: true, out var light) && Enum.IsDefined(light) && !int.TryParse(part, out _))
            {
                (lights ??= []).Add(light);
            }
            else
            {
                errors.Add(new("light", $"'{Clip(part)}' is not a light: use red, yellow or green (several with commas)."));
            }
        }
        var query = new ProjectQuery(scope == "subtree", lights, EnumOf<ProjectStage>("stage"), EnumOf<ProjectTier>("tier"), EnumOf<ProjectKind>("kind"),
            Text("leader"), Text("industry"), Text("q"), Number("page", 1, 1_000_000), Number("pageSize", ProjectQuery.MaxPageSize, ProjectQuery.MaxPageSize));
        return errors.Count > 0 ? (null, errors) : (query, []);
    }


    /// <summary>The matching projects, red first, one page; the total in <c>X-Total-Count</c>.</summary>
    public static async Task<IResult> HandleAsync(string id, HttpContext http, IGrainFactory grains)
    {
        var (query, errors) = QueryFrom(http.Request.Query);
        if (query is null)
        {
            return Problems.Invalid(errors);
        }
        if (await grains.GetGrain<IRegionGrain>(id).GetDefinitionAsync() is null)
        {
            return Problems.NotFound("region", id);
        }
        if (await ProjectFinder.FindAsync(grains, id, query, http.RequestAborted) is not var (page, total))
        {
            return Problems.Invalid("scope", $"More than {ProjectQuery.MaxProjectsScanned:N0} projects lie under {id}; search a city or a district.");
        }
        http.Response.Headers["X-Total-Count"] = total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.Ok(page);
    }

    private static string Clip(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
