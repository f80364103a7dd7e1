using System.Diagnostics;
using Dispatch.Contracts;
using Dispatch.Grains.Domain;
using Xunit.Abstractions;

namespace Dispatch.Tests.Postgres;

/// <summary>
/// Three real silos on one PostgreSQL database (AdoNet clustering, persistence and reminders, clustered Quartz); one is
/// killed in the middle of a weekly dispatch over 2,000 projects, and the dispatch is run again from a survivor.
/// </summary>
[Collection(PostgresCollection.Name), Trait("Category", "Postgres")]
public sealed class ClusterFailoverTests(PostgresFixture fixture, ITestOutputHelper output)
{
    private const int Cities = 2;
    private const int DistrictsPerCity = 10;
    private const int ProjectsPerDistrict = 100;

    /// <summary>Tuesday of 2024-W12 (China): the projects are declared and first reviewed on this day.</summary>
    /// <summary>
    /// Half a minute before midnight of the Tuesday: the projects are declared (and reviewed) that day, the dispatch
    /// waits for the Wednesday, since no meeting may be held as of a day after today.
    /// </summary>
    private static readonly DateTimeOffset s_declared = new(2024, 3, 19, 23, 59, 30, TimeSpan.FromHours(8));

    /// <summary>Wednesday of the same week: the weekly meetings review every project as of this day.</summary>
    private static readonly DateOnly s_asOf = new(2024, 3, 20);

    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(60);

    /// <summary>Calls caught in a dead silo's directory partition or in a call chain through it wait out Orleans' 30 s response time-out.</summary>
    private static readonly TimeSpan s_rerunDeadline = TimeSpan.FromSeconds(120);

