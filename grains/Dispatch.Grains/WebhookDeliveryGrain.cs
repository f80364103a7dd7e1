using Dispatch.Contracts;
using Dispatch.Grains.Domain;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dispatch.Grains;

/// <summary>Sends one request to a webhook target (the silo's HTTP client, held to the allow-list at connect time).</summary>
public interface IWebhookSender
{
    /// <summary>Never throws for the network or the receiver: the result says what happened.</summary>
    Task<WebhookSendResult> SendAsync(WebhookRequest request, WebhookFormat format, CancellationToken cancellationToken);
}

/// <summary>One attempt's outcome, with the answer's status code or the error.</summary>
public sealed record WebhookSendResult(WebhookOutcome Outcome, int? StatusCode, string? Error);

/// <summary>An event waiting to be delivered: when it was queued, how often it was tried, when to try next.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.PendingWebhook")]
public sealed record PendingWebhook(
    [property: Id(0)] WebhookEvent Event,
    [property: Id(1)] DateTimeOffset QueuedAt,
    [property: Id(2)] int Attempts,
    [property: Id(3)] DateTimeOffset NextAttemptAt);

[GenerateSerializer, Alias("Dispatch.WebhookDeliveryState")]
public sealed class WebhookDeliveryState
{
    [Id(0)] public List<PendingWebhook> Pending { get; set; } = [];
    /// <summary>The latest attempts, newest first (<see cref="WebhookRules.RecentDeliveries"/>).</summary>
    [Id(1)] public List<WebhookDelivery> Recent { get; set; } = [];
    /// <summary>Ids of the latest events queued (<see cref="WebhookRules.RememberedIds"/>): a repeat is dropped.</summary>
    [Id(2)] public List<string> Seen { get; set; } = [];
    [Id(3)] public long Delivered { get; set; }
    [Id(4)] public long Failed { get; set; }
    [Id(5)] public long Dropped { get; set; }
}

