using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dispatch.Contracts;

namespace Dispatch.Tests.Api;

/// <summary>The HTTP contract, driven through a real host on the embedded SQLite default.</summary>
public sealed class HttpApiTests : IAsyncLifetime
{
    private SiloProcess _silo = null!;

    public async Task InitializeAsync()
    {
        _silo = await SiloProcess.StartAsync();
        await Put("/api/regions/tp", new { name = "测试省", level = "province" });
        await Put("/api/regions/tp-city", new { name = "测试市", level = "city", parentId = "tp" });
        await Put("/api/regions/tp-city-d1", new { name = "测试区", level = "district", parentId = "tp-city" });
    }

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    private async Task<HttpResponseMessage> Put(string path, object body)
    {
        var response = await _silo.Http.PutAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"PUT {path}: {await response.Content.ReadAsStringAsync()}");
        return response;
    }

    private Task<HttpResponseMessage> PutRaw(string path, string json) =>
        _silo.Http.PutAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>A new project of a district as an office enters it, with its start and completion milestones.</summary>
    internal static object ValidProject(string region = "tp-city-d1") => new
    {
        name = "年产10万吨新材料项目",
        regionId = region,
        kind = "new",
        industry = "新材料",
        totalInvestment = 60000,
        annualPlanInvestment = 15000,
        plannedStart = "2024-04-01",
        plannedCompletion = "2025-12-31",
        leader = "张副市长",
        steward = "李管家",
        milestones = new[] { new { name = "开工", plannedDate = "2024-04-01" }, new { name = "竣工", plannedDate = "2025-12-31" } },
    };

    [Fact]
    public async Task Health_answers_200()
    {
        var response = await _silo.Http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Liveness_and_readiness_answer_without_a_token_and_ready_counts_the_districts_it_reached()
    {
        using var anonymous = _silo.Client(null);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live")).StatusCode);
        var ready = await anonymous.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        Assert.Equal("ready", body.RootElement.GetProperty("status").GetString());
        // The index grain answered through storage: it lists the districts this test's silo declared.
        Assert.True(body.RootElement.GetProperty("districts").GetInt32() >= 1);
    }

    [Fact]
    public async Task A_region_answers_with_its_counts_and_rates_in_the_contract_shape()
    {
        await Put("/api/projects/tp-p1", ValidProject());
        using var doc = JsonDocument.Parse(await _silo.Http.GetStringAsync("/api/regions/tp-city"));
        var root = doc.RootElement;
        Assert.Equal("tp-city", root.GetProperty("id").GetString());
        Assert.Equal("city", root.GetProperty("level").GetString());
        Assert.Equal("tp", root.GetProperty("parentId").GetString());
        Assert.Equal(1, root.GetProperty("projectCount").GetInt32());
        var lights = root.GetProperty("lights");
        Assert.Equal(1, lights.GetProperty("green").GetInt32() + lights.GetProperty("yellow").GetInt32() + lights.GetProperty("red").GetInt32());
        Assert.True(root.GetProperty("rates").TryGetProperty("startResumeRate", out _));
        var children = await _silo.GetAsync<List<RegionView>>("/api/regions/tp-city/children");
        Assert.Equal("tp-city-d1", Assert.Single(children).Id);
    }

    [Fact]
    public async Task A_project_round_trips_in_the_contract_shape()
    {
        await Put("/api/projects/tp-p2", ValidProject());
        using var doc = JsonDocument.Parse(await _silo.Http.GetStringAsync("/api/projects/tp-p2"));
        var root = doc.RootElement;
        Assert.Equal("tp-p2", root.GetProperty("id").GetString());
        Assert.Equal("tp-city-d1", root.GetProperty("regionId").GetString());
        Assert.Equal("new", root.GetProperty("kind").GetString());
        Assert.Equal(60000m, root.GetProperty("totalInvestment").GetDecimal());
        Assert.Equal("cityCoordinated", root.GetProperty("tier").GetString());
        Assert.Equal("2024-04-01", root.GetProperty("milestones")[0].GetProperty("plannedDate").GetString());
        Assert.True(root.TryGetProperty("light", out _));
        Assert.True(root.TryGetProperty("warnings", out _));
        Assert.True(root.TryGetProperty("stage", out _));
    }

    [Theory]
    [InlineData("regionId", """{"name":"x","regionId":"no-such-region","kind":"new","milestones":[]}""")]
    [InlineData("totalInvestment", """{"name":"x","regionId":"tp-city-d1","kind":"new","totalInvestment":-1}""")]
    [InlineData("plannedStart", """{"name":"x","regionId":"tp-city-d1","kind":"new","plannedStart":"2024-13-45"}""")]
    [InlineData("milestones[0].plannedDate", """{"name":"x","regionId":"tp-city-d1","kind":"new","milestones":[{"name":"开工","plannedDate":"April 1"}]}""")]
    [InlineData("kind", """{"name":"x","regionId":"tp-city-d1","kind":"sideways"}""")]
    [InlineData("kind", """{"name":"x","regionId":"tp-city-d1"}""")]
    [InlineData("body", """{"name":"x",""")]
    public async Task Bad_input_is_a_400_problem_naming_the_field_and_nothing_is_stored(string field, string json)
    {
        var id = $"bad-{Guid.NewGuid():N}"[..12];
        var response = await PutRaw($"/api/projects/{id}", json);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(field, problem.RootElement.GetProperty("field").GetString());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(HttpStatusCode.NotFound, (await _silo.Http.GetAsync($"/api/projects/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_bad_id_is_refused()
    {
        var response = await PutRaw("/api/projects/BAD%20ID", JsonSerializer.Serialize(ValidProject()));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var hex = await PutRaw("/api/projects/0123abc", JsonSerializer.Serialize(ValidProject()));
        Assert.Equal(HttpStatusCode.BadRequest, hex.StatusCode);
    }

    [Fact]
    public async Task A_report_is_accepted_and_a_bad_one_names_its_field()
    {
        await Put("/api/projects/tp-p3", ValidProject());
        var ok = await _silo.Http.PostAsJsonAsync("/api/projects/tp-p3/reports", new { period = "2024-03", investmentCompleted = 1200, percentComplete = 5, milestonesReached = Array.Empty<object>(), narrative = "场地平整" });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var bad = await _silo.Http.PostAsJsonAsync("/api/projects/tp-p3/reports", new { period = "2024-03", investmentCompleted = -5 });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var problem = JsonDocument.Parse(await bad.Content.ReadAsStringAsync());
        Assert.Equal("investmentCompleted", problem.RootElement.GetProperty("field").GetString());
        var project = await _silo.GetAsync<ProjectView>("/api/projects/tp-p3");
        Assert.Equal(1200m, Assert.Single(project.Reports).InvestmentCompleted);
        Assert.Equal(HttpStatusCode.NotFound, (await _silo.Http.PostAsJsonAsync("/api/projects/nope-x/reports", new { period = "2024-03", investmentCompleted = 1 })).StatusCode);
    }

    [Fact]
    public async Task A_malformed_as_of_date_is_a_400()
    {
        var response = await _silo.Http.GetAsync("/api/regions/tp?asOf=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("asOf", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_meeting_posted_twice_is_one_meeting_and_lists_the_overdue_project_with_its_reason()
    {
        await Put("/api/projects/tp-late", new { name = "逾期项目", regionId = "tp-city-d1", kind = "new", milestones = new[] { new { name = "开工", plannedDate = "2024-03-01" } } });
        var first = await _silo.Http.PostAsJsonAsync("/api/regions/tp-city-d1/meetings", new { cadence = "weekly", asOf = "2024-03-18" });
        var second = await _silo.Http.PostAsJsonAsync("/api/regions/tp-city-d1/meetings", new { cadence = "weekly", asOf = "2024-03-18" });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var a = (await first.Content.ReadFromJsonAsync<MeetingView>(SiloProcess.Json))!;
        var b = (await second.Content.ReadFromJsonAsync<MeetingView>(SiloProcess.Json))!;
        Assert.Equal(a.Id, b.Id);
        Assert.Equal("2024-W12", a.Period);
        var item = Assert.Single(a.Agenda!.Projects);
        Assert.Equal("tp-late", item.ProjectId);
        Assert.Contains("17 days overdue", Assert.Single(item.Reasons));
        var listed = await _silo.GetAsync<List<MeetingView>>("/api/regions/tp-city-d1/meetings?cadence=weekly");
        Assert.Equal(a.Id, Assert.Single(listed).Id);
        var city = (await (await _silo.Http.PostAsJsonAsync("/api/regions/tp-city/meetings", new { cadence = "monthly", asOf = "2024-03-18" })).Content.ReadFromJsonAsync<MeetingView>(SiloProcess.Json))!;
        Assert.Equal("tp-city-d1", Assert.Single(city.Agenda!.Ranking).RegionId);
    }

    [Theory]
    [InlineData("cadence", """{"cadence":"fortnightly","asOf":"2024-03-18"}""")]
    [InlineData("asOf", """{"cadence":"weekly","asOf":"18/03/2024"}""")]
    [InlineData("cadence", """{"asOf":"2024-03-18"}""")]
    public async Task A_bad_meeting_request_names_its_field_and_holds_nothing(string field, string json)
    {
        var response = await _silo.Http.PostAsync("/api/regions/tp-city-d1/meetings", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(field, problem.RootElement.GetProperty("field").GetString());
        Assert.Empty(await _silo.GetAsync<List<MeetingView>>("/api/regions/tp-city-d1/meetings"));
    }
}
