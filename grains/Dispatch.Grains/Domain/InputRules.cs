using Dispatch.Contracts;

namespace Dispatch.Grains.Domain;

/// <summary>
/// The shared checks of free text, amounts and dates against <see cref="Limits"/>, and the validation of problems,
/// decisions and close-outs. Pure: grains, HTTP and import all call these before changing anything.
/// </summary>
public static class InputRules
{
    /// <summary>Text at most <paramref name="max"/> characters, with no control characters but newline and tab.</summary>
    public static void CheckText(List<FieldError> errors, string field, string? value, int max)
    {
        if (value is null)
        {
            return;
        }
        if (value.Length > max)
        {
            errors.Add(new(field, $"{field} is {value.Length:N0} characters long; at most {max:N0} are allowed."));
            return;
        }
        var bad = value.AsSpan().IndexOfAny(s_controls);
        if (bad >= 0)
        {
            errors.Add(new(field, $"{field} contains the control character U+{(int)value[bad]:X4} at position {bad}; only newline and tab are allowed."));
        }
    }

    /// <summary>An amount in 万元 between 0 and <see cref="Limits.MaxAmount"/>.</summary>
    public static void CheckAmount(List<FieldError> errors, string field, decimal? amount)
    {
        if (amount is < 0)
        {
            errors.Add(new(field, $"{field} must be zero or more (万元), not {amount}."));
        }
        else if (amount > Limits.MaxAmount)
        {
            errors.Add(new(field, $"{field} must be at most {Limits.MaxAmount:N0} 万元 (1 万亿元), not {amount}."));
        }
    }

    /// <summary>A planned date or deadline between <see cref="Limits.EarliestDate"/> and <see cref="Limits.LatestPlannedDate"/>.</summary>
    public static void CheckPlannedDate(List<FieldError> errors, string field, DateOnly? date)
    {
        if (date is { } d && (d < Limits.EarliestDate || d > Limits.LatestPlannedDate))
        {
            errors.Add(new(field, $"{field} must lie between {Limits.EarliestDate:yyyy-MM-dd} and {Limits.LatestPlannedDate:yyyy-MM-dd}, not {d:yyyy-MM-dd}."));
        }
    }

    /// <summary>A date something happened: not before <see cref="Limits.EarliestDate"/>, not after today.</summary>
    public static void CheckActualDate(List<FieldError> errors, string field, DateOnly? date, DateOnly today, string what)
    {
        if (date is not { } d)
        {
            return;
        }
        if (d > today)
        {
            errors.Add(new(field, $"{what} cannot be reached on {d:yyyy-MM-dd}, which is in the future (today is {today:yyyy-MM-dd})."));
        }
        else if (d < Limits.EarliestDate)
        {
            errors.Add(new(field, $"{field} must not be before {Limits.EarliestDate:yyyy-MM-dd}, not {d:yyyy-MM-dd}."));
        }
    }

    /// <summary>A bounded list: false (and an error) when it has more than <paramref name="max"/> entries.</summary>
    public static bool CheckCount(List<FieldError> errors, string field, int count, int max, string what)
    {
        if (count <= max)
        {
            return true;
        }
        errors.Add(new(field, $"{count:N0} {what}; at most {max:N0} are allowed."));
        return false;
    }

