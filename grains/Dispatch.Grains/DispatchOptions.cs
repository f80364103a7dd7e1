using Dispatch.Contracts;
using Dispatch.Grains.Domain;

namespace Dispatch.Grains;

/// <summary>The <c>Dispatch</c> configuration section.</summary>
public sealed class DispatchOptions
{
    public const string Section = "Dispatch";

    /// <summary>Warning thresholds (<c>Dispatch:Warnings:*</c>).</summary>
    public WarningThresholds Warnings { get; set; } = new();

    /// <summary>Milestone names and their variants (<c>Dispatch:Milestones:*</c>).</summary>
    public MilestoneOptions Milestones { get; set; } = new();

    /// <summary>The ranking formula's weights (<c>Dispatch:Ranking:*</c>).</summary>
    public RankingWeights Ranking { get; set; } = new();

    /// <summary>Escalation (<c>Dispatch:Escalation:*</c>).</summary>
    public EscalationOptions Escalation { get; set; } = new();

    /// <summary>Bearer tokens (<c>Dispatch:Auth:*</c>).</summary>
    public AuthOptions Auth { get; set; } = new();

    /// <summary>Which projects the bulletin figures count (<c>Dispatch:Bulletin:Subset</c>: key, all, over100Million, over500Million).</summary>
    public BulletinOptions Bulletin { get; set; } = new();

    /// <summary>The clocks of a problem's life (<c>Dispatch:Problems:*</c>).</summary>
    public ProblemOptions Problems { get; set; } = new();

    /// <summary>How many projects or children a meeting reviews at once.</summary>
    public int MeetingFanOut { get; set; } = 64;
}

/// <summary>The bulletin's figures (<c>Dispatch:Bulletin:*</c>).</summary>
public sealed class BulletinOptions
{
    /// <summary>The set of projects a region's <c>bulletin</c> figures count: key projects (≥ 5,000 万), as the sources do.</summary>
    public BulletinSubset Subset { get; set; } = BulletinSubset.Key;
}

/// <summary>Names of the grain storage providers.</summary>
public static class DispatchStorage
{
    public const string Name = "dispatch";
}

/// <summary>How long warnings may wait in an inbox.</summary>
public sealed class EscalationOptions
{
    /// <summary>
    /// How long a warning may stay unacknowledged in one inbox before it passes to the parent region
    /// (事不过夜: one day by default). Tests and demos set seconds.
    /// </summary>
    public TimeSpan AcknowledgeWithin { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Closed warnings stay in inboxes (and closed problems on regions' lists) this long, then only on their project.</summary>
    public TimeSpan KeepClosed { get; set; } = TimeSpan.FromDays(30);
}

/// <summary>Token signing.</summary>
public sealed class AuthOptions
{
    /// <summary>
    /// The HMAC key tokens are signed with (base64 of at least 32 bytes, or a passphrase of at least 32 characters).
    /// Unset, the service creates one on first start and keeps it in its own storage, shared by every silo.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>How long a token lives when its issuer does not say.</summary>
    public TimeSpan DefaultLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The longest an official's, reporter's or viewer's token may live.</summary>
    public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromDays(365);

    /// <summary>The longest an operator's token may live (operator.token included): operators hold the keys to everything.</summary>
    public TimeSpan OperatorMaxLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How often a silo refreshes the list of revoked tokens from the authority (revocations made through a silo apply there at once).</summary>
    public TimeSpan RevocationRefresh { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan LifetimeLimit(Role role) => role == Role.Operator ? OperatorMaxLifetime : MaxLifetime;

    public static byte[] KeyBytes(string configured)
    {
        try
        {
            var bytes = Convert.FromBase64String(configured);
            if (bytes.Length >= 32)
            {
                return bytes;
            }
        }
        catch (FormatException)
        {
            // Not base64: a passphrase.
        }
        var text = System.Text.Encoding.UTF8.GetBytes(configured);
        return text.Length >= 32 ? text : throw new ArgumentException("Dispatch:Auth:SigningKey must be base64 of 32+ bytes or a passphrase of 32+ characters.");
    }
}
