using System.Collections.Concurrent;
using Dispatch.Contracts;
using Dispatch.Grains;
using Dispatch.Grains.Domain;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Dispatch.Tests.Grains;

/// <summary>
/// A refused or failed change leaves nothing behind: not in storage, not in the activation's memory, so the next
/// accepted write cannot store it. Failures come from a storage that fails the next write of a chosen grain.
/// </summary>
public sealed class FailedChangeTests : IAsyncLifetime
{
    private InProcessTestCluster _cluster = null!;
    private readonly FakeTimeProvider _clock = new(ClusterFixture.Start);

    private IGrainFactory Grains => _cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(FailingStorage.Inner, ob => ob.Configure<IServiceProvider>((o, sp) =>
                o.GrainStorageSerializer = ActivatorUtilities.CreateInstance<OrleansGrainStorageSerializer>(sp)));
            silo.Services.AddKeyedSingleton<IGrainStorage>(DispatchStorage.Name,
                (sp, _) => new FailingStorage(sp.GetRequiredKeyedService<IGrainStorage>(FailingStorage.Inner)));
            silo.UseInMemoryReminderService();
        });
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Services.AddSingleton<TimeProvider>(_clock);
            host.Services.AddSingleton(WorkingCalendar.AroundTheClock);
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    /// <summary>Deactivates every idle activation, so the next call reads what storage holds.</summary>
    private async Task ReloadFromStorageAsync() =>
        await Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

    private static ProgressReport Report(string period, decimal completed) => new(period, completed, 10m, [], null, default);

    [Fact]
    public async Task A_report_whose_write_fails_is_kept_neither_in_memory_nor_by_the_next_report()
    {
        var (_, _, districts) = await Fixtures.DefineTreeAsync(Grains, 1);
        var id = $"fail-{Guid.NewGuid():N}"[..16];
        var project = Grains.GetGrain<IProjectGrain>(id);
        Fixtures.Ok(await project.UpsertAsync(Fixtures.Project(districts[0], new Milestone("开工", new(2024, 4, 1)))));
        Fixtures.Ok(await project.ReportAsync(Report("2024-01", 100m)));

        FailingStorage.FailNextWrite(id);
        await Assert.ThrowsAnyAsync<Exception>(() => project.ReportAsync(Report("2024-02", 999m)));
        Assert.Equal(["2024-01"], (await project.GetAsync())!.Reports.Select(r => r.Period));

        var refused = await project.ReportAsync(Report("2024-03", 5e28m));
        Assert.Equal("investmentCompleted", Assert.Single(refused.Errors).Field);

        Fixtures.Ok(await project.ReportAsync(Report("2024-03", 300m)));
        await ReloadFromStorageAsync();
        var stored = (await project.GetAsync())!;
        Assert.Equal([("2024-01", 100m), ("2024-03", 300m)], stored.Reports.Select(r => (r.Period, r.InvestmentCompleted)));
        Assert.Equal(300m, stored.InvestmentCompleted);
    }

    [Fact]
    public async Task A_problem_or_close_out_whose_write_fails_is_not_stored_by_the_next_change()
    {
        var (_, _, districts) = await Fixtures.DefineTreeAsync(Grains, 1);
        var id = $"fail-{Guid.NewGuid():N}"[..16];
        var project = Grains.GetGrain<IProjectGrain>(id);
        Fixtures.Ok(await project.UpsertAsync(Fixtures.Project(districts[0], new Milestone("开工", new(2024, 4, 1)))));

        FailingStorage.FailNextWrite(id);
        await Assert.ThrowsAnyAsync<Exception>(() => project.AddProblemAsync(new ProblemRequest("未存的问题", "用地", RegionLevel.District, new(2024, 6, 30))));
        Assert.Empty((await project.GetAsync())!.Problems);

        Fixtures.Ok(await project.AddProblemAsync(new ProblemRequest("存下的问题", "融资", RegionLevel.District, new(2024, 6, 30))));
        await ReloadFromStorageAsync();
        var problem = Assert.Single((await project.GetAsync())!.Problems);
        Assert.Equal(("存下的问题", $"{id}.q1"), (problem.Title, problem.Id));
    }

    [Fact]
    public async Task A_decision_whose_write_fails_is_not_stored_with_the_next_one()
    {
        var (_, _, districts) = await Fixtures.DefineTreeAsync(Grains, 1);
        var asOf = new DateOnly(2024, 3, 18);
        var meeting = Fixtures.Ok(await Grains.GetGrain<IRegionGrain>(districts[0]).RunMeetingAsync(Cadence.Weekly, asOf));
        var minutes = Grains.GetGrain<IMeetingGrain>(meeting.Id);

        FailingStorage.FailNextWrite(meeting.Id);
        await Assert.ThrowsAnyAsync<Exception>(() => minutes.DecideAsync(new DecisionRequest("未存的决定", "王科长")));
        Assert.Empty((await minutes.GetAsync())!.Decisions);

        Fixtures.Ok(await minutes.DecideAsync(new DecisionRequest("存下的决定", "王科长")));
        await ReloadFromStorageAsync();
        var decision = Assert.Single((await minutes.GetAsync())!.Decisions);
        Assert.Equal((1, "存下的决定"), (decision.Number, decision.Text));
    }

    [Fact]
    public async Task A_region_definition_whose_write_fails_is_not_kept()
    {
        var (province, _, _) = await Fixtures.DefineTreeAsync(Grains, 1);
        var region = Grains.GetGrain<IRegionGrain>(province);

        FailingStorage.FailNextWrite(province);
        await Assert.ThrowsAnyAsync<Exception>(() => region.DefineAsync(new RegionDefinition("改名失败", RegionLevel.Province, null)));
        Assert.Equal("测试省", (await region.GetDefinitionAsync())!.Name);

        Fixtures.Ok(await region.DefineAsync(new RegionDefinition("测试省", RegionLevel.Province, null, "210000")));
        await ReloadFromStorageAsync();
        Assert.Equal(new RegionDefinition("测试省", RegionLevel.Province, null, "210000"), await region.GetDefinitionAsync());
    }

    [Fact]
    public async Task Grains_refuse_as_of_dates_outside_2000_to_today()
    {
        var (province, _, districts) = await Fixtures.DefineTreeAsync(Grains, 1);
        var today = new DateOnly(2024, 3, 18);
        var district = Grains.GetGrain<IRegionGrain>(districts[0]);
        foreach (var asOf in new[] { today.AddDays(1), new DateOnly(2099, 6, 1), new DateOnly(1999, 12, 31), DateOnly.MinValue, DateOnly.MaxValue })
        {
            var refused = await district.RunMeetingAsync(Cadence.Weekly, asOf);
            Assert.Equal("asOf", Assert.Single(refused.Errors).Field);
            Assert.Null(await district.GetAsync(asOf));
            Assert.Empty(await Grains.GetGrain<IRegionGrain>(province).GetChildrenAsync(asOf));
        }
        Assert.Empty(await district.GetMeetingsAsync(null, null));
        Assert.NotNull(await district.GetAsync(today));
        Assert.NotNull(await district.GetAsync(new DateOnly(2000, 1, 1)));
    }
}

/// <summary>Grain storage that fails the next write of the grains a test names, and otherwise passes to memory storage.</summary>
public sealed class FailingStorage(IGrainStorage inner) : IGrainStorage
{
    public const string Inner = "inner";

    private static readonly ConcurrentDictionary<string, bool> s_failNext = new();

    public static void FailNextWrite(string key) => s_failNext[key] = true;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        s_failNext.TryRemove(grainId.Key.ToString()!, out _)
            ? throw new IOException($"Injected failure writing {grainId}.")
            : inner.WriteStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}
