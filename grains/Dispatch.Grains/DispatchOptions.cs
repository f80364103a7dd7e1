using Dispatch.Grains.Domain;

namespace Dispatch.Grains;

/// <summary>The <c>Dispatch</c> configuration section.</summary>
public sealed class DispatchOptions
{
    public const string Section = "Dispatch";

    /// <summary>Warning thresholds (<c>Dispatch:Warnings:*</c>).</summary>
    public WarningThresholds Warnings { get; set; } = new();

    /// <summary>How many projects or children a meeting reviews at once.</summary>
    public int MeetingFanOut { get; set; } = 64;
}

/// <summary>Names of the grain storage providers.</summary>
public static class DispatchStorage
{
    public const string Name = "dispatch";
}
