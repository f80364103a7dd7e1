using Dispatch.Contracts;
using Dispatch.Silo.Scheduling;
using Dispatch.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Storage;
using static Dispatch.Tests.Grains.Fixtures;

namespace Dispatch.Tests.Grains;

[Collection(ClusterCollection.Name)]
public sealed class MeetingGrainTests(ClusterFixture fixture)
{
    private static readonly DateOnly s_asOf = new(2024, 3, 18);

    private IGrainFactory Grains => fixture.Client;

    [Fact]
    public async Task The_same_period_run_twice_is_one_meeting()
    {
        var (_, _, districts) = await DefineTreeAsync(Grains, 1);
        var region = Grains.GetGrain<IRegionGrain>(districts[0]);
        // The fixture's today is a Monday and no as-of date lies after today: the week before has two days to run on.
        var first = Ok(await region.RunMeetingAsync(Cadence.Weekly, new DateOnly(2024, 3, 11)));
        var second = Ok(await region.RunMeetingAsync(Cadence.Weekly, new DateOnly(2024, 3, 13)));
        Assert.Equal($"{districts[0]}/weekly/2024-W11", first.Id);
        Assert.Equal("2024-W11", first.Period);
        Assert.Equal(MeetingStatus.Held, first.Status);
        Assert.Equal((first.Id, first.HeldAt, first.AsOf), (second.Id, second.HeldAt, second.AsOf));
        Assert.Equal(new DateOnly(2024, 3, 11), second.AsOf);
        Assert.Single(await region.GetMeetingsAsync(Cadence.Weekly, null));
    }

