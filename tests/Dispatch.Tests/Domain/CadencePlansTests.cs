using Dispatch.Contracts;
using Dispatch.Grains.Domain;

namespace Dispatch.Tests.Domain;

public sealed class CadencePlansTests
{
    private const string Monday = "0 0 9 ? * MON";
    private const string Friday = "0 0 15 ? * FRI";

    [Fact]
    public void The_five_seed_cities_default_to_the_sources_table_and_the_province_meets_monthly()
    {
        static string Of(string id) => string.Join(",", CadencePlans.Defaults(id, RegionLevel.City).Select(s => $"{s.Cadence}@{s.Level}"));
        Assert.Equal("Weekly@District,HalfMonthly@City,Monthly@City,Bimonthly@City,Quarterly@City", Of("ln-anshan"));
        Assert.Equal("Weekly@City,Monthly@City,Quarterly@City", Of("ln-fushun"));
        Assert.Equal("Monthly@City,Quarterly@City,Yearly@City", Of("ln-panjin"));
        Assert.Equal("HalfMonthly@City,Monthly@City", Of("ln-dandong"));
        Assert.Equal("Monthly@City,Quarterly@City", Of("ln-jinzhou"));
        Assert.Equal("Weekly@District,HalfMonthly@City,Monthly@City,Bimonthly@City,Quarterly@City,Yearly@City", Of("ln-shenyang"));
        Assert.Equal([new CadenceSetting(Cadence.Monthly, RegionLevel.Province)], CadencePlans.Defaults("ln", RegionLevel.Province));
        Assert.Empty(CadencePlans.Defaults("ln-anshan-haicheng", RegionLevel.District));
    }

    [Fact]
    public void A_city_holds_a_cadence_itself_or_in_each_district_once_and_a_province_only_its_own()
    {
        Assert.Empty(CadencePlans.Validate(RegionLevel.City, [new(Cadence.Weekly, RegionLevel.City), new(Cadence.Monthly, RegionLevel.District)]));
        Assert.Equal("level", Assert.Single(CadencePlans.Validate(RegionLevel.City, [new(Cadence.Weekly, RegionLevel.Province)])).Field);
        Assert.Equal("cadence", Assert.Single(CadencePlans.Validate(RegionLevel.City, [new(Cadence.Weekly, RegionLevel.City), new(Cadence.Weekly, RegionLevel.District)])).Field);
        Assert.Equal("cadence", Assert.Single(CadencePlans.Validate(RegionLevel.City, [new((Cadence)9, RegionLevel.City)])).Field);
        Assert.Equal("level", Assert.Single(CadencePlans.Validate(RegionLevel.Province, [new(Cadence.Monthly, RegionLevel.City)])).Field);
        Assert.Equal("settings", Assert.Single(CadencePlans.Validate(RegionLevel.District, [])).Field);

        var fushun = new RegionCadences("ln-fushun", CadencePlans.Defaults("ln-fushun", RegionLevel.City), false, []);
        Assert.Equal(["ln-fushun"], CadencePlans.WhoMeets(fushun, ["ln-fushun-a"], Cadence.Weekly, Monday, Monday));
        Assert.Empty(CadencePlans.WhoMeets(fushun, ["ln-fushun-a"], Cadence.HalfMonthly, Monday, Monday));
        var anshan = new RegionCadences("ln-anshan", CadencePlans.Defaults("ln-anshan", RegionLevel.City), false, []);
        Assert.Equal(["ln-anshan-a", "ln-anshan-b"], CadencePlans.WhoMeets(anshan, ["ln-anshan-a", "ln-anshan-b"], Cadence.Weekly, Monday, Monday));
    }

