using System.Net.Http.Json;
using Dispatch.Contracts;
using Dispatch.Tests.Api;
using Microsoft.Extensions.DependencyInjection;

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

    [Fact]
    public async Task A_restart_wakes_no_region_nor_project_until_someone_asks()
    {
        await using var silo = await SiloProcess.StartAsync(sample: true);
        // A city with a time of its own: its trigger is in the job store, so the start has no need to read the settings.
        (await silo.Http.PutAsJsonAsync("/api/regions/ln-fushun/cadences", new { cadences = new[] { new { cadence = "weekly", level = "city", when = "0 0 15 ? * FRI" } } }))
            .EnsureSuccessStatusCode();

        await silo.RestartAsync();
        (await silo.Http.GetAsync("/health/ready")).EnsureSuccessStatusCode();
        // Anything the start set going in the background has had time to reach the grains.
        await Task.Delay(TimeSpan.FromSeconds(3));

        var statistics = await silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        var awake = statistics.Where(s => s.GrainType.Contains("ProjectGrain", StringComparison.Ordinal) || s.GrainType.Contains("RegionGrain", StringComparison.Ordinal))
            .Select(s => $"{s.GrainType}: {s.ActivationCount}").ToList();
        Assert.True(awake.Count == 0, $"awake after the start: {string.Join(", ", awake)}");
        var schedule = await silo.Http.GetStringAsync("/api/schedule");
        Assert.Contains("0 0 15 ? * FRI", schedule);
    }
}
