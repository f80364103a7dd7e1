using System.Globalization;

namespace Dispatch.Bench;

/// <summary>The bench's command line; every option has a default, so a bare <c>dotnet run</c> runs the full 100,000-project bench.</summary>
public sealed record BenchOptions
{
    public static readonly string[] AllScenarios = ["dispatch", "ingest", "alerts", "memory", "scale", "floor"];

    public int Projects { get; init; } = 100_000;

    public int Districts { get; init; } = 2_000;

    public int Seed { get; init; } = 20250610;

    /// <summary>A PostgreSQL server (its maintenance database) to run the bench on as well, in throwaway databases.</summary>
    public string? Postgres { get; init; }

    /// <summary>Whether to run on the embedded SQLite store (always, unless <c>--no-sqlite</c>).</summary>
    public bool Sqlite { get; init; } = true;

    public IReadOnlySet<string> Scenarios { get; init; } = new HashSet<string>(AllScenarios, StringComparer.Ordinal);

    public IReadOnlyList<int> ScaleSizes { get; init; } = [10_000, 30_000, 100_000];

    /// <summary>Grain calls in flight while loading the synthetic country.</summary>
    public int LoadConcurrency { get; init; } = 32;

    /// <summary>District meetings held at once by the dispatch scenario.</summary>
    public int MeetingsAtOnce { get; init; } = 16;

    public int IngestInFlight { get; init; } = 32;

    public int IngestReports { get; init; } = 20_000;

    public int AlertSamples { get; init; } = 200;

    /// <summary>Where the temp data folders go; a fresh folder under the system temp folder by default.</summary>
    public string? WorkFolder { get; init; }

    /// <summary>Keep data folders and databases afterwards (for a look with sqlite3/psql).</summary>
    public bool Keep { get; init; }

    /// <summary>Extra configuration for every silo the bench starts, as <c>Key=Value</c> (e.g. <c>Dispatch:MeetingFanOut=16</c>).</summary>
    public IReadOnlyList<string> SiloArgs { get; init; } = [];

    /// <summary>Also append every result line to this file.</summary>
    public string? Out { get; init; }

    public bool Runs(string scenario) => Scenarios.Contains(scenario);

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{arg} needs a value.");
            o = arg switch
            {
                "--projects" => o with { Projects = Int(arg, Value()) },
                "--districts" => o with { Districts = Int(arg, Value()) },
                "--seed" => o with { Seed = Int(arg, Value()) },
                "--postgres" => o with { Postgres = Value() },
                "--no-sqlite" => o with { Sqlite = false },
                "--scenarios" => o with { Scenarios = Scenario(Value()) },
                "--scale-sizes" => o with { ScaleSizes = Value().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => Int(arg, s)).ToList() },
                "--load-concurrency" => o with { LoadConcurrency = Int(arg, Value()) },
                "--meetings-at-once" => o with { MeetingsAtOnce = Int(arg, Value()) },
                "--ingest-inflight" => o with { IngestInFlight = Int(arg, Value()) },
                "--ingest-reports" => o with { IngestReports = Int(arg, Value()) },
                "--alert-samples" => o with { AlertSamples = Int(arg, Value()) },
                "--work" => o with { WorkFolder = Value() },
                "--keep" => o with { Keep = true },
                "--out" => o with { Out = Value() },
                "--silo-arg" => o with { SiloArgs = [.. o.SiloArgs, SiloArg(Value())] },
                "--help" or "-h" => throw new HelpRequestedException(),
                _ => throw new ArgumentException($"Unknown option '{arg}'. {Usage}"),
            };
        }
        if (o.Projects < 10 || o.Districts < 1 || o.Districts > o.Projects)
        {
            throw new ArgumentException("--projects must be at least 10 and --districts between 1 and --projects.");
        }
        if (!o.Sqlite && o.Postgres is null)
        {
            throw new ArgumentException("--no-sqlite leaves no store: give --postgres \"<connection string>\".");
        }
        return o;
    }

    public const string Usage =
        "Usage: dotnet run -c Release --project bench/Dispatch.Bench -- [--projects 100000] [--districts 2000] [--seed N] " +
        "[--postgres \"Host=…;Username=…;Password=…\"] [--no-sqlite] [--scenarios dispatch,ingest,alerts,memory,scale,floor] " +
        "[--scale-sizes 10000,30000,100000] [--load-concurrency 32] [--meetings-at-once 16] [--ingest-inflight 32] " +
        "[--ingest-reports 20000] [--alert-samples 200] [--silo-arg Key=Value]... [--work DIR] [--keep] [--out FILE]";

    private static int Int(string option, string text) =>
        int.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0
            ? n
            : throw new ArgumentException($"{option} needs a whole number, not '{text}'.");

    private static string SiloArg(string text) =>
        text.Contains('=', StringComparison.Ordinal) && !text.StartsWith('=')
            ? "--" + text.TrimStart('-')
            : throw new ArgumentException($"--silo-arg needs Key=Value (a .NET configuration key), not '{text}'.");

    private static HashSet<string> Scenario(string text)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!AllScenarios.Contains(name))
            {
                throw new ArgumentException($"Unknown scenario '{name}'; known: {string.Join(",", AllScenarios)}.");
            }
            set.Add(name);
        }
        return set;
    }
}

public sealed class HelpRequestedException : Exception;
