using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Contracts;
using Dispatch.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Storage;

namespace Dispatch.Tests.Api;

/// <summary>
/// Decisions followed up (议定事项督办) on a real silo with a fake clock: a decision with an owner region and a due date
/// raises a warning in the owner's inbox once past due, shows on the owner's and the deciding region's next agendas,
/// survives a restart, and is closed when the decision is marked done.
/// </summary>
public sealed class DecisionFollowUpApiTests
{
    private static readonly TimeSpan s_china = TimeSpan.FromHours(8);

    private static async Task Put(SiloProcess silo, string path, object body)
    {
        var response = await silo.Http.PutAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"PUT {path}: {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<MeetingView> HoldAsync(SiloProcess silo, string regionId, object body)
    {
        var response = await silo.Http.PostAsJsonAsync($"/api/regions/{regionId}/meetings", body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<MeetingView>(SiloProcess.Json))!;
    }

    private static async Task<HttpResponseMessage> DecideAsync(SiloProcess silo, string meetingId, object body) =>
        await silo.Http.PostAsJsonAsync($"/api/meetings/{meetingId}/decisions", body);

    private static async Task<string> FieldOf(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return problem.RootElement.GetProperty("field").GetString()!;
    }

    [Fact]
    public async Task A_decision_with_an_owner_and_a_past_due_date_raises_a_warning_in_the_owners_region_and_shows_on_the_next_agenda()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 4, 8, 10, 0, 0, s_china));
        await using var silo = await SiloProcess.StartAsync(false, clock);
        await Put(silo, "/api/regions/dv", new { name = "督办省", level = "province" });
        await Put(silo, "/api/regions/dv-c", new { name = "督办市", level = "city", parentId = "dv" });
        await Put(silo, "/api/regions/dv-c-d", new { name = "督办区", level = "district", parentId = "dv-c" });
        await Put(silo, "/api/regions/dv-x", new { name = "他市", level = "city", parentId = "dv" });

        // The city's March meeting, held on 8 April, assigns two decisions with due dates: one to its district, one to itself.
        var march = await HoldAsync(silo, "dv-c", new { cadence = "monthly", asOf = "2024-04-08" });
        Assert.Equal("dv-c/monthly/2024-03", march.Id);
        var toDistrict = await DecideAsync(silo, march.Id, new { text = "协调供电接入", ownerRegionId = "dv-c-d", owner = "区发改局", deadline = "2024-04-15" });
        Assert.True(toDistrict.IsSuccessStatusCode, await toDistrict.Content.ReadAsStringAsync());
        var first = Assert.Single((await toDistrict.Content.ReadFromJsonAsync<MeetingView>(SiloProcess.Json))!.Decisions);
        Assert.Equal(("dv-c-d", DecisionStatus.Open, (WarningView?)null), (first.OwnerRegionId, first.Status, first.Warning));
        Assert.True((await DecideAsync(silo, march.Id, new { text = "市级专班督导", deadline = "2024-04-20" })).IsSuccessStatusCode);
        // The owner is the meeting's region or one under it, and it must exist.
        Assert.Equal("ownerRegionId", await FieldOf(await DecideAsync(silo, march.Id, new { text = "越级", ownerRegionId = "dv-x", deadline = "2024-04-15" })));
        Assert.Equal("ownerRegionId", await FieldOf(await DecideAsync(silo, march.Id, new { text = "无此地", ownerRegionId = "nope", deadline = "2024-04-15" })));
        Assert.Equal("ownerRegionId", await FieldOf(await DecideAsync(silo, march.Id, new { text = "上级", ownerRegionId = "dv", deadline = "2024-04-15" })));
        Assert.Equal(2, (await silo.GetAsync<MeetingView>($"/api/meetings/{march.Id}")).Decisions.Count);

        // On the due day nothing is overdue yet.
        clock.SetUtcNow(new DateTimeOffset(2024, 4, 15, 10, 0, 0, s_china));
        var w16 = await HoldAsync(silo, "dv-c-d", new { cadence = "weekly", asOf = "2024-04-15" });
        Assert.Empty(w16.Agenda!.FollowUps!);
        Assert.Empty(await silo.GetAsync<List<WarningView>>("/api/regions/dv-c-d/warnings"));

        // A week later the district's weekly meeting raises the warning in its inbox and lists the decision to follow up.
        clock.SetUtcNow(new DateTimeOffset(2024, 4, 22, 9, 0, 0, s_china));
        var w17 = await HoldAsync(silo, "dv-c-d", new { cadence = "weekly", asOf = "2024-04-22" });
        var followUp = Assert.Single(w17.Agenda!.FollowUps!);
        Assert.Equal((march.Id, 1, "协调供电接入", "dv-c-d", 7), (followUp.MeetingId, followUp.Number, followUp.Text, followUp.OwnerRegionId, followUp.DaysOverdue));
        Assert.Empty(w17.Agenda.Projects);
        var onAgenda = Assert.Single(w17.Agenda.Warnings);
        var warning = Assert.Single(await silo.GetAsync<List<WarningView>>("/api/regions/dv-c-d/warnings"));
        Assert.Equal(onAgenda.Id, warning.Id);
        Assert.Equal(("dv-c:monthly:2024-03:d1", WarningRule.DecisionOverdue, "dv-c-d", WarningStatus.Open, Light.Red, march.Id),
            (warning.Id, warning.Rule, warning.RegionId, warning.Status, warning.Level, warning.MeetingId));
        Assert.Contains("协调供电接入", warning.Reason);
        Assert.Contains(march.Id, warning.Reason);
        // The city's own decision is overdue in the city's inbox; the city does not hold the district's.
        Assert.Equal(["dv-c:monthly:2024-03:d2"], (await silo.GetAsync<List<WarningView>>("/api/regions/dv-c/warnings")).Select(w => w.Id));

        // The warning is kept by the meeting: a restarted silo's inbox has it again.
        await silo.RestartAsync();
        Assert.Equal(warning.Id, Assert.Single(await silo.GetAsync<List<WarningView>>("/api/regions/dv-c-d/warnings")).Id);

        // The deciding city's next meeting lists both, most overdue first. Quartz, on the same clock, may have held it
        // already at its firing on the 21st: then it counts the days from there.
        var h1 = await HoldAsync(silo, "dv-c", new { cadence = "halfMonthly", asOf = "2024-04-22" });
        Assert.Contains(h1.AsOf, new[] { new DateOnly(2024, 4, 21), new DateOnly(2024, 4, 22) });
        var day = h1.AsOf.Day;
        Assert.Equal([(1, day - 15), (2, day - 20)], h1.Agenda!.FollowUps!.Select(f => (f.Number, f.DaysOverdue)));

        // Marked done, with a note: the warning closes and the next agendas no longer list it.
        var done = await silo.Http.PostAsJsonAsync($"/api/meetings/{march.Id}/decisions/1/done", new { note = "4月23日已通电" });
        Assert.True(done.IsSuccessStatusCode, await done.Content.ReadAsStringAsync());
        var marked = (await done.Content.ReadFromJsonAsync<MeetingView>(SiloProcess.Json))!.Decisions[0];
        Assert.Equal((DecisionStatus.Done, "4月23日已通电", WarningStatus.Closed), (marked.Status, marked.DoneNote, marked.Warning!.Status));
        Assert.NotNull(marked.DoneBy);
        var closed = Assert.Single(await silo.GetAsync<List<WarningView>>("/api/regions/dv-c-d/warnings"));
        Assert.Equal((WarningStatus.Closed, "4月23日已通电"), (closed.Status, closed.CloseNote));
        Assert.Equal(HttpStatusCode.NotFound, (await silo.Http.PostAsJsonAsync($"/api/meetings/{march.Id}/decisions/9/done", new { note = "无" })).StatusCode);

        clock.SetUtcNow(new DateTimeOffset(2024, 4, 29, 9, 0, 0, s_china));
        Assert.Empty((await HoldAsync(silo, "dv-c-d", new { cadence = "weekly", asOf = "2024-04-29" })).Agenda!.FollowUps!);
        clock.SetUtcNow(new DateTimeOffset(2024, 5, 6, 9, 0, 0, s_china));
        Assert.Equal([2], (await HoldAsync(silo, "dv-c", new { cadence = "monthly", asOf = "2024-05-06" })).Agenda!.FollowUps!.Select(f => f.Number));
        // A decision recorded after its due date is overdue at once.
        Assert.True((await DecideAsync(silo, march.Id, new { text = "补办手续", ownerRegionId = "dv-c-d", deadline = "2024-05-01" })).IsSuccessStatusCode);
        var late = Assert.Single(await silo.GetAsync<List<WarningView>>("/api/regions/dv-c-d/warnings?status=open"));
        Assert.Equal(("dv-c:monthly:2024-03:d3", WarningRule.DecisionOverdue), (late.Id, late.Rule));
        // The audit log has who marked it done, and the change.
        using var audit = JsonDocument.Parse(await silo.Http.GetStringAsync("/api/audit?limit=20"));
        Assert.Contains(audit.RootElement.EnumerateArray(), e => e.ToString().Contains("/decisions/1/done", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Decisions_stored_before_owners_existed_are_followed_up_by_the_region_of_their_project_or_the_meetings_region()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 4, 22, 10, 0, 0, s_china));
        await using var silo = await SiloProcess.StartAsync(false, clock);
        await Put(silo, "/api/regions/ow", new { name = "旧省", level = "province" });
        await Put(silo, "/api/regions/ow-c", new { name = "旧市", level = "city", parentId = "ow" });
        await Put(silo, "/api/regions/ow-c-d", new { name = "旧区", level = "district", parentId = "ow-c" });
        await Put(silo, "/api/projects/ow-1", new { name = "旧项目", regionId = "ow-c-d", kind = "new", milestones = Array.Empty<object>() });

        // The city's March minutes as stored before decisions named an owner region: no ownerRegionId, never followed.
        var meetingId = "ow-c/monthly/2024-03";
        var agenda = new MeetingAgenda([], [], [], new RegionRates(null, null, null, null), LightCounts.None, [], 0);
        var minutes = new MeetingView(meetingId, "ow-c", Cadence.Monthly, "2024-03", MeetingStatus.Held, new DateOnly(2024, 4, 8),
            new DateTimeOffset(2024, 4, 8, 10, 0, 0, s_china), agenda,
        [
            new Decision(1, "协调项目用电", "市长", new DateTimeOffset(2024, 4, 8, 11, 0, 0, s_china), "ow-1", null, "区发改局", new DateOnly(2024, 4, 15)),
            new Decision(2, "市级专班督导", "市长", new DateTimeOffset(2024, 4, 8, 11, 0, 0, s_china), null, null, null, new DateOnly(2024, 4, 30)),
        ]);
        var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(DispatchStorage.Name);
        await storage.WriteStateAsync("meeting", GrainId.Create("meeting", meetingId), new GrainState<MeetingState>(new MeetingState { Meeting = minutes }));

        // Read, the minutes name the owners: the district of the project, and the city for the decision without one.
        var read = await silo.GetAsync<MeetingView>($"/api/meetings/{meetingId}");
        Assert.Equal([("ow-c-d", DecisionStatus.Open), ("ow-c", DecisionStatus.Open)], read.Decisions.Select(d => (d.OwnerRegionId!, d.Status)));

        // The district now follows them: its overdue decision's warning is in its inbox, its agenda lists it, and its
        // official's to-do list has it.
        await SiloProcess.WaitUntilAsync(async () => (await silo.GetAsync<List<WarningView>>("/api/regions/ow-c-d/warnings?status=open")).Count == 1,
            TimeSpan.FromSeconds(20), "the stored decision's overdue warning in the district's inbox");
        var warning = Assert.Single(await silo.GetAsync<List<WarningView>>("/api/regions/ow-c-d/warnings?status=open"));
        Assert.Equal(("ow-c:monthly:2024-03:d1", WarningRule.DecisionOverdue), (warning.Id, warning.Rule));
        var w17 = await HoldAsync(silo, "ow-c-d", new { cadence = "weekly", asOf = "2024-04-22" });
        Assert.Equal([(meetingId, 1, 7)], w17.Agenda!.FollowUps!.Select(f => (f.MeetingId, f.Number, f.DaysOverdue)));
        using var official = silo.Client(await silo.IssueTokenAsync(new { role = "official", regionId = "ow-c-d", name = "旧区科长" }));
        var todo = (await official.GetFromJsonAsync<TodoList>("/api/me/todo", SiloProcess.Json))!;
        Assert.Equal([(meetingId, 1, true)], todo.Decisions.Items.Select(i => (i.MeetingId!, i.DecisionNumber!.Value, i.Overdue)));

        // Marked done, it leaves the follow-ups as they stand now, while the weekly agenda keeps what it listed that day.
        Assert.Equal([(meetingId, 1)], (await official.GetFromJsonAsync<List<DecisionFollowUp>>("/api/regions/ow-c-d/follow-ups", SiloProcess.Json))!
            .Select(f => (f.MeetingId, f.Number)));
        (await silo.Http.PostAsJsonAsync($"/api/meetings/{meetingId}/decisions/1/done", new { note = "已通电" })).EnsureSuccessStatusCode();
        Assert.Empty((await official.GetFromJsonAsync<List<DecisionFollowUp>>("/api/regions/ow-c-d/follow-ups", SiloProcess.Json))!);
        Assert.Single((await silo.GetAsync<MeetingView>($"/api/meetings/{w17.Id}")).Agenda!.FollowUps!);
    }
}
