using Dispatch.Contracts;
using Dispatch.Grains.Domain;

namespace Dispatch.Tests.Domain;

public sealed class CadencePlansTests
{
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

        IReadOnlyList<CadenceSetting> fushun = CadencePlans.Defaults("ln-fushun", RegionLevel.City);
        Assert.Equal(["ln-fushun"], CadencePlans.WhoMeets("ln-fushun", fushun, Cadence.Weekly, ["ln-fushun-a"]));
        Assert.Empty(CadencePlans.WhoMeets("ln-fushun", fushun, Cadence.HalfMonthly, ["ln-fushun-a"]));
        Assert.Equal(["ln-anshan-a", "ln-anshan-b"], CadencePlans.WhoMeets("ln-anshan", CadencePlans.Defaults("ln-anshan", RegionLevel.City), Cadence.Weekly, ["ln-anshan-a", "ln-anshan-b"]));
    }
}
