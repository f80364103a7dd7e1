using System.Text.Json;
using System.Text.Json.Serialization;
using Dispatch.Contracts;
using Dispatch.Grains.Domain;
using Dispatch.Silo.Security;

namespace Dispatch.Silo.Api;

public static class ApiSetup
{
    public static IServiceCollection AddDispatchApi(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
            o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        });
        services.AddProblemDetails();
        services.AddOpenApi(ApiReference.Describe);
        services.AddExceptionHandler<TransientFailures>();
        services.AddDispatchAuth();
        services.AddDispatchRateLimits();
        return services;
    }

    public static WebApplication MapDispatchApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        // Before authorization, so that refused attempts (401, 403) are recorded too.
        app.UseDispatchAudit();
        // After authentication (limits are per caller), before authorization (a flood of refused requests is limited too).
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseDispatchAccess();
        app.MapHealthEndpoints();
        // The API reference, public like the console's files: every route with its method (what the generated tests walk).
        app.MapOpenApi();
        app.MapDispatchApiReference();
        app.MapDispatchConsole();
        var api = app.MapGroup("/api").RequireAuthorization();
        api.MapAccessEndpoints();
        api.MapImportEndpoints();
        api.MapRegionEndpoints();
        api.MapProjectEndpoints();
        api.MapMeetingEndpoints();
        api.MapWarningEndpoints();
        api.MapProblemEndpoints();
        api.MapWebhookEndpoints();
        api.MapClusterEndpoints();
        app.MapOperatorDashboard();
        return app;
    }

    /// <summary>
    /// Reads an optional <c>asOf</c> query value; a malformed one, or one outside <see cref="Limits.EarliestDate"/> to
    /// today (China time), is a 400 naming it.
    /// </summary>
    public static bool TryAsOf(HttpRequest request, out DateOnly? asOf, out IResult? problem)
    {
        problem = null;
        if (!JsonBody.TryParseDate(request.Query["asOf"], out asOf))
        {
            problem = Problems.Invalid("asOf", $"asOf must be a date yyyy-MM-dd, not '{request.Query["asOf"]}'.");
            return false;
        }
        if (asOf is { } date && Limits.CheckAsOf(date, request.HttpContext.RequestServices.GetRequiredService<TimeProvider>().ChinaToday()) is { } outOfRange)
        {
            problem = Problems.Invalid([outOfRange]);
            return false;
        }
        return true;
    }
}