    [Fact]
    public void A_time_of_its_own_is_a_quartz_cron_that_fires_at_most_once_a_day()
    {
        static IReadOnlyList<FieldError> When(string when) => CadencePlans.Validate(RegionLevel.City, [new(Cadence.Weekly, RegionLevel.City, when)]);
        Assert.Empty(When(Friday));
        Assert.Empty(When("0 30 8 ? * MON-FRI"));
        Assert.Empty(When("0 0 9 L * ?"));
        Assert.Empty(When("  0 0 15  ? * fri "));
        Assert.Empty(CadencePlans.Validate(RegionLevel.City, [new(Cadence.Weekly, RegionLevel.District, Friday)]));
        Assert.Empty(CadencePlans.Validate(RegionLevel.Province, [new(Cadence.Monthly, RegionLevel.Province, "0 0 10 8 * ?")]));

        foreach (var bad in new[] { "", "   ", "every friday", "0 0 15 ? * XYZ", "0 0 25 ? * FRI", "0 0 9,15 ? * FRI", "0 0/30 9 ? * MON", "* 0 9 ? * MON",
            "0 0 9 30 2 ?", "0 0 15 ? * FRI 2026", new string('1', 101) })
        {
            var errors = When(bad);
            Assert.True(errors.Count == 1, $"'{bad}': {errors.Count} errors");
            var error = errors[0];
            Assert.Equal("when", error.Field);
            Assert.StartsWith("weekly: ", error.Message);
        }
        // What Quartz's parser might choke on is refused as well, never thrown.
        foreach (var odd in new[] { "0 0 15 ? * FRI#9", "0 0 15 L-40 * ?", "0 0 15 ? * 8", "0 0 15 W * ?", "0 0 15 1-40/0 * ?", "0 0 15 ? * MON-SUN/0",
            "\u0000", "0 0 15 ? * FRI;", "0 0 15 ? * 周五", "0 0 15 ? * L#2", "? ? ? ? ? ?", "0 0 15 ? * FRI-", "0 0 15 32 * ?" })
        {
            Assert.Equal("when", Assert.Single(When(odd)).Field);
        }
        Assert.Contains("more than once a day", Assert.Single(When("0 0 9,15 ? * FRI")).Message);
        Assert.Contains("never fires", Assert.Single(When("0 0 9 30 2 ?")).Message);
        Assert.Contains("names a year", Assert.Single(When("0 0 15 ? * FRI 2026")).Message);
    }

    [Fact]
    public void A_time_is_stored_in_one_spelling_so_equal_times_share_a_trigger()
    {
        Assert.Equal(new CadenceSetting(Cadence.Weekly, RegionLevel.City, Friday), CadencePlans.Normalize(new(Cadence.Weekly, RegionLevel.City, " 0 0  15 ? * fri")));
        Assert.Null(CadencePlans.Normalize(new(Cadence.Weekly, RegionLevel.City)).When);
    }

    [Fact]
    public void The_seed_cities_name_no_time_so_they_follow_the_configured_ones()
    {
        foreach (var city in new[] { "ln-anshan", "ln-fushun", "ln-panjin", "ln-dandong", "ln-jinzhou" })
        {
            Assert.All(CadencePlans.Defaults(city, RegionLevel.City), s => Assert.Null(s.When));
        }
    }

