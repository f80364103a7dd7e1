using Dispatch.Contracts;

namespace Dispatch.Grains.Domain;

/// <summary>
/// 年度计划项目库: a project's line on each year's list, from what offices put (declared plans), the project's own
/// planned start, and carry-over of multi-year projects (结转). Pure functions.
/// </summary>
/// <remarks>
/// A year's plan is, in order: the plan put for that year (withdrawn ones included, they take the project off the
/// list; a plan put without a planned start takes the project's when it falls in that year); else, when the project's planned start (resume) falls in that year, a plan of that date; else, when the
/// project was on last year's list and not completed (竣工) before this year began, a carried-over plan of a
/// continuing project (a new one that has not started yet stays new) with the plan to be confirmed. The year's kind is
/// 续建 (continuing) once the project started in an earlier year. The year's actual start (resume) is the earliest
/// 开工/复工 reached in that year, unless the plan states it.
/// </remarks>
public static class AnnualList
{
    /// <summary>Plans the list holds, one per year, from the first year with a plan through <paramref name="lastYear"/>.</summary>
    public static IReadOnlyList<AnnualPlan> Plans(int lastYear, ProjectProfile profile, IReadOnlyList<Milestone> milestones,
        IReadOnlyDictionary<int, AnnualPlan> declared, IReadOnlyDictionary<int, DateOnly> yearStarts, MilestoneCatalog? catalog = null)
    {
        catalog ??= MilestoneCatalog.Default;
        var starts = StartDates(milestones, yearStarts, catalog);
        var plannedStart = ProjectRules.PlannedStartOf(profile.Kind, milestones, profile.PlannedStart, catalog);
        var completed = ReachedOn(milestones, ProjectStage.Completed, catalog);
        var firstYear = Math.Min(declared.Count > 0 ? declared.Keys.Min() : int.MaxValue, plannedStart?.Year ?? int.MaxValue);
        if (firstYear == int.MaxValue)
        {
            return [];
        }
        firstYear = Math.Max(firstYear, Limits.EarliestDate.Year);
        var plans = new List<AnnualPlan>();
        AnnualPlan? previous = null;
        for (var year = firstYear; year <= lastYear; year++)
        {
            var kind = starts.Any(d => d.Year < year) ? ProjectKind.Continuing : profile.Kind;
            var startedThisYear = starts.Where(d => d.Year == year).Select(d => (DateOnly?)d).FirstOrDefault();
            AnnualPlan? plan = null;
            if (declared.TryGetValue(year, out var put))
            {
                // A plan put without its own date keeps the project's planned start when that falls in the year.
                plan = put with
                {
                    PlannedStart = put.PlannedStart ?? (plannedStart?.Year == year ? plannedStart : null),
                    ActualStart = put.ActualStart ?? startedThisYear,
                };
            }
            else if (plannedStart?.Year == year)
            {
                plan = new AnnualPlan(year, kind, PlanListing.Listed, null, plannedStart, startedThisYear, null, null, null, null, null, null,
                    PlanOrigin.PlannedStart);
            }
            else if (previous is { OnList: true } && !(completed is { } done && done.Year < year) && profile.DeclaredStage is not (>= ProjectStage.Completed))
            {
                plan = new AnnualPlan(year, kind, PlanListing.ToConfirm, null, null, startedThisYear, null, null, previous.KeyProject, null, null, null,
                    PlanOrigin.CarriedOver);
            }
            if (plan is not null)
            {
                plans.Add(plan);
            }
            previous = plan;
        }
        return plans;
    }

    /// <summary>The plan of one year, or null when the project is not on that year's list at all.</summary>
    public static AnnualPlan? PlanOf(int year, ProjectProfile profile, IReadOnlyList<Milestone> milestones,
        IReadOnlyDictionary<int, AnnualPlan> declared, IReadOnlyDictionary<int, DateOnly> yearStarts, MilestoneCatalog? catalog = null) =>
        Plans(year, profile, milestones, declared, yearStarts, catalog).FirstOrDefault(p => p.Year == year);

    /// <summary>
    /// The year a profile's single <c>annualPlanInvestment</c> belongs to (the shorthand of older clients, and stored
    /// projects from before the annual list): the year of the planned start (resume), else <paramref name="fallbackYear"/>.
    /// </summary>
    public static int ShorthandYear(ProjectProfile profile, IReadOnlyList<Milestone> milestones, int fallbackYear, MilestoneCatalog? catalog = null) =>
        ProjectRules.PlannedStartOf(profile.Kind, milestones, profile.PlannedStart, catalog)?.Year ?? fallbackYear;

    /// <summary>A year's declared plan with the profile's shorthand planned investment applied.</summary>
    public static AnnualPlan WithShorthand(AnnualPlan? declared, int year, ProjectKind kind, decimal investment) =>
        declared is null
            ? new AnnualPlan(year, kind, PlanListing.Listed, investment, null, null, null, null, null, null, null, null)
            : declared with { PlannedInvestment = investment };

    /// <summary>The plan an office's request makes of a year, given what was declared for it before.</summary>
    public static AnnualPlan FromRequest(int year, AnnualPlanRequest request, AnnualPlan? before, ProjectKind defaultKind, string by, DateTimeOffset now)
    {
        var withdrawn = request.Withdrawn == true;
        var monthly = request.MonthlyPlan is { Count: > 0 } months ? months.ToList() : null;
        return new AnnualPlan(year, request.Kind ?? before?.Kind ?? defaultKind,
            withdrawn ? PlanListing.Withdrawn : PlanListing.Listed,
            request.PlannedInvestment ?? monthly?.Sum(),
            request.PlannedStart, request.ActualStart, monthly, request.FundsInPlace, request.KeyProject,
            withdrawn ? request.WithdrawnReason!.Trim() : null,
            withdrawn ? (before is { Listing: PlanListing.Withdrawn } ? before.WithdrawnBy : by) : null,
            withdrawn ? (before is { Listing: PlanListing.Withdrawn } ? before.WithdrawnAt : now) : null);
    }

