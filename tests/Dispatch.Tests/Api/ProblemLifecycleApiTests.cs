using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Contracts;
using Dispatch.Grains.Domain;
using Dispatch.Tests.Domain;

namespace Dispatch.Tests.Api;

/// <summary>
/// The problem's life (问题清单) through the API on a real silo with the sample regions, each step taken with the token
/// of the person who takes it: a project unit raises, the district accepts, the city flags (挂牌督办) and closes out.
/// </summary>
public sealed class ProblemLifecycleApiTests : IAsyncLifetime
{
    private const string Haicheng = "ln-anshan-haicheng";
    private const string Anshan = "ln-anshan";
    private static readonly DateOnly s_today = TimeProvider.System.ChinaToday();
    private SiloProcess _silo = null!;
    private HttpClient _haicheng = null!;
    private HttpClient _anshan = null!;

    public async Task InitializeAsync()
    {
        _silo = await SiloProcess.StartAsync(true, (TimeProvider?)null, "--Dispatch:RateLimits:PerToken=0");
        _haicheng = _silo.Client(await _silo.IssueTokenAsync(new { role = "official", regionId = Haicheng, name = "海城区科长" }));
        _anshan = _silo.Client(await _silo.IssueTokenAsync(new { role = "official", regionId = Anshan, name = "鞍山市督查处长" }));
    }

    public async Task DisposeAsync()
    {
        _haicheng.Dispose();
        _anshan.Dispose();
        await _silo.DisposeAsync();
    }

    private static string Day(int days) => s_today.AddDays(days).ToString("yyyy-MM-dd");

    private async Task<ProblemView> RaiseAsync(HttpClient client, string projectId, string title)
    {
        (await _silo.Http.PutAsJsonAsync($"/api/projects/{projectId}", new
        {
            name = $"问题测试{projectId}", regionId = Haicheng, kind = "new",
            milestones = new[] { new { name = "开工", plannedDate = Day(60) } },
        })).EnsureSuccessStatusCode();
        var raised = await client.PostAsJsonAsync($"/api/projects/{projectId}/problems", new { title, category = "用地", ownerLevel = "district", deadline = Day(30) });
        Assert.Equal(HttpStatusCode.Created, raised.StatusCode);
        return (await raised.Content.ReadFromJsonAsync<ProblemView>(SiloProcess.Json))!;
    }

    private static async Task<ProblemView> StepAsync(HttpClient client, string problemId, string step, object body)
    {
        var response = await client.PostAsJsonAsync($"/api/problems/{problemId}/{step}", body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{step}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<ProblemView>(SiloProcess.Json))!;
    }