public sealed class WebhookDeliveryGrain(
    [PersistentState("webhookDeliveries", DispatchStorage.Name)] IPersistentState<WebhookDeliveryState> state,
    TimeProvider clock,
    IWebhookSender sender,
    IOptions<DispatchOptions> options,
    ILogger<WebhookDeliveryGrain> logger) : Grain, IWebhookDeliveryGrain, IRemindable
{
    private const string WakeReminder = "webhooks";
    /// <summary>Attempts per turn: a queue behind a slow receiver must not hold the grain for long.</summary>
    private const int AttemptsPerTurn = 10;
    private IGrainTimer? _timer;
    private DateTimeOffset? _armedFor;
    private bool? _hasReminder;

    private WebhookOptions Options => options.Value.Webhooks;

    private WebhookDeliveryState S => state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.Pending.Count > 0)
        {
            await KeepReminderAsync();
            Arm();
        }
    }

    public async Task EnqueueAsync(WebhookEvent webhookEvent)
    {
        if (S.Seen.Contains(webhookEvent.Id))
        {
            return;
        }
        S.Seen.Add(webhookEvent.Id);
        if (S.Seen.Count > WebhookRules.RememberedIds)
        {
            S.Seen.RemoveRange(0, S.Seen.Count - WebhookRules.RememberedIds);
        }
        var now = clock.GetUtcNow();
        var named = webhookEvent with { PathNames = await NamesAsync(webhookEvent.Warning?.Path ?? webhookEvent.Problem?.Path ?? []) };
        S.Pending.Add(new PendingWebhook(named, now, 0, now));
        while (S.Pending.Count > Math.Max(1, Options.MaxPending))
        {
            var oldest = S.Pending[0];
            S.Pending.RemoveAt(0);
            S.Dropped++;
            Record(new WebhookDelivery(now, oldest.Event.Id, oldest.Event.Type, WebhookOutcome.Dropped, oldest.Attempts, null,
                $"queue full ({Options.MaxPending:N0} waiting): the oldest was dropped"));
        }
        await state.WriteStateAsync();
        await KeepReminderAsync();
        Arm();
    }

    public Task<WebhookDeliveryStatus> GetStatusAsync() => Task.FromResult(new WebhookDeliveryStatus(S.Pending.Count, S.Delivered, S.Failed,
        S.Dropped, S.Pending.Count == 0 ? null : S.Pending.Min(p => p.NextAttemptAt), S.Recent.ToList()));

    public async Task StopAsync()
    {
        _timer?.Dispose();
        _timer = null;
        _armedFor = null;
        if (await this.GetReminder(WakeReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
        _hasReminder = false;
        await state.ClearStateAsync();
        state.State = new WebhookDeliveryState();
        DeactivateOnIdle();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == WakeReminder)
        {
            await DeliverDueAsync();
        }
    }

    /// <summary>Tries the events that are due, oldest due first, a few per turn; re-arms for the next.</summary>
    private async Task DeliverDueAsync()
    {
        _armedFor = null;
        if (S.Pending.Count == 0)
        {
            await KeepReminderAsync();
            return;
        }
        var route = await GrainFactory.GetGrain<IWebhookRegistryGrain>(WebhookRegistry.Key).GetRouteAsync(this.GetPrimaryKeyString());
        if (route is null)
        {
            // The subscription or its target was removed while events waited.
            var now = clock.GetUtcNow();
            foreach (var p in S.Pending)
            {
                Record(new WebhookDelivery(now, p.Event.Id, p.Event.Type, WebhookOutcome.Dropped, p.Attempts, null, "the subscription or its target was removed"));
            }
            S.Dropped += S.Pending.Count;
            S.Pending.Clear();
            await state.WriteStateAsync();
            await KeepReminderAsync();
            return;
        }
        for (var turn = 0; turn < AttemptsPerTurn; turn++)
        {
            var now = clock.GetUtcNow();
            var index = S.Pending.FindIndex(p => p.NextAttemptAt <= now);
            if (index < 0)
            {
                break;
            }
            await AttemptAsync(index, route, now);
            await state.WriteStateAsync();
        }
        await KeepReminderAsync();
        Arm();
    }

    private async Task AttemptAsync(int index, WebhookRoute route, DateTimeOffset now)
    {
        var item = S.Pending[index];
        var ev = item.Event;
        if (now - item.QueuedAt > Options.MaxAge)
        {
            S.Pending.RemoveAt(index);
            S.Failed++;
            Record(new WebhookDelivery(now, ev.Id, ev.Type, WebhookOutcome.Failed, item.Attempts, null,
                $"given up: not delivered within {Options.MaxAge} after {item.Attempts} attempts"));
            return;
        }
        var request = WebhookFormats.Compose(route.Target, ev, route.Subscription.Account, now);
        WebhookSendResult result;
        try
        {
            result = await sender.SendAsync(request, route.Target.Format, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Webhook {Subscription} could not send {Event}", this.GetPrimaryKeyString(), ev.Id);
            result = new WebhookSendResult(WebhookOutcome.Retrying, null, e.Message);
        }
        var attempts = item.Attempts + 1;
        var at = clock.GetUtcNow();
        switch (result.Outcome)
        {
            case WebhookOutcome.Delivered:
                S.Pending.RemoveAt(index);
                S.Delivered++;
                break;
            case WebhookOutcome.Retrying:
                S.Pending[index] = item with { Attempts = attempts, NextAttemptAt = at + WebhookRules.RetryAfter(attempts, Options) };
                break;
            default:
                S.Pending.RemoveAt(index);
                S.Failed++;
                break;
        }
        Record(new WebhookDelivery(at, ev.Id, ev.Type, result.Outcome, attempts, result.StatusCode, result.Error));
    }

    private void Record(WebhookDelivery delivery)
    {
        S.Recent.Insert(0, delivery);
        if (S.Recent.Count > WebhookRules.RecentDeliveries)
        {
            S.Recent.RemoveRange(WebhookRules.RecentDeliveries, S.Recent.Count - WebhookRules.RecentDeliveries);
        }
    }

    private async Task<IReadOnlyList<string>> NamesAsync(IReadOnlyList<string> regionIds)
    {
        var definitions = await Task.WhenAll(regionIds.Select(id => GrainFactory.GetGrain<IRegionGrain>(id).GetDefinitionAsync()));
        return regionIds.Select((id, i) => definitions[i]?.Name ?? id).ToList();
    }

    /// <summary>A timer for the next due attempt, precise while the grain is active; replaced only when that moved.</summary>
    private void Arm()
    {
        DateTimeOffset? next = S.Pending.Count == 0 ? null : S.Pending.Min(p => p.NextAttemptAt);
        if (next == _armedFor && (_timer is not null || next is null))
        {
            return;
        }
        _timer?.Dispose();
        _timer = null;
        _armedFor = next;
        if (next is null)
        {
            return;
        }
        var due = next.Value - clock.GetUtcNow();
        _timer = this.RegisterGrainTimer(_ => DeliverDueAsync(), new GrainTimerCreationOptions(due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan));
    }

    /// <summary>A durable reminder while events wait, so that a restart neither loses nor forgets them.</summary>
    private async Task KeepReminderAsync()
    {
        var pending = S.Pending.Count > 0;
        if (pending == _hasReminder)
        {
            return;
        }
        var reminder = await this.GetReminder(WakeReminder);
        if (pending && reminder is null)
        {
            // Bounds how late a retry can be after a restart, as often as the longest back-off but at least every 5 min.
            var period = TimeSpan.FromTicks(Math.Clamp(Options.MaxRetryAfter.Ticks, RegionGrain.MinimumReminderPeriod.Ticks, TimeSpan.FromMinutes(5).Ticks));
            await this.RegisterOrUpdateReminder(WakeReminder, period, period);
        }
        else if (!pending && reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
        _hasReminder = pending;
    }
}