    /// <summary>Checks a year's plan request against the project; every field at fault.</summary>
    public static IReadOnlyList<FieldError> Validate(int year, AnnualPlanRequest request, ProjectProfile profile, DateOnly today)
    {
        var errors = new List<FieldError>();
        // Next year's list is drawn up in the autumn; a few years ahead covers multi-year plans.
        if (year < Limits.EarliestDate.Year || year > today.Year + MaxYearsAhead)
        {
            errors.Add(new("year", $"year must lie between {Limits.EarliestDate.Year} and {today.Year + MaxYearsAhead}, not {year}."));
            return errors;
        }
        if (request.Kind is { } kind && !Enum.IsDefined(kind))
        {
            errors.Add(new("kind", "kind must be 'new' (新开工) or 'continuing' (续建)."));
        }
        InputRules.CheckAmount(errors, "plannedInvestment", request.PlannedInvestment);
        InputRules.CheckAmount(errors, "fundsInPlace", request.FundsInPlace);
        if (profile.TotalInvestment is { } total && request.PlannedInvestment is { } planned && planned > total && planned <= Limits.MaxAmount)
        {
            errors.Add(new("plannedInvestment", $"The year's planned investment ({planned} 万) exceeds the project's total investment ({total} 万)."));
        }
        CheckInYear(errors, "plannedStart", request.PlannedStart, year);
        CheckInYear(errors, "actualStart", request.ActualStart, year);
        InputRules.CheckActualDate(errors, "actualStart", request.ActualStart, today, "The year's start (resume)");
        if (request.MonthlyPlan is { Count: > 0 } months)
        {
            if (months.Count != 12)
            {
                errors.Add(new("monthlyPlan", $"A monthly plan (分月计划) has 12 amounts, January to December; this one has {months.Count}."));
            }
            else
            {
                for (var i = 0; i < months.Count; i++)
                {
                    InputRules.CheckAmount(errors, $"monthlyPlan[{i}]", months[i]);
                }
                if (errors.Count == 0 && request.PlannedInvestment is { } whole && Math.Abs(months.Sum() - whole) > 0.01m)
                {
                    errors.Add(new("monthlyPlan", $"The monthly plan adds up to {months.Sum()} 万, not the year's planned investment of {whole} 万."));
                }
            }
        }
        if (request.Withdrawn == true)
        {
            InputRules.Require(errors, "withdrawnReason", request.WithdrawnReason, "Say why the project leaves the year's list (退库原因).");
            InputRules.CheckText(errors, "withdrawnReason", request.WithdrawnReason, Limits.MaxLongText);
        }
        else if (request.WithdrawnReason is not null)
        {
            errors.Add(new("withdrawnReason", "withdrawnReason goes with withdrawn: true."));
        }
        return errors;
    }

    /// <summary>How many years ahead a plan may be put.</summary>
    public const int MaxYearsAhead = 5;

    /// <summary>
    /// The share of the year's plan due by <paramref name="asOf"/> under a monthly plan (分月计划): the months before
    /// asOf's month in full, and asOf's month in proportion to its days elapsed.
    /// </summary>
    public static decimal MonthlyShare(IReadOnlyList<decimal> months, DateOnly asOf)
    {
        var total = months.Sum();
        if (total <= 0m || months.Count != 12)
        {
            return 0m;
        }
        var due = 0m;
        for (var m = 1; m < asOf.Month; m++)
        {
            due += months[m - 1];
        }
        due += months[asOf.Month - 1] * asOf.Day / DateTime.DaysInMonth(asOf.Year, asOf.Month);
        return due / total;
    }

    /// <summary>The first day a milestone marking <paramref name="stage"/> was reached, null when none has been.</summary>
    public static DateOnly? ReachedOn(IReadOnlyList<Milestone> milestones, ProjectStage stage, MilestoneCatalog? catalog = null)
    {
        catalog ??= MilestoneCatalog.Default;
        return milestones.Where(m => m.ActualDate is not null && catalog.StageOf(m.Name) == stage).Min(m => m.ActualDate);
    }

    /// <summary>When a milestone marking <paramref name="stage"/> is planned, null when the plan has none.</summary>
    public static DateOnly? PlannedOn(IReadOnlyList<Milestone> milestones, ProjectStage stage, MilestoneCatalog? catalog = null)
    {
        catalog ??= MilestoneCatalog.Default;
        return milestones.Where(m => catalog.StageOf(m.Name) == stage).Min(m => (DateOnly?)m.PlannedDate);
    }

    /// <summary>Every 开工/复工 day known: those reports recorded per year, and those on the milestones now.</summary>
    private static List<DateOnly> StartDates(IReadOnlyList<Milestone> milestones, IReadOnlyDictionary<int, DateOnly> yearStarts, MilestoneCatalog catalog)
    {
        var dates = yearStarts.Values.ToList();
        dates.AddRange(milestones.Where(m => m.ActualDate is not null && catalog.IsStart(m.Name)).Select(m => m.ActualDate!.Value));
        dates.Sort();
        return dates;
    }

    private static void CheckInYear(List<FieldError> errors, string field, DateOnly? date, int year)
    {
        if (date is { } d && d.Year != year)
        {
            errors.Add(new(field, $"{field} {d:yyyy-MM-dd} is not in {year}; each year's plan holds that year's date."));
        }
    }
}
