using Dispatch.Contracts;

namespace Dispatch.Grains.Domain;

/// <summary>The clocks of a problem's life (问题清单), in working days after the step that starts them (<see cref="ProblemClocks"/>).</summary>
public sealed class ProblemOptions
{
    /// <summary>事不过夜: a raised problem is accepted (受理) by the owning level's office the same working day (0) by default.</summary>
    public int AcceptWithinDays { get; set; }

    /// <summary>A problem reported solved (办结) is verified (销号) or sent back (驳回) by the supervising level within this many working days.</summary>
    public int VerifyWithinDays { get; set; } = 5;
}

/// <summary>
/// The problem clocks as counted: the settings' working days on the working-day clock (calendar days when it runs
/// <see cref="WorkingCalendar.AroundTheClock"/>). A step is due by the close of a day, so it is missed from the next.
/// </summary>
public sealed record ProblemClocks(ProblemOptions Options, WorkingCalendar Calendar)
{
    public DateOnly AcceptBy(DateTimeOffset from) => Calendar.DueDay(from, Options.AcceptWithinDays);

    public DateOnly VerifyBy(DateTimeOffset from) => Calendar.DueDay(from, Options.VerifyWithinDays);
}

/// <summary>Who takes a step of a problem's life, and when (the instant, and its day in China time).</summary>
public sealed record ProblemActor(string By, DateTimeOffset At, DateOnly Today);

/// <summary>A region on the way up from a project's region: its id and level.</summary>
public sealed record RegionStep(string Id, RegionLevel Level);

/// <summary>
/// The life of a problem (问题清单) as a state machine: 上报 raised → 受理 accepted (首办负责, 事不过夜) → 办结 reported
/// solved → 销号 closed out by the supervising level, or 驳回 sent back to accepted; 转办 hands it to another office or
/// level (to be accepted again); 挂牌督办 puts it under a superior's flag. Every step has a clock, and a missed one
/// takes an unflagged problem up one level, flagged there. Pure: each step answers the problem as it is after the
/// step (the very same instance when nothing changed), or the fields that kept it from happening.
/// </summary>
public static class ProblemLifecycle
{
    /// <summary>Who takes the steps the clocks force (escalation).</summary>
    public const string System = "system";

    /// <summary>A new problem, raised (上报) with the accept clock running from now.</summary>
    public static ProblemView Raise(string id, string projectId, ProblemRequest request, string ownerRegionId, ProblemActor actor, ProblemClocks clocks) =>
        new(id, projectId, request.Title.Trim(), request.Category.Trim(), request.OwnerLevel, ownerRegionId, request.Owner?.Trim(), request.Deadline,
            ProblemStatus.Raised, false, actor.At, request.MeetingId, null, null, null,
            RaisedBy: request.RaisedBy?.Trim() ?? actor.By, AcceptBy: clocks.AcceptBy(actor.At),
            Steps: [new ProblemStep(ProblemAction.Raised, request.RaisedBy?.Trim() ?? actor.By, actor.At)]);

    /// <summary>受理: the owning level's office takes a raised problem in hand; the first to accept owns it (首办负责).</summary>
    public static ChangeResult<ProblemView> Accept(ProblemView p, ProblemAcceptance acceptance, ProblemActor actor)
    {
        var errors = new List<FieldError>();
        InputRules.Require(errors, "responsibleOffice", acceptance.ResponsibleOffice, "Name the responsible office (责任单位) that works the problem.");
        InputRules.Require(errors, "leader", acceptance.Leader, "Name the leader who answers for the problem.");
        InputRules.CheckText(errors, "responsibleOffice", acceptance.ResponsibleOffice, Limits.MaxShortText);
        InputRules.CheckText(errors, "leader", acceptance.Leader, Limits.MaxShortText);
        CheckDeadline(errors, "deadline", acceptance.Deadline, actor.Today);
        if (errors.Count == 0 && p.Status != ProblemStatus.Raised)
        {
            errors.Add(p.Status == ProblemStatus.Closed ? ClosedAlready(p)
                : new FieldError("status", $"Problem '{p.Id}' was accepted by {p.AcceptedBy} ({p.ResponsibleOffice}), who owns it (首办负责); transfer it (转办) to hand it on."));
        }
        if (errors.Count > 0)
        {
            return ChangeResult<ProblemView>.Failed(errors);
        }
        return ChangeResult<ProblemView>.Ok(With(p with
        {
            Status = ProblemStatus.Accepted,
            ResponsibleOffice = acceptance.ResponsibleOffice!.Trim(),
            Leader = acceptance.Leader!.Trim(),
            Deadline = acceptance.Deadline!.Value,
            AcceptedBy = actor.By,
            AcceptedAt = actor.At,
        }, ProblemAction.Accepted, actor, $"{acceptance.ResponsibleOffice.Trim()} / {acceptance.Leader.Trim()}, {acceptance.Deadline:yyyy-MM-dd}"));
    }

