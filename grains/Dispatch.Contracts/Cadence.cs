namespace Dispatch.Contracts;

/// <summary>How often a dispatch meeting (调度会) recurs.</summary>
[GenerateSerializer, Alias("Dispatch.Cadence")]
public enum Cadence
{
    /// <summary>每周调度: district leaders, ISO weeks (2024-W12).</summary>
    Weekly = 0,
    /// <summary>每半月 / 半月一调度: city leader in charge, 1st–15th and 16th–end (2024-03-H1).</summary>
    HalfMonthly = 1,
    /// <summary>每月 / 月调度: city government (2024-03).</summary>
    Monthly = 2,
    /// <summary>每两月: city party committee, Jan–Feb, Mar–Apr, … (2024-B2).</summary>
    Bimonthly = 3,
    /// <summary>季通报 / 季度督查: quarterly bulletin and inspection (2024-Q1).</summary>
    Quarterly = 4,
    /// <summary>年评比: yearly assessment (2024).</summary>
    Yearly = 5,
}

/// <summary>
/// One cadence a region holds (调度安排) and at which level: a city's own meeting (<see cref="RegionLevel.City"/>), or
/// each of its districts' (<see cref="RegionLevel.District"/>); a province's own (<see cref="RegionLevel.Province"/>).
/// <see cref="When"/> is the meeting's time as a Quartz cron in China Standard Time (a 周调度 on Friday 15:00:
/// <c>0 0 15 ? * FRI</c>); null follows the cadence's configured time (<c>Dispatch:Schedule:{cadence}</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("Dispatch.CadenceSetting")]
public sealed record CadenceSetting(
    [property: Id(0)] Cadence Cadence,
    [property: Id(1)] RegionLevel Level,
    [property: Id(2)] string? When = null);

/// <summary>
/// A setting a region left, and when. The schedule it left still asks it at a firing whose period began before it
/// left, so moving a meeting to another time or level never loses the period under way.
/// </summary>
[GenerateSerializer, Immutable, Alias("Dispatch.CadenceDeparture")]
public sealed record CadenceDeparture(
    [property: Id(0)] CadenceSetting Left,
    [property: Id(1)] DateTimeOffset At);

/// <summary>
/// The cadences a city or the province holds. <see cref="Configured"/> is false while the region follows the defaults
/// (the sources' table for the five seed cities, else every cadence as the scheduler's defaults hold them).
/// <see cref="Departures"/> are the settings it left lately (see <see cref="CadenceDeparture"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("Dispatch.RegionCadences")]
public sealed record RegionCadences(
    [property: Id(0)] string RegionId,
    [property: Id(1)] IReadOnlyList<CadenceSetting> Settings,
    [property: Id(2)] bool Configured,
    [property: Id(3)] IReadOnlyList<CadenceDeparture> Departures);
