using Dispatch.Grains;
using Dispatch.Silo.Api;
using Dispatch.Silo.Samples;
using Dispatch.Silo.Scheduling;
using Dispatch.Silo.Security;
using Dispatch.Silo.Storage;
using Dispatch.Silo.Webhooks;

namespace Dispatch.Silo.Hosting;

/// <summary>The silo process: Orleans, storage, scheduler and HTTP API in one host.</summary>
public static class DispatchHost
{
    /// <summary>
    /// Builds the silo; tests pass a fake <paramref name="clock"/>, which Orleans grains and Quartz then share, and may
    /// add services last (<paramref name="configureServices"/>: a grain call filter that injects a fault).
    /// </summary>
    public static Task<WebApplication> BuildAsync(string[] args, TimeProvider? clock = null, Action<IServiceCollection>? configureServices = null)
    {
        // The content root is the build output, where appsettings*.json are copied: `dotnet run --project silo` runs
        // with the repository root as working directory, and the settings must apply there as from any other folder.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = NormalizeFlags(args), ContentRootPath = AppContext.BaseDirectory });
        if (string.Equals(builder.Configuration["log-format"], "json", StringComparison.OrdinalIgnoreCase))
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole();
        }
        var settings = SiloSettings.From(builder.Configuration);
        clock ??= TimeProvider.System;
        builder.WebHost.UseUrls(settings.HttpUrl);
        builder.Services.AddSingleton(settings);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = builder.Configuration.GetValue("Dispatch:ShutdownTimeout", TimeSpan.FromSeconds(30)));
        builder.Services.AddSingleton(clock);
        builder.Services.AddOptions<DispatchOptions>().Bind(builder.Configuration.GetSection(DispatchOptions.Section))
            .Validate(o => o.Ranking.Validate().Count == 0, "Dispatch:Ranking: StartResumeWeight and InvestmentWeight must not be negative and not both 0; RedPenalty must lie between 0 and 100.")
            .Validate(o => o.Problems is { AcceptWithinDays: >= 0, VerifyWithinDays: >= 0 }, "Dispatch:Problems: AcceptWithinDays and VerifyWithinDays count working days ahead and must not be negative.")
            .ValidateOnStart();
        var telemetry = TelemetrySettings.From(builder.Configuration);
        builder.Services.AddSingleton(telemetry);
        builder.Services.AddDispatchTelemetry(telemetry, settings);
        builder.Host.UseOrleans(silo =>
        {
            silo.AddDispatchSilo(settings).AddIncomingGrainCallFilter<GatewayAccessFilter>();
            // Traces follow a request through the grains it calls; only worth the cost when they are exported.
            if (telemetry.Tracing)
            {
                silo.AddActivityPropagation();
            }
        });
        builder.Services.AddDispatchCalendar();
        builder.Services.AddDispatchApi();
        builder.Services.AddDispatchWebhooks();
        builder.Services.AddHostedService<SampleLoader>();
        builder.Services.AddDispatchScheduler(settings, builder.Configuration, clock);
        builder.Services.AddHostedService<StartupReport>();
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapDispatchApi();
        app.MapDispatchMetrics();
        return Task.FromResult(app);
    }

    /// <summary>Lets bare flags like <c>--no-sample</c> through .NET's key/value command-line parser.</summary>
    private static string[] NormalizeFlags(string[] args) =>
        args.SelectMany((a, i) => a == "--no-sample" && (i + 1 == args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            ? new[] { a, "true" } : [a]).ToArray();
}
