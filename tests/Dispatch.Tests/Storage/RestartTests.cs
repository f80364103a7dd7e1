using System.Net.Http.Json;
using Dispatch.Contracts;
using Dispatch.Tests.Api;

namespace Dispatch.Tests.Storage;

/// <summary>State written through the real SQLite AdoNet provider survives a silo restart.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task A_project_and_its_report_survive_a_restart()
    {
        await using var silo = await SiloProcess.StartAsync(sample: true);
        var sample = await silo.GetAsync<ProjectView>("/api/projects/as-007");
        Assert.Equal("ln-anshan-haicheng", sample.RegionId);
        var project = new { name = "重启测试项目", regionId = "ln-anshan-haicheng", kind = "continuing", totalInvestment = 8000, annualPlanInvestment = 2000, milestones = new[] { new { name = "复工", plannedDate = "2024-03-01" } } };
        (await silo.Http.PutAsJsonAsync("/api/projects/restart-1", project)).EnsureSuccessStatusCode();
        (await silo.Http.PostAsJsonAsync("/api/projects/restart-1/reports", new { period = "2024-03", investmentCompleted = 650, percentComplete = 12, milestonesReached = new[] { new { name = "复工", date = "2024-03-05" } } })).EnsureSuccessStatusCode();

        await silo.RestartAsync();

        var after = await silo.GetAsync<ProjectView>("/api/projects/restart-1");
        Assert.Equal("重启测试项目", after.Name);
        Assert.Equal(650m, Assert.Single(after.Reports).InvestmentCompleted);
        Assert.Equal(new DateOnly(2024, 3, 5), after.Milestones.Single().ActualDate);
        var district = await silo.GetAsync<RegionView>("/api/regions/ln-anshan-haicheng");
        Assert.Contains(await silo.GetAsync<List<ProjectView>>("/api/regions/ln-anshan-haicheng/projects"), p => p.Id == "restart-1");
        Assert.True(district.ProjectCount >= 2);
        var cities = await silo.GetAsync<List<RegionView>>("/api/regions/ln/children");
        Assert.Equal(14, cities.Count);
        Assert.Equal(9, (await silo.GetAsync<List<RegionView>>("/api/regions/ln-anshan/children")).Count);
    }
}
