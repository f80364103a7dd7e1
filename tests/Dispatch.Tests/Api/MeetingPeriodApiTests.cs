using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dispatch.Contracts;
using Microsoft.Extensions.Time.Testing;

namespace Dispatch.Tests.Api;

/// <summary>
/// POST /api/regions/{id}/meetings on a real silo: reviews judge the period whose figures are due (reports by the 5th
/// of the next month), and a meeting held late counts only what the office knew on its as-of date.
/// </summary>
public sealed class MeetingPeriodApiTests
{
    private static readonly TimeSpan s_china = TimeSpan.FromHours(8);

    private static async Task DefineDistrictAsync(SiloProcess silo)
    {
        await Put(silo, "/api/regions/mp", new { name = "会议省", level = "province" });
        await Put(silo, "/api/regions/mp-c", new { name = "会议市", level = "city", parentId = "mp" });
        await Put(silo, "/api/regions/mp-c-d", new { name = "会议区", level = "district", parentId = "mp-c" });
    }

    private static async Task Put(SiloProcess silo, string path, object body)
    {
        var response = await silo.Http.PutAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"PUT {path}: {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<MeetingView> HoldAsync(SiloProcess silo, object body)
    {
        var response = await silo.Http.PostAsJsonAsync("/api/regions/mp-c-d/meetings", body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<MeetingView>(SiloProcess.Json))!;
    }

    [Fact]
    public async Task A_Q1_review_held_on_6_April_judges_Q1_and_a_period_not_due_or_not_its_cadence_is_refused_naming_period()
    {
        await using var silo = await SiloProcess.StartAsync(false, new FakeTimeProvider(new DateTimeOffset(2024, 4, 6, 10, 0, 0, s_china)));
        await DefineDistrictAsync(silo);

        var q1 = await HoldAsync(silo, new { cadence = "quarterly", asOf = "2024-04-06" });
        Assert.Equal(("mp-c-d/quarterly/2024-Q1", "2024-Q1", "2024-Q1"), (q1.Id, q1.Period, q1.Agenda!.Period));
        // The same period asked for by name is the meeting already held.
        var again = await HoldAsync(silo, new { cadence = "quarterly", asOf = "2024-04-06", period = "2024-Q1" });
        Assert.Equal((q1.Id, q1.HeldAt), (again.Id, again.HeldAt));
        // On 5 April Q1's reports may still come in: the review held that day judges Q4.
        Assert.Equal("2023-Q4", (await HoldAsync(silo, new { cadence = "quarterly", asOf = "2024-04-05" })).Agenda!.Period);
        Assert.Equal("2024-03", (await HoldAsync(silo, new { cadence = "monthly", asOf = "2024-04-06" })).Period);
        Assert.Equal("2024-02", (await HoldAsync(silo, new { cadence = "monthly", asOf = "2024-04-03" })).Period);

        foreach (var body in new[]
        {
            """{"cadence":"quarterly","asOf":"2024-04-05","period":"2024-Q1"}""",
            """{"cadence":"quarterly","asOf":"2024-04-06","period":"2024-Q2"}""",
            """{"cadence":"quarterly","asOf":"2024-04-06","period":"2024-03"}""",
            """{"cadence":"monthly","asOf":"2024-04-06","period":"2024-13"}""",
            """{"cadence":"monthly","asOf":"2024-04-06","period":"March"}""",
            """{"cadence":"weekly","asOf":"2024-04-06","period":"2024-W12"}""",
            """{"cadence":"monthly","asOf":"2024-04-06","period":"0001-01"}""",
        })
        {
            var response = await silo.Http.PostAsync("/api/regions/mp-c-d/meetings", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{body}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("period", problem.RootElement.GetProperty("field").GetString());
        }
        var held = await silo.GetAsync<List<MeetingView>>("/api/regions/mp-c-d/meetings");
        Assert.Equal(["2023-Q4", "2024-02", "2024-03", "2024-Q1"], held.Select(m => m.Period).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_monthly_meeting_held_late_counts_only_the_reports_received_by_its_as_of_date()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 3, 1, 10, 0, 0, s_china));
        await using var silo = await SiloProcess.StartAsync(false, clock);
        await DefineDistrictAsync(silo);
        // Two new projects on this year's list, 10,000 万 planned each: 甲 due to start on 1 March, 乙 on 1 May.
        foreach (var (id, name, start) in new[] { ("mp-jia", "甲项目", "2024-03-01"), ("mp-yi", "乙项目", "2024-05-01") })
        {
            await Put(silo, $"/api/projects/{id}", new
            {
                name, regionId = "mp-c-d", kind = "new", totalInvestment = 20000m, annualPlanInvestment = 10000m, plannedStart = start,
                milestones = new[] { new { name = "开工", plannedDate = start } },
            });
        }
        // 甲 started on 8 March, but says so only in its March report, filed on 3 April.
        clock.SetUtcNow(new DateTimeOffset(2024, 4, 3, 9, 0, 0, s_china));
        var report = await silo.Http.PostAsJsonAsync("/api/projects/mp-jia/reports", new
        {
            period = "2024-03", investmentCompleted = 1500m, percentComplete = 5,
            milestonesReached = new[] { new { name = "开工", date = "2024-03-08" } }, narrative = "3月8日开工",
        });
        Assert.True(report.IsSuccessStatusCode, await report.Content.ReadAsStringAsync());
        clock.SetUtcNow(new DateTimeOffset(2024, 4, 10, 9, 0, 0, s_china));

        // February's meeting, missed on the day and held now as of 10 March. The office knew then: 甲's 开工, planned for
        // 1 March, 9 days overdue (yellow; red only after 15 days); 乙 not yet due (green); neither started, 0 of 2;
        // nothing reported, 0 of 20,000 万.
        var late = await HoldAsync(silo, new { cadence = "monthly", asOf = "2024-03-10" });
        Assert.Equal(("mp-c-d/monthly/2024-02", "2024-02", new DateOnly(2024, 3, 10)), (late.Id, late.Agenda!.Period, late.AsOf));
        var item = Assert.Single(late.Agenda.Projects);
        Assert.Equal(("mp-jia", Light.Yellow), (item.ProjectId, item.Light));
        Assert.Contains("9 days overdue", Assert.Single(item.Reasons));
        Assert.Equal(new LightCounts(1, 1, 0), late.Agenda.Lights);
        Assert.Equal((0m, 0m, 0m), (late.Agenda.Rates.StartResumeRate, late.Agenda.Rates.StartRate, late.Agenda.Rates.AnnualInvestmentRate));
        Assert.Equal(2, late.Agenda.ProjectsReviewed);

        // The late meeting left the project as it is known today: started on 8 March, green.
        Assert.Equal(Light.Green, (await silo.GetAsync<ProjectView>("/api/projects/mp-jia")).Light);
        // March's meeting, held on time now that March's reports are due, counts the report: 1 of 2 started, 1,500 of
        // 20,000 万 (7.5 %), nobody on the agenda.
        var march = await HoldAsync(silo, new { cadence = "monthly", asOf = "2024-04-10" });
        Assert.Equal("2024-03", march.Agenda!.Period);
        Assert.Empty(march.Agenda.Projects);
        Assert.Equal(new LightCounts(2, 0, 0), march.Agenda.Lights);
        Assert.Equal((0.5m, 0.5m, 0.075m), (march.Agenda.Rates.StartResumeRate, march.Agenda.Rates.StartRate, march.Agenda.Rates.AnnualInvestmentRate));
    }
}
