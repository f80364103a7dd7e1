using System.Text.Json;
using Dispatch.Silo.Api;
using Dispatch.Silo.Security;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace Dispatch.Tests.Security;

/// <summary>The plain rules behind the audit and the 503 answers: which failures are transient, the refusal cap, the diff.</summary>
public sealed class AuditAndFailureRulesTests
{
    private static readonly DateTimeOffset s_t0 = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);

    public static TheoryData<Exception, bool> Failures => new()
    {
        { new SiloUnavailableException(), true },
        { new ConnectionFailedException("refused"), true },
        { new GatewayTooBusyException(), true },
        { new TimeoutException("Response did not arrive on time"), true },
        { new InvalidOperationException("wrapped", new SiloUnavailableException()), true },
        { new AggregateException(new ArgumentException("x"), new TimeoutException()), true },
        { new InvalidOperationException("a bug"), false },
        { new ArgumentException("bad"), false },
        { new AggregateException(new ArgumentException("x")), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Cluster_failures_that_pass_are_transient_and_bugs_are_not(Exception exception, bool transient) =>
        Assert.Equal(transient, TransientFailures.IsTransient(exception));

    [Fact]
    public void Refused_attempts_are_recorded_up_to_the_cap_per_address_and_minute_then_summarised()
    {
        var throttle = new RefusalThrottle(2);

        var first = Enumerable.Range(0, 5).Select(i => throttle.Admit("10.0.0.5", s_t0.AddSeconds(i)).Record).ToList();
        var otherAddress = throttle.Admit("10.0.0.6", s_t0.AddSeconds(5)).Record;
        var (nextMinute, closed) = throttle.Admit("10.0.0.5", s_t0.AddSeconds(61));

        Assert.Equal([true, true, false, false, false], first);
        Assert.True(otherAddress);
        Assert.True(nextMinute);
        Assert.Equal(new RefusalThrottle.Summary("10.0.0.5", 3, s_t0.AddSeconds(2), s_t0.AddSeconds(4)), closed);
        Assert.Empty(throttle.Flush(s_t0.AddSeconds(70)));
    }

    [Fact]
    public void A_flush_closes_the_minutes_that_are_over_and_at_shutdown_all()
    {
        var throttle = new RefusalThrottle(1);
        throttle.Admit("a", s_t0);
        throttle.Admit("a", s_t0.AddSeconds(1));
        throttle.Admit("b", s_t0.AddSeconds(30));
        throttle.Admit("b", s_t0.AddSeconds(31));

        Assert.Equal([new RefusalThrottle.Summary("a", 1, s_t0.AddSeconds(1), s_t0.AddSeconds(1))], throttle.Flush(s_t0.AddSeconds(60)));
        Assert.Equal([new RefusalThrottle.Summary("b", 1, s_t0.AddSeconds(31), s_t0.AddSeconds(31))], throttle.Flush(s_t0.AddSeconds(61), all: true));
    }

    [Fact]
    public void The_change_keeps_only_the_fields_that_differ()
    {
        var before = JsonSerializer.SerializeToElement(new { status = "open", subject = "开工", by = (string?)null, path = new[] { "a" } });
        var after = JsonSerializer.SerializeToElement(new { status = "acknowledged", subject = "开工", by = "王科长", path = new[] { "a", "b" } });

        Assert.Equal("""{"before":{"status":"open","by":null,"path":["a"]},"after":{"status":"acknowledged","by":"王科长","path":["a","b"]}}""",
            AuditTrail.Diff(before, after, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }).GetRawText());
        Assert.Equal("""{"before":null,"after":{"status":"open"}}""",
            AuditTrail.Diff(JsonSerializer.SerializeToElement<object?>(null), JsonSerializer.SerializeToElement(new { status = "open" })).GetRawText());
    }
}
