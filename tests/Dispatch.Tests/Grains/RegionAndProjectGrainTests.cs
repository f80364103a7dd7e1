using Dispatch.Contracts;
using Microsoft.Extensions.DependencyInjection;
using static Dispatch.Tests.Grains.Fixtures;

namespace Dispatch.Tests.Grains;

[Collection(ClusterCollection.Name)]
public sealed class RegionAndProjectGrainTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Client;

    [Fact]
    public async Task A_region_knows_its_parent_and_children()
    {
        var (province, city, districts) = await DefineTreeAsync(Grains, 3);
        var cityView = await Grains.GetGrain<IRegionGrain>(city).GetAsync(null);
        Assert.Equal(province, cityView!.ParentId);
        Assert.Equal(districts, cityView.Children);
        var children = await Grains.GetGrain<IRegionGrain>(city).GetChildrenAsync(null);
        Assert.Equal(districts, children.Select(c => c.Id));
        Assert.All(children, c => Assert.Equal(RegionLevel.District, c.Level));
    }

    [Fact]
    public async Task A_view_handed_to_a_caller_in_the_same_silo_does_not_change_with_the_project()
    {
        var (_, _, districts) = await DefineTreeAsync(Grains, 1);
        var id = $"{districts[0]}-view";
        Ok(await Grains.GetGrain<IProjectGrain>(id).UpsertAsync(Project(districts[0], new Milestone("开工", new(2024, 2, 27)))));
        Ok(await Grains.GetGrain<IProjectGrain>(id).ReportAsync(new ProgressReport("2024-02", 100m, 5m, [], null, default)));
        // The HTTP API calls from inside the silo: immutable views reach it as the grain built them, without a copy.
        var host = await Grains.GetGrain<IManagementGrain>(0).GetActivationAddress(Grains.GetGrain<IProjectGrain>(id));
        var local = fixture.Cluster.Silos.Single(s => s.SiloAddress.Equals(host)).ServiceProvider.GetRequiredService<IGrainFactory>();
        var view = (await local.GetGrain<IProjectGrain>(id).GetAsync())!;

        Ok(await local.GetGrain<IProjectGrain>(id).ReportAsync(new ProgressReport("2024-03", 300m, 10m, [], null, default)));
        Ok(await local.GetGrain<IProjectGrain>(id).AddProblemAsync(new ProblemRequest("用地指标", "用地", RegionLevel.District, new DateOnly(2024, 4, 1), null, "区长", null)));

        Assert.Equal(["2024-02"], view.Reports.Select(r => r.Period));
        Assert.Empty(view.Problems);
        Assert.Equal(2, (await local.GetGrain<IProjectGrain>(id).GetAsync())!.Reports.Count);
    }

    [Fact]
    public async Task A_district_under_a_district_is_refused_and_not_stored()
    {
        var (_, _, districts) = await DefineTreeAsync(Grains, 1);
        var id = $"{districts[0]}-sub";
        var result = await Grains.GetGrain<IRegionGrain>(id).DefineAsync(new RegionDefinition("子区", RegionLevel.District, districts[0]));
        Assert.Equal("parentId", Assert.Single(result.Errors).Field);
        Assert.Null(await Grains.GetGrain<IRegionGrain>(id).GetAsync(null));
        Assert.Empty(await Grains.GetGrain<IRegionGrain>(districts[0]).GetChildIdsAsync());
    }

    [Fact]
    public async Task Registering_a_project_adds_it_to_its_regions_roster_and_counts()
    {
        var (province, city, districts) = await DefineTreeAsync(Grains, 2);
        var id = $"{districts[0]}-proj";
        Ok(await Grains.GetGrain<IProjectGrain>(id).UpsertAsync(Project(districts[0])));
        Assert.Equal([id], await Grains.GetGrain<IRegionGrain>(districts[0]).GetProjectIdsAsync());
        Assert.Equal(1, (await Grains.GetGrain<IRegionGrain>(city).GetAsync(null))!.ProjectCount);
        Assert.Equal(1, (await Grains.GetGrain<IRegionGrain>(province).GetAsync(null))!.ProjectCount);

        Ok(await Grains.GetGrain<IProjectGrain>(id).UpsertAsync(Project(districts[1])));
        Assert.Empty(await Grains.GetGrain<IRegionGrain>(districts[0]).GetProjectIdsAsync());
        Assert.Equal([id], await Grains.GetGrain<IRegionGrain>(districts[1]).GetProjectIdsAsync());
        Assert.Equal(1, (await Grains.GetGrain<IRegionGrain>(province).GetAsync(null))!.ProjectCount);
    }

    [Fact]
    public async Task A_project_in_an_unknown_region_is_refused_and_not_stored()
    {
        var id = $"nowhere-{Guid.NewGuid():N}";
        var result = await Grains.GetGrain<IProjectGrain>(id).UpsertAsync(Project("no-such-region"));
        Assert.Equal("regionId", Assert.Single(result.Errors).Field);
        Assert.Null(await Grains.GetGrain<IProjectGrain>(id).GetAsync());
    }

    [Fact]
    public async Task A_report_marks_a_milestone_reached_and_the_region_counts_the_start()
    {
        var (_, city, districts) = await DefineTreeAsync(Grains, 1);
        var project = Grains.GetGrain<IProjectGrain>($"{districts[0]}-p1");
        Ok(await project.UpsertAsync(Project(districts[0], new Milestone("开工", new(2024, 3, 10)))));
        var before = await Grains.GetGrain<IRegionGrain>(city).GetAsync(new DateOnly(2024, 3, 18));
        Assert.Equal(0m, before!.Rates.StartRate);

        var view = Ok(await project.ReportAsync(new ProgressReport("2024-03", 1_500m, 8m, [new MilestoneReached("开工", new(2024, 3, 12))], "基础施工", default)));
        Assert.Equal(ProjectStage.Started, view.Stage);
        Assert.Equal(new DateOnly(2024, 3, 12), view.Milestones.Single().ActualDate);
        Assert.Equal(1_500m, view.InvestmentCompleted);
        var after = await Grains.GetGrain<IRegionGrain>(city).GetAsync(new DateOnly(2024, 3, 18));
        Assert.Equal(1m, after!.Rates.StartRate);
        Assert.Equal(0.25m, after.Rates.AnnualInvestmentRate);
    }

    [Fact]
    public async Task A_second_report_for_the_same_period_replaces_the_first()
    {
        var (_, _, districts) = await DefineTreeAsync(Grains, 1);
        var project = Grains.GetGrain<IProjectGrain>($"{districts[0]}-p2");
        Ok(await project.UpsertAsync(Project(districts[0])));
        Ok(await project.ReportAsync(new ProgressReport("2024-03", 100m, 1m, [], null, default)));
        var view = Ok(await project.ReportAsync(new ProgressReport("2024-03", 120m, 2m, [], "更正", default)));
        Assert.Equal("更正", Assert.Single(view.Reports).Narrative);
        Assert.Equal(120m, view.InvestmentCompleted);
    }

    [Fact]
    public async Task A_bad_report_changes_nothing()
    {
        var (_, _, districts) = await DefineTreeAsync(Grains, 1);
        var project = Grains.GetGrain<IProjectGrain>($"{districts[0]}-p3");
        Ok(await project.UpsertAsync(Project(districts[0], new Milestone("开工", new(2024, 3, 10)))));
        var result = await project.ReportAsync(new ProgressReport("2024-03", 100m, 1m, [new MilestoneReached("开工", new(2024, 4, 1))], null, default));
        Assert.Equal("milestonesReached[0].date", Assert.Single(result.Errors).Field);
        var view = await project.GetAsync();
        Assert.Empty(view!.Reports);
        Assert.Null(view.Milestones.Single().ActualDate);
    }
}
