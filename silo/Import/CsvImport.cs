using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Dispatch.Contracts;

namespace Dispatch.Silo.Import;

/// <summary>A cell that could not be read: its 1-based data row, its column, and why.</summary>
public sealed record ImportError(int Row, string Column, string Message);

public sealed record RegionRow(string Id, RegionDefinition Definition, int Row);

/// <summary>A project read from its first row, with the year plans (年度计划) of every row that names it.</summary>
public sealed record ProjectRow(string Id, ProjectProfile Profile, int Row, IReadOnlyList<PlanRow> Plans);

/// <summary>One year's plan read from a row's <c>plan_*</c> columns; it goes through the same check and call as the PUT route.</summary>
public sealed record PlanRow(int Year, AnnualPlanRequest Request, int Row);

/// <summary>A sheet of rows by column name, read from CSV or from the first worksheet of an XLSX file.</summary>
public sealed record Sheet(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyDictionary<string, string?>> Rows)
{
    public static Sheet FromCsv(TextReader text)
    {
        using var csv = new CsvReader(text, new CsvConfiguration(CultureInfo.InvariantCulture) { TrimOptions = TrimOptions.Trim, BadDataFound = null });
        if (!csv.Read() || !csv.ReadHeader())
        {
            return new Sheet([], []);
        }
        var header = csv.HeaderRecord!.Select(h => h.Trim()).ToList();
        var rows = new List<IReadOnlyDictionary<string, string?>>();
        while (csv.Read())
        {
            if (rows.Count == Limits.MaxImportRows)
            {
                throw new InvalidDataException($"The file has more than {Limits.MaxImportRows:N0} rows under its header; import at most {Limits.MaxImportRows:N0} at a time.");
            }
            rows.Add(header.Select((h, i) => (h, v: csv.TryGetField<string>(i, out var value) ? value : null))
                .GroupBy(x => x.h).ToDictionary(g => g.Key, g => g.First().v));
        }
        return new Sheet(header, rows);
    }

    /// <summary>The first worksheet, read lazily and within <see cref="Limits"/> (see <see cref="XlsxSheet"/>).</summary>
    public static Sheet FromXlsx(Stream stream) => XlsxSheet.Read(stream, Limits.MaxImportRows, Limits.MaxXlsxExpandedBytes);
}

/// <summary>
/// Reads regions and projects in the columns of <c>shared/data</c>; every bad cell is reported, and any error means
/// no row is used.
/// </summary>
public static class CsvImport
{
    public static (IReadOnlyList<RegionRow> Rows, IReadOnlyList<ImportError> Errors) ReadRegions(TextReader text) => ReadRegions(Sheet.FromCsv(text));

    public static (IReadOnlyList<ProjectRow> Rows, IReadOnlyList<ImportError> Errors) ReadProjects(TextReader text) => ReadProjects(Sheet.FromCsv(text));

    public static (IReadOnlyList<RegionRow> Rows, IReadOnlyList<ImportError> Errors) ReadRegions(Sheet sheet)
    {
        var rows = new List<RegionRow>();
        var errors = new List<ImportError>();
        if (!CheckHeader(sheet, ["id", "name", "level", "parent_id"], errors))
        {
            return (rows, errors);
        }
        for (var i = 0; i < sheet.Rows.Count; i++)
        {
            var (cells, row) = (sheet.Rows[i], i + 1);
            var id = Required(cells, row, "id", errors);
            var name = Required(cells, row, "name", errors);
            var levelText = Required(cells, row, "level", errors);
            RegionLevel? level = Enum.TryParse<RegionLevel>(levelText, ignoreCase: true, out var l) && Enum.IsDefined(l) ? l : null;
            if (levelText is not null && level is null)
            {
                errors.Add(new(row, "level", $"'{levelText}' is not a level; use province, city or district."));
            }
            if (id is not null && name is not null && level is not null)
            {
                rows.Add(new(id, new RegionDefinition(name, level.Value, Optional(cells, "parent_id"), Optional(cells, "division_code")), row));
            }
        }
        return (rows, errors);
    }

