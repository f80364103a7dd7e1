using System.Net;
using System.Net.Http.Json;
using Dispatch.Contracts;
using Dispatch.Grains.Domain;

namespace Dispatch.Tests.Api;

/// <summary>A city official looks for every red project under the city without walking districts.</summary>
public sealed class ProjectSearchApiTests : IAsyncLifetime
{
    private SiloProcess _silo = null!;

    public async Task InitializeAsync() => _silo = await SiloProcess.StartAsync(sample: true);

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task The_subtree_of_a_city_holds_every_project_of_its_districts_filtered_and_paged()
    {
        var overdue = TimeProvider.System.ChinaToday().AddDays(-20).ToString("yyyy-MM-dd");
        (await _silo.Http.PutAsJsonAsync("/api/projects/ps-red", new
        {
            name = "查找测试红灯项目", regionId = "ln-anshan-haicheng", kind = "new", leader = "李副市长", industry = "新材料",
            milestones = new[] { new { name = "开工", plannedDate = overdue } },
        })).EnsureSuccessStatusCode();
        // What the city's view counts (its districts' rosters plus its own), the search must find.
        var city = await _silo.GetAsync<RegionView>("/api/regions/ln-anshan");
        var all = await _silo.Http.GetAsync("/api/regions/ln-anshan/projects?scope=subtree");
        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        var projects = (await all.Content.ReadFromJsonAsync<List<ProjectView>>(SiloProcess.Json))!;
        Assert.Equal(city.ProjectCount, projects.Count);
        Assert.Equal($"{city.ProjectCount}", all.Headers.GetValues("X-Total-Count").Single());
        Assert.Contains(projects, p => p.Id == "ps-red");
        Assert.Empty(await _silo.GetAsync<List<ProjectView>>("/api/regions/ln-anshan/projects"));

        var red = await _silo.GetAsync<List<ProjectView>>("/api/regions/ln-anshan/projects?scope=subtree&light=red");
        Assert.Equal(projects.Count(p => p.Light == Light.Red), red.Count);
        Assert.All(red, p => Assert.Equal(Light.Red, p.Light));
        Assert.Equal(["ps-red"], (await _silo.GetAsync<List<ProjectView>>("/api/regions/ln-anshan/projects?scope=subtree&q=查找测试&leader=李副市长&industry=新材料")).Select(p => p.Id));

        var page2 = await _silo.Http.GetAsync("/api/regions/ln-anshan/projects?scope=subtree&pageSize=10&page=2");
        var second = (await page2.Content.ReadFromJsonAsync<List<ProjectView>>(SiloProcess.Json))!;
        Assert.Equal(projects.Skip(10).Take(10).Select(p => p.Id), second.Select(p => p.Id));
        Assert.Equal($"{city.ProjectCount}", page2.Headers.GetValues("X-Total-Count").Single());
    }

    [Theory]
    [InlineData("light=purple", "light")]
    [InlineData("scope=everything", "scope")]
    [InlineData("stage=1", "stage")]
    [InlineData("pageSize=100000", "pageSize")]
    [InlineData("page=0", "page")]
    public async Task A_bad_filter_is_a_400_naming_it(string query, string field)
    {
        var response = await _silo.Http.GetAsync($"/api/regions/ln-anshan/projects?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"\"field\":\"{field}\"", await response.Content.ReadAsStringAsync());
    }
}
