using System.Diagnostics;
using Dispatch.Contracts;

namespace Dispatch.Bench;

/// <summary>
/// Loads a synthetic country through the grains, as an import would: regions level by level (parents first), then
/// every project (profile, its reports in order, its problems) with a bounded number of projects in flight. Projects
/// go in a seeded shuffled order, so concurrent calls spread over districts as real reporters' do.
/// </summary>
public static class Loader
{
    public static async Task LoadAsync(BenchSilo silo, SyntheticCountry country, BenchOptions options, RunStats stats)
    {
        var grains = silo.Grains;
        var before = stats.Take();
        var started = Stopwatch.GetTimestamp();
        foreach (var level in new[] { RegionLevel.Province, RegionLevel.City, RegionLevel.District })
        {
            await Parallel.ForEachAsync(country.Regions.Where(r => r.Level == level), Parallelism(options.LoadConcurrency), async (r, _) =>
                Check(await grains.GetGrain<IRegionGrain>(r.Id).DefineAsync(new RegionDefinition(r.Name, r.Level, r.ParentId)), r.Id));
        }
        var regionsDone = Stopwatch.GetTimestamp();

        var order = country.Projects.ToArray();
        new Random(options.Seed).Shuffle(order);
        var calls = order.Sum(p => 1L + p.Reports.Count + p.Problems.Count);
        var progress = new ProgressMeter("load (grain calls)", calls);
        await Parallel.ForEachAsync(order, Parallelism(options.LoadConcurrency), async (p, _) =>
        {
            var project = grains.GetGrain<IProjectGrain>(p.Id);
            Check(await project.UpsertAsync(p.Profile), p.Id);
            progress.Add();
            foreach (var report in p.Reports)
            {
                Check(await project.ReportAsync(report), p.Id);
                progress.Add();
            }
            foreach (var problem in p.Problems)
            {
                Check(await project.AddProblemAsync(problem), p.Id);
                progress.Add();
            }
        });
        var after = stats.Take();
        var total = Stopwatch.GetElapsedTime(started);
        var projectsTime = Stopwatch.GetElapsedTime(regionsDone);
        var allCalls = calls + country.Regions.Count;
        Output.Result($"bench=load store={silo.Target.Store} projects={country.Projects.Count} districts={country.Districts.Count()} regions={country.Regions.Count} reports={country.ReportCount} problems={country.ProblemCount} grain_calls={allCalls} load_s={Output.Seconds(total)} regions_s={Output.Seconds(total - projectsTime)} calls_per_s={allCalls / total.TotalSeconds:0} projects_per_s={country.Projects.Count / total.TotalSeconds:0} {RunStats.Since(before, after)}");
    }

    public static ParallelOptions Parallelism(int degree) => new() { MaxDegreeOfParallelism = Math.Max(1, degree) };

    private static void Check<T>(ChangeResult<T> result, string id) where T : class
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"{id} refused: {string.Join("; ", result.Errors.Select(e => $"{e.Field}: {e.Message}"))}");
        }
    }
}
