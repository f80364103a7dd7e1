using Dispatch.Contracts;
using Dispatch.Grains;
using Dispatch.Silo.Hosting;
using Dispatch.Silo.Import;

namespace Dispatch.Silo.Samples;

/// <summary>On an empty store, loads the Liaoning sample (real regions and projects from the sources); skip with --no-sample.</summary>
public sealed class SampleLoader(SiloSettings settings, IGrainFactory grains, ILogger<SampleLoader> logger) : IHostedService
{
    public static string SampleFolder => Path.Combine(AppContext.BaseDirectory, "samples");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!settings.LoadSample)
        {
            return;
        }
        var provinces = await grains.GetGrain<IRegionIndexGrain>(RegionIndexGrain.KeyOf(RegionLevel.Province)).ListAsync();
        if (provinces.Count > 0)
        {
            return;
        }
        var (regions, projects) = await LoadAsync(grains, SampleFolder);
        logger.LogInformation("Empty store: loaded the Liaoning sample, {Regions} regions and {Projects} projects (from {Folder})",
            regions, projects, SampleFolder);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public static async Task<(int Regions, int Projects)> LoadAsync(IGrainFactory grains, string folder)
    {
        using var regionText = File.OpenText(Path.Combine(folder, "liaoning-regions.csv"));
        var (regions, regionErrors) = CsvImport.ReadRegions(regionText);
        using var projectText = File.OpenText(Path.Combine(folder, "liaoning-projects.csv"));
        var (projects, projectErrors) = CsvImport.ReadProjects(projectText);
        if (regionErrors.Count + projectErrors.Count > 0)
        {
            throw new InvalidDataException("The sample data is malformed: " +
                string.Join("; ", regionErrors.Concat(projectErrors).Select(e => $"row {e.Row} {e.Column}: {e.Message}")));
        }
        // Parents before children: the file lists the province, then cities, then districts.
        foreach (var r in regions.OrderBy(r => r.Definition.Level))
        {
            Check(await grains.GetGrain<IRegionGrain>(r.Id).DefineAsync(r.Definition), r.Id);
        }
        foreach (var p in projects)
        {
            Check(await grains.GetGrain<IProjectGrain>(p.Id).UpsertAsync(p.Profile), p.Id);
        }
        return (regions.Count, projects.Count);
    }

    private static void Check<T>(ChangeResult<T> result, string id) where T : class
    {
        if (!result.Succeeded)
        {
            throw new InvalidDataException($"Sample '{id}' was refused: {string.Join("; ", result.Errors.Select(e => $"{e.Field}: {e.Message}"))}");
        }
    }
}
