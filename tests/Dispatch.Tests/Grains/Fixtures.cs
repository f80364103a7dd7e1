using Dispatch.Contracts;

namespace Dispatch.Tests.Grains;

/// <summary>Fresh regions and projects per test, so tests sharing one cluster never see each other's state.</summary>
public static class Fixtures
{
    public static async Task<(string Province, string City, string[] Districts)> DefineTreeAsync(IGrainFactory grains, int districts = 2)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var province = $"p-{suffix}";
        var city = $"{province}-city";
        Ok(await grains.GetGrain<IRegionGrain>(province).DefineAsync(new RegionDefinition("测试省", RegionLevel.Province, null)));
        Ok(await grains.GetGrain<IRegionGrain>(city).DefineAsync(new RegionDefinition("测试市", RegionLevel.City, province)));
        var ids = new string[districts];
        for (var i = 0; i < districts; i++)
        {
            ids[i] = $"{city}-d{i}";
            Ok(await grains.GetGrain<IRegionGrain>(ids[i]).DefineAsync(new RegionDefinition($"测试区{i}", RegionLevel.District, city)));
        }
        return (province, city, ids);
    }

    public static ProjectProfile Project(string regionId, params Milestone[] milestones) =>
        new("测试项目", regionId, ProjectKind.New, "装备制造", 20_000m, 6_000m, null, null, "王领导", "赵管家", milestones);

    public static T Ok<T>(ChangeResult<T> result) where T : class
    {
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => $"{e.Field}: {e.Message}")));
        return result.Value!;
    }
}