    public static (IReadOnlyList<ProjectRow> Rows, IReadOnlyList<ImportError> Errors) ReadProjects(Sheet sheet)
    {
        var rows = new List<ProjectRow>();
        var errors = new List<ImportError>();
        if (!CheckHeader(sheet, ["id", "name", "region_id", "kind"], errors))
        {
            return (rows, errors);
        }
        // A project's first row holds its profile; further rows of the same id add one plan year each.
        var first = new Dictionary<string, (int Row, IReadOnlyDictionary<string, string?> Cells, List<PlanRow> Plans)>(StringComparer.Ordinal);
        for (var i = 0; i < sheet.Rows.Count; i++)
        {
            var (cells, row) = (sheet.Rows[i], i + 1);
            var id = Optional(cells, "id");
            if (id is not null && first.TryGetValue(id, out var earlier))
            {
                ReadRepeatedRow(cells, row, id, earlier.Row, earlier.Cells, earlier.Plans, errors);
                continue;
            }
            var plans = new List<PlanRow>();
            if (ReadPlan(cells, row, errors) is { } plan)
            {
                plans.Add(plan);
            }
            if (ReadProfile(cells, row, errors) is { } profile)
            {
                rows.Add(new(id!, profile, row, plans));
            }
            if (id is not null)
            {
                first[id] = (row, cells, plans);
            }
        }
        return (rows, errors);
    }

    /// <summary>The plan columns (<c>plan_year</c> and the <c>plan_*</c> beside it), all optional.</summary>
    public static IReadOnlyList<string> PlanColumns { get; } =
    [
        "plan_year", "plan_kind", "plan_investment_wan", "plan_start", "plan_actual_start", "plan_funds_in_place_wan",
        "plan_key_project", "plan_withdrawn", "plan_withdrawn_reason",
    ];

    /// <summary>The column of a sheet that carries a plan request's field, for errors <c>AnnualList.Validate</c> finds in a row.</summary>
    public static string PlanColumnOf(string field) => field switch
    {
        "year" => "plan_year",
        "kind" => "plan_kind",
        "plannedInvestment" => "plan_investment_wan",
        "plannedStart" => "plan_start",
        "actualStart" => "plan_actual_start",
        "fundsInPlace" => "plan_funds_in_place_wan",
        "withdrawnReason" => "plan_withdrawn_reason",
        _ => "plan_" + field,
    };

    private static ProjectProfile? ReadProfile(IReadOnlyDictionary<string, string?> cells, int row, List<ImportError> errors)
    {
        var id = Required(cells, row, "id", errors);
        var name = Required(cells, row, "name", errors);
        var regionId = Required(cells, row, "region_id", errors);
        var kindText = Required(cells, row, "kind", errors);
        var kind = KindOf(kindText);
        if (kindText is not null && kind is null)
        {
            errors.Add(new(row, "kind", $"'{kindText}' is not a kind; use new (新建) or continuing (续建)."));
        }
        var total = Amount(cells, row, "total_investment_wan", errors);
        var annual = Amount(cells, row, "annual_plan_investment_wan", errors);
        var stageText = Optional(cells, "stage");
        ProjectStage? stage = null;
        if (stageText is not null)
        {
            if (Enum.TryParse<ProjectStage>(stageText, ignoreCase: true, out var s) && Enum.IsDefined(s))
            {
                stage = s;
            }
            else
            {
                errors.Add(new(row, "stage", $"'{stageText}' is not a stage; use planned, signed, approvals, started, completed, inProduction or fullCapacity."));
            }
        }
        return id is not null && name is not null && regionId is not null && kind is not null
            ? new ProjectProfile(name, regionId, kind.Value, Optional(cells, "industry"), total, annual, null, null,
                Optional(cells, "leader"), Optional(cells, "steward"), [], stage, Optional(cells, "company"), Optional(cells, "known_facts"))
            : null;
    }

    /// <summary>
    /// A later row of a project already read: it must add a plan year not given before, and its profile cells are empty
    /// or repeat the first row's, so no cell is silently dropped.
    /// </summary>
    private static void ReadRepeatedRow(IReadOnlyDictionary<string, string?> cells, int row, string id, int firstRow,
        IReadOnlyDictionary<string, string?> firstCells, List<PlanRow> plans, List<ImportError> errors)
    {
        if (Optional(cells, "plan_year") is null)
        {
            errors.Add(new(row, "id", $"Project '{id}' appears twice in the file (rows {firstRow} and {row}); a project's further rows each add a plan year (plan_year)."));
            return;
        }
        foreach (var column in ProfileColumns)
        {
            if (Optional(cells, column) is { } value && value != Optional(firstCells, column))
            {
                errors.Add(new(row, column, $"'{value}' differs from row {firstRow} of project '{id}'; leave it empty on the project's plan rows or repeat it exactly."));
            }
        }
        if (ReadPlan(cells, row, errors) is not { } plan)
        {
            return;
        }
        if (plans.FirstOrDefault(p => p.Year == plan.Year) is { } same)
        {
            errors.Add(new(row, "plan_year", $"Project '{id}' has a plan for {plan.Year} on row {same.Row} already; give each year once."));
            return;
        }
        plans.Add(plan);
    }

