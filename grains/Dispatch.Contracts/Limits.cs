namespace Dispatch.Contracts;

/// <summary>
/// The ceilings every input is held to, in one place: the HTTP API, the importer, the CLI and the grains all refuse
/// what lies outside them before anything changes. README's "Limits" lists them for people.
/// </summary>
public static class Limits
{
    /// <summary>
    /// Largest amount (万元) a project's total, annual plan or completed investment may state: 100,000,000 万元 =
    /// 1 万亿元, above any single project. Sums of such amounts over any number of projects stay far below
    /// <see cref="decimal.MaxValue"/>.
    /// </summary>
    public const decimal MaxAmount = 100_000_000m;

    /// <summary>Longest name, title, category, person or company (characters).</summary>
    public const int MaxShortText = 200;

    /// <summary>Longest narrative, note or decision text (characters).</summary>
    public const int MaxLongText = 4_000;

    /// <summary>Longest reporting period key (e.g. 2024-03-H1).</summary>
    public const int MaxPeriodText = 16;

    public const int MaxMilestones = 100;

    public const int MaxMilestonesReached = 100;

    /// <summary>Problems a project may carry, open and resolved.</summary>
    public const int MaxProblems = 200;

    /// <summary>Steps a problem's history keeps (转办 and 驳回 can repeat); the oldest after the first go.</summary>
    public const int MaxProblemSteps = 100;

    public const int MaxDecisions = 200;

    /// <summary>Largest JSON request body (bytes); larger is 413.</summary>
    public const int MaxJsonBodyBytes = 1024 * 1024;

    /// <summary>Deepest nesting of objects and arrays in a JSON body; deeper is 400 naming <c>body</c>.</summary>
    public const int MaxJsonDepth = 32;

    /// <summary>Largest import file (bytes); larger is 413.</summary>
    public const int MaxImportBytes = 5 * 1024 * 1024;

    /// <summary>Most data rows an import may carry; more is 400.</summary>
    public const int MaxImportRows = 5_000;

    /// <summary>Most bytes the parts of an XLSX file may expand to when unzipped; more is refused before reading.</summary>
    public const long MaxXlsxExpandedBytes = 50L * 1024 * 1024;

    /// <summary>Errors an import answer lists; the rest are counted.</summary>
    public const int MaxImportErrorsShown = 100;

    /// <summary>No date before this: no as-of, report, milestone or deadline.</summary>
    public static readonly DateOnly EarliestDate = new(2000, 1, 1);

    /// <summary>No planned date or deadline after this.</summary>
    public static readonly DateOnly LatestPlannedDate = new(2100, 12, 31);

    /// <summary>An as-of date (meetings, rates) lies between <see cref="EarliestDate"/> and today (China time).</summary>
    public static FieldError? CheckAsOf(DateOnly asOf, DateOnly today, string field = "asOf") =>
        asOf < EarliestDate || asOf > today
            ? new FieldError(field, $"{field} must lie between {EarliestDate:yyyy-MM-dd} and today ({today:yyyy-MM-dd}), not {asOf:yyyy-MM-dd}.")
            : null;
}
