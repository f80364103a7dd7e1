using Microsoft.AspNetCore.Diagnostics;
using Orleans.Runtime.Messaging;

namespace Dispatch.Silo.Api;

/// <summary>
/// A grain call that failed because a silo just died, a gateway is busy or the cluster is still settling is worth
/// trying again in a moment: 503 with <c>Retry-After</c>, not a 500 that says the request itself is at fault.
/// </summary>
public sealed class TransientFailures(IProblemDetailsService problems) : IExceptionHandler
{
    /// <summary>Long enough for membership to declare a dead silo dead and for its grains to activate elsewhere.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>Whether the exception (or one it wraps) means "the cluster cannot answer right now", not "the request is wrong".</summary>
    public static bool IsTransient(Exception? exception) => exception switch
    {
        null => false,
        // SiloUnavailableException is a kind of message rejection: the target silo is gone or not yet ready.
        OrleansMessageRejectionException or ConnectionFailedException or GatewayTooBusyException or ClientNotAvailableException
            or OrleansLifecycleCanceledException => true,
        // A grain call that times out (Orleans' response timeout) while a silo is unreachable.
        TimeoutException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsTransient),
        _ => IsTransient(exception.InnerException),
    };

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsTransient(exception) || http.Response.HasStarted)
        {
            return false;
        }
        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        http.Response.Headers.RetryAfter = ((int)RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The service is briefly unavailable; try again.",
                Detail = $"A part of the cluster did not answer ({exception.GetType().Name}); try again in {RetryAfter.TotalSeconds:0} seconds.",
            },
        });
    }
}
