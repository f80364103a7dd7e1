using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dispatch.Contracts;
using Dispatch.Tests.Domain;

namespace Dispatch.Tests.Api;

/// <summary>Bounded input over HTTP, on the Liaoning sample: refused with problem+json naming the field, nothing changed.</summary>
public sealed class InputLimitsApiTests : IAsyncLifetime
{
    private const string District = "ln-anshan-haicheng";
    private SiloProcess _silo = null!;

    public async Task InitializeAsync() => _silo = await SiloProcess.StartAsync(sample: true);

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    private Task<HttpResponseMessage> Post(string path, string json) =>
        _silo.Http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<string> RefusedField(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(text);
        var field = body.RootElement.GetProperty("field").GetString()!;
        // The API's errors are by field; the importer's a list of {row, column, message}.
        Assert.Contains(body.RootElement.GetProperty("errors").ValueKind, new[] { JsonValueKind.Object, JsonValueKind.Array });
        return field;
    }

    private async Task<string> DistrictProjectsAsync() => await (await _silo.Http.GetAsync($"/api/regions/{District}/projects")).Content.ReadAsStringAsync();

    [Fact]
    public async Task Reports_of_5e28_on_two_projects_are_refused_and_the_district_city_and_province_stay_readable()
    {
        var projects = await _silo.GetAsync<List<ProjectView>>($"/api/regions/{District}/projects");
        Assert.True(projects.Count >= 2);
        foreach (var p in projects.Take(2))
        {
            var refused = await Post($"/api/projects/{p.Id}/reports", """{"period":"2024-03","investmentCompleted":5e28,"percentComplete":10}""");
            Assert.Equal("investmentCompleted", await RefusedField(refused));
            Assert.Empty((await _silo.GetAsync<ProjectView>($"/api/projects/{p.Id}")).Reports);
        }
        foreach (var region in new[] { District, "ln-anshan", "ln" })
        {
            Assert.Equal(HttpStatusCode.OK, (await _silo.Http.GetAsync($"/api/regions/{region}")).StatusCode);
        }

        // At the ceiling, on both: accepted, and the sums over district, city and province still answer.
        foreach (var p in projects.Take(2))
        {
            var accepted = await Post($"/api/projects/{p.Id}/reports", $$"""{"period":"2024-03","investmentCompleted":{{Limits.MaxAmount}},"percentComplete":10}""");
            Assert.True(accepted.IsSuccessStatusCode, await accepted.Content.ReadAsStringAsync());
        }
        foreach (var region in new[] { District, "ln-anshan", "ln" })
        {
            Assert.Equal(HttpStatusCode.OK, (await _silo.Http.GetAsync($"/api/regions/{region}?asOf=2024-03-31")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await _silo.Http.GetAsync($"/api/regions/{region}/children?asOf=2024-03-31")).StatusCode);
        }
    }