    /// <summary>A row's plan for <c>plan_year</c>, null when the row has no plan or a plan cell cannot be read.</summary>
    private static PlanRow? ReadPlan(IReadOnlyDictionary<string, string?> cells, int row, List<ImportError> errors)
    {
        var yearText = Optional(cells, "plan_year");
        if (yearText is null)
        {
            foreach (var column in PlanColumns.Where(c => Optional(cells, c) is not null))
            {
                errors.Add(new(row, column, $"'{column}' needs the plan's year in plan_year."));
            }
            return null;
        }
        var before = errors.Count;
        if (!int.TryParse(yearText, NumberStyles.None, CultureInfo.InvariantCulture, out var year))
        {
            errors.Add(new(row, "plan_year", $"'{yearText}' is not a year; use e.g. 2025."));
        }
        var kindText = Optional(cells, "plan_kind");
        var kind = KindOf(kindText);
        if (kindText is not null && kind is null)
        {
            errors.Add(new(row, "plan_kind", $"'{kindText}' is not a kind; use new (新开工) or continuing (续建)."));
        }
        var request = new AnnualPlanRequest(kind, Amount(cells, row, "plan_investment_wan", errors), Date(cells, row, "plan_start", errors),
            Date(cells, row, "plan_actual_start", errors), null, Amount(cells, row, "plan_funds_in_place_wan", errors),
            YesNo(cells, row, "plan_key_project", errors), YesNo(cells, row, "plan_withdrawn", errors), Optional(cells, "plan_withdrawn_reason"));
        return errors.Count == before ? new PlanRow(year, request, row) : null;
    }

    private static readonly string[] ProfileColumns =
        ["name", "region_id", "kind", "industry", "total_investment_wan", "annual_plan_investment_wan", "stage", "leader", "steward", "company", "known_facts"];

    private static ProjectKind? KindOf(string? text) => text switch
    {
        "new" or "新建" or "新开工" => ProjectKind.New,
        "continuing" or "续建" => ProjectKind.Continuing,
        _ => null,
    };

    /// <summary>The column of a sheet that carries a profile's field, for errors the domain rules find in a row.</summary>
    public static string ColumnOf(string field) => field switch
    {
        "regionId" => "region_id",
        "totalInvestment" => "total_investment_wan",
        "annualPlanInvestment" => "annual_plan_investment_wan",
        "notes" => "known_facts",
        _ => field,
    };

    private static bool CheckHeader(Sheet sheet, string[] required, List<ImportError> errors)
    {
        if (sheet.Header.Count == 0)
        {
            errors.Add(new(0, "header", "The file is empty; it needs a header row."));
            return false;
        }
        var missing = required.Where(c => !sheet.Header.Contains(c, StringComparer.Ordinal)).ToList();
        foreach (var column in missing)
        {
            errors.Add(new(0, column, $"The header lacks the column '{column}'."));
        }
        return missing.Count == 0;
    }

    private static string? Optional(IReadOnlyDictionary<string, string?> cells, string column) =>
        cells.TryGetValue(column, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static string? Required(IReadOnlyDictionary<string, string?> cells, int row, string column, List<ImportError> errors)
    {
        var value = Optional(cells, column);
        if (value is null)
        {
            errors.Add(new(row, column, $"'{column}' is empty."));
        }
        return value;
    }

    private static DateOnly? Date(IReadOnlyDictionary<string, string?> cells, int row, string column, List<ImportError> errors)
    {
        var text = Optional(cells, column);
        if (text is null)
        {
            return null;
        }
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }
        errors.Add(new(row, column, $"'{text}' is not a date; use yyyy-MM-dd."));
        return null;
    }

    private static bool? YesNo(IReadOnlyDictionary<string, string?> cells, int row, string column, List<ImportError> errors)
    {
        var text = Optional(cells, column);
        switch (text?.ToLowerInvariant())
        {
            case null:
                return null;
            case "yes" or "true" or "1" or "是":
                return true;
            case "no" or "false" or "0" or "否":
                return false;
            default:
                errors.Add(new(row, column, $"'{text}' is not yes or no (是/否)."));
                return null;
        }
    }

    private static decimal? Amount(IReadOnlyDictionary<string, string?> cells, int row, string column, List<ImportError> errors)
    {
        var text = Optional(cells, column);
        if (text is null)
        {
            return null;
        }
        if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount) && amount >= 0)
        {
            return amount;
        }
        errors.Add(new(row, column, $"'{text}' is not an amount in 万元 (a number ≥ 0)."));
        return null;
    }
}
