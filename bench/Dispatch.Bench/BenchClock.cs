namespace Dispatch.Bench;

/// <summary>
/// Real time moved to start at the bench's "today", so that the synthetic country (planned dates, overdue
/// milestones, reports) is the same on every run whatever the machine's date. Time flows at real speed, so Orleans,
/// Quartz and timers behave as in production; one instance serves every silo the bench starts, so a restart never
/// moves the clock back; only a new country in a new store starts again at the bench's today.
/// </summary>
public sealed class BenchClock(DateTimeOffset start) : TimeProvider
{
    private TimeSpan _offset = start - System.GetUtcNow();

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + _offset;

    /// <summary>
    /// Moves the clock on to 10:00 China time of a day: a meeting is held as of a day that has come (the silo refuses
    /// an as-of date after its today), so the bench lets the week pass before it dispatches.
    /// </summary>
    public void MoveTo(DateOnly chinaDay) =>
        _offset = new DateTimeOffset(chinaDay.ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8)) - System.GetUtcNow();
}