    [Fact]
    public void Each_region_meets_at_its_own_time_or_the_configured_one_and_the_distinct_schedules_are_those_in_use()
    {
        var fushun = new RegionCadences("ln-fushun", [new(Cadence.Weekly, RegionLevel.City, Friday), new(Cadence.Monthly, RegionLevel.City)], true, []);
        var anshan = new RegionCadences("ln-anshan", CadencePlans.Defaults("ln-anshan", RegionLevel.City), false, []);
        Assert.Equal(["ln-fushun"], CadencePlans.WhoMeets(fushun, [], Cadence.Weekly, Friday, Monday));
        Assert.Empty(CadencePlans.WhoMeets(fushun, [], Cadence.Weekly, Monday, Monday));
        Assert.Equal(["ln-anshan-a"], CadencePlans.WhoMeets(anshan, ["ln-anshan-a"], Cadence.Weekly, Monday, Monday));
        Assert.Empty(CadencePlans.WhoMeets(anshan, ["ln-anshan-a"], Cadence.Weekly, Friday, Monday));
        // A region's own time that equals the configured one is the configured trigger.
        Assert.Equal(["ln-fushun"], CadencePlans.WhoMeets(fushun, [], Cadence.Weekly, Friday, Friday));

        string? Configured(Cadence c) => c switch { Cadence.Weekly => Monday, Cadence.Monthly => "0 30 9 6 * ?", Cadence.Yearly => null, _ => "0 0 9 6 * ?" };
        var inUse = CadencePlans.SchedulesInUse([fushun, anshan], Configured);
        Assert.Equal([(Cadence.Weekly, Friday), (Cadence.Monthly, "0 30 9 6 * ?"), (Cadence.Weekly, Monday)], inUse.Take(3));
        Assert.Equal(inUse.Count, inUse.Distinct().Count());
        // A cadence whose configured time is off is held only by regions that name a time.
        var panjin = new RegionCadences("ln-panjin", [new(Cadence.Yearly, RegionLevel.City), new(Cadence.Quarterly, RegionLevel.City)], true, []);
        Assert.DoesNotContain(CadencePlans.SchedulesInUse([panjin], Configured), s => s.Cadence == Cadence.Yearly);
    }

    [Fact]
    public void A_region_that_left_a_schedule_is_still_asked_by_the_firing_that_judges_the_period_it_left_in()
    {
        var china = TimeSpan.FromHours(8);
        // Fushun moves its weekly meeting from Friday 15:00 to Monday on Wednesday 2024-03-13 (week 2024-W11).
        var friday = new CadenceSetting(Cadence.Weekly, RegionLevel.City, Friday);
        var monday = new CadenceSetting(Cadence.Weekly, RegionLevel.City);
        var wednesday = new DateTimeOffset(2024, 3, 13, 10, 0, 0, china);
        var departures = CadencePlans.Departures([], [friday], [monday], wednesday);
        Assert.Equal([new CadenceDeparture(friday, wednesday)], departures);
        var fushun = new RegionCadences("ln-fushun", [monday], true, departures);

        // Friday 03-15 judges W11, which began before it left: still asked, so W11 is held (the Monday trigger already passed).
        Assert.Equal(["ln-fushun"], CadencePlans.WhoMeets(fushun, [], Cadence.Weekly, Friday, Monday, new DateOnly(2024, 3, 11)));
        // Friday 03-22 judges W12, which began after it left: the Monday trigger holds it.
        Assert.Empty(CadencePlans.WhoMeets(fushun, [], Cadence.Weekly, Friday, Monday, new DateOnly(2024, 3, 18)));
        // Counting who follows a trigger now leaves departures out.
        Assert.Empty(CadencePlans.WhoMeets(fushun, [], Cadence.Weekly, Friday, Monday));

        // A level left is a departure too: Anshan's districts meet once more where the period began under them.
        var anshan = new RegionCadences("ln-anshan", [new(Cadence.Weekly, RegionLevel.City)], true,
            CadencePlans.Departures([], [new(Cadence.Weekly, RegionLevel.District)], [new(Cadence.Weekly, RegionLevel.City)], wednesday));
        Assert.Equal(["ln-anshan", "ln-anshan-a"], CadencePlans.WhoMeets(anshan, ["ln-anshan-a"], Cadence.Weekly, Monday, Monday, new DateOnly(2024, 3, 11)));

        // Leaving the same setting again keeps the latest; departures older than the longest period's reach are dropped.
        var later = wednesday.AddDays(30);
        Assert.Equal([new CadenceDeparture(friday, later)], CadencePlans.Departures(departures, [friday], [monday], later));
        Assert.Empty(CadencePlans.Departures(departures, [monday], [monday], wednesday + CadencePlans.DepartureKept));
    }
}
