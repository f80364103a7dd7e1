using Dispatch.Grains;
using Dispatch.Grains.Domain;

namespace Dispatch.Silo.Webhooks;

public static class WebhookSetup
{
    /// <summary>The sender of outgoing webhooks; an allow-list entry that cannot be read stops the silo at start.</summary>
    public static IServiceCollection AddDispatchWebhooks(this IServiceCollection services)
    {
        services.AddSingleton<IWebhookSender, WebhookSender>();
        services.AddOptions<DispatchOptions>()
            .Validate(o => WebhookAllowList.Parse(o.Webhooks.AllowedHosts, out var errors) is not null && errors.Count == 0,
                "Dispatch:Webhooks:AllowedHosts: each entry is host[:port], optionally after http:// (for plain HTTP) or https://.")
            .Validate(o => o.Webhooks is { Timeout.Ticks: > 0, FirstRetryAfter.Ticks: > 0, MaxAge.Ticks: > 0, MaxPending: > 0 }
                && o.Webhooks.MaxRetryAfter >= o.Webhooks.FirstRetryAfter,
                "Dispatch:Webhooks: Timeout, FirstRetryAfter, MaxAge and MaxPending must be positive, MaxRetryAfter at least FirstRetryAfter.");
        return services;
    }
}
