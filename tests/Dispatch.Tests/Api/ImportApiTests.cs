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
}