    [Fact]
    public async Task Concurrent_requests_for_one_period_hold_one_meeting()
    {
        var (_, _, districts) = await DefineTreeAsync(Grains, 1);
        var region = Grains.GetGrain<IRegionGrain>(districts[0]);
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => region.RunMeetingAsync(Cadence.Monthly, s_asOf)));
        Assert.Single(results.Select(r => (Ok(r).Id, Ok(r).HeldAt)).Distinct());
        // On 18 March February's reports are due (by 5 March): the monthly meeting judges February.
        Assert.Single(await region.GetMeetingsAsync(Cadence.Monthly, "2024-02"));
    }

    [Fact]
    public async Task An_overdue_milestone_puts_the_project_on_the_agenda_with_its_reason()
    {
        var (_, _, districts) = await DefineTreeAsync(Grains, 1);
        var late = $"{districts[0]}-late";
        var onTime = $"{districts[0]}-ontime";
        Ok(await Grains.GetGrain<IProjectGrain>(late).UpsertAsync(Project(districts[0], new Milestone("开工", new(2024, 2, 27))) with { AnnualPlanInvestment = null }));
        Ok(await Grains.GetGrain<IProjectGrain>(onTime).UpsertAsync(Project(districts[0], new Milestone("开工", new(2024, 4, 1))) with { AnnualPlanInvestment = null }));

        var meeting = Ok(await Grains.GetGrain<IRegionGrain>(districts[0]).RunMeetingAsync(Cadence.Weekly, s_asOf));

        var item = Assert.Single(meeting.Agenda!.Projects);
        Assert.Equal(late, item.ProjectId);
        Assert.Equal(Light.Red, item.Light);
        Assert.Contains("开工", Assert.Single(item.Reasons));
        Assert.Contains("20 days overdue", item.Reasons[0]);
        Assert.Equal(2, meeting.Agenda.ProjectsReviewed);
        Assert.Equal(WarningRule.MilestoneOverdue, Assert.Single(meeting.Agenda.Warnings).Rule);
        Assert.Equal(Light.Red, (await Grains.GetGrain<IProjectGrain>(late).GetAsync())!.Light);
    }

    [Fact]
    public async Task A_city_meeting_ranks_its_districts()
    {
        var (_, city, districts) = await DefineTreeAsync(Grains, 3);
        // Started of planned to start: d0 1 of 1, d1 1 of 2, d2 0 of 1.
        var started = Project(districts[0], new Milestone("开工", new(2024, 3, 1), new(2024, 3, 1))) with { AnnualPlanInvestment = null };
        var notStarted = Project(districts[0], new Milestone("开工", new(2024, 3, 1))) with { AnnualPlanInvestment = null };
        Ok(await Grains.GetGrain<IProjectGrain>($"{districts[0]}-a").UpsertAsync(started));
        Ok(await Grains.GetGrain<IProjectGrain>($"{districts[1]}-b").UpsertAsync(started with { RegionId = districts[1] }));
        Ok(await Grains.GetGrain<IProjectGrain>($"{districts[1]}-c").UpsertAsync(notStarted with { RegionId = districts[1] }));
        Ok(await Grains.GetGrain<IProjectGrain>($"{districts[2]}-d").UpsertAsync(notStarted with { RegionId = districts[2] }));

        var meeting = Ok(await Grains.GetGrain<IRegionGrain>(city).RunMeetingAsync(Cadence.HalfMonthly, s_asOf));

        // On 18 March the first half of March's reports are not due until the 20th: the meeting judges 16–29 February.
        Assert.Equal("2024-02-H2", meeting.Period);
        var ranking = meeting.Agenda!.Ranking;
        Assert.Equal([districts[0], districts[1], districts[2]], ranking.Select(r => r.RegionId));
        Assert.Equal([1, 2, 3], ranking.Select(r => r.Rank));
        Assert.True(ranking[0].Score > ranking[1].Score);
        Assert.Equal([1m, 0.5m, 0m], ranking.Select(r => r.Rates.StartRate));
        Assert.Equal(0.5m, meeting.Agenda.Rates.StartRate);
    }

    [Fact]
    public async Task A_decision_assigns_a_problem_that_is_tracked_on_the_project()
    {
        var (_, city, districts) = await DefineTreeAsync(Grains, 1);
        var project = $"{districts[0]}-land";
        Ok(await Grains.GetGrain<IProjectGrain>(project).UpsertAsync(Project(districts[0])));
        var meeting = Ok(await Grains.GetGrain<IRegionGrain>(districts[0]).RunMeetingAsync(Cadence.Weekly, new DateOnly(2024, 3, 11)));

        var decided = Ok(await Grains.GetGrain<IMeetingGrain>(meeting.Id).DecideAsync(new DecisionRequest(
            "用地指标由市自然资源局协调", "区长", project, "用地指标不足", "用地", RegionLevel.City, "市自然资源局", new DateOnly(2024, 4, 15))));

        var decision = Assert.Single(decided.Decisions);
        Assert.NotNull(decision.ProblemId);
        var problem = Assert.Single((await Grains.GetGrain<IProjectGrain>(project).GetAsync())!.Problems);
        Assert.Equal(decision.ProblemId, problem.Id);
        Assert.Equal(city, problem.OwnerRegionId);
        Assert.Equal("市自然资源局", problem.Owner);
        Assert.Equal(meeting.Id, problem.MeetingId);
        Assert.Equal(ProblemStatus.Raised, problem.Status);

        var next = Ok(await Grains.GetGrain<IRegionGrain>(districts[0]).RunMeetingAsync(Cadence.Weekly, s_asOf));
        Assert.Equal(problem.Id, Assert.Single(next.Agenda!.Problems).Id);
    }

    [Fact]
    public async Task A_problem_past_its_deadline_lights_the_project_red_until_resolved()
    {
        var (_, _, districts) = await DefineTreeAsync(Grains, 1);
        var project = Grains.GetGrain<IProjectGrain>($"{districts[0]}-heat");
        Ok(await project.UpsertAsync(Project(districts[0])));
        var problem = Ok(await project.AddProblemAsync(new ProblemRequest("供热管网未接入", "热力", RegionLevel.District, new DateOnly(2024, 3, 20))));
        Assert.Null((await project.ReviewAsync(new DateOnly(2024, 3, 20)))!.Warnings.FirstOrDefault(w => w.Rule == WarningRule.ProblemOverdue));
        var review = await project.ReviewAsync(new DateOnly(2024, 3, 21));
        Assert.Equal(problem.Id, Assert.Single(review!.Warnings, w => w.Rule == WarningRule.ProblemOverdue).Subject);
        Assert.Equal(Light.Red, review.Light);

        Ok(await project.ResolveProblemAsync(problem.Id, "区住建局", "已接入"));
        var after = await project.GetAsync();
        Assert.DoesNotContain(after!.Warnings, w => w.Rule == WarningRule.ProblemOverdue);
        Assert.Equal(ProblemStatus.Closed, after.Problems.Single().Status);
    }

    [Fact]
    public async Task The_scheduler_job_holds_every_region_and_one_failing_region_does_not_stop_the_others()
    {
        var (_, _, districts) = await DefineTreeAsync(Grains, 4);
        var runner = new MeetingRunner(Grains, NullLogger<MeetingRunner>.Instance);
        var result = await runner.RunAsync(Cadence.Weekly, s_asOf, [districts[0], "no-such-region", districts[1], districts[2], districts[3]], CancellationToken.None);
        Assert.Equal(4, result.Held);
        // An unknown region refuses: asking again would change nothing, so it is no failure to retry.
        Assert.Equal(["no-such-region"], result.Refused);
        Assert.Empty(result.Failed);
        foreach (var d in districts)
        {
            Assert.Single(await Grains.GetGrain<IRegionGrain>(d).GetMeetingsAsync(Cadence.Weekly, "2024-W12"));
        }
    }

    [Fact]
    public async Task Each_firing_reads_the_cities_and_provinces_cadence_settings_so_a_change_applies_without_a_restart()
    {
        var (province, city, districts) = await DefineTreeAsync(Grains, 2);
        var runner = new MeetingRunner(Grains, NullLogger<MeetingRunner>.Instance);
        // No region names a time of its own: all follow the configured one.
        const string Configured = "0 0 9 ? * MON";
        async Task<IReadOnlyList<string>> Meeting(Cadence cadence) =>
            MeetingRunner.WhoMeets(await runner.ReadHoldersAsync(), cadence, Configured, Configured, null);
        // Defaults: the districts weekly, the city monthly, the province its own monthly meeting.
        var weekly = await Meeting(Cadence.Weekly);
        Assert.True(districts.All(weekly.Contains) && !weekly.Contains(city) && !weekly.Contains(province));
        var monthly = await Meeting(Cadence.Monthly);
        Assert.True(monthly.Contains(city) && monthly.Contains(province) && !districts.Any(monthly.Contains));

        // The city now holds the weekly meeting itself (Fushun's 周调度) and nothing else.
        Ok(await Grains.GetGrain<IRegionGrain>(city).SetCadencesAsync([new CadenceSetting(Cadence.Weekly, RegionLevel.City)]));
        weekly = await Meeting(Cadence.Weekly);
        Assert.True(weekly.Contains(city) && !districts.Any(weekly.Contains));
        Assert.DoesNotContain(city, await Meeting(Cadence.Monthly));
        // A province holds only its own; a district sets nothing.
        Assert.Equal("level", Assert.Single((await Grains.GetGrain<IRegionGrain>(province).SetCadencesAsync([new CadenceSetting(Cadence.Monthly, RegionLevel.City)])).Errors).Field);
        Assert.Equal("settings", Assert.Single((await Grains.GetGrain<IRegionGrain>(districts[0]).SetCadencesAsync([])).Errors).Field);
        // Back to the defaults.
        Assert.False(Ok(await Grains.GetGrain<IRegionGrain>(city).SetCadencesAsync(null)).Configured);
        Assert.True(districts.All((await Meeting(Cadence.Weekly)).Contains));
    }

    [Fact]
    public async Task A_meeting_interrupted_after_it_started_resumes_on_its_own_as_of_date()
    {
        var (_, _, districts) = await DefineTreeAsync(Grains, 1);
        var late = $"{districts[0]}-late";
        Ok(await Grains.GetGrain<IProjectGrain>(late).UpsertAsync(Project(districts[0], new Milestone("开工", new(2024, 2, 20))) with { AnnualPlanInvestment = null }));
        // What a silo that died mid-meeting leaves behind: the Running record with its as-of date, no agenda.
        var key = MeetingView.KeyOf(districts[0], Cadence.Weekly, "2024-W11");
        var storage = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(DispatchStorage.Name);
        var running = new GrainState<MeetingState>(new MeetingState
        {
            Meeting = new MeetingView(key, districts[0], Cadence.Weekly, "2024-W11", MeetingStatus.Running, new DateOnly(2024, 3, 11), null, null, []),
        });
        await storage.WriteStateAsync("meeting", Grains.GetGrain<IMeetingGrain>(key).GetGrainId(), running);

        var resumed = Ok(await Grains.GetGrain<IRegionGrain>(districts[0]).RunMeetingAsync(Cadence.Weekly, new DateOnly(2024, 3, 15)));

        Assert.Equal((key, MeetingStatus.Held, new DateOnly(2024, 3, 11)), (resumed.Id, resumed.Status, resumed.AsOf));
        Assert.Equal(late, Assert.Single(resumed.Agenda!.Projects).ProjectId);
        Assert.Contains("20 days overdue", resumed.Agenda.Projects[0].Reasons[0]);
        Assert.Equal(key, Assert.Single(await Grains.GetGrain<IRegionGrain>(districts[0]).GetMeetingsAsync(Cadence.Weekly, "2024-W11")).Id);
    }
}
