using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dispatch.Contracts;
using MiniExcelLibs;

namespace Dispatch.Tests.Api;

/// <summary>POST /api/import/projects: all rows or none, errors by row and column.</summary>
public sealed class ImportApiTests : IAsyncLifetime
{
    private SiloProcess _silo = null!;

    public async Task InitializeAsync() => _silo = await SiloProcess.StartAsync(sample: true);

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    private Task<HttpResponseMessage> PostCsv(string csv) =>
        _silo.Http.PostAsync("/api/import/projects", new StringContent(csv, Encoding.UTF8, "text/csv"));

    [Fact]
    public async Task A_good_csv_imports_every_row()
    {
        var response = await PostCsv("""
            id,name,region_id,kind,total_investment_wan,stage
            imp-001,导入项目一,ln-anshan-haicheng,new,60000,signed
            imp-002,"导入项目二, 含逗号",ln-panjin-liaobin,continuing,,
            """);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(2, body.RootElement.GetProperty("imported").GetInt32());
        var second = await _silo.GetAsync<ProjectView>("/api/projects/imp-002");
        Assert.Equal(("导入项目二, 含逗号", ProjectKind.Continuing), (second.Name, second.Kind));
        Assert.Equal(ProjectStage.Signed, (await _silo.GetAsync<ProjectView>("/api/projects/imp-001")).Stage);
    }

    [Fact]
    public async Task A_malformed_csv_imports_no_row_and_names_each_row_and_column()
    {
        var response = await PostCsv("""
            id,name,region_id,kind,total_investment_wan
            bad-001,好的一行,ln-anshan-haicheng,new,100
            bad-002,未知区域,ln-nowhere,new,100
            bad-003,负数,ln-anshan-haicheng,new,-5
            bad-004,,ln-anshan-haicheng,sideways,abc
            """);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = body.RootElement.GetProperty("errors").EnumerateArray()
            .Select(e => $"{e.GetProperty("row").GetInt32()}:{e.GetProperty("column").GetString()}").Order().ToList();
        Assert.Equal(["2:region_id", "3:total_investment_wan", "4:kind", "4:name", "4:total_investment_wan"], errors);
        Assert.Equal(HttpStatusCode.NotFound, (await _silo.Http.GetAsync("/api/projects/bad-001")).StatusCode);
    }

    [Fact]
    public async Task A_missing_column_or_an_empty_file_is_refused()
    {
        var missing = await PostCsv("id,name,kind\nx-1,名称,new\n");
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("region_id", await missing.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await PostCsv("")).StatusCode);
    }

    [Fact]
    public async Task An_xlsx_upload_imports_like_a_csv()
    {
        using var xlsx = new MemoryStream();
        xlsx.SaveAs(new[]
        {
            new Dictionary<string, object> { ["id"] = "xl-001", ["name"] = "表格项目", ["region_id"] = "ln-dandong-border", ["kind"] = "新建", ["total_investment_wan"] = 12000 },
        });
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(xlsx.ToArray());
        file.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        form.Add(file, "file", "projects.xlsx");
        var response = await _silo.Http.PostAsync("/api/import/projects", form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var project = await _silo.GetAsync<ProjectView>("/api/projects/xl-001");
        Assert.Equal((12000m, ProjectTier.CountyCoordinated), (project.TotalInvestment, project.Tier));
    }

    [Fact]
    public async Task Plan_rows_put_each_year_of_a_project_and_a_withdrawal_through_the_plan_route_rules()
    {
        var response = await PostCsv("""
            id,name,region_id,kind,total_investment_wan,plan_year,plan_kind,plan_investment_wan,plan_start,plan_actual_start,plan_funds_in_place_wan,plan_key_project,plan_withdrawn,plan_withdrawn_reason
            plan-001,两年计划项目,ln-anshan-haicheng,new,80000,2025,新开工,20000,2025-04-01,2025-04-10,15000,是,,
            plan-001,,,,,2026,续建,30000,2026-03-15,,12000,,,
            plan-002,退库项目,ln-anshan-haicheng,new,6000,2026,new,3000,,,,,yes,用地未落实
            """);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(2, body.RootElement.GetProperty("imported").GetInt32());

        var plans = (await _silo.GetAsync<ProjectView>("/api/projects/plan-001")).Plans!.ToDictionary(p => p.Year);
        var first = plans[2025];
        Assert.Equal((ProjectKind.New, PlanListing.Listed, 20000m, new DateOnly(2025, 4, 1), new DateOnly(2025, 4, 10), 15000m, true, PlanOrigin.Declared),
            (first.Kind, first.Listing, first.PlannedInvestment, first.PlannedStart, first.ActualStart, first.FundsInPlace, first.KeyProject, first.Origin));
        var second = plans[2026];
        Assert.Equal((ProjectKind.Continuing, PlanListing.Listed, 30000m, new DateOnly(2026, 3, 15), 12000m),
            (second.Kind, second.Listing, second.PlannedInvestment, second.PlannedStart, second.FundsInPlace));

        var withdrawn = (await _silo.GetAsync<ProjectView>("/api/projects/plan-002")).Plans!.Single(p => p.Year == 2026);
        Assert.Equal((PlanListing.Withdrawn, "用地未落实", 3000m), (withdrawn.Listing, withdrawn.WithdrawnReason, withdrawn.PlannedInvestment));
        Assert.False(string.IsNullOrEmpty(withdrawn.WithdrawnBy));
    }

    [Fact]
    public async Task A_bad_plan_value_names_its_row_and_column_and_stores_nothing()
    {
        var response = await PostCsv("""
            id,name,region_id,kind,total_investment_wan,plan_year,plan_investment_wan,plan_start,plan_withdrawn,plan_withdrawn_reason
            badplan-001,好的项目,ln-anshan-haicheng,new,60000,2025,10000,2025-05-01,,
            badplan-001,,,,,2026,70000,2025-06-01,,
            badplan-002,退库无原因,ln-anshan-haicheng,new,6000,2026,,,maybe,
            badplan-003,退库无原因二,ln-anshan-haicheng,new,6000,2026,,,yes,
            badplan-003,,,,,,,,,
            """);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = body.RootElement.GetProperty("errors").EnumerateArray()
            .Select(e => $"{e.GetProperty("row").GetInt32()}:{e.GetProperty("column").GetString()}").Order().ToList();
        Assert.Equal(["2:plan_investment_wan", "2:plan_start", "3:plan_withdrawn", "4:plan_withdrawn_reason", "5:id"], errors);
        Assert.Contains("row 2 plan_start", body.RootElement.GetProperty("detail").GetString());
        foreach (var id in new[] { "badplan-001", "badplan-002", "badplan-003" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await _silo.Http.GetAsync($"/api/projects/{id}")).StatusCode);
        }
    }
}
