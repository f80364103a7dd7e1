using System.Globalization;
using System.Threading.RateLimiting;
using Dispatch.Grains.Domain;
using Microsoft.AspNetCore.RateLimiting;

namespace Dispatch.Silo.Security;

/// <summary>
/// <c>Dispatch:RateLimits</c>: requests per second (a token bucket: a steady rate and a burst on top) per caller and
/// per remote address, and open event streams per caller. 0 turns a limit off.
/// </summary>
public sealed class RateLimitSettings
{
    public const string Section = "Dispatch:RateLimits";

    /// <summary>Requests per second one caller (a token's name and role) may make.</summary>
    public int PerToken { get; set; } = 50;

    /// <summary>How many requests one caller may make at once before the rate applies.</summary>
    public int PerTokenBurst { get; set; } = 100;

    /// <summary>Requests per second from one remote address, signed in or not.</summary>
    public int PerAddress { get; set; } = 100;

    public int PerAddressBurst { get; set; } = 200;

    /// <summary>Event streams (<c>GET /api/regions/{id}/events</c>) one caller may hold open at once.</summary>
    public int EventStreams { get; set; } = 5;
}

public static class RateLimits
{
    public const string EventStreamsPolicy = "event-streams";

    /// <summary>What a refused event stream asks the caller to wait: streams end when their pages close.</summary>
    private static readonly TimeSpan s_streamRetryAfter = TimeSpan.FromSeconds(10);

    public static IServiceCollection AddDispatchRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IConfiguration>((o, config) =>
        {
            var settings = config.GetSection(RateLimitSettings.Section).Get<RateLimitSettings>() ?? new RateLimitSettings();
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(http => CallerKey(http) is { } caller
                    ? Bucket("caller:" + caller, settings.PerToken, settings.PerTokenBurst)
                    : RateLimitPartition.GetNoLimiter("")),
                PartitionedRateLimiter.Create<HttpContext, string>(http =>
                    Bucket("address:" + AddressOf(http), settings.PerAddress, settings.PerAddressBurst)));
            o.AddPolicy(EventStreamsPolicy, http => settings.EventStreams <= 0 || CallerKey(http) is not { } caller
                ? RateLimitPartition.GetNoLimiter("")
                : RateLimitPartition.GetConcurrencyLimiter(caller, _ => new ConcurrencyLimiterOptions { PermitLimit = settings.EventStreams, QueueLimit = 0 }));
            o.OnRejected = async (context, ct) =>
            {
                var http = context.HttpContext;
                // A token bucket says when it refills; a concurrency limit (event streams) cannot know when a stream ends.
                var streams = !context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter);
                var wait = streams ? s_streamRetryAfter : retryAfter;
                var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await Results.Problem(
                    title: "Too many requests.",
                    detail: streams
                        ? $"You have {settings.EventStreams} event streams open already; close one or try again in {seconds} s."
                        : $"Slow down: try again in {seconds} s.",
                    statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(http);
            };
        });
        return services;
    }

    private static RateLimitPartition<string> Bucket(string key, int perSecond, int burst) => perSecond <= 0
        ? RateLimitPartition.GetNoLimiter(key)
        : RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(burst, perSecond),
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });

    /// <summary>The signed-in caller as "role:name" (several tokens of one person share a budget); null when not signed in.</summary>
    private static string? CallerKey(HttpContext http) =>
        Tokens.CallerOf(http.User) is { } caller ? $"{caller.Role}:{caller.Name}" : null;

    public static string AddressOf(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
