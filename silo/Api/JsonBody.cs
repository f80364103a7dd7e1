using System.Text.Json;
using Dispatch.Contracts;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Dispatch.Silo.Api;

/// <summary>Reads a JSON body and, when it cannot, says which field broke it.</summary>
public static class JsonBody
{
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpContext http) where T : class
    {
        var options = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(http.Request.Body, options, http.RequestAborted);
            return value is null ? (null, Problems.Invalid("body", "The request needs a JSON object body.")) : (value, null);
        }
        catch (JsonException e)
        {
            var field = FieldOf(e.Path);
            return (null, Problems.Invalid(field, $"'{field}' has a value of the wrong form{Hint(field)}. ({e.Message.Split(". Path:")[0]})"));
        }
    }

    /// <summary>Turns a JSON path like <c>$.milestones[0].plannedDate</c> into <c>milestones[0].plannedDate</c>.</summary>
    public static string FieldOf(string? path) => string.IsNullOrEmpty(path) || path == "$" ? "body" : path.TrimStart('$', '.');

    private static string Hint(string field) =>
        field.EndsWith("date", StringComparison.OrdinalIgnoreCase) || field.EndsWith("start", StringComparison.OrdinalIgnoreCase)
            || field.EndsWith("completion", StringComparison.OrdinalIgnoreCase) || field.EndsWith("deadline", StringComparison.OrdinalIgnoreCase)
            || field.EndsWith("asOf", StringComparison.OrdinalIgnoreCase)
            ? " (dates are yyyy-MM-dd)" : "";

    public static bool TryParseDate(string? text, out DateOnly? date)
    {
        date = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", out var d))
        {
            date = d;
            return true;
        }
        return false;
    }

    /// <summary>Ids are the slugs of <c>shared/data</c>: lower-case letters, digits and dashes.</summary>
    public static FieldError? CheckId(string id)
    {
        if (id.Length is 0 or > 100 || !id.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_') || !char.IsAsciiLetterOrDigit(id[0]))
        {
            return new FieldError("id", $"'{id}' is not a valid id: use lower-case letters, digits and dashes (e.g. ln-anshan-haicheng, as-007).");
        }
        if (id.All(char.IsAsciiHexDigit))
        {
            // Orleans' storage reads a key of hex digits only as a number, so '12' and '012' would share state.
            return new FieldError("id", $"'{id}' is made only of hex digits; add a letter beyond a–f or a dash (e.g. p-{id}).");
        }
        return null;
    }
}