    [PostgresFact]
    public async Task A_silo_killed_during_the_weekly_dispatch_loses_no_meeting_and_no_warning()
    {
        var watch = Stopwatch.StartNew();
        await using var db = await fixture.Server.CreateDatabaseAsync();
        var clock = new ShiftedTimeProvider(s_declared);
        // Three silos start at once on an empty database: Evolve and Quartz's schema provisioning race each other.
        // A small fan-out keeps each district's meeting going long enough for the kill to land in the middle of it.
        var silos = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
            ClusterSilo.StartAsync(db.ConnectionString, clock, "--Dispatch:MeetingFanOut", "2")));
        await using var first = silos[0];
        await using var second = silos[1];
        await using var victim = silos[2];
        await PostgresStorageTests.WaitForActiveAsync(first, silos.Select(s => s.Address).ToList());
        output.WriteLine($"3 silos active after {watch.Elapsed.TotalSeconds:0.0} s");

        var grains = first.Grains;
        var (districts, profiles) = await DeclareAsync(grains);
        output.WriteLine($"{profiles.Count} projects in {districts.Count} districts declared after {watch.Elapsed.TotalSeconds:0.0} s");
        var expected = profiles.ToDictionary(p => p.Key, p => ExpectedWarnings(p.Value));
        Assert.Contains(expected.Values, w => w.Any(x => x.Level == Light.Red));
        Assert.Contains(expected.Values, w => w.Count > 0 && w.All(x => x.Level == Light.Yellow));
        Assert.Contains(expected.Values, w => w.Count == 0);

        await Api.SiloProcess.WaitUntilAsync(() => Task.FromResult(clock.ChinaToday() >= s_asOf), s_deadline, $"the clock to reach {s_asOf:yyyy-MM-dd}");
        output.WriteLine($"{s_asOf:yyyy-MM-dd} began after {watch.Elapsed.TotalSeconds:0.0} s");

        // The dispatch, from the first silo; the third is killed once the reviews are under way.
        var before = await db.ScalarAsync<DateTime>("SELECT now()");
        var reviewed = $"SELECT count(*) FROM dispatch_grain_state WHERE state_name = 'project' AND modified_on > '{before:O}'";
        var dispatch = Task.WhenAll(districts.Select(d => TryRunMeetingAsync(grains, d)));
        await Api.SiloProcess.WaitUntilAsync(async () => dispatch.IsCompleted || await db.ScalarAsync<int>(reviewed) >= 50,
            s_deadline, "the first project reviews of the dispatch");
        var reviewedAtKill = await db.ScalarAsync<int>(reviewed);
        await victim.KillAsync();
        var firstRun = await dispatch;
        var failed = firstRun.Count(r => r is not null);
        output.WriteLine($"at {watch.Elapsed.TotalSeconds:0.0} s killed {victim.Address} with {reviewedAtKill} project states rewritten; first run: {districts.Count - failed} " +
            $"meetings answered, {failed} failed ({string.Join("; ", firstRun.OfType<string>().Distinct().Take(3))})");
        Assert.True(reviewedAtKill < profiles.Count, $"the kill came after the whole dispatch ({reviewedAtKill} projects reviewed)");

        await PostgresStorageTests.WaitForActiveAsync(first, [first.Address, second.Address]);
        output.WriteLine($"{victim.Address} is out of the cluster after {watch.Elapsed.TotalSeconds:0.0} s");
        var attempts = 0;
        var pending = districts.ToList();
        await Api.SiloProcess.WaitUntilAsync(async () =>
        {
            attempts++;
            var outcomes = await Task.WhenAll(pending.Select(async d => (District: d, Error: await TryRunMeetingAsync(grains, d))));
            pending = outcomes.Where(o => o.Error is not null).Select(o => o.District).ToList();
            output.WriteLine($"re-run {attempts} at {watch.Elapsed.TotalSeconds:0.0} s: {pending.Count} failed " +
                $"({string.Join("; ", outcomes.Select(o => o.Error).OfType<string>().Take(3))})");
            return pending.Count == 0;
        }, s_rerunDeadline, "every district's meeting to be held on the two survivors");
        output.WriteLine($"second run: all {districts.Count} meetings held after {attempts} attempt(s), {watch.Elapsed.TotalSeconds:0.0} s");

        // Every district has exactly one meeting for the period, held as of the dispatch day, with every project reviewed.
        var period = Period.Of(Cadence.Weekly, s_asOf).Key;
        Assert.Equal("2024-W12", period);
        Assert.Equal(
            districts.Select(d => MeetingView.KeyOf(d, Cadence.Weekly, period)).Order(StringComparer.Ordinal).ToList(),
            await db.RowsAsync("SELECT grain_id_ext FROM dispatch_grain_state WHERE state_name = 'meeting' ORDER BY grain_id_ext COLLATE \"C\""));
        foreach (var district in districts)
        {
            var meeting = Assert.Single(await grains.GetGrain<IRegionGrain>(district).GetMeetingsAsync(Cadence.Weekly, period));
            Assert.Equal((MeetingStatus.Held, s_asOf, ProjectsPerDistrict), (meeting.Status, meeting.AsOf, meeting.Agenda!.ProjectsReviewed));
            var own = profiles.Where(p => p.Value.RegionId == district).Select(p => expected[p.Key]).ToList();
            Assert.Equal(own.Sum(w => w.Count), meeting.Agenda.Warnings.Count);
            Assert.Equal(own.Count(w => w.Count > 0), meeting.Agenda.Projects.Count);
            // The agenda words each warning as of the meeting's day, exactly as the rules do.
            foreach (var project in meeting.Agenda.Warnings.GroupBy(w => w.ProjectId))
            {
                var worded = project.Select(w => new ExpectedWarning(w.Rule, w.Subject, w.Level, w.Reason)).ToHashSet();
                Assert.True(expected[project.Key].SetEquals(worded), $"{project.Key}: expected [{string.Join("; ", expected[project.Key])}], on the agenda [{string.Join("; ", worded)}]");
            }
        }

        // No warning is lost or doubled: each project's open warnings are exactly the causes and levels the rules find
        // as of that day (a stored warning keeps the wording of the day it was raised or changed level).
        var views = await Task.WhenAll(profiles.Keys.Select(id => grains.GetGrain<IProjectGrain>(id).GetAsync()));
        foreach (var view in views)
        {
            Assert.NotNull(view);
            // A review that changes nothing writes nothing: a project that lived on the killed silo may come back with
            // the day it was declared as its last review, and its warnings are still those of the dispatch day.
            Assert.Contains(view.ReviewedAsOf, new DateOnly?[] { s_asOf, s_asOf.AddDays(-1) });
            var open = view.Warnings.Where(w => w.Status == WarningStatus.Open).Select(w => (w.Rule, w.Subject, w.Level)).ToHashSet();
            var rules = expected[view.Id].Select(w => (w.Rule, w.Subject, w.Level)).ToHashSet();
            Assert.True(rules.SetEquals(open), $"{view.Id}: expected [{string.Join("; ", rules)}], open [{string.Join("; ", open)}]");
            Assert.Equal(view.Warnings.Count, view.Warnings.Select(w => w.Id).Distinct().Count());
            Assert.Equal(WarningRules.LightOf(expected[view.Id].Select(w => w.Level)), view.Light);
        }

        // The districts' rosters followed: their light counts are the projects' lights.
        foreach (var district in districts)
        {
            var lights = profiles.Where(p => p.Value.RegionId == district).Select(p => WarningRules.LightOf(expected[p.Key].Select(w => w.Level))).ToList();
            var region = await grains.GetGrain<IRegionGrain>(district).GetAsync(s_asOf);
            Assert.Equal(new LightCounts(lights.Count(l => l == Light.Green), lights.Count(l => l == Light.Yellow), lights.Count(l => l == Light.Red)),
                region!.Lights);
        }
        output.WriteLine($"verified {views.Length} projects and {districts.Count} meetings after {watch.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>What the warning rules say of a project that has reported nothing, as of the dispatch day.</summary>
    private static HashSet<ExpectedWarning> ExpectedWarnings(ProjectProfile profile)
    {
        var milestones = ProjectRules.EffectiveMilestones(profile, new Dictionary<string, DateOnly>());
        var facts = new ProjectFacts(profile.Kind, ProjectRules.StageOf(profile, milestones, s_asOf), profile.AnnualPlanInvestment,
            milestones, profile.PlannedStart, [], [], []);
        return WarningRules.Evaluate(facts, s_asOf, new WarningThresholds()).Select(f => new ExpectedWarning(f.Rule, f.Subject, f.Level, f.Reason)).ToHashSet();
    }

    /// <summary>
    /// 1 province, 2 cities, 20 districts, 2,000 projects. Each project was signed and must start (开工) or resume (复工)
    /// on a day between 03-04 and 03-23, so as of 03-20 some are 16 days late (red), some late by fewer (yellow), some
    /// not due; two in three have an annual plan with nothing reported, but 序时进度 runs from each one's planned start,
    /// so by 03-20 none is 10 points behind.
    /// </summary>
    private static async Task<(List<string> Districts, Dictionary<string, ProjectProfile> Profiles)> DeclareAsync(IGrainFactory grains)
    {
        Define(await grains.GetGrain<IRegionGrain>("fo").DefineAsync(new RegionDefinition("故障省", RegionLevel.Province, null)));
        var districts = new List<string>();
        for (var c = 0; c < Cities; c++)
        {
            var city = $"fo-c{c}";
            Define(await grains.GetGrain<IRegionGrain>(city).DefineAsync(new RegionDefinition($"故障市{c}", RegionLevel.City, "fo")));
            for (var d = 0; d < DistrictsPerCity; d++)
            {
                var district = $"{city}-d{d}";
                Define(await grains.GetGrain<IRegionGrain>(district).DefineAsync(new RegionDefinition($"故障区{c}-{d}", RegionLevel.District, city)));
                districts.Add(district);
            }
        }
        var profiles = new Dictionary<string, ProjectProfile>();
        for (var i = 0; i < districts.Count * ProjectsPerDistrict; i++)
        {
            var kind = i % 2 == 0 ? ProjectKind.New : ProjectKind.Continuing;
            profiles[$"fo-p{i:0000}"] = new ProjectProfile($"故障测试项目{i}", districts[i / ProjectsPerDistrict], kind, "装备制造", 20_000m,
                i % 3 == 0 ? null : 6_000m, null, null, "王领导", "赵管家",
                [
                    new Milestone("签约", new DateOnly(2024, 1, 10), new DateOnly(2024, 1, 8)),
                    new Milestone(MilestoneCatalog.StartName(kind), new DateOnly(2024, 3, 4).AddDays(i % 20)),
                    new Milestone("竣工", new DateOnly(2025, 12, 31)),
                ]);
        }
        using var gate = new SemaphoreSlim(32);
        await Task.WhenAll(profiles.Select(async p =>
        {
            await gate.WaitAsync();
            try
            {
                var result = await grains.GetGrain<IProjectGrain>(p.Key).UpsertAsync(p.Value);
                Assert.True(result.Succeeded, $"{p.Key}: {string.Join("; ", result.Errors.Select(e => e.Message))}");
            }
            finally
            {
                gate.Release();
            }
        }));
        foreach (var district in districts)
        {
            Assert.Equal(ProjectsPerDistrict, (await grains.GetGrain<IRegionGrain>(district).GetProjectIdsAsync()).Count);
        }
        return (districts, profiles);
    }

    /// <summary>
    /// Runs a district's weekly meeting; answers null when it was held, else what went wrong. Around a silo's death a
    /// call can fail in any of Orleans' ways (the silo is gone, no answer in time, a message expired while its target
    /// was being placed again, another activation wrote first): the outcome is unknown and the caller runs it again.
    /// </summary>
    private static async Task<string?> TryRunMeetingAsync(IGrainFactory grains, string district)
    {
        try
        {
            var result = await grains.GetGrain<IRegionGrain>(district).RunMeetingAsync(Cadence.Weekly, s_asOf);
            return result.Succeeded && result.Value!.Status == MeetingStatus.Held ? null : $"{district}: not held";
        }
        catch (Exception e) when (e is OrleansException or TimeoutException or OperationCanceledException or Orleans.Storage.InconsistentStateException)
        {
            return $"{district}: {e.GetType().Name}";
        }
    }

    private static void Define(ChangeResult<RegionView> result) =>
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => $"{e.Field}: {e.Message}")));

    private sealed record ExpectedWarning(WarningRule Rule, string Subject, Light Level, string Reason);
}