    private static async Task RefusedAsync(HttpClient client, string problemId, string step, object body, HttpStatusCode status, string? field = null)
    {
        var response = await client.PostAsJsonAsync($"/api/problems/{problemId}/{step}", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{step}: expected {(int)status}, answered {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (field is not null)
        {
            using var problem = JsonDocument.Parse(text);
            Assert.Equal(field, problem.RootElement.GetProperty("field").GetString());
        }
    }

    private async Task<ProblemView> CurrentAsync(ProblemView p) =>
        (await _silo.GetAsync<ProjectView>($"/api/projects/{p.ProjectId}")).Problems.Single(q => q.Id == p.Id);

    private async Task<List<string>> ListAsync(string regionId, string query) =>
        (await _silo.GetAsync<List<ProblemView>>($"/api/regions/{regionId}/problems?{query}")).Select(p => p.Id).ToList();

    [Fact]
    public async Task A_problem_accepted_by_Haicheng_and_red_carded_by_Anshan_is_on_Anshans_agenda_and_closed_out_only_by_Anshan()
    {
        using var reporter = _silo.Client(await _silo.IssueTokenAsync(new { role = "reporter", projectIds = new[] { "pl-flag" }, name = "项目单位张经理" }));
        // 事不过夜 on the silo's working-day clock: today, or the next working day when raised after hours or on a day off.
        var acceptBy = ShippedCalendar.Office.DueDay(TimeProvider.System.GetUtcNow(), 0);
        var raised = await RaiseAsync(reporter, "pl-flag", "电力增容指标不足");
        Assert.Equal((ProblemStatus.Raised, Haicheng, "项目单位张经理", acceptBy), (raised.Status, raised.OwnerRegionId, raised.RaisedBy, raised.AcceptBy!.Value));
        // A project unit raises; it does not accept.
        await RefusedAsync(reporter, raised.Id, "accept", new { responsibleOffice = "区发改局", leader = "王副区长", deadline = Day(10) }, HttpStatusCode.Forbidden);

        var accepted = await StepAsync(_haicheng, raised.Id, "accept", new { responsibleOffice = "区发改局", leader = "王副区长", deadline = Day(10) });
        Assert.Equal((ProblemStatus.Accepted, "区发改局", "王副区长", "海城区科长"), (accepted.Status, accepted.ResponsibleOffice, accepted.Leader, accepted.AcceptedBy));
        // Haicheng owns it and is no level above itself: it cannot flag it.
        await RefusedAsync(_haicheng, raised.Id, "flag", new { grade = "redCard", deadline = Day(5), supervisingOfficial = "区长" }, HttpStatusCode.BadRequest, "regionId");
        // Nor flag it in Anshan's name.
        await RefusedAsync(_haicheng, raised.Id, "flag", new { grade = "redCard", deadline = Day(5), supervisingOfficial = "区长", regionId = Anshan }, HttpStatusCode.Forbidden);

        var flagged = await StepAsync(_anshan, raised.Id, "flag", new { grade = "redCard", deadline = Day(5), supervisingOfficial = "李副市长" });
        Assert.True(flagged.Flagged);
        Assert.Equal((FlagGrade.RedCard, Anshan, "李副市长", "鞍山市督查处长"), (flagged.Flag!.Grade, flagged.Flag.RegionId, flagged.Flag.SupervisingOfficial, flagged.Flag.By));
        Assert.Equal((s_today.AddDays(5), Haicheng, ProblemStatus.Accepted), (flagged.Deadline, flagged.OwnerRegionId, flagged.Status));

        // 挂牌督办: on Anshan's next meeting agenda.
        var meeting = await _anshan.PostAsJsonAsync($"/api/regions/{Anshan}/meetings", new { cadence = "monthly" });
        Assert.Equal(HttpStatusCode.OK, meeting.StatusCode);
        using (var held = JsonDocument.Parse(await meeting.Content.ReadAsStringAsync()))
        {
            var onAgenda = held.RootElement.GetProperty("agenda").GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("id").GetString());
            Assert.Contains(raised.Id, onAgenda);
        }

        // Anshan supervises it, Haicheng owns it; the lists say so, with their filters.
        Assert.Contains(raised.Id, await ListAsync(Anshan, "role=supervisor&flagged=true"));
        Assert.DoesNotContain(raised.Id, await ListAsync(Anshan, "role=owner"));
        Assert.DoesNotContain(raised.Id, await ListAsync(Anshan, "role=supervisor&flagged=false"));
        Assert.Contains(raised.Id, await ListAsync(Haicheng, "role=owner&status=accepted"));
        Assert.DoesNotContain(raised.Id, await ListAsync(Haicheng, "role=supervisor"));

        // The owner works it and reports it solved; the flag does not take that from Haicheng.
        var solved = await StepAsync(_haicheng, raised.Id, "report-solved", new { note = "已协调供电公司增容" });
        Assert.Equal(ProblemStatus.ReportedSolved, solved.Status);
        Assert.Contains(raised.Id, await ListAsync(Anshan, "role=supervisor&status=reportedSolved"));

        // Only the flagging level closes it out: Haicheng's close-out is refused by either door, and changes nothing.
        await RefusedAsync(_haicheng, raised.Id, "verify", new { note = "区里说解决了" }, HttpStatusCode.Forbidden);
        await RefusedAsync(_haicheng, raised.Id, "resolve", new { note = "区里说解决了" }, HttpStatusCode.Forbidden);
        await RefusedAsync(_haicheng, raised.Id, "reject", new { reason = "区里驳回" }, HttpStatusCode.Forbidden);
        Assert.Equal(ProblemStatus.ReportedSolved, (await CurrentAsync(raised)).Status);

        var closed = await StepAsync(_anshan, raised.Id, "verify", new { note = "市督查室现场核实" });
        Assert.Equal((ProblemStatus.Closed, "鞍山市督查处长", "市督查室现场核实"), (closed.Status, closed.ResolvedBy, closed.ResolutionNote));
        Assert.Equal(ProblemStatus.Closed, (await CurrentAsync(raised)).Status);
        Assert.Contains(raised.Id, await ListAsync(Anshan, "role=supervisor&status=closed"));
        Assert.DoesNotContain(raised.Id, await ListAsync(Anshan, "status=reportedSolved"));
        Assert.Equal(
            [ProblemAction.Raised, ProblemAction.Accepted, ProblemAction.Flagged, ProblemAction.ReportedSolved, ProblemAction.Closed],
            closed.Steps!.Select(s => s.Action));
    }

    [Fact]
    public async Task A_problem_transferred_up_to_the_city_is_the_citys_to_accept_and_one_reported_solved_can_be_sent_back_with_a_reason()
    {
        var raised = await RaiseAsync(_haicheng, "pl-transfer", "跨区管网接入");
        await RefusedAsync(_haicheng, raised.Id, "transfer", new { toLevel = "city" }, HttpStatusCode.BadRequest, "reason");
        await RefusedAsync(_haicheng, raised.Id, "transfer", new { toLevel = "village", reason = "上交" }, HttpStatusCode.BadRequest, "toLevel");
        var moved = await StepAsync(_haicheng, raised.Id, "transfer", new { toLevel = "city", toOffice = "市住建局", reason = "管网跨区，区里协调不了" });
        Assert.Equal((ProblemStatus.Raised, Anshan, RegionLevel.City, "市住建局"), (moved.Status, moved.OwnerRegionId, moved.OwnerLevel, moved.Owner));
        Assert.Contains("管网跨区", moved.Steps![^1].Note);
        Assert.Contains(raised.Id, await ListAsync(Anshan, "role=owner&status=raised"));
        Assert.DoesNotContain(raised.Id, await ListAsync(Haicheng, "role=owner"));

        // The city's office accepts it now; the district no longer may.
        await RefusedAsync(_haicheng, raised.Id, "accept", new { responsibleOffice = "区住建局", leader = "区长", deadline = Day(10) }, HttpStatusCode.Forbidden);
        await RefusedAsync(_anshan, raised.Id, "accept", new { responsibleOffice = "市住建局", leader = "赵副市长", deadline = "2024-13-01" }, HttpStatusCode.BadRequest, "deadline");
        await RefusedAsync(_anshan, raised.Id, "report-solved", new { note = "已接入" }, HttpStatusCode.BadRequest, "status");
        Assert.Equal(ProblemStatus.Raised, (await CurrentAsync(raised)).Status);
        await StepAsync(_anshan, raised.Id, "accept", new { responsibleOffice = "市住建局", leader = "赵副市长", deadline = Day(10) });
        await StepAsync(_anshan, raised.Id, "report-solved", new { note = "已接入" });

        // 驳回 needs a reason; with one, the problem is back in hand.
        await RefusedAsync(_anshan, raised.Id, "reject", new { reason = " " }, HttpStatusCode.BadRequest, "reason");
        var back = await StepAsync(_anshan, raised.Id, "reject", new { reason = "现场核查未通水" });
        Assert.Equal((ProblemStatus.Accepted, "现场核查未通水"), (back.Status, back.Steps![^1].Note));
        Assert.Contains(raised.Id, await ListAsync(Anshan, "role=owner&status=accepted&flagged=false"));

        using var badStatus = await _silo.Http.GetAsync($"/api/regions/{Anshan}/problems?status=open");
        Assert.Equal((HttpStatusCode.BadRequest, "application/problem+json"), (badStatus.StatusCode, badStatus.Content.Headers.ContentType?.MediaType));
        Assert.Contains("\"field\":\"status\"", await badStatus.Content.ReadAsStringAsync());
        using var badRole = await _silo.Http.GetAsync($"/api/regions/{Anshan}/problems?role=boss");
        Assert.Equal(HttpStatusCode.BadRequest, badRole.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _silo.Http.PostAsJsonAsync("/api/problems/pl-transfer.q9/accept", new { })).StatusCode);
    }
}
