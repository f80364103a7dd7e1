using System.Diagnostics;
using System.Text;
using Dispatch.Silo.Hosting;
using Npgsql;

namespace Dispatch.Tests.Postgres;

/// <summary>
/// A throwaway PostgreSQL server for the tests: <c>initdb</c> into a temp folder, <c>pg_ctl start</c> on a free port on
/// 127.0.0.1 (its unix socket in the same folder, never in /var/run), <c>pg_ctl stop</c> and the folder deleted at the
/// end. initdb refuses to run as root, so as root the server runs as the unprivileged user <see cref="OsUser"/>
/// (created when missing) through <c>runuser</c>. Durability is off (fsync, synchronous commit): the data is thrown
/// away, and the tests are about concurrency, not crash safety of PostgreSQL itself.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string OsUser = "dispatchpg";
    public const string SuperUser = "postgres";

    private const string FolderPrefix = "dispatch-pg-";

    private static readonly TimeSpan s_commandTimeout = TimeSpan.FromSeconds(90);

    private readonly string? _runAs;
    private int _stopped;

    private PostgresServer(string binDirectory, string folder, string? runAs, int port)
    {
        BinDirectory = binDirectory;
        Folder = folder;
        _runAs = runAs;
        Port = port;
    }

    /// <summary>Where initdb and pg_ctl live: the newest /usr/lib/postgresql/*/bin that has both; null when none has.</summary>
    public static string? FoundBinDirectory { get; } = FindBinDirectory();

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string MissingMessage =>
        "PostgreSQL server binaries were not found (no initdb and pg_ctl under /usr/lib/postgresql/*/bin). " +
        "Install them with `apt-get install -y postgresql-15` (.ci/run does).";

    /// <summary>
    /// Why the PostgreSQL tests are skipped, or null when they run: they run when the binaries are there, and under
    /// CI=true they always run, so that a CI machine without PostgreSQL fails loudly instead of skipping quietly.
    /// </summary>
    public static string? SkipReason => FoundBinDirectory is not null || IsCi
        ? null
        : "SKIPPED: " + MissingMessage + " Under CI=true these tests fail instead of being skipped.";

    public string BinDirectory { get; }

    public string Folder { get; }

    public int Port { get; }

    private string DataDirectory => Path.Combine(Folder, "data");

    private string LogFile => Path.Combine(Folder, "server.log");

    /// <summary>The superuser on the maintenance database, unpooled.</summary>
    public string AdminConnectionString => ConnectionString("postgres") + ";Pooling=false";

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = SuperUser, Database = database }.ToString();

    public static async Task<PostgresServer> StartAsync()
    {
        var bin = FoundBinDirectory ?? throw new InvalidOperationException(MissingMessage);
        DeleteLeftovers();
        var folder = Path.Combine(Path.GetTempPath(), FolderPrefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        string? runAs = null;
        if (Environment.IsPrivilegedProcess)
        {
            runAs = OsUser;
            await EnsureOsUserAsync();
            await RunAsync(null, "chown", [$"{OsUser}:", folder]);
        }
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        await RunAsync(runAs, Path.Combine(bin, "initdb"),
            ["-D", Path.Combine(folder, "data"), "-U", SuperUser, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);

        // A free port can be taken between the probe and the server's bind: try a few.
        for (var attempt = 1; ; attempt++)
        {
            var server = new PostgresServer(bin, folder, runAs, SiloSettings.FreePort());
            try
            {
                await server.StartServerAsync();
                AppDomain.CurrentDomain.ProcessExit += server.OnProcessExit;
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                // Logged in the server log; the next attempt picks another port.
            }
        }
    }

    /// <summary>A new empty database; dropped when the answer is disposed.</summary>
    public async Task<PostgresDatabase> CreateDatabaseAsync()
    {
        var name = "dispatch_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsync(AdminConnectionString, $"CREATE DATABASE {name}");
        return new PostgresDatabase(this, name, ConnectionString(name));
    }

    internal async Task DropDatabaseAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(AdminConnectionString, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            NpgsqlConnection.ClearAllPools();
            await RunAsync(_runAs, Path.Combine(BinDirectory, "pg_ctl"), ["stop", "-D", DataDirectory, "-m", "immediate", "-w"]);
        }
        Directory.Delete(Folder, recursive: true);
    }

    private async Task StartServerAsync()
    {
        var options = $"-p {Port} -k {Folder} -c listen_addresses=127.0.0.1 -c max_connections=500 " +
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        try
        {
            await RunAsync(_runAs, Path.Combine(BinDirectory, "pg_ctl"),
                ["start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "-o", options]);
        }
        catch (InvalidOperationException e)
        {
            var log = File.Exists(LogFile) ? await File.ReadAllTextAsync(LogFile) : "(no server log)";
            throw new InvalidOperationException($"{e.Message}\nServer log {LogFile}:\n{log}", e);
        }
    }

    /// <summary>A test run that ends without disposing the fixture must not leave a server running.</summary>
    private void OnProcessExit(object? sender, EventArgs e)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            RunAsync(_runAs, Path.Combine(BinDirectory, "pg_ctl"), ["stop", "-D", DataDirectory, "-m", "immediate", "-w"])
                .GetAwaiter().GetResult();
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task EnsureOsUserAsync()
    {
        if (await TryRunAsync("id", ["-u", OsUser]) == 0)
        {
            return;
        }
        var created = await TryRunAsync("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", OsUser]);
        // Another test process may have created it meanwhile.
        if (created != 0 && await TryRunAsync("id", ["-u", OsUser]) != 0)
        {
            throw new InvalidOperationException(
                $"initdb refuses to run as root and the user '{OsUser}' could not be created (useradd exited {created}).");
        }
    }

    /// <summary>
    /// Folders of servers that a killed test run left behind: an hour old and no postmaster.pid (no server running).
    /// </summary>
    private static void DeleteLeftovers()
    {
        foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            var age = TimeProvider.System.GetUtcNow() - Directory.GetLastWriteTimeUtc(folder);
            if (age > TimeSpan.FromHours(1) && !File.Exists(Path.Combine(folder, "data", "postmaster.pid")))
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (IOException)
                {
                    // Another test process is just creating it.
                }
            }
        }
    }

    private static string? FindBinDirectory()
    {
        const string Root = "/usr/lib/postgresql";
        if (!Directory.Exists(Root))
        {
            return null;
        }
        return Directory.GetDirectories(Root)
            .Select(d => (Directory: Path.Combine(d, "bin"), Version: decimal.TryParse(Path.GetFileName(d), System.Globalization.NumberStyles.Number,
                System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : 0m))
            .Where(d => File.Exists(Path.Combine(d.Directory, "initdb")) && File.Exists(Path.Combine(d.Directory, "pg_ctl")))
            .OrderByDescending(d => d.Version)
            .Select(d => d.Directory)
            .FirstOrDefault();
    }

    private static async Task<int> TryRunAsync(string file, IReadOnlyList<string> arguments)
    {
        var (exitCode, _) = await ExecAsync(null, file, arguments);
        return exitCode;
    }

    private static async Task RunAsync(string? runAs, string file, IReadOnlyList<string> arguments)
    {
        var (exitCode, output) = await ExecAsync(runAs, file, arguments);
        if (exitCode != 0)
        {
            throw new InvalidOperationException(
                $"`{string.Join(' ', arguments.Prepend(file))}`{(runAs is null ? "" : $" (as {runAs})")} exited {exitCode}:\n{output}");
        }
    }

    private static async Task<(int ExitCode, string Output)> ExecAsync(string? runAs, string file, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(runAs is null ? file : "runuser")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (runAs is not null)
        {
            foreach (var a in (string[])["-u", runAs, "--", file])
            {
                start.ArgumentList.Add(a);
            }
        }
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (127, $"cannot start {start.FileName}: {e.Message}");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(s_commandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"`{file}` did not finish within {s_commandTimeout.TotalSeconds:0} s:\n{output}");
        }
        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (output)
        {
            output.AppendLine(line);
        }
    }
}

/// <summary>A database of its own for one test, dropped (connections and all) when disposed.</summary>
public sealed class PostgresDatabase(PostgresServer server, string name, string connectionString) : IAsyncDisposable
{
    public string Name { get; } = name;

    public string ConnectionString { get; } = connectionString;

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Every row of a query, each as its columns' text joined with '|', in the query's order.</summary>
    public async Task<List<string>> RowsAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount)
                .Select(i => reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }
        return rows;
    }

    public async ValueTask DisposeAsync() => await server.DropDatabaseAsync(Name);
}
