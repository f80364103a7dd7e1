using System.Text.Json;
using Dispatch.Contracts;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Dispatch.Silo.Api;

/// <summary>Reads a JSON body and, when it cannot, says which field broke it.</summary>
public static class JsonBody
{
    /// <summary>
    /// Reads a body of at most <see cref="Limits.MaxJsonBodyBytes"/> (else 413) nested at most
    /// <see cref="Limits.MaxJsonDepth"/> deep (else 400 naming <c>body</c>).
    /// </summary>
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpContext http) where T : class
    {
        var options = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var (read, tooLarge) = await ReadBoundedAsync(http, Limits.MaxJsonBodyBytes, "body");
        if (read is not { } bytes)
        {
            return (null, tooLarge);
        }
        if (DepthOf(bytes.Span) > Limits.MaxJsonDepth)
        {
            return (null, Problems.Invalid("body", $"The JSON body nests objects and arrays more than {Limits.MaxJsonDepth} deep."));
        }
        try
        {
            var value = JsonSerializer.Deserialize<T>(bytes.Span, options);
            return value is null ? (null, Problems.Invalid("body", "The request needs a JSON object body.")) : (value, null);
        }
        catch (JsonException e)
        {
            var field = FieldOf(e.Path);
            return (null, Problems.Invalid(field, $"'{field}' has a value of the wrong form{Hint(field)}. ({e.Message.Split(". Path:")[0]})"));
        }
    }

    /// <summary>
    /// The request body, or null and a 413 naming <paramref name="field"/> when it exceeds <paramref name="limit"/>
    /// bytes: refused on its declared length before reading, else as soon as more arrives.
    /// </summary>
    public static async Task<(ReadOnlyMemory<byte>? Bytes, IResult? Problem)> ReadBoundedAsync(HttpContext http, int limit, string field)
    {
        var tooLarge = Problems.TooLarge(field, $"The {field} is larger than {limit:N0} bytes.");
        if (http.Request.ContentLength > limit)
        {
            return (null, tooLarge);
        }
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return (null, tooLarge);
            }
            buffer.Write(chunk, 0, read);
        }
        return (buffer.GetBuffer().AsMemory(0, (int)buffer.Length), null);
    }

    /// <summary>How deep objects and arrays nest, counted on the raw bytes (strings skipped) before anything is parsed.</summary>
    public static int DepthOf(ReadOnlySpan<byte> json)
    {
        int depth = 0, deepest = 0;
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var b = json[i];
            if (inString)
            {
                if (b == (byte)'\\')
                {
                    i++;
                }
                else if (b == (byte)'"')
                {
                    inString = false;
                }
                continue;
            }
            switch (b)
            {
                case (byte)'"': inString = true; break;
                case (byte)'{' or (byte)'[': deepest = Math.Max(deepest, ++depth); break;
                case (byte)'}' or (byte)']': depth--; break;
            }
        }
        return deepest;
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