    [Theory]
    [InlineData("2099-06-01")]
    [InlineData("0001-01-01")]
    [InlineData("9999-12-31")]
    [InlineData("1999-12-31")]
    public async Task An_as_of_date_out_of_range_is_refused_everywhere_and_changes_nothing(string asOf)
    {
        var before = await DistrictProjectsAsync();
        Assert.Equal("asOf", await RefusedField(await _silo.Http.GetAsync($"/api/regions/{District}?asOf={asOf}")));
        Assert.Equal("asOf", await RefusedField(await _silo.Http.GetAsync($"/api/regions/ln/children?asOf={asOf}")));
        Assert.Equal("asOf", await RefusedField(await Post($"/api/regions/{District}/meetings", $$"""{"cadence":"weekly","asOf":"{{asOf}}"}""")));
        Assert.Equal(before, await DistrictProjectsAsync());
        Assert.Equal("[]", await (await _silo.Http.GetAsync($"/api/regions/{District}/meetings")).Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("9999-12")]
    [InlineData("2099-W52")]
    [InlineData("0001-01")]
    public async Task A_period_out_of_range_is_refused(string period)
    {
        var project = (await _silo.GetAsync<List<ProjectView>>($"/api/regions/{District}/projects"))[0];
        var refused = await Post($"/api/projects/{project.Id}/reports", $$"""{"period":"{{period}}","investmentCompleted":1,"percentComplete":1}""");
        Assert.Equal("period", await RefusedField(refused));
    }

    [Fact]
    public async Task Megabyte_strings_and_deep_json_are_refused()
    {
        var project = (await _silo.GetAsync<List<ProjectView>>($"/api/regions/{District}/projects"))[0];
        var before = await DistrictProjectsAsync();

        var underOneMegabyte = $$"""{"name":"{{new string('x', 1_000_000)}}","regionId":"{{District}}","kind":"new"}""";
        Assert.Equal("name", await RefusedField(await _silo.Http.PutAsync($"/api/projects/{project.Id}",
            new StringContent(underOneMegabyte, Encoding.UTF8, "application/json"))));

        var overOneMegabyte = $$"""{"period":"2024-03","investmentCompleted":1,"narrative":"{{new string('述', 1_000_000)}}"}""";
        Assert.Equal("body", await RefusedField(await Post($"/api/projects/{project.Id}/reports", overOneMegabyte), HttpStatusCode.RequestEntityTooLarge));

        var narrative = $$"""{"period":"2024-03","investmentCompleted":1,"narrative":"{{new string('述', Limits.MaxLongText + 1)}}"}""";
        Assert.Equal("narrative", await RefusedField(await Post($"/api/projects/{project.Id}/reports", narrative)));
        Assert.Equal("narrative", await RefusedField(await Post($"/api/projects/{project.Id}/reports",
            """{"period":"2024-03","investmentCompleted":1,"narrative":"bell\u0007"}""")));

        var deep = "{\"period\":\"2024-03\",\"investmentCompleted\":1,\"x\":" + new string('[', 33) + new string(']', 33) + "}";
        Assert.Equal("body", await RefusedField(await Post($"/api/projects/{project.Id}/reports", deep)));
        var veryDeep = new string('[', 500_000) + new string(']', 500_000);
        Assert.Equal("body", await RefusedField(await Post($"/api/projects/{project.Id}/reports", veryDeep)));

        Assert.Equal(before, await DistrictProjectsAsync());
    }

    [Fact]
    public async Task A_one_kilobyte_xlsx_with_a_row_numbered_two_billion_is_refused_within_seconds()
    {
        var bytes = Xlsx.WithRows("""<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c><c r="B1" t="inlineStr"><is><t>name</t></is></c><c r="C1" t="inlineStr"><is><t>region_id</t></is></c><c r="D1" t="inlineStr"><is><t>kind</t></is></c></row><row r="2000000000"><c r="A2000000000" t="inlineStr"><is><t>big-1</t></is></c><c r="B2000000000" t="inlineStr"><is><t>大项目</t></is></c><c r="C2000000000" t="inlineStr"><is><t>ln-anshan-haicheng</t></is></c><c r="D2000000000" t="inlineStr"><is><t>new</t></is></c></row>""");
        Assert.True(bytes.Length < 2048, $"the file is {bytes.Length} bytes");
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        form.Add(file, "file", "projects.xlsx");

        var started = Stopwatch.StartNew();
        var response = await _silo.Http.PostAsync("/api/import/projects", form);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"took {started.Elapsed}");
        Assert.Equal("file", await RefusedField(response));
        Assert.Contains("2,000,000,000", await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, (await _silo.Http.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _silo.Http.GetAsync("/api/projects/big-1")).StatusCode);
    }

    [Fact]
    public async Task Imports_are_bounded_in_bytes_and_rows_and_list_at_most_100_errors()
    {
        const string Header = "id,name,region_id,kind\n";
        var tooLarge = Header + new string('#', Limits.MaxImportBytes);
        Assert.Equal("file", await RefusedField(await _silo.Http.PostAsync("/api/import/projects",
            new StringContent(tooLarge, Encoding.UTF8, "text/csv")), HttpStatusCode.RequestEntityTooLarge));

        string Rows(int count, string kind) => Header + string.Concat(Enumerable.Range(1, count).Select(i => $"lim-{i},项目{i},{District},{kind}\n"));
        var tooMany = await _silo.Http.PostAsync("/api/import/projects", new StringContent(Rows(Limits.MaxImportRows + 1, "new"), Encoding.UTF8, "text/csv"));
        Assert.Equal("file", await RefusedField(tooMany));
        Assert.Contains("5,000", await tooMany.Content.ReadAsStringAsync());

        var allBad = await _silo.Http.PostAsync("/api/import/projects", new StringContent(Rows(Limits.MaxImportRows, "sideways"), Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.BadRequest, allBad.StatusCode);
        using var body = JsonDocument.Parse(await allBad.Content.ReadAsStringAsync());
        Assert.Equal(Limits.MaxImportErrorsShown, body.RootElement.GetProperty("errors").GetArrayLength());
        Assert.Equal(Limits.MaxImportRows, body.RootElement.GetProperty("errorCount").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await _silo.Http.GetAsync("/api/projects/lim-1")).StatusCode);
    }
}
