using Dispatch.Contracts;
using Dispatch.Grains.Domain;
using Dispatch.Silo.Import;
using Dispatch.Silo.Security;

namespace Dispatch.Silo.Api;

/// <summary>POST /api/import/projects: a CSV or XLSX sheet in the columns of <c>shared/data</c>, all rows or none.</summary>
public static class ImportEndpoints
{
    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static RouteGroupBuilder MapImportEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/import/projects", async (HttpContext http, IGrainFactory grains, AccessControl access, TimeProvider clock,
            Microsoft.Extensions.Options.IOptions<Dispatch.Grains.DispatchOptions> options) =>
        {
            var (sheet, unreadable) = await ReadSheetAsync(http);
            if (sheet is null)
            {
                return unreadable!;
            }
            var (rows, errors) = CsvImport.ReadProjects(sheet);
            var problems = errors.ToList();
            var refused = new List<ImportError>();
            var caller = http.Caller();
            var today = clock.ChinaToday();
            var catalog = options.Value.Milestones.Catalog();
            var regionLevels = new Dictionary<string, RegionLevel?>();
            for (var i = 0; i < rows.Count; i++)
            {
                var (id, profile, row, plans) = rows[i];
                if (JsonBody.CheckId(id) is { } badId)
                {
                    problems.Add(new(row, "id", badId.Message));
                }
                if (!regionLevels.TryGetValue(profile.RegionId, out var level))
                {
                    level = regionLevels[profile.RegionId] = (await grains.GetGrain<IRegionGrain>(profile.RegionId).GetDefinitionAsync())?.Level;
                }
                // What will be stored is the row merged into the project it updates: check that, so nothing fails once storing has begun.
                var existing = JsonBody.CheckId(id) is null ? await grains.GetGrain<IProjectGrain>(id).GetAsync() : null;
                var merged = existing is null ? profile : Merge(profile, existing);
                foreach (var e in ProjectRules.Validate(merged, level, today, catalog))
                {
                    problems.Add(new(row, CsvImport.ColumnOf(e.Field), e.Message));
                }
                // The same check as PUT /api/projects/{id}/plans/{year}, against the profile the row will store.
                foreach (var plan in plans)
                {
                    foreach (var e in AnnualList.Validate(plan.Year, plan.Request, merged, today))
                    {
                        problems.Add(new(plan.Row, CsvImport.PlanColumnOf(e.Field), e.Message));
                    }
                }
                if (level is not null && JsonBody.CheckId(id) is null && await access.DenyProjectPlacementAsync(caller, id, profile.RegionId) is { } denied)
                {
                    refused.Add(new(row, "region_id", denied));
                }
            }
            if (refused.Count > 0)
            {
                // Every row is checked like a PUT: one row out of scope refuses the whole file, and nothing is stored.
                return ImportProblem(refused, StatusCodes.Status403Forbidden, "The file was not imported: some rows are outside your scope; no row was stored.");
            }
            if (problems.Count > 0)
            {
                return ImportProblem(problems.OrderBy(e => e.Row).ToList());
            }
            using var gate = new SemaphoreSlim(16);
            await Task.WhenAll(rows.Select(async r =>
            {
                await gate.WaitAsync();
                try
                {
                    var project = grains.GetGrain<IProjectGrain>(r.Id);
                    var merged = await project.GetAsync() is { } existing ? Merge(r.Profile, existing) : r.Profile;
                    var result = await project.UpsertAsync(merged);
                    Check(r.Id, result);
                    foreach (var plan in r.Plans.OrderBy(p => p.Year))
                    {
                        Check(r.Id, await project.SetPlanAsync(plan.Year, plan.Request, caller.Name));
                    }
                }
                finally
                {
                    gate.Release();
                }
            }));
            http.AuditDetail($"imported {rows.Count} projects and {rows.Sum(r => r.Plans.Count)} year plans");
            return Results.Ok(new { imported = rows.Count });
        }).Requires(Access.Manage, TargetKind.ProjectRows).DisableAntiforgery();
        return api;
    }

    /// <summary>Every row was checked before storing began, so a refusal here is a bug, not the sender's fault.</summary>
    private static void Check<T>(string id, ChangeResult<T> result) where T : class
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"{id}: {string.Join("; ", result.Errors.Select(e => e.Message))}");
        }
    }

    /// <summary>A sheet carries no milestone plan: an imported row keeps the milestones and dates a project already has.</summary>
    private static ProjectProfile Merge(ProjectProfile row, ProjectView existing) => row with
    {
        Industry = row.Industry ?? existing.Industry,
        TotalInvestment = row.TotalInvestment ?? existing.TotalInvestment,
        AnnualPlanInvestment = row.AnnualPlanInvestment ?? existing.AnnualPlanInvestment,
        PlannedStart = existing.PlannedStart,
        PlannedCompletion = existing.PlannedCompletion,
        Leader = row.Leader ?? existing.Leader,
        Steward = row.Steward ?? existing.Steward,
        Milestones = existing.Milestones,
        Company = row.Company ?? existing.Company,
    };

    private static IResult ImportProblem(IReadOnlyList<ImportError> errors, int status = StatusCodes.Status400BadRequest,
        string title = "The file was not imported; no row was stored.") => Results.Problem(
        title: title,
        detail: $"{errors.Count:N0} errors. " + string.Join(" ", errors.Take(20).Select(e => $"row {e.Row} {e.Column}: {e.Message}")),
        statusCode: status,
        extensions: new Dictionary<string, object?>
        {
            ["field"] = errors[0].Column,
            ["errors"] = errors.Take(Limits.MaxImportErrorsShown).Select(e => new { row = e.Row, column = e.Column, message = e.Message }).ToList(),
            ["errorCount"] = errors.Count,
        });

    /// <summary>
    /// The sheet, or the refusal: 413 for a file over <see cref="Limits.MaxImportBytes"/>, 400 naming <c>file</c> for one
    /// that cannot be read or lies beyond a limit of <see cref="Sheet"/>.
    /// </summary>
    private static async Task<(Sheet? Sheet, IResult? Problem)> ReadSheetAsync(HttpContext http)
    {
        var request = http.Request;
        ReadOnlyMemory<byte> bytes;
        string kind;
        if (request.HasFormContentType)
        {
            if (request.ContentLength > Limits.MaxImportBytes + FormOverhead)
            {
                return (null, TooLarge());
            }
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(new Microsoft.AspNetCore.Http.Features.FormOptions { MultipartBodyLengthLimit = Limits.MaxImportBytes + FormOverhead });
            }
            catch (Exception e) when (e is InvalidDataException or IOException && !http.RequestAborted.IsCancellationRequested)
            {
                // A malformed form (no boundary, a truncated part, a part beyond the form limits) is the sender's fault: 400, not 500.
                return (null, Unreadable($"The upload cannot be read as a form: {e.Message}"));
            }
            if (form.Files.Count == 0)
            {
                return (null, Unreadable("Send the file as form field 'file' (CSV or XLSX), or as the request body."));
            }
            var file = form.Files[0];
            if (file.Length > Limits.MaxImportBytes)
            {
                return (null, TooLarge());
            }
            var copy = new MemoryStream();
            await file.CopyToAsync(copy);
            bytes = copy.GetBuffer().AsMemory(0, (int)copy.Length);
            kind = file.FileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase) || file.ContentType == Xlsx ? "xlsx" : "csv";
        }
        else
        {
            var (body, tooLarge) = await JsonBody.ReadBoundedAsync(http, Limits.MaxImportBytes, "file");
            if (body is null)
            {
                return (null, tooLarge);
            }
            bytes = body.Value;
            kind = request.ContentType?.StartsWith(Xlsx, StringComparison.OrdinalIgnoreCase) == true ? "xlsx" : "csv";
        }
        var buffer = new MemoryStream(bytes.ToArray(), writable: false);
        try
        {
            return (kind == "xlsx" ? Sheet.FromXlsx(buffer) : Sheet.FromCsv(new StreamReader(buffer)), null);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or FormatException or CsvHelper.CsvHelperException
            or System.Xml.XmlException or InvalidOperationException)
        {
            return (null, Unreadable($"The file cannot be read as {kind.ToUpperInvariant()}: {e.Message}"));
        }
    }

    /// <summary>Room for the multipart boundaries and headers around a file of the largest size.</summary>
    private const int FormOverhead = 64 * 1024;

    private static IResult TooLarge() => Problems.TooLarge("file", $"The file is larger than {Limits.MaxImportBytes:N0} bytes; import at most {Limits.MaxImportRows:N0} rows at a time.");

    private static IResult Unreadable(string why) => ImportProblem([new ImportError(0, "file", why)]);
}
