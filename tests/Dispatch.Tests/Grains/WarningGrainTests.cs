using Dispatch.Contracts;
using Dispatch.Grains;
using Dispatch.Grains.Domain;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using Orleans.Storage;
using Dispatch.Tests.Api;
using static Dispatch.Tests.Grains.Fixtures;

namespace Dispatch.Tests.Grains;

/// <summary>Warnings through the grains: dedupe, self-closing, inboxes, acknowledgement and escalation on a fake clock.</summary>
[Collection(ClusterCollection.Name)]
public sealed class WarningGrainTests(ClusterFixture fixture)
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(20);

    private IGrainFactory Grains => fixture.Client;

    private async Task<(string City, string Province, string District, IProjectGrain Project, WarningView Warning)> OverdueProjectAsync(decimal total = 20_000m)
    {
        var (province, city, districts) = await DefineTreeAsync(Grains, 1);
        var project = Grains.GetGrain<IProjectGrain>($"{districts[0]}-p");
        // Planned 2024-02-27, reviewed 2024-03-18 (the fixture's today): 20 days overdue.
        Ok(await project.UpsertAsync(Project(districts[0], new Milestone("开工", new(2024, 2, 27))) with { AnnualPlanInvestment = null, TotalInvestment = total }));
        var warning = Assert.Single((await project.GetAsync())!.Warnings);
        return (city, province, districts[0], project, warning);
    }

    private Task<IReadOnlyList<WarningView>> InboxAsync(string region, WarningStatus? status = WarningStatus.Open) =>
        Grains.GetGrain<IRegionGrain>(region).GetWarningsAsync(status);

    private Task WaitForAsync(string region, Func<IReadOnlyList<WarningView>, bool> condition, string what) =>
        SiloProcess.WaitUntilAsync(async () => condition(await InboxAsync(region, null)), s_wait, what);

    [Fact]
    public async Task A_red_overdue_milestone_lands_in_the_district_inbox_once()
    {
        var (city, _, district, project, warning) = await OverdueProjectAsync();
        Assert.Equal((WarningRule.MilestoneOverdue, Light.Red, WarningStatus.Open), (warning.Rule, warning.Level, warning.Status));
        Assert.Equal(Light.Red, (await project.GetAsync())!.Light);
        Assert.Equal([district], warning.Path);

        await project.ReviewAsync(new DateOnly(2024, 3, 18));
        await project.ReviewAsync(new DateOnly(2024, 3, 19));
        var inbox = await InboxAsync(district);
        Assert.Equal(warning.Id, Assert.Single(inbox).Id);
        Assert.Empty(await InboxAsync(city));
    }

    [Fact]
    public async Task A_warning_closes_itself_when_its_cause_is_gone_and_the_red_month_stays_in_history()
    {
        var (_, _, district, project, warning) = await OverdueProjectAsync();
        Ok(await project.ReportAsync(new ProgressReport("2024-03", 100m, 1m, [new MilestoneReached("开工", new DateOnly(2024, 3, 18))], null, default)));
        var view = (await project.GetAsync())!;
        Assert.Equal(Light.Green, view.Light);
        Assert.Empty(view.Warnings);
        Assert.Equal([new PeriodLight("2024-03", Light.Red)], view.LightHistory);
        var closed = Assert.Single(await InboxAsync(district, WarningStatus.Closed));
        Assert.Equal((warning.Id, "system"), (closed.Id, closed.ClosedBy));
        Assert.Equal(0, (await Grains.GetGrain<IRegionGrain>(district).GetAsync(null))!.Lights.Red);
    }

    [Fact]
    public async Task Unacknowledged_warnings_pass_from_district_to_city_to_province()
    {
        var (city, province, district, _, warning) = await OverdueProjectAsync();
        Assert.Equal(0, await Grains.GetGrain<IRegionGrain>(district).CheckEscalationsAsync());

        // The district's grain timer runs on the silo's (fake) clock: advancing it past the deadline escalates.
        fixture.Clock.Advance(ClusterFixture.AcknowledgeWithin + TimeSpan.FromMinutes(1));
        await WaitForAsync(city, ws => ws.Any(w => w.Id == warning.Id), "the warning in the city inbox");
        var atCity = Assert.Single(await InboxAsync(city));
        Assert.Equal(city, atCity.RegionId);
        Assert.Equal([district, city], atCity.Path);
        Assert.Equal(city, Assert.Single(await InboxAsync(district)).RegionId);

        fixture.Clock.Advance(ClusterFixture.AcknowledgeWithin + TimeSpan.FromMinutes(1));
        await WaitForAsync(province, ws => ws.Any(w => w.Id == warning.Id), "the warning in the province inbox");
        Assert.Equal(0, await Grains.GetGrain<IRegionGrain>(district).CheckEscalationsAsync());
        Assert.Equal([district, city, province], Assert.Single(await InboxAsync(province)).Path);

        fixture.Clock.Advance(ClusterFixture.AcknowledgeWithin + TimeSpan.FromMinutes(1));
        Assert.Equal(0, await Grains.GetGrain<IRegionGrain>(province).CheckEscalationsAsync());
    }

    [Fact]
    public async Task Regions_rebuild_their_inboxes_and_lights_from_the_projects_after_deactivating()
    {
        var (city, _, district, project, warning) = await OverdueProjectAsync(60_000m);
        await WaitForAsync(city, ws => ws.Any(w => w.Id == warning.Id), "the city-coordinated warning in the city inbox");

        // Inboxes are not stored: whatever the regions show after this came back from the projects.
        var management = Grains.GetGrain<IManagementGrain>(0);
        await management.ForceActivationCollection(TimeSpan.Zero);
        var active = await management.GetSimpleGrainStatistics();
        Assert.DoesNotContain(active, s => s.GrainType.EndsWith(nameof(Dispatch.Grains.RegionGrain), StringComparison.Ordinal) && s.ActivationCount > 0);

        var atDistrict = Assert.Single(await InboxAsync(district));
        var atCity = Assert.Single(await InboxAsync(city));
        Assert.Equal((warning.Id, city), (atDistrict.Id, atDistrict.RegionId));
        Assert.Equal([district, city], atDistrict.Path);
        Assert.Equal((atDistrict.Id, atDistrict.RegionId, atDistrict.InboxSince), (atCity.Id, atCity.RegionId, atCity.InboxSince));
        Assert.Equal([district, city], atCity.Path);
        Assert.Equal(1, (await Grains.GetGrain<IRegionGrain>(district).GetAsync(null))!.Lights.Red);
        Assert.Equal(1, (await Grains.GetGrain<IRegionGrain>(city).GetAsync(null))!.Lights.Red);
        Assert.Equal(Light.Red, (await project.GetAsync())!.Light);
    }

    [Fact]
    public async Task A_project_that_stored_a_change_but_died_before_telling_its_district_catches_it_up_at_the_next_meeting()
    {
        var (_, _, district, project, warning) = await OverdueProjectAsync();
        var storage = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(DispatchStorage.Name);
        var red = new GrainState<ProjectState>(new ProjectState());
        await storage.ReadStateAsync("project", project.GetGrainId(), red);
        Ok(await project.ReportAsync(new ProgressReport("2024-03", 100m, 1m, [new MilestoneReached("开工", new DateOnly(2024, 3, 18))], null, default)));
        Assert.Equal(1, (await Grains.GetGrain<IRegionGrain>(district).GetAsync(null))!.Lights.Green);

        // What a silo that died right after the project's write leaves behind: the red state stored, the district not told.
        var current = new GrainState<ProjectState>(new ProjectState());
        await storage.ReadStateAsync("project", project.GetGrainId(), current);
        current.State = red.State;
        await storage.WriteStateAsync("project", project.GetGrainId(), current);
        await project.Cast<IGrainManagementExtension>().DeactivateOnIdle();

        var meeting = Ok(await Grains.GetGrain<IRegionGrain>(district).RunMeetingAsync(Cadence.Weekly, new DateOnly(2024, 3, 18)));
        Assert.Equal(project.GetPrimaryKeyString(), Assert.Single(meeting.Agenda!.Projects).ProjectId);
        Assert.Equal(1, (await Grains.GetGrain<IRegionGrain>(district).GetAsync(null))!.Lights.Red);
        Assert.Equal(warning.Id, Assert.Single(await InboxAsync(district)).Id);
    }

    [Fact]
    public async Task An_acknowledged_warning_does_not_escalate_within_its_resolve_window()
    {
        var (city, _, district, project, warning) = await OverdueProjectAsync();
        var acked = Ok(await project.AcknowledgeWarningAsync(warning.Id, "区长"));
        Assert.Equal((WarningStatus.Acknowledged, "区长"), (acked.Status, acked.AcknowledgedBy));
        Assert.Equal(WarningStatus.Acknowledged, Assert.Single(await InboxAsync(district, WarningStatus.Acknowledged)).Status);

        fixture.Clock.Advance(ClusterFixture.AcknowledgeWithin + TimeSpan.FromMinutes(1));
        Assert.True(ClusterFixture.AcknowledgeWithin + TimeSpan.FromMinutes(1) < ClusterFixture.ResolveWithin);
        Assert.Equal(0, await Grains.GetGrain<IRegionGrain>(district).CheckEscalationsAsync());
        // A tick of the acknowledgement window that arrives after the acknowledgement changes nothing.
        await project.EscalateWarningAsync(warning.Id, district, WarningStatus.Open);
        Assert.Empty(await InboxAsync(city, null));
        Assert.Equal(Light.Red, (await project.GetAsync())!.Light);
    }

    [Fact]
    public async Task An_acknowledged_warning_whose_cause_persists_past_the_resolve_window_passes_up_once_and_is_worked_there()
    {
        var (city, province, district, project, warning) = await OverdueProjectAsync();
        var acked = Ok(await project.AcknowledgeWarningAsync(warning.Id, "区长", "约谈企业，督促开工", new DateOnly(2024, 3, 25)));
        Assert.Equal(("约谈企业，督促开工", new DateOnly(2024, 3, 25)), (acked.Measure, acked.PlannedBy));

        fixture.Clock.Advance(ClusterFixture.ResolveWithin + TimeSpan.FromMinutes(1));
        await WaitForAsync(city, ws => ws.Any(w => w.Id == warning.Id), "the unresolved warning in the city inbox");
        var atCity = Assert.Single(await InboxAsync(city));
        Assert.Equal((city, WarningStatus.Open, null), (atCity.RegionId, atCity.Status, atCity.AcknowledgedBy));
        Assert.Equal([district, city], atCity.Path);
        var handOff = Assert.Single(atCity.HandOffs!);
        Assert.Equal((district, city, HandOffReason.NotResolved, "区长", "约谈企业，督促开工", new DateOnly(2024, 3, 25)),
            (handOff.FromRegionId, handOff.ToRegionId, handOff.Reason, handOff.AcknowledgedBy, handOff.Measure, handOff.PlannedBy));

        // The same step again (a doubled tick, a retry) finds the warning gone from the district: nothing moves.
        await project.EscalateWarningAsync(warning.Id, district, WarningStatus.Acknowledged);
        Assert.Equal([district, city], Assert.Single(await InboxAsync(city)).Path);

        // The city acknowledges and closes it out; afterwards no window runs anywhere.
        Ok(await project.AcknowledgeWarningAsync(warning.Id, "市发改委"));
        Ok(await project.CloseWarningAsync(warning.Id, "市发改委", "市级协调解决用地"));
        fixture.Clock.Advance(ClusterFixture.ResolveWithin + TimeSpan.FromMinutes(1));
        Assert.Equal(0, await Grains.GetGrain<IRegionGrain>(city).CheckEscalationsAsync());
        await project.EscalateWarningAsync(warning.Id, city, WarningStatus.Acknowledged);
        Assert.Empty(await InboxAsync(province, null));
        Assert.Equal(WarningStatus.Closed, Assert.Single(await InboxAsync(city, null)).Status);
    }

    [Fact]
    public async Task A_red_warning_on_a_city_coordinated_project_goes_to_the_city_at_once()
    {
        var (city, _, district, _, warning) = await OverdueProjectAsync(total: 60_000m);
        Assert.Equal(city, warning.RegionId);
        Assert.Equal([district, city], warning.Path);
        Assert.Equal(warning.Id, Assert.Single(await InboxAsync(city)).Id);
    }

    [Fact]
    public async Task A_warning_closed_out_by_an_official_is_not_raised_again_while_its_cause_persists()
    {
        var (_, _, district, project, warning) = await OverdueProjectAsync();
        var closed = Ok(await project.CloseWarningAsync(warning.Id, "区发改局", "已约谈企业，4月初开工"));
        Assert.Equal((WarningStatus.Closed, "已约谈企业，4月初开工"), (closed.Status, closed.CloseNote));
        await project.ReviewAsync(new DateOnly(2024, 3, 25));
        var view = (await project.GetAsync())!;
        Assert.Empty(view.Warnings);
        Assert.Equal(Light.Green, view.Light);
        Assert.Empty(await InboxAsync(district));
    }

    [Fact]
    public async Task A_warning_closed_out_while_yellow_is_raised_again_when_it_turns_red()
    {
        var (_, _, district) = await DefineTreeAsync(Grains, 1);
        var project = Grains.GetGrain<IProjectGrain>($"{district[0]}-p");
        // 开工 planned 10 March, reviewed 18 March (the fixture's today): 8 days overdue, yellow (red after 15 days).
        Ok(await project.UpsertAsync(Project(district[0], new Milestone("开工", new(2024, 3, 10))) with { AnnualPlanInvestment = null }));
        var yellow = Assert.Single((await project.GetAsync())!.Warnings);
        Assert.Equal((WarningRule.MilestoneOverdue, Light.Yellow), (yellow.Rule, yellow.Level));
        Ok(await project.CloseWarningAsync(yellow.Id, "区发改局", "企业承诺月底前开工"));

        // 25 March: 15 days overdue, still yellow: the office closed that out, nothing is raised.
        await project.ReviewAsync(new DateOnly(2024, 3, 25));
        Assert.Empty((await project.GetAsync())!.Warnings);
        Assert.Equal(Light.Green, (await project.GetAsync())!.Light);

        // 26 March: 16 days overdue, red: worse than what was closed out, so raised again as a new warning.
        await project.ReviewAsync(new DateOnly(2024, 3, 26));
        var view = (await project.GetAsync())!;
        var red = Assert.Single(view.Warnings);
        Assert.Equal((WarningRule.MilestoneOverdue, "开工", Light.Red, WarningStatus.Open), (red.Rule, red.Subject, red.Level, red.Status));
        Assert.NotEqual(yellow.Id, red.Id);
        Assert.Equal(Light.Red, view.Light);
        Assert.Equal(red.Id, Assert.Single(await InboxAsync(district[0])).Id);

        // Closed out again at red, it stays quiet while it stays red.
        Ok(await project.CloseWarningAsync(red.Id, "区发改局", "已约谈"));
        await project.ReviewAsync(new DateOnly(2024, 4, 10));
        Assert.Empty((await project.GetAsync())!.Warnings);
    }

    [Fact]
    public async Task A_cause_closed_out_in_state_stored_before_levels_were_kept_is_read_at_its_last_warnings_level()
    {
        var (_, _, district) = await DefineTreeAsync(Grains, 1);
        var project = Grains.GetGrain<IProjectGrain>($"{district[0]}-p");
        // 8 days overdue on 18 March: yellow; closed out.
        Ok(await project.UpsertAsync(Project(district[0], new Milestone("开工", new(2024, 3, 10))) with { AnnualPlanInvestment = null }));
        var yellow = Assert.Single((await project.GetAsync())!.Warnings);
        Ok(await project.CloseWarningAsync(yellow.Id, "区发改局", null));

        // What an older version stored: the cause in ClosedOut, no level.
        var storage = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(DispatchStorage.Name);
        var stored = new GrainState<ProjectState>(new ProjectState());
        await storage.ReadStateAsync("project", project.GetGrainId(), stored);
        Assert.Equal(Light.Yellow, stored.State!.ClosedOutAt["MilestoneOverdue|开工"]);
        stored.State.ClosedOutAt.Clear();
        stored.State.ClosedOut.Add("MilestoneOverdue|开工");
        await storage.WriteStateAsync("project", project.GetGrainId(), stored);
        await project.Cast<IGrainManagementExtension>().DeactivateOnIdle();

        // Its last warning was yellow: quiet while yellow (25 March, 15 days), raised again once red (26 March, 16 days).
        await project.ReviewAsync(new DateOnly(2024, 3, 25));
        Assert.Empty((await project.GetAsync())!.Warnings);
        await project.ReviewAsync(new DateOnly(2024, 3, 26));
        Assert.Equal(Light.Red, Assert.Single((await project.GetAsync())!.Warnings).Level);
    }

    [Fact]
    public async Task State_stored_before_the_annual_list_reads_with_its_single_plan_as_the_plan_of_its_year()
    {
        var (_, _, district) = await DefineTreeAsync(Grains, 1);
        var project = Grains.GetGrain<IProjectGrain>($"{district[0]}-old");
        // Planned to start on 10 March 2024 with 1,000 万 planned; 8 days overdue on 18 March: yellow.
        Ok(await project.UpsertAsync(Project(district[0], new Milestone("开工", new(2024, 3, 10))) with { AnnualPlanInvestment = 1_000m }));

        // What an older version stored: no plans by year, no dated light changes.
        var storage = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(DispatchStorage.Name);
        var stored = new GrainState<ProjectState>(new ProjectState());
        await storage.ReadStateAsync("project", project.GetGrainId(), stored);
        Assert.Equal(1_000m, stored.State!.Plans[2024].PlannedInvestment);
        stored.State.Plans.Clear();
        stored.State.LightChanges.Clear();
        stored.State.YearStarts.Clear();
        await storage.WriteStateAsync("project", project.GetGrainId(), stored);
        await project.Cast<IGrainManagementExtension>().DeactivateOnIdle();

        var view = (await project.GetAsync())!;
        var plan = Assert.Single(view.Plans!);
        Assert.Equal((2024, 1_000m, new DateOnly(2024, 3, 10), PlanListing.Listed), (plan.Year, plan.PlannedInvestment!.Value, plan.PlannedStart!.Value, plan.Listing));
        // Its light as of its last review stands from that day on (yellow on 18 March); green before.
        var standing = (await project.GetStandingAsync())!;
        Assert.Equal([new LightChange(new DateOnly(2024, 3, 18), Light.Yellow)], standing.Summary.LightChanges!);
        Assert.Equal(Light.Green, RegionRules.LightOn(standing.Summary, new DateOnly(2024, 3, 17)));
    }

    [Fact]
    public async Task A_problem_its_owner_cannot_solve_by_the_deadline_goes_up_one_level_flagged()
    {
        var (city, _, district, project, _) = await OverdueProjectAsync();
        var problem = Ok(await project.AddProblemAsync(new ProblemRequest("能耗指标不足", "能耗指标", RegionLevel.District, new DateOnly(2024, 3, 20))));
        Assert.Equal((district, false), (problem.OwnerRegionId, problem.Flagged));
        await project.ReviewAsync(new DateOnly(2024, 3, 21));
        var after = Assert.Single((await project.GetAsync())!.Problems);
        Assert.Equal((city, RegionLevel.City, true), (after.OwnerRegionId, after.OwnerLevel, after.Flagged));
        await project.ReviewAsync(new DateOnly(2024, 3, 28));
        Assert.Equal(city, Assert.Single((await project.GetAsync())!.Problems).OwnerRegionId);
    }

    [Fact]
    public async Task Rates_are_computed_from_the_projects_below()
    {
        var (province, city, districts) = await DefineTreeAsync(Grains, 2);
        var plan = Project(districts[0], new Milestone("开工", new(2024, 3, 1))) with { AnnualPlanInvestment = 1000m };
        Ok(await Grains.GetGrain<IProjectGrain>($"{districts[0]}-a").UpsertAsync(plan with { Milestones = [new Milestone("开工", new(2024, 3, 1), new(2024, 3, 2))] }));
        Ok(await Grains.GetGrain<IProjectGrain>($"{districts[0]}-b").UpsertAsync(plan));
        Ok(await Grains.GetGrain<IProjectGrain>($"{districts[1]}-c").UpsertAsync(plan with { RegionId = districts[1], Kind = ProjectKind.Continuing, Milestones = [new Milestone("复工", new(2024, 3, 1), new(2024, 3, 10))] }));
        Ok(await Grains.GetGrain<IProjectGrain>($"{districts[1]}-c").ReportAsync(new ProgressReport("2024-03", 600m, 10m, [], null, default)));
        var rates = (await Grains.GetGrain<IRegionGrain>(province).GetAsync(new DateOnly(2024, 3, 18)))!.Rates;
        Assert.Equal((0.6667m, 0.5m, 1m, 0.2m), (rates.StartResumeRate, rates.StartRate, rates.ResumeRate, rates.AnnualInvestmentRate));
        // Three projects on the 2024 list: 2 new (1 started), 1 continuing (resumed); 3,000 万 planned, 600 万 done;
        // started: 2 projects of 20,000 万 each. Nobody stated funds in place: the rate is unknown, not 0 %.
        Assert.Equal((3, 2, 1, 1, 1, 2, 40_000m, 3_000m, 600m), (rates.Listed, rates.NewPlanned, rates.NewStarted, rates.ContinuingPlanned,
            rates.ContinuingResumed, rates.StartedCount, rates.StartedTotalInvestment, rates.PlannedInvestment, rates.InvestmentCompleted));
        Assert.Null(rates.FundsInPlaceRate);
        var cityView = (await Grains.GetGrain<IRegionGrain>(city).GetAsync(new DateOnly(2024, 3, 18)))!;
        Assert.Equal(3, cityView.ProjectCount);
        Assert.Equal(1, cityView.Lights.Red);
    }

    [Fact]
    public async Task A_city_meeting_puts_what_reached_the_city_on_its_agenda()
    {
        var (city, _, _, _, warning) = await OverdueProjectAsync(total: 60_000m);
        var meeting = Ok(await Grains.GetGrain<IRegionGrain>(city).RunMeetingAsync(Cadence.Monthly, new DateOnly(2024, 3, 18)));
        Assert.Equal(warning.ProjectId, Assert.Single(meeting.Agenda!.Projects).ProjectId);
        Assert.Equal(warning.Id, Assert.Single(meeting.Agenda.Warnings).Id);
    }
}
