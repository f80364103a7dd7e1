using System.Net;
using System.Net.Http.Json;
using Dispatch.Contracts;
using Microsoft.Extensions.Time.Testing;

namespace Dispatch.Tests.Api;

/// <summary>
/// The to-do list (待办) at <c>GET /api/me/todo</c> on a real silo with a fake clock, read with the tokens of the people
/// whose list it is: a district official, the city's official above them, the project unit, a viewer and an operator.
/// The week after Qingming 2024: Monday 8 April, 10:00, then Friday 12 April.
/// </summary>
public sealed class TodoApiTests
{
    private const string Province = "td";
    private const string City = "td-c";
    private const string District = "td-c-a";
    private const string Project = "td-1";
    private static readonly TimeSpan s_china = TimeSpan.FromHours(8);

    private static async Task Send(HttpClient client, HttpMethod method, string path, object body)
    {
        var response = await client.SendAsync(new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) });
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<ProblemView> RaiseAsync(HttpClient client, string title)
    {
        var response = await client.PostAsJsonAsync($"/api/projects/{Project}/problems", new { title, category = "用地", ownerLevel = "district", deadline = "2024-04-30" });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ProblemView>(SiloProcess.Json))!;
    }

    private static async Task<TodoList> TodoAsync(HttpClient client, string query = "")
    {
        var response = await client.GetAsync($"/api/me/todo{query}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"todo: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<TodoList>(SiloProcess.Json))!;
    }

    private static (string, TodoKind, DateOnly?, bool)[] Lines(TodoGroup group) =>
        group.Items.Select(i => (i.ProblemId ?? i.WarningId ?? $"#{i.DecisionNumber}", i.Kind, i.DueOn, i.Overdue)).ToArray();

    [Fact]
    public async Task Each_official_sees_what_waits_on_their_region_and_below_the_project_unit_its_overdue_report_most_urgent_first()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 4, 8, 10, 0, 0, s_china));
        await using var silo = await SiloProcess.StartAsync(false, clock, "--Dispatch:RateLimits:PerToken=0");
        await Send(silo.Http, HttpMethod.Put, $"/api/regions/{Province}", new { name = "待办省", level = "province" });
        await Send(silo.Http, HttpMethod.Put, $"/api/regions/{City}", new { name = "待办市", level = "city", parentId = Province });
        await Send(silo.Http, HttpMethod.Put, $"/api/regions/{District}", new { name = "待办区", level = "district", parentId = City });
        await Send(silo.Http, HttpMethod.Put, "/api/regions/td-c-b", new { name = "邻区", level = "district", parentId = City });
        // Started on 1 March and nothing reported for March, which was due by 5 April (每月5日前报上月).
        await Send(silo.Http, HttpMethod.Put, $"/api/projects/{Project}", new
        {
            name = "待办项目", regionId = District, kind = "new",
            milestones = new object[] { new { name = "开工", plannedDate = "2024-03-01", actualDate = "2024-03-01" }, new { name = "竣工", plannedDate = "2025-12-31" } },
        });
        using var district = silo.Client(await silo.IssueTokenAsync(new { role = "official", regionId = District, name = "待办区科长" }));
        using var city = silo.Client(await silo.IssueTokenAsync(new { role = "official", regionId = City, name = "待办市处长" }));
        using var reporter = silo.Client(await silo.IssueTokenAsync(new { role = "reporter", projectIds = new[] { Project }, name = "项目单位" }));
        using var viewer = silo.Client(await silo.IssueTokenAsync(new { role = "viewer", name = "督查室" }));

        // The district's weekly dispatch finds the missing report; its warning waits for the district to acknowledge
        // it within one working day: Tuesday 10:00.
        await Send(district, HttpMethod.Post, $"/api/regions/{District}/meetings", new { cadence = "weekly", asOf = "2024-04-08" });
        var noReport = Assert.Single(await silo.GetAsync<List<WarningView>>($"/api/regions/{District}/warnings?status=open"));
        Assert.Equal((WarningRule.NoProgressReport, "2024-03"), (noReport.Rule, noReport.Subject));

        // Three problems: one raised by the project unit (to accept today, 事不过夜), one reported solved (the district
        // verifies it within five working days: 15 April), one the city flagged and so verifies itself.
        var toAccept = await RaiseAsync(reporter, "用地指标不足");
        var toVerify = await RaiseAsync(district, "供电接入");
        var flagged = await RaiseAsync(district, "环评批复");
        foreach (var p in new[] { toVerify, flagged })
        {
            await Send(district, HttpMethod.Post, $"/api/problems/{p.Id}/accept", new { responsibleOffice = "区发改局", leader = "王副区长", deadline = "2024-04-30" });
        }
        await Send(city, HttpMethod.Post, $"/api/problems/{flagged.Id}/flag", new { grade = "redCard", deadline = "2024-04-20", supervisingOfficial = "李副市长" });
        foreach (var p in new[] { toVerify, flagged })
        {
            await Send(district, HttpMethod.Post, $"/api/problems/{p.Id}/report-solved", new { note = "已解决" });
        }

        // The city's March meeting assigns decisions: to the district by Friday, to the district by month's end (not
        // yet a week away), and to the city itself by Wednesday.
        var meeting = $"{City}/monthly/2024-03";
        await Send(city, HttpMethod.Post, $"/api/regions/{City}/meetings", new { cadence = "monthly", asOf = "2024-04-08" });
        await Send(city, HttpMethod.Post, $"/api/meetings/{meeting}/decisions", new { text = "协调供电接入", ownerRegionId = District, deadline = "2024-04-12" });
        await Send(city, HttpMethod.Post, $"/api/meetings/{meeting}/decisions", new { text = "完成土地组卷", ownerRegionId = District, deadline = "2024-04-30" });
        await Send(city, HttpMethod.Post, $"/api/meetings/{meeting}/decisions", new { text = "市级专班督导", deadline = "2024-04-10" });

        var mine = await TodoAsync(district);
        Assert.Equal(("待办区科长", Role.Official, District, new DateOnly(2024, 4, 8)), (mine.Name, mine.Role, mine.RegionId, mine.Today));
        var ack = Assert.Single(mine.Warnings.Items);
        Assert.Equal((noReport.Id, TodoKind.Acknowledge, Project, new DateTimeOffset(2024, 4, 9, 10, 0, 0, s_china), false),
            (ack.WarningId, ack.Kind, ack.ProjectId, ack.DueAt!.Value, ack.Overdue));
        Assert.Equal([(toAccept.Id, TodoKind.Accept, new DateOnly(2024, 4, 8), false), (toVerify.Id, TodoKind.Verify, new DateOnly(2024, 4, 15), false)],
            Lines(mine.Problems));
        Assert.Equal([("#1", TodoKind.Decision, new DateOnly(2024, 4, 12), false)], Lines(mine.Decisions));
        Assert.Equal(meeting, mine.Decisions.Items[0].MeetingId);
        Assert.Equal([(noReport.Id, TodoKind.Report, new DateOnly(2024, 4, 5), true)], Lines(mine.Reports));
        Assert.Equal((1, 2, 1, 1), (mine.Warnings.Total, mine.Problems.Total, mine.Decisions.Total, mine.Reports.Total));

        // The city acts for its district too, and verifies what it flagged; its own decision is due first.
        var theirs = await TodoAsync(city);
        Assert.Equal([noReport.Id], theirs.Warnings.Items.Select(i => i.WarningId));
        Assert.Equal([(toAccept.Id, TodoKind.Accept, new DateOnly(2024, 4, 8), false), (toVerify.Id, TodoKind.Verify, new DateOnly(2024, 4, 15), false),
            (flagged.Id, TodoKind.Verify, new DateOnly(2024, 4, 15), false)], Lines(theirs.Problems));
        Assert.Equal([District, District, City], theirs.Problems.Items.Select(i => i.RegionId));
        Assert.Equal(["#3", "#1"], theirs.Decisions.Items.Select(i => $"#{i.DecisionNumber}"));
        Assert.Equal([Project], theirs.Reports.Items.Select(i => i.ProjectId));

        // The project unit reports; it accepts nothing, so its list is its overdue report alone.
        var unit = await TodoAsync(reporter);
        Assert.Equal((0, 0, 0), (unit.Warnings.Total, unit.Problems.Total, unit.Decisions.Total));
        Assert.Equal([(noReport.Id, TodoKind.Report, new DateOnly(2024, 4, 5), true)], Lines(unit.Reports));

        // Acknowledged, the warning leaves the district's list; the report is still owed. Sent back by the city, the
        // flagged problem is the district's to answer, with the city's reason.
        await Send(district, HttpMethod.Post, $"/api/warnings/{noReport.Id}/ack", new { measure = "督促项目单位补报" });
        await Send(city, HttpMethod.Post, $"/api/problems/{flagged.Id}/reject", new { reason = "现场核查未通电" });
        clock.SetUtcNow(new DateTimeOffset(2024, 4, 12, 10, 0, 0, s_china));
        mine = await TodoAsync(district);
        Assert.Empty(mine.Warnings.Items);
        Assert.Equal([(toAccept.Id, TodoKind.Accept, new DateOnly(2024, 4, 8), true), (toVerify.Id, TodoKind.Verify, new DateOnly(2024, 4, 15), false),
            (flagged.Id, TodoKind.Reply, new DateOnly(2024, 4, 20), false)], Lines(mine.Problems));
        Assert.Equal("现场核查未通电", mine.Problems.Items[2].Detail);
        Assert.Equal((3, 1), (mine.Problems.Total, mine.Problems.Overdue));
        Assert.Equal([(noReport.Id, TodoKind.Report, new DateOnly(2024, 4, 5), true)], Lines(mine.Reports));
        theirs = await TodoAsync(city);
        Assert.Equal([("#3", TodoKind.Decision, new DateOnly(2024, 4, 10), true), ("#1", TodoKind.Decision, new DateOnly(2024, 4, 12), false)], Lines(theirs.Decisions));
        Assert.DoesNotContain(flagged.Id, theirs.Problems.Items.Where(i => i.Kind == TodoKind.Verify).Select(i => i.ProblemId));
        // The decision overdue in the city's inbox is listed as the decision, not as a warning to acknowledge.
        Assert.Empty(theirs.Warnings.Items);

        // An operator names the region; a viewer acts on nothing; nobody reads a list above their own region.
        var operatorWithout = await TodoAsync(silo.Http);
        Assert.Equal((Role.Operator, 0), (operatorWithout.Role, operatorWithout.Problems.Total + operatorWithout.Decisions.Total));
        Assert.Contains("regionId", operatorWithout.Note);
        var asCity = await TodoAsync(silo.Http, $"?regionId={City}");
        Assert.Equal(Lines(theirs.Decisions), Lines(asCity.Decisions));
        Assert.Equal([toAccept.Id], (await TodoAsync(city, $"?regionId={District}")).Problems.Items.Where(i => i.Kind == TodoKind.Accept).Select(i => i.ProblemId));
        var watching = await TodoAsync(viewer);
        Assert.Equal((0, 0), (watching.Reports.Total, watching.Warnings.Total));
        Assert.NotNull(watching.Note);
        Assert.Equal(HttpStatusCode.Forbidden, (await district.GetAsync($"/api/me/todo?regionId={City}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reporter.GetAsync($"/api/me/todo?regionId={District}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await silo.Http.GetAsync("/api/me/todo?regionId=nowhere")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await silo.Client(null).GetAsync("/api/me/todo")).StatusCode);
    }
}
