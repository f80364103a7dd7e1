using Dispatch.Contracts;
using Dispatch.Grains.Domain;
using Dispatch.Silo.Hosting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace Dispatch.Silo.Security;

/// <summary>The signing key every silo validates with, fetched from the authority grain at start-up.</summary>
public sealed class SigningKeys
{
    public SecurityKey? Key { get; set; }
}

public static class AuthSetup
{
    public const string OperatorTokenFile = "operator.token";
    public const string OperatorPolicy = "operator";
    public const string DashboardPath = "/dashboard";
    private const string DashboardCookie = "dispatch_dashboard";

    public static IServiceCollection AddDispatchAuth(this IServiceCollection services)
    {
        services.AddSingleton<SigningKeys>();
        services.AddSingleton(sp => new AccessControl(sp.GetRequiredService<IGrainFactory>()));
        services.AddSingleton<AuditLog>();
        services.AddSingleton<TokenRegistry>();
        services.AddSingleton(sp => new RefusalThrottle(sp.GetRequiredService<IConfiguration>()
            .GetValue($"{AuditTrail.Section}:RefusedPerMinute", RefusalThrottle.DefaultPerMinute)));
        services.AddHostedService<RefusalSummaries>();
        services.AddHostedService<AuthBootstrap>();
        services.AddHostedService(sp => sp.GetRequiredService<TokenRegistry>());
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<SigningKeys, TimeProvider>((o, keys, clock) =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = Tokens.ValidationParameters(null);
            o.TokenValidationParameters.IssuerSigningKeyResolver = (_, _, _, _) => keys.Key is null ? [] : [keys.Key];
            o.TokenValidationParameters.LifetimeValidator = (_, expires, _, _) => expires is not null && expires.Value > clock.GetUtcNow().UtcDateTime;
            o.Events = new JwtBearerEvents
            {
                // Browsers cannot send the header everywhere: the event stream takes ?access_token=, and the operators'
                // dashboard takes it once and keeps it in a cookie for the dashboard's own calls.
                OnMessageReceived = context =>
                {
                    var request = context.Request;
                    var dashboard = request.Path.StartsWithSegments(DashboardPath);
                    if ((dashboard || request.Path.Value?.EndsWith("/events", StringComparison.Ordinal) == true)
                        && request.Query["access_token"] is { Count: > 0 } token)
                    {
                        context.Token = token.ToString();
                        if (dashboard)
                        {
                            context.Response.Cookies.Append(DashboardCookie, context.Token, new CookieOptions
                            {
                                HttpOnly = true, SameSite = SameSiteMode.Strict, Path = DashboardPath, Secure = request.IsHttps,
                            });
                        }
                    }
                    else if (dashboard && request.Cookies[DashboardCookie] is { Length: > 0 } cookie)
                    {
                        context.Token = cookie;
                    }
                    return Task.CompletedTask;
                },
                // A token must carry its registry id and must not be revoked (checked against this silo's copy of the list).
                OnTokenValidated = context =>
                {
                    var registry = context.HttpContext.RequestServices.GetRequiredService<TokenRegistry>();
                    if (context.Principal is not { } principal || !registry.IsCurrent(principal))
                    {
                        context.Fail("The token has been revoked, or was minted without an id.");
                    }
                    else
                    {
                        registry.MarkUsed(Tokens.IdOf(principal)!);
                    }
                    return Task.CompletedTask;
                },
                OnChallenge = async context =>
                {
                    context.HandleResponse();
                    await Results.Problem(
                        title: "Sign in first.",
                        detail: context.AuthenticateFailure is null
                            ? "Every /api route needs a bearer token (Authorization: Bearer …). Operators find theirs in the data folder (operator.token)."
                            : "The bearer token is not valid here (expired, revoked, or signed by another service).",
                        statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(context.HttpContext);
                },
            };
        });
        services.AddAuthorization(o => o.AddPolicy(OperatorPolicy, p => p.RequireClaim(Tokens.RoleClaim, "operator")));
        return services;
    }

    /// <summary>
    /// Records every change made through /api (2xx answers to PUT, POST, DELETE) with who made it and every refused
    /// attempt (401, 403), before the answer leaves (see <see cref="AuditTrail"/>).
    /// </summary>
    public static IApplicationBuilder UseDispatchAudit(this IApplicationBuilder app) => app.Use(AuditTrail.InvokeAsync);

    public const string AuditDetailKey = "dispatch.audit.detail";

    /// <summary>Adds a few words to the audit entry of this request.</summary>
    public static void AuditDetail(this HttpContext http, string detail) => http.Items[AuditDetailKey] = detail;
}

/// <summary>
/// Loads the signing key before the API serves and, on first start, writes an operator token to the data folder.
/// </summary>
public sealed class AuthBootstrap(IGrainFactory grains, SigningKeys keys, TokenRegistry registry, SiloSettings settings, ILogger<AuthBootstrap> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var authority = grains.GetGrain<IAuthorityGrain>("dispatch");
        keys.Key = new SymmetricSecurityKey(await authority.GetSigningKeyAsync());
        await registry.RefreshAsync();
        var path = Path.Combine(settings.DataFolder, AuthSetup.OperatorTokenFile);
        if (File.Exists(path) && await registry.ValidateAsync((await File.ReadAllTextAsync(path, cancellationToken)).Trim()) is { Role: Role.Operator })
        {
            logger.LogInformation("Operator token: {Path}", path);
            return;
        }
        var renewed = File.Exists(path);
        var issued = await authority.IssueOperatorFileAsync();
        await WriteOperatorTokenAsync(path, issued.Token, cancellationToken);
        logger.LogWarning("{What} an operator token (valid until {Expires:yyyy-MM-dd}) in {Path}; mint tokens for officials with POST /api/tokens or `dispatch token issue`",
            renewed ? "Renewed (the old one had expired, was revoked or had no id)" : "Created", issued.ExpiresAt, path);
    }

    /// <summary>Replaces the operator token file with one readable by the owner only from its first byte.</summary>
    public static async Task WriteOperatorTokenAsync(string path, string token, CancellationToken cancellationToken)
    {
        PrivateFiles.EnsureFolder(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var next = path + ".new";
        File.Delete(next);
        await PrivateFiles.WriteNewTextAsync(next, token + "\n", cancellationToken);
        File.Move(next, path, overwrite: true);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
