using Dispatch.Contracts;

namespace Dispatch.Grains.Domain;

/// <summary>
/// Which cadences a city or the province holds, and at which level (调度安排): the defaults, their validation, and who
/// meets when a cadence's trigger fires. Pure functions.
/// </summary>
public static class CadencePlans
{
    private static CadenceSetting City(Cadence c) => new(c, RegionLevel.City);

    private static CadenceSetting Districts(Cadence c) => new(c, RegionLevel.District);

    /// <summary>
    /// The sources' table (DOMAIN.md) for the five seed cities: Anshan's districts weekly, the city half-monthly, monthly,
    /// bimonthly (city party committee) and quarterly (督查); Fushun 周调度, 月分析, 季通报 at city level; Panjin 月调度,
    /// 季通报, 年评比; Dandong 半月一调度, 一月一督查; Jinzhou 按月通报, quarterly 提示函.
    /// </summary>
    private static readonly Dictionary<string, IReadOnlyList<CadenceSetting>> s_seedCities = new(StringComparer.Ordinal)
    {
        ["ln-anshan"] = [Districts(Cadence.Weekly), City(Cadence.HalfMonthly), City(Cadence.Monthly), City(Cadence.Bimonthly), City(Cadence.Quarterly)],
        ["ln-fushun"] = [City(Cadence.Weekly), City(Cadence.Monthly), City(Cadence.Quarterly)],
        ["ln-panjin"] = [City(Cadence.Monthly), City(Cadence.Quarterly), City(Cadence.Yearly)],
        ["ln-dandong"] = [City(Cadence.HalfMonthly), City(Cadence.Monthly)],
        ["ln-jinzhou"] = [City(Cadence.Monthly), City(Cadence.Quarterly)],
    };

    /// <summary>Any other city: districts weekly, the city every other cadence, as the scheduler held them before per-region settings.</summary>
    private static readonly IReadOnlyList<CadenceSetting> s_otherCities =
        [Districts(Cadence.Weekly), City(Cadence.HalfMonthly), City(Cadence.Monthly), City(Cadence.Bimonthly), City(Cadence.Quarterly), City(Cadence.Yearly)];

    /// <summary>The province meets monthly on what escalated to it.</summary>
    private static readonly IReadOnlyList<CadenceSetting> s_province = [new(Cadence.Monthly, RegionLevel.Province)];

    /// <summary>The defaults of a region of <paramref name="level"/>; a district holds what its city sets, so none of its own.</summary>
    public static IReadOnlyList<CadenceSetting> Defaults(string regionId, RegionLevel level) => level switch
    {
        RegionLevel.Province => s_province,
        RegionLevel.City => s_seedCities.GetValueOrDefault(regionId, s_otherCities),
        _ => [],
    };

    /// <summary>What a region's settings may say: a city its own level or its districts', a province its own; each cadence once.</summary>
    public static IReadOnlyList<FieldError> Validate(RegionLevel level, IReadOnlyList<CadenceSetting> settings)
    {
        var errors = new List<FieldError>();
        if (level == RegionLevel.District)
        {
            errors.Add(new("settings", "A district holds the cadences its city sets; set them on the city."));
            return errors;
        }
        foreach (var s in settings)
        {
            if (!Enum.IsDefined(s.Cadence))
            {
                errors.Add(new("cadence", "cadence must be weekly, halfMonthly, monthly, bimonthly, quarterly or yearly."));
            }
            else if (!Enum.IsDefined(s.Level) || (level == RegionLevel.Province ? s.Level != RegionLevel.Province : s.Level == RegionLevel.Province))
            {
                errors.Add(new("level", level == RegionLevel.Province
                    ? "A province holds its own meetings: level must be province."
                    : "A city's cadence is held by the city (level city) or by each of its districts (level district)."));
            }
        }
        if (settings.GroupBy(s => s.Cadence).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            errors.Add(new("cadence", $"{twice.Key.ToString().ToLowerInvariant()} is listed more than once; a cadence is held at one level."));
        }
        return errors;
    }

    /// <summary>
    /// The regions that meet when <paramref name="cadence"/> fires, for a city or province with these settings: itself,
    /// its children, or nobody.
    /// </summary>
    public static IEnumerable<string> WhoMeets(string regionId, IReadOnlyList<CadenceSetting> settings, Cadence cadence, IReadOnlyList<string> children) =>
        settings.FirstOrDefault(s => s.Cadence == cadence) switch
        {
            { Level: RegionLevel.District } => children,
            { } => [regionId],
            null => [],
        };
}
