namespace Dispatch.Tests.Postgres;

/// <summary>
/// One throwaway PostgreSQL server for the tests of the <see cref="PostgresCollection"/>; each test makes its own database.
/// Without PostgreSQL the tests are skipped (see <see cref="PostgresFactAttribute"/>), except under CI=true, where this
/// fixture fails them all with the reason.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException(PostgresServer.MissingMessage);

    public async Task InitializeAsync()
    {
        if (PostgresServer.FoundBinDirectory is null)
        {
            if (PostgresServer.IsCi)
            {
                throw new InvalidOperationException(PostgresServer.MissingMessage + " CI=true: the PostgreSQL tests must run here, not be skipped.");
            }
            return;
        }
        _server = await PostgresServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>
/// Runs alone, after the parallel collections: three silos reviewing 2,000 projects take the machine's CPU, and tests
/// that wait on timers elsewhere should not have to share it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}

/// <summary>
/// A fact that needs a PostgreSQL server: skipped, with the reason in the test output, when the server binaries are not
/// installed, unless CI=true (then it runs and fails, see <see cref="PostgresServer.SkipReason"/>).
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresServer.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
