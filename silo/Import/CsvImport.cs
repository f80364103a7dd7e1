using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Dispatch.Contracts;

namespace Dispatch.Silo.Import;

/// <summary>A cell that could not be read: its 1-based data row, its column, and why.</summary>
public sealed record ImportError(int Row, string Column, string Message);

public sealed record RegionRow(string Id, RegionDefinition Definition, int Row);

public sealed record ProjectRow(string Id, ProjectProfile Profile, int Row);

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
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < sheet.Rows.Count; i++)
        {
            var (cells, row) = (sheet.Rows[i], i + 1);
            var id = Required(cells, row, "id", errors);
            if (id is not null && !seen.Add(id))
            {
                errors.Add(new(row, "id", $"Project '{id}' appears twice in the file."));
            }
            var name = Required(cells, row, "name", errors);
            var regionId = Required(cells, row, "region_id", errors);
            var kindText = Required(cells, row, "kind", errors);
            ProjectKind? kind = kindText switch
            {
                "new" or "新建" => ProjectKind.New,
                "continuing" or "续建" => ProjectKind.Continuing,
                _ => null,
            };
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
            if (id is not null && name is not null && regionId is not null && kind is not null)
            {
                rows.Add(new(id, new ProjectProfile(name, regionId, kind.Value, Optional(cells, "industry"), total, annual, null, null,
                    Optional(cells, "leader"), Optional(cells, "steward"), [], stage, Optional(cells, "company"), Optional(cells, "known_facts")), row));
            }
        }
        return (rows, errors);
    }

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
