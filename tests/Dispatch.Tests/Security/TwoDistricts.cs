using System.Net.Http.Json;
using Dispatch.Contracts;
using Dispatch.Grains.Domain;
using Dispatch.Tests.Api;

namespace Dispatch.Tests.Security;

/// <summary>
/// The targets the route-wide security tests aim at, one in a caller's scope (海城市) and one outside it (辽滨): a
/// project each with an overdue milestone (so a warning), a problem and a weekly meeting.
/// </summary>
public sealed record TwoDistricts((string In, string Out) Projects, (string In, string Out) Warnings, (string In, string Out) Problems,
    (string In, string Out) Meetings)
{
    public const string Haicheng = "ln-anshan-haicheng";
    public const string Panjin = "ln-panjin-liaobin";

    public static async Task<TwoDistricts> CreateAsync(SiloProcess silo, string prefix, string namePrefix)
    {
        var today = TimeProvider.System.ChinaToday();
        var overdue = today.AddDays(-20).ToString("yyyy-MM-dd");
        var (inside, outside) = ($"{prefix}-hc", $"{prefix}-pj");
        foreach (var (id, region) in new[] { (inside, Haicheng), (outside, Panjin) })
        {
            (await silo.Http.PutAsJsonAsync($"/api/projects/{id}", new
            {
                name = $"{namePrefix}{id}", regionId = region, kind = "new", milestones = new[] { new { name = "开工", plannedDate = overdue } },
            })).EnsureSuccessStatusCode();
            (await silo.Http.PostAsJsonAsync($"/api/projects/{id}/problems", new
            {
                title = "用地指标", category = "用地", ownerLevel = "district", deadline = today.AddDays(30).ToString("yyyy-MM-dd"),
            })).EnsureSuccessStatusCode();
            (await silo.Http.PostAsJsonAsync($"/api/regions/{region}/meetings", new { cadence = "weekly" })).EnsureSuccessStatusCode();
        }
        var hc = await silo.GetAsync<ProjectView>($"/api/projects/{inside}");
        var pj = await silo.GetAsync<ProjectView>($"/api/projects/{outside}");
        var week = (await silo.GetAsync<List<MeetingView>>($"/api/regions/{Haicheng}/meetings")).Single().Period;
        return new TwoDistricts((inside, outside), (hc.Warnings.First().Id, pj.Warnings.First().Id), (hc.Problems.Single().Id, pj.Problems.Single().Id),
            ($"{Haicheng}/weekly/{week}", $"{Panjin}/weekly/{week}"));
    }
}
