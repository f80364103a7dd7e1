using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Dispatch.Contracts;

namespace Dispatch.Silo.Import;

/// <summary>A cell that could not be read: its 1-based data row, its column, and why.</summary>
public sealed record ImportError(int Row, string Column, string Message);

public sealed record RegionRow(string Id, RegionDefinition Definition);

public sealed record ProjectRow(string Id, ProjectProfile Profile);

/// <summary>Reads the CSV files of <c>shared/data</c>; every bad cell is reported, and any error means no row is used.</summary>
public static class CsvImport
{
    public static (IReadOnlyList<RegionRow> Rows, IReadOnlyList<ImportError> Errors) ReadRegions(TextReader text)
    {
        var rows = new List<RegionRow>();
        var errors = new List<ImportError>();
        using var csv = new CsvReader(text, new CsvConfiguration(CultureInfo.InvariantCulture) { TrimOptions = TrimOptions.Trim });
        if (!ReadHeader(csv, ["id", "name", "level", "parent_id"], errors))
        {
            return (rows, errors);
        }
        var row = 0;
        while (csv.Read())
        {
            row++;
            var id = Required(csv, row, "id", errors);
            var name = Required(csv, row, "name", errors);
            var levelText = Required(csv, row, "level", errors);
            RegionLevel? level = Enum.TryParse<RegionLevel>(levelText, ignoreCase: true, out var l) && Enum.IsDefined(l) ? l : null;
            if (levelText is not null && level is null)
            {
                errors.Add(new(row, "level", $"'{levelText}' is not a level; use province, city or district."));
            }
            if (id is not null && name is not null && level is not null)
            {
                rows.Add(new(id, new RegionDefinition(name, level.Value, Optional(csv, "parent_id"), Optional(csv, "division_code"))));
            }
        }
        return (rows, errors);
    }

    public static (IReadOnlyList<ProjectRow> Rows, IReadOnlyList<ImportError> Errors) ReadProjects(TextReader text)
    {
        var rows = new List<ProjectRow>();
        var errors = new List<ImportError>();
        using var csv = new CsvReader(text, new CsvConfiguration(CultureInfo.InvariantCulture) { TrimOptions = TrimOptions.Trim });
        if (!ReadHeader(csv, ["id", "name", "region_id", "kind"], errors))
        {
            return (rows, errors);
        }
        var row = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (csv.Read())
        {
            row++;
            var id = Required(csv, row, "id", errors);
            if (id is not null && !seen.Add(id))
            {
                errors.Add(new(row, "id", $"Project '{id}' appears twice in the file."));
            }
            var name = Required(csv, row, "name", errors);
            var regionId = Required(csv, row, "region_id", errors);
            var kindText = Required(csv, row, "kind", errors);
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
            var total = Amount(csv, row, "total_investment_wan", errors);
            var annual = Amount(csv, row, "annual_plan_investment_wan", errors);
            var stageText = Optional(csv, "stage");
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
                var notes = Optional(csv, "known_facts");
                rows.Add(new(id, new ProjectProfile(name, regionId, kind.Value, Optional(csv, "industry"), total, annual, null, null,
                    Optional(csv, "leader"), Optional(csv, "steward"), [], stage, Optional(csv, "company"), notes)));
            }
        }
        return (rows, errors);
    }

    private static bool ReadHeader(CsvReader csv, string[] required, List<ImportError> errors)
    {
        if (!csv.Read() || !csv.ReadHeader())
        {
            errors.Add(new(0, "header", "The file is empty; it needs a header row."));
            return false;
        }
        var missing = required.Where(c => !csv.HeaderRecord!.Contains(c, StringComparer.Ordinal)).ToList();
        foreach (var column in missing)
        {
            errors.Add(new(0, column, $"The header lacks the column '{column}'."));
        }
        return missing.Count == 0;
    }

    private static string? Optional(CsvReader csv, string column) =>
        csv.HeaderRecord!.Contains(column, StringComparer.Ordinal) && csv.GetField(column) is { Length: > 0 } value ? value : null;

    private static string? Required(CsvReader csv, int row, string column, List<ImportError> errors)
    {
        var value = Optional(csv, column);
        if (value is null)
        {
            errors.Add(new(row, column, $"'{column}' is empty."));
        }
        return value;
    }

    private static decimal? Amount(CsvReader csv, int row, string column, List<ImportError> errors)
    {
        var text = Optional(csv, column);
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
