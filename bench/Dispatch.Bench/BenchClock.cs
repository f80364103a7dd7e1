namespace Dispatch.Bench;

/// <summary>
/// Real time moved to start at the bench's "today", so that the synthetic country (planned dates, overdue
/// milestones, reports) is the same on every run whatever the machine's date. Time flows at real speed, so Orleans,
/// Quartz and timers behave as in production; one instance serves every silo the bench starts, so a restart never
/// moves the clock back.
/// </summary>
public sealed class BenchClock(DateTimeOffset start) : TimeProvider
{
    private readonly TimeSpan _offset = start - System.GetUtcNow();

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + _offset;
}