    /// <summary>
    /// 转办: hands a problem not yet reported solved to another office (<see cref="ProblemTransfer.ToOffice"/>) or level
    /// (<paramref name="toRegion"/>, the project's region of that level, null when it has none), with a reason. The new
    /// owner accepts it afresh, on a new accept clock; a flag stays.
    /// </summary>
    public static ChangeResult<ProblemView> Transfer(ProblemView p, ProblemTransfer transfer, RegionStep? toRegion, ProblemActor actor, ProblemClocks clocks)
    {
        var errors = new List<FieldError>();
        InputRules.Require(errors, "reason", transfer.Reason, "Say why the problem is transferred (转办).");
        InputRules.CheckText(errors, "reason", transfer.Reason, Limits.MaxLongText);
        InputRules.CheckText(errors, "toOffice", transfer.ToOffice, Limits.MaxShortText);
        if (transfer.ToLevel is null && string.IsNullOrWhiteSpace(transfer.ToOffice))
        {
            errors.Add(new("toLevel", "Name the level (toLevel: district, city or province) or the office (toOffice) the problem goes to."));
        }
        else if (transfer.ToLevel is { } level && (!Enum.IsDefined(level) || toRegion?.Level != level))
        {
            errors.Add(new("toLevel", $"The project has no region at level '{level.ToString().ToLowerInvariant()}' above it; transfer to its district, city or province."));
        }
        var region = toRegion ?? new RegionStep(p.OwnerRegionId, p.OwnerLevel);
        var office = string.IsNullOrWhiteSpace(transfer.ToOffice) ? (region.Id == p.OwnerRegionId ? p.Owner : null) : transfer.ToOffice.Trim();
        if (errors.Count == 0 && region.Id == p.OwnerRegionId && office == p.Owner)
        {
            errors.Add(new("toOffice", $"Problem '{p.Id}' is already with {office ?? region.Id}; name another office or level."));
        }
        if (errors.Count == 0 && p.Status is not (ProblemStatus.Raised or ProblemStatus.Accepted))
        {
            errors.Add(p.Status == ProblemStatus.Closed ? ClosedAlready(p)
                : new FieldError("status", $"Problem '{p.Id}' is reported solved; the supervising level verifies it or sends it back (驳回) before it can be transferred."));
        }
        if (errors.Count > 0)
        {
            return ChangeResult<ProblemView>.Failed(errors);
        }
        return ChangeResult<ProblemView>.Ok(With(p with
        {
            Status = ProblemStatus.Raised,
            OwnerRegionId = region.Id,
            OwnerLevel = region.Level,
            Owner = office,
            AcceptBy = clocks.AcceptBy(actor.At),
            ResponsibleOffice = null,
            Leader = null,
            AcceptedBy = null,
            AcceptedAt = null,
        }, ProblemAction.Transferred, actor, $"→ {office ?? region.Id} ({region.Id}): {transfer.Reason!.Trim()}"));
    }

