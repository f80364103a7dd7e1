using Dispatch.Contracts;

namespace Dispatch.Silo.Api;

/// <summary>application/problem+json answers that name the field at fault.</summary>
public static class Problems
{
    public static IResult Invalid(IReadOnlyList<FieldError> errors) => Results.Problem(
        title: "The request is invalid; nothing was stored.",
        detail: string.Join(" ", errors.Select(e => $"{e.Field}: {e.Message}")),
        statusCode: StatusCodes.Status400BadRequest,
        extensions: new Dictionary<string, object?>
        {
            ["field"] = errors[0].Field,
            ["errors"] = errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
        });

    public static IResult Invalid(string field, string message) => Invalid([new FieldError(field, message)]);

    /// <summary>413: a body or file larger than its limit, naming it.</summary>
    public static IResult TooLarge(string field, string message) => Results.Problem(
        title: "The request is too large; nothing was stored.",
        detail: $"{field}: {message}",
        statusCode: StatusCodes.Status413PayloadTooLarge,
        extensions: new Dictionary<string, object?>
        {
            ["field"] = field,
            ["errors"] = new Dictionary<string, string[]> { [field] = [message] },
        });

    public static IResult NotFound(string what, string id) => Results.Problem(
        title: $"No {what} '{id}'.",
        detail: $"No {what} with id '{id}' is known.",
        statusCode: StatusCodes.Status404NotFound);

    public static IResult From<T>(ChangeResult<T> result, Func<T, IResult>? ok = null) where T : class =>
        result.Succeeded ? (ok ?? (v => Results.Ok(v)))(result.Value!) : Invalid(result.Errors);
}
