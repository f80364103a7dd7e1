namespace Dispatch.Tests.Postgres;

/// <summary>
/// Real time moved to start at a chosen instant: the date is the test's, but time flows and timers and delays run at
/// real speed. Quartz's clustered store and Orleans need a clock that moves (a frozen fake clock stalls Quartz's lock
/// retries and check-ins forever); the tests need a known "today".
/// </summary>
public sealed class ShiftedTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly TimeSpan _offset = start - System.GetUtcNow();

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + _offset;
}
