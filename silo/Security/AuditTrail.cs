using System.Buffers;
using System.Text.Json;
using Dispatch.Contracts;
using Dispatch.Grains.Domain;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Dispatch.Silo.Security;

/// <summary>
/// What goes into the audit log and when: every change made through /api (2xx answers to PUT, POST, DELETE) and every
/// refused attempt (401, 403), each stored before the caller hears the answer.
/// </summary>
public static class AuditTrail
{
    public const string ChangeKey = "dispatch.audit.change";
    public const string Section = "Dispatch:Audit";

    /// <summary>
    /// Records the entry in <see cref="HttpResponse.OnStarting(Func{Task})"/>: the status is settled by then and not one
    /// byte of the answer has left, so a caller who heard "done" can rely on the entry being stored (SQLite and
    /// PostgreSQL commit before the write returns). Buffering the answer would do the same for every body size but
    /// costs a copy of each answer; OnStarting costs nothing for the requests that are not audited.
    /// </summary>
    public static async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        if (!http.Request.Path.StartsWithSegments("/api"))
        {
            await next(http);
            return;
        }
        var recorded = 0;
        http.Response.OnStarting(() => Interlocked.Exchange(ref recorded, 1) == 0 ? RecordAsync(http) : Task.CompletedTask);
        await next(http);
        // A caller who hung up before the answer started never triggers OnStarting, but the change may be stored.
        if (http.RequestAborted.IsCancellationRequested && !http.Response.HasStarted && Interlocked.Exchange(ref recorded, 1) == 0)
        {
            await RecordAsync(http);
        }
    }

    private static async Task RecordAsync(HttpContext http)
    {
        var status = http.Response.StatusCode;
        var method = http.Request.Method;
        var caller = Tokens.CallerOf(http.User);
        var refused = status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden;
        var changed = !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method) && status is >= 200 and < 300 && caller is not null;
        if (!refused && !changed)
        {
            return;
        }
        var services = http.RequestServices;
        var log = services.GetRequiredService<AuditLog>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var address = RateLimits.AddressOf(http);
        var endpoint = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value ?? "";
        var entry = new AuditEntry(0, now, caller?.Name ?? "anonymous", caller?.Role.ToString().ToLowerInvariant() ?? "none",
            $"{method} {endpoint}", http.Request.Path.Value ?? "", status,
            http.Items.TryGetValue(AuthSetup.AuditDetailKey, out var d) ? d as string : null)
        {
            Address = address,
            Change = changed && http.Items.TryGetValue(ChangeKey, out var c) && c is JsonElement change ? change : null,
        };
        try
        {
            if (refused)
            {
                var refusals = services.GetRequiredService<RefusalThrottle>();
                var (admit, closed) = refusals.Admit(address, now);
                if (closed is not null)
                {
                    await log.RecordAsync(closed.ToEntry(), CancellationToken.None);
                }
                if (!admit)
                {
                    return;
                }
            }
            await log.RecordAsync(entry, CancellationToken.None);
        }
        catch (Exception e)
        {
            services.GetRequiredService<ILogger<AuditLog>>().LogError(e, "Audit entry for {Method} {Path} by {Actor} not recorded", method, http.Request.Path, entry.Actor);
            if (changed)
            {
                // The change is stored but not its audit entry: the caller gets no answer rather than a "done" the
                // log cannot back, and the error above says what happened.
                http.Abort();
            }
        }
    }

    /// <summary>
    /// Tells the audit entry of this request what the change changed: the fields of <paramref name="before"/> and
    /// <paramref name="after"/> that differ, as compact JSON in the API's own casing (null before: a creation).
    /// </summary>
    public static void AuditChange<T>(this HttpContext http, T? before, T? after)
    {
        var options = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        http.Items[ChangeKey] = Diff(JsonSerializer.SerializeToElement(before, options), JsonSerializer.SerializeToElement(after, options), options);
    }

    /// <summary><c>{"before":…,"after":…}</c>: of two objects only the properties that differ, else both values whole.</summary>
    public static JsonElement Diff(JsonElement before, JsonElement after, JsonSerializerOptions? options = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = options?.Encoder }))
        {
            writer.WriteStartObject();
            if (before.ValueKind == JsonValueKind.Object && after.ValueKind == JsonValueKind.Object)
            {
                var names = before.EnumerateObject().Select(p => p.Name).Union(after.EnumerateObject().Select(p => p.Name)).ToList();
                bool Differs(string name) => !(before.TryGetProperty(name, out var b) && after.TryGetProperty(name, out var a) && JsonElement.DeepEquals(b, a));
                var differing = names.Where(Differs).ToList();
                WriteSide(writer, "before", before, differing);
                WriteSide(writer, "after", after, differing);
            }
            else
            {
                writer.WritePropertyName("before");
                before.WriteTo(writer);
                writer.WritePropertyName("after");
                after.WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private static void WriteSide(Utf8JsonWriter writer, string side, JsonElement value, IReadOnlyList<string> names)
    {
        writer.WriteStartObject(side);
        foreach (var name in names)
        {
            if (value.TryGetProperty(name, out var property))
            {
                writer.WritePropertyName(name);
                property.WriteTo(writer);
            }
        }
        writer.WriteEndObject();
    }
}

/// <summary>
/// Keeps a flood of refused attempts from filling the disk: at most <c>Dispatch:Audit:RefusedPerMinute</c> entries per
/// address and minute; the attempts beyond are counted and written as one summary entry when the minute is over.
/// </summary>
public sealed class RefusalThrottle(int perMinute)
{
    public const int DefaultPerMinute = 20;

    /// <summary>Beyond this many addresses in one minute the rest share one count (a spread-out flood).</summary>
    public const int MaxAddresses = 10_000;
    public const string OtherAddresses = "(other addresses)";

    private static readonly TimeSpan s_window = TimeSpan.FromMinutes(1);
    private readonly Dictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Attempts from one address that were counted, not recorded one by one.</summary>
    public sealed record Summary(string Address, int Dropped, DateTimeOffset From, DateTimeOffset To)
    {
        public AuditEntry ToEntry() => new(0, To, "anonymous", "none", "refused attempts (summary)", Address, 0,
            $"{Dropped} more refused attempts from {Address} between {From:O} and {To:O}, counted but not recorded one by one")
        {
            Address = Address,
        };
    }

    private sealed class Window(DateTimeOffset start)
    {
        public DateTimeOffset Start { get; } = start;
        public int Recorded { get; set; }
        public int Dropped { get; set; }
        public DateTimeOffset FirstDropped { get; set; }
        public DateTimeOffset LastDropped { get; set; }

        public Summary? Close(string address) => Dropped > 0 ? new Summary(address, Dropped, FirstDropped, LastDropped) : null;
    }

    /// <summary>Whether to record this attempt, and the summary of this address's previous minute if it just closed.</summary>
    public (bool Record, Summary? Closed) Admit(string address, DateTimeOffset now)
    {
        if (perMinute <= 0)
        {
            return (true, null);
        }
        lock (_lock)
        {
            if (!_windows.ContainsKey(address) && _windows.Count >= MaxAddresses)
            {
                address = OtherAddresses;
            }
            Summary? closed = null;
            if (!_windows.TryGetValue(address, out var window) || now - window.Start >= s_window)
            {
                closed = window?.Close(address);
                window = new Window(now);
                _windows[address] = window;
            }
            if (window.Recorded < perMinute)
            {
                window.Recorded++;
                return (true, closed);
            }
            if (window.Dropped++ == 0)
            {
                window.FirstDropped = now;
            }
            window.LastDropped = now;
            return (false, closed);
        }
    }

    /// <summary>Closes the minutes that are over (all of them when <paramref name="all"/>) and answers their summaries.</summary>
    public IReadOnlyList<Summary> Flush(DateTimeOffset now, bool all = false)
    {
        lock (_lock)
        {
            var over = _windows.Where(w => all || now - w.Value.Start >= s_window).ToList();
            foreach (var (address, _) in over)
            {
                _windows.Remove(address);
            }
            return over.Select(w => w.Value.Close(w.Key)).OfType<Summary>().ToList();
        }
    }
}

/// <summary>Writes the summaries of refused attempts once their minute is over, and what is pending at shutdown.</summary>
public sealed class RefusalSummaries(RefusalThrottle throttle, AuditLog log, TimeProvider clock, ILogger<RefusalSummaries> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await WriteAsync(all: false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: StopAsync writes what is left.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await WriteAsync(all: true);
    }

    private async Task WriteAsync(bool all)
    {
        foreach (var summary in throttle.Flush(clock.GetUtcNow(), all))
        {
            try
            {
                await log.RecordAsync(summary.ToEntry(), CancellationToken.None);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Summary of {Count} refused attempts from {Address} not recorded", summary.Dropped, summary.Address);
            }
        }
    }
}

/// <summary>The fields of a project its owner sets (PUT /api/projects/{id}), for the audit's before and after.</summary>
public sealed record AuditedProfile(
    string Name, string RegionId, ProjectKind Kind, string? Industry, decimal? TotalInvestment, decimal? AnnualPlanInvestment,
    DateOnly? PlannedStart, DateOnly? PlannedCompletion, string? Leader, string? Steward, IReadOnlyList<Milestone> Milestones)
{
    public static AuditedProfile? Of(ProjectView? view) => view is null ? null : new AuditedProfile(view.Name, view.RegionId, view.Kind,
        view.Industry, view.TotalInvestment, view.AnnualPlanInvestment, view.PlannedStart, view.PlannedCompletion, view.Leader,
        view.Steward, view.Milestones);
}
