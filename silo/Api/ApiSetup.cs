using System.Text.Json;
using System.Text.Json.Serialization;
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
        app.MapGet("/health", () => Results.Ok(new { status = "serving" }));
        app.MapDispatchConsole();
        var api = app.MapGroup("/api").RequireAuthorization();
        api.MapAccessEndpoints();
        api.MapImportEndpoints();
        api.MapRegionEndpoints();
        api.MapProjectEndpoints();
        api.MapMeetingEndpoints();
        api.MapWarningEndpoints();
        api.MapClusterEndpoints();
        app.MapOperatorDashboard();
        return app;
    }

    /// <summary>Reads an optional <c>asOf</c> query value; a malformed one is a 400 naming it.</summary>
    public static bool TryAsOf(HttpRequest request, out DateOnly? asOf, out IResult? problem)
    {
        problem = null;
        if (JsonBody.TryParseDate(request.Query["asOf"], out asOf))
        {
            return true;
        }
        problem = Problems.Invalid("asOf", $"asOf must be a date yyyy-MM-dd, not '{request.Query["asOf"]}'.");
        return false;
    }
}