    /// <summary>
    /// 挂牌督办: a region above the owner (<paramref name="aboveOwner"/>, the owner's ancestors nearest first) flags the
    /// problem with a grade, a new deadline and a supervising official. A flag is replaced only from its own level or
    /// above.
    /// </summary>
    public static ChangeResult<ProblemView> Flag(ProblemView p, ProblemFlagRequest flag, IReadOnlyList<string> aboveOwner, ProblemActor actor)
    {
        var errors = new List<FieldError>();
        if (flag.Grade is not { } grade || !Enum.IsDefined(grade))
        {
            errors.Add(new("grade", "grade is required: yellowCard (黄牌) or redCard (红牌)."));
        }
        CheckDeadline(errors, "deadline", flag.Deadline, actor.Today);
        InputRules.Require(errors, "supervisingOfficial", flag.SupervisingOfficial, "Name the supervising official (督办领导).");
        InputRules.CheckText(errors, "supervisingOfficial", flag.SupervisingOfficial, Limits.MaxShortText);
        InputRules.CheckText(errors, "regionId", flag.RegionId, Limits.MaxShortText);
        var level = flag.RegionId is null ? -1 : IndexOf(aboveOwner, flag.RegionId);
        if (flag.RegionId is null)
        {
            errors.Add(new("regionId", "Name the flagging region (regionId)."));
        }
        else if (level < 0)
        {
            errors.Add(new("regionId", $"A flag comes from a level above the owner {p.OwnerRegionId}: {(aboveOwner.Count == 0 ? "none is" : string.Join(" or ", aboveOwner))}, not {flag.RegionId}."));
        }
        else if (p.Flag is { } current && IndexOf(aboveOwner, current.RegionId) > level)
        {
            errors.Add(new("regionId", $"{current.RegionId} flagged this problem; only it or a level above replaces its flag."));
        }
        if (errors.Count == 0 && p.Status == ProblemStatus.Closed)
        {
            errors.Add(ClosedAlready(p));
        }
        if (errors.Count > 0)
        {
            return ChangeResult<ProblemView>.Failed(errors);
        }
        var placed = new ProblemFlag(flag.Grade!.Value, flag.RegionId!, flag.Deadline!.Value, flag.SupervisingOfficial!.Trim(), actor.By, actor.At);
        return ChangeResult<ProblemView>.Ok(With(p with { Flagged = true, Flag = placed, Deadline = placed.Deadline },
            ProblemAction.Flagged, actor, $"{placed.Grade} {placed.RegionId} {placed.SupervisingOfficial}, {placed.Deadline:yyyy-MM-dd}"));
    }

    /// <summary>办结: the owner reports an accepted problem solved; the supervising level's verify clock starts.</summary>
    public static ChangeResult<ProblemView> ReportSolved(ProblemView p, string? note, ProblemActor actor, ProblemClocks clocks)
    {
        var errors = new List<FieldError>();
        InputRules.Require(errors, "note", note, "Say how the problem was solved (note).");
        InputRules.CheckText(errors, "note", note, Limits.MaxLongText);
        if (errors.Count == 0 && p.Status != ProblemStatus.Accepted)
        {
            errors.Add(p.Status switch
            {
                ProblemStatus.Closed => ClosedAlready(p),
                ProblemStatus.ReportedSolved => new FieldError("status", $"Problem '{p.Id}' is already reported solved; the supervising level verifies it."),
                _ => new FieldError("status", $"Problem '{p.Id}' has not been accepted (受理); accept it first, naming the responsible office."),
            });
        }
        if (errors.Count > 0)
        {
            return ChangeResult<ProblemView>.Failed(errors);
        }
        return ChangeResult<ProblemView>.Ok(With(p with { Status = ProblemStatus.ReportedSolved, VerifyBy = clocks.VerifyBy(actor.At) },
            ProblemAction.ReportedSolved, actor, note!.Trim()));
    }

    /// <summary>
    /// 销号: the supervising level verifies and closes the problem out, normally once reported solved (a level that
    /// checks it solved on the spot closes it out from any open state). A closed problem answers as it is.
    /// </summary>
    public static ChangeResult<ProblemView> Verify(ProblemView p, string? note, ProblemActor actor)
    {
        var errors = new List<FieldError>();
        InputRules.CheckText(errors, "note", note, Limits.MaxLongText);
        if (errors.Count > 0)
        {
            return ChangeResult<ProblemView>.Failed(errors);
        }
        return ChangeResult<ProblemView>.Ok(p.Status == ProblemStatus.Closed ? p
            : With(p with { Status = ProblemStatus.Closed, ResolvedBy = actor.By, ResolvedAt = actor.At, ResolutionNote = note, VerifyBy = null },
                ProblemAction.Closed, actor, note));
    }

    /// <summary>驳回: the supervising level sends a problem reported solved back to its owner, accepted again, with a reason.</summary>
    public static ChangeResult<ProblemView> Reject(ProblemView p, string? reason, ProblemActor actor)
    {
        var errors = new List<FieldError>();
        InputRules.Require(errors, "reason", reason, "Say why the problem is sent back (驳回).");
        InputRules.CheckText(errors, "reason", reason, Limits.MaxLongText);
        if (errors.Count == 0 && p.Status != ProblemStatus.ReportedSolved)
        {
            errors.Add(p.Status == ProblemStatus.Closed ? ClosedAlready(p)
                : new FieldError("status", $"Problem '{p.Id}' is not reported solved; only a problem reported solved (办结) is sent back."));
        }
        if (errors.Count > 0)
        {
            return ChangeResult<ProblemView>.Failed(errors);
        }
        return ChangeResult<ProblemView>.Ok(With(p with { Status = ProblemStatus.Accepted, VerifyBy = null }, ProblemAction.Rejected, actor, reason!.Trim()));
    }