    /// <summary>A text the request cannot do without: blank is missing.</summary>
    public static void Require(List<FieldError> errors, string field, string? text, string message)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(new(field, message));
        }
    }

    /// <summary>A problem to add to a project that already has <paramref name="problemCount"/> problems.</summary>
    public static IReadOnlyList<FieldError> ValidateProblem(ProblemRequest request, int problemCount)
    {
        var errors = new List<FieldError>();
        Require(errors, "title", request.Title, "A problem needs a title.");
        Require(errors, "category", request.Category, "A problem needs a category (用地, 融资, 能耗指标, 审批, 水电热, 拆迁, …).");
        if (!Enum.IsDefined(request.OwnerLevel))
        {
            errors.Add(new("ownerLevel", "ownerLevel must be district, city or province."));
        }
        CheckText(errors, "title", request.Title, Limits.MaxShortText);
        CheckText(errors, "category", request.Category, Limits.MaxShortText);
        CheckText(errors, "owner", request.Owner, Limits.MaxShortText);
        CheckText(errors, "raisedBy", request.RaisedBy, Limits.MaxShortText);
        CheckPlannedDate(errors, "deadline", request.Deadline);
        if (problemCount >= Limits.MaxProblems)
        {
            errors.Add(new("problems", $"The project already has {problemCount:N0} problems; at most {Limits.MaxProblems:N0} are allowed."));
        }
        return errors;
    }

    /// <summary>A decision to add to minutes that already hold <paramref name="decisionCount"/> decisions.</summary>
    public static IReadOnlyList<FieldError> ValidateDecision(DecisionRequest decision, int decisionCount)
    {
        var errors = new List<FieldError>();
        Require(errors, "text", decision.Text, "A decision needs its text.");
        Require(errors, "by", decision.By, "A decision needs the name of who took it.");
        CheckText(errors, "text", decision.Text, Limits.MaxLongText);
        CheckText(errors, "by", decision.By, Limits.MaxShortText);
        if (decision.ProjectId is not null && string.IsNullOrWhiteSpace(decision.ProjectId))
        {
            errors.Add(new("projectId", "projectId, when given, names a project."));
        }
        CheckText(errors, "projectId", decision.ProjectId, Limits.MaxShortText);
        CheckText(errors, "problemTitle", decision.ProblemTitle, Limits.MaxShortText);
        CheckText(errors, "category", decision.Category, Limits.MaxShortText);
        CheckText(errors, "owner", decision.Owner, Limits.MaxShortText);
        if (decision.OwnerRegionId is not null && string.IsNullOrWhiteSpace(decision.OwnerRegionId))
        {
            errors.Add(new("ownerRegionId", "ownerRegionId, when given, names a region."));
        }
        CheckText(errors, "ownerRegionId", decision.OwnerRegionId, Limits.MaxShortText);
        CheckPlannedDate(errors, "deadline", decision.Deadline);
        if (decisionCount >= Limits.MaxDecisions)
        {
            errors.Add(new("decisions", $"The minutes already hold {decisionCount:N0} decisions; at most {Limits.MaxDecisions:N0} are allowed."));
        }
        return errors;
    }

    /// <summary>
    /// An acknowledgement (确认): who, the measure planned (措施) and the date it is planned by, which lies between today
    /// (China time) and a year ahead: a plan for a warning is not dated in the past nor years away.
    /// </summary>
    public static IReadOnlyList<FieldError> ValidateAcknowledgement(string? by, string? measure, DateOnly? plannedBy, DateOnly today)
    {
        var errors = new List<FieldError>();
        CheckText(errors, "by", by, Limits.MaxShortText);
        CheckText(errors, "measure", measure, Limits.MaxLongText);
        if (plannedBy is { } d && (d < today || d > today.AddYears(1)))
        {
            errors.Add(new("plannedBy", $"plannedBy must lie between today ({today:yyyy-MM-dd}) and a year ahead ({today.AddYears(1):yyyy-MM-dd}), not {d:yyyy-MM-dd}."));
        }
        return errors;
    }

    /// <summary>Who acknowledges, closes out or resolves something, and the note they leave.</summary>
    public static IReadOnlyList<FieldError> ValidateSignOff(string? by, string? note)
    {
        var errors = new List<FieldError>();
        CheckText(errors, "by", by, Limits.MaxShortText);
        CheckText(errors, "note", note, Limits.MaxLongText);
        return errors;
    }

    /// <summary>C0 and C1 control characters and DEL, but line feed, carriage return (of CR LF) and tab.</summary>
    private static readonly System.Buffers.SearchValues<char> s_controls = System.Buffers.SearchValues.Create(
        Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7F, 0x21)).Where(c => c is not ('\n' or '\r' or '\t')).Select(c => (char)c).ToArray());
}
