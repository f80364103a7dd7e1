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