    /// <summary>
    /// The day by which the step in hand is due, after which it is missed: acceptance (or the deadline, if earlier) for
    /// a raised problem, the deadline for an accepted one, verification for one reported solved; null when closed.
    /// Problems stored before the accept clock have none.
    /// </summary>
    public static DateOnly? DueOn(ProblemView p) => p.Status switch
    {
        ProblemStatus.Raised => p.AcceptBy is { } accept && accept < p.Deadline ? accept : p.Deadline,
        ProblemStatus.Accepted => p.Deadline,
        ProblemStatus.ReportedSolved => p.VerifyBy,
        _ => null,
    };

    /// <summary>Whether an unflagged problem missed its step by <paramref name="asOf"/>, so goes up one level.</summary>
    public static bool Missed(ProblemView p, DateOnly asOf) => !p.Flagged && DueOn(p) is { } due && due < asOf;

    /// <summary>
    /// 挂牌督办 by escalation: a problem that missed its step goes up to <paramref name="parent"/>, flagged there (a
    /// yellow card, the deadline kept). The owner's missed step (accept, solve) moves the ownership up too, as the
    /// sources say ("what a district cannot solve goes up to the city"); a missed verification only moves the
    /// supervision. The new level's clock starts when the missed step lapsed (the close of office hours on its due day),
    /// so a review that notices late gives it no extra time. At the top (no parent) it is flagged where it is. A problem
    /// that missed nothing is answered as is.
    /// </summary>
    public static ProblemView Escalate(ProblemView p, DateOnly asOf, RegionStep? parent, ProblemClocks clocks, DateTimeOffset at)
    {
        if (!Missed(p, asOf))
        {
            return p;
        }
        var actor = new ProblemActor(System, at, asOf);
        if (parent is null)
        {
            return With(p with { Flagged = true }, ProblemAction.Escalated, actor, $"missed its step due {DueOn(p):yyyy-MM-dd}");
        }
        var flag = new ProblemFlag(FlagGrade.YellowCard, parent.Id, p.Deadline, null, System, at);
        // It reached the new level when the missed step lapsed, not when a review noticed: the new clock runs from then.
        var reached = clocks.Calendar.ClosingOf(DueOn(p)!.Value);
        var escalated = p.Status == ProblemStatus.ReportedSolved
            ? p with { Flagged = true, Flag = flag, VerifyBy = clocks.VerifyBy(reached) }
            : p with
            {
                Flagged = true, Flag = flag, OwnerRegionId = parent.Id, OwnerLevel = parent.Level,
                AcceptBy = p.Status == ProblemStatus.Raised ? clocks.AcceptBy(reached) : p.AcceptBy,
            };
        return With(escalated, ProblemAction.Escalated, actor, $"missed its step due {DueOn(p):yyyy-MM-dd}; up to {parent.Id}");
    }

    private static ProblemView With(ProblemView p, ProblemAction action, ProblemActor actor, string? note)
    {
        var steps = (p.Steps ?? []).Append(new ProblemStep(action, actor.By, actor.At, note)).ToList();
        if (steps.Count > Limits.MaxProblemSteps)
        {
            // The first step says who raised it; the oldest of the rest go.
            steps.RemoveAt(1);
        }
        return p with { Steps = steps };
    }

    private static void CheckDeadline(List<FieldError> errors, string field, DateOnly? deadline, DateOnly today)
    {
        if (deadline is not { } d)
        {
            errors.Add(new(field, $"{field} is required (yyyy-MM-dd)."));
            return;
        }
        if (d < today)
        {
            errors.Add(new(field, $"{field} {d:yyyy-MM-dd} has passed (today is {today:yyyy-MM-dd})."));
            return;
        }
        InputRules.CheckPlannedDate(errors, field, d);
    }

    private static FieldError ClosedAlready(ProblemView p) =>
        new("status", $"Problem '{p.Id}' was closed out (销号) by {p.ResolvedBy} on {p.ResolvedAt:yyyy-MM-dd}.");

    private static int IndexOf(IReadOnlyList<string> regions, string id)
    {
        for (var i = 0; i < regions.Count; i++)
        {
            if (regions[i] == id)
            {
                return i;
            }
        }
        return -1;
    }
}
