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

    /// <summary>The working-day clock (<c>Dispatch:Calendar:*</c>).</summary>
    public CalendarOptions Calendar { get; set; } = new();

    /// <summary>Bearer tokens (<c>Dispatch:Auth:*</c>).</summary>
    public AuthOptions Auth { get; set; } = new();

    /// <summary>Which projects the bulletin figures count (<c>Dispatch:Bulletin:Subset</c>: key, all, over100Million, over500Million).</summary>
    public BulletinOptions Bulletin { get; set; } = new();

    /// <summary>The clocks of a problem's life (<c>Dispatch:Problems:*</c>).</summary>
    public ProblemOptions Problems { get; set; } = new();

    /// <summary>How many projects or children a meeting reviews at once.</summary>
    public int MeetingFanOut { get; set; } = 64;

    /// <summary>Outgoing webhooks (<c>Dispatch:Webhooks:*</c>).</summary>
    public WebhookOptions Webhooks { get; set; } = new();
}

/// <summary>Outgoing webhooks (<c>Dispatch:Webhooks:*</c>).</summary>
public sealed class WebhookOptions
{
    /// <summary>
    /// The hosts a webhook target may point at, kept by the operators (<see cref="Domain.WebhookAllowList"/>): empty, no
    /// webhook can be created.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>How long one attempt may take, connection and answer together.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The wait after the first failed attempt; each further one waits four times longer, up to <see cref="MaxRetryAfter"/>.</summary>
    public TimeSpan FirstRetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>An event still undelivered this long after it was queued is given up (recorded as failed).</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Events one subscription may hold waiting; beyond it the oldest is dropped (and counted).</summary>
    public int MaxPending { get; set; } = 1_000;
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

/// <summary>How long warnings may wait in an inbox, per level (<c>Dispatch:Escalation:*</c>).</summary>
public sealed class EscalationOptions
{
    /// <summary>
    /// How long a warning may stay unacknowledged in one inbox before it passes to the parent region (事不过夜: one
    /// working day by default), at every level that does not set its own. Tests and demos set seconds.
    /// </summary>
    public TimeSpan AcknowledgeWithin { get; set; } = TimeSpan.FromDays(1);

    /// <summary>A district's windows (<c>Dispatch:Escalation:District:*</c>); a district solves in 10 working days.</summary>
    public LevelWindows District { get; set; } = new() { ResolveWithin = TimeSpan.FromDays(10) };

    /// <summary>A city's windows (<c>Dispatch:Escalation:City:*</c>); the province is the top, nothing passes up from it.</summary>
    public LevelWindows City { get; set; } = new() { ResolveWithin = TimeSpan.FromDays(15) };

    /// <summary>Closed warnings stay in inboxes (and closed problems on regions' lists) this long, then only on their project.</summary>
    public TimeSpan KeepClosed { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long an open warning may wait unacknowledged at a level.</summary>
    public EscalationWindow Acknowledge(RegionLevel level) => new(Of(level).AcknowledgeWithin ?? AcknowledgeWithin, Of(level).AcknowledgeCounts);

    /// <summary>How long an acknowledged warning's cause may persist at a level, from the acknowledgement, before it passes up.</summary>
    public EscalationWindow Resolve(RegionLevel level) => new(Of(level).ResolveWithin, Of(level).ResolveCounts);

    // The province is the top: what reaches it stays there, so it has no windows of its own.
    private LevelWindows Of(RegionLevel level) => level == RegionLevel.District ? District : City;
}

/// <summary>The windows of one level; each counts working time unless it says <c>Calendar</c>.</summary>
public sealed class LevelWindows
{
    /// <summary>Unset: <see cref="EscalationOptions.AcknowledgeWithin"/>.</summary>
    public TimeSpan? AcknowledgeWithin { get; set; }

    public WindowCount AcknowledgeCounts { get; set; } = WindowCount.Working;

    /// <summary>How long the cause of an acknowledged warning may persist here before the warning passes up (the level could not solve it).</summary>
    public TimeSpan ResolveWithin { get; set; } = TimeSpan.FromDays(10);

    public WindowCount ResolveCounts { get; set; } = WindowCount.Working;
}

/// <summary>The working-day clock escalation counts on (<c>Dispatch:Calendar:*</c>).</summary>
public sealed class CalendarOptions
{
    /// <summary><c>Office</c>: holidays, make-up days and office hours; <c>AroundTheClock</c>: 24×7, working time is calendar time.</summary>
    public CalendarMode Mode { get; set; } = CalendarMode.Office;

    /// <summary>Office hours of a working day, China time.</summary>
    public string OfficeHours { get; set; } = "08:30-12:00,13:30-17:30";

    /// <summary>The shipped data file (relative paths from the silo's folder).</summary>
    public string File { get; set; } = "calendar/cn-calendar.csv";

    /// <summary>An operator's file in the same form, read after the shipped one: its rows add dates or override them.</summary>
    public string? ExtraFile { get; set; }
}

public enum CalendarMode
{
    Office = 0,
    AroundTheClock = 1,
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
