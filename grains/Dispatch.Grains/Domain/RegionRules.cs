using Dispatch.Contracts;

namespace Dispatch.Grains.Domain;

/// <summary>Hierarchy checks and the tally of a roster.</summary>
public static class RegionRules
{
    /// <summary>The level a child of a region of this level has: province → city → district.</summary>
    public static RegionLevel? ChildLevelOf(RegionLevel level) => level switch
    {
        RegionLevel.Province => RegionLevel.City,
        RegionLevel.City => RegionLevel.District,
        _ => null,
    };

    /// <summary>Checks a definition; <paramref name="parent"/> is the parent's definition, null when it does not exist.</summary>
    public static IReadOnlyList<FieldError> Validate(string id, RegionDefinition definition, RegionDefinition? parent)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(definition.Name))
        {
            errors.Add(new("name", "A region needs a name."));
        }
        InputRules.CheckText(errors, "name", definition.Name, Limits.MaxShortText);
        InputRules.CheckText(errors, "parentId", definition.ParentId, Limits.MaxShortText);
        InputRules.CheckText(errors, "divisionCode", definition.DivisionCode, Limits.MaxShortText);
        if (!Enum.IsDefined(definition.Level))
        {
            errors.Add(new("level", "level must be 'province', 'city' or 'district'."));
            return errors;
        }
        if (definition.Level == RegionLevel.Province)
        {
            if (!string.IsNullOrEmpty(definition.ParentId))
            {
                errors.Add(new("parentId", "A province has no parent region."));
            }
            return errors;
        }
        if (string.IsNullOrWhiteSpace(definition.ParentId))
        {
            errors.Add(new("parentId", $"A {definition.Level.ToString().ToLowerInvariant()} needs the id of its parent region."));
        }
        else if (definition.ParentId == id)
        {
            errors.Add(new("parentId", "A region cannot be its own parent."));
        }
        else if (parent is null)
        {
            errors.Add(new("parentId", $"No region '{definition.ParentId}' is known; define the parent first."));
        }
        else if (ChildLevelOf(parent.Level) != definition.Level)
        {
            errors.Add(new("parentId", $"'{definition.ParentId}' is a {parent.Level.ToString().ToLowerInvariant()}; a {definition.Level.ToString().ToLowerInvariant()} cannot sit under it."));
        }
        return errors;
    }

    /// <summary>
    /// Counts and sums of the projects on a roster as of a date: each project's light of that date (from its dated
    /// light changes), and the year's list (<see cref="AnnualList"/>) as of that date, whole and by tier.
    /// </summary>
    public static RegionTally Tally(IEnumerable<ProjectSummary> projects, DateOnly asOf)
    {
        int count = 0, green = 0, yellow = 0, red = 0;
        ListTally all = ListTally.Empty, key = ListTally.Empty, over100M = ListTally.Empty, over500M = ListTally.Empty;
        foreach (var p in projects)
        {
            count++;
            switch (LightOn(p, asOf))
            {
                case Light.Red: red++; break;
                case Light.Yellow: yellow++; break;
                default: green++; break;
            }
            var (line, keyProject) = ListLine(p, asOf);
            all = all.Add(line);
            if (keyProject)
            {
                key = key.Add(line);
            }
            if (p.TotalInvestment >= ProjectRules.CountyCoordinatedFrom)
            {
                over100M = over100M.Add(line);
            }
            if (p.TotalInvestment >= ProjectRules.CityCoordinatedFrom)
            {
                over500M = over500M.Add(line);
            }
        }
        return new RegionTally(count, new LightCounts(green, yellow, red), all, key, over100M, over500M);
    }

    /// <summary>
    /// A project's light on a date: the last change on or before it; green before its first (no warning had been
    /// raised). A summary without changes (kept before they were) has only its current light.
    /// </summary>
    public static Light LightOn(ProjectSummary p, DateOnly asOf)
    {
        if (p.LightChanges is not { Count: > 0 } changes)
        {
            return p.Light;
        }
        var light = Light.Green;
        foreach (var change in changes)
        {
            if (change.From > asOf)
            {
                break;
            }
            light = change.Light;
        }
        return light;
    }

    /// <summary>The year-to-date investment completed as it stood on a date: the latest figure of that year on or before it.</summary>
    public static decimal? CompletedOn(ProjectSummary p, DateOnly asOf)
    {
        if (p.Figures is not { } figures)
        {
            return p.InvestmentByYear.FirstOrDefault(y => y.Year == asOf.Year)?.Completed;
        }
        decimal? completed = null;
        foreach (var f in figures)
        {
            if (f.Year == asOf.Year && f.AsOf <= asOf)
            {
                completed = f.Completed;
            }
        }
        return completed;
    }

    /// <summary>One project's contribution to the year's list as of a date, and whether it counts as a key project.</summary>
    private static (ListTally Line, bool Key) ListLine(ProjectSummary p, DateOnly asOf)
    {
        var year = asOf.Year;
        var plan = p.Plans?.FirstOrDefault(x => x.Year == year);
        var thisYear = Bounded(CompletedOn(p, asOf) ?? 0m);
        var lastYearFigure = CompletedOn(p, SameDayLastYear(asOf));
        var lastYear = Bounded(lastYearFigure ?? 0m);
        var keyProject = plan?.KeyProject ?? p.TotalInvestment >= ProjectRules.KeyProjectFrom;
        if (plan is not { OnList: true })
        {
            return (ListTally.Empty with { CompletedThisYear = thisYear, CompletedSameDayLastYear = lastYear, HasLastYear = lastYearFigure is not null }, keyProject);
        }
        var started = plan.ActualStart is { } actual && actual <= asOf;
        var isNew = plan.Kind == ProjectKind.New;
        var completionDue = p.CompletionPlanned is { } cp && cp.Year == year && cp <= asOf;
        var productionDue = p.ProductionPlanned is { } pp && pp.Year == year && pp <= asOf;
        // Amounts are held to Limits.MaxAmount on input; held to it here too (a state stored before the ceiling
        // existed may exceed it), no sum over any roster can overflow.
        return (new ListTally(
            1,
            isNew ? 1 : 0,
            isNew && started ? 1 : 0,
            isNew ? 0 : 1,
            !isNew && started ? 1 : 0,
            Bounded(plan.PlannedInvestment ?? 0m),
            thisYear,
            Bounded(plan.FundsInPlace ?? 0m),
            completionDue ? 1 : 0,
            completionDue && p.CompletedOn is { } done && done <= p.CompletionPlanned!.Value ? 1 : 0,
            productionDue ? 1 : 0,
            productionDue && p.ProductionOn is { } on && on <= asOf ? 1 : 0,
            started ? Bounded(p.TotalInvestment ?? 0m) : 0m,
            thisYear,
            lastYear,
            lastYearFigure is not null,
            plan.FundsInPlace is null ? 0 : 1), keyProject);
    }

    /// <summary>The same day a year earlier (29 February → 28 February).</summary>
    public static DateOnly SameDayLastYear(DateOnly asOf) => asOf.AddYears(-1);

    /// <summary>The bulletin figures of one set of projects.</summary>
    public static RegionRates RatesOf(ListTally t) => new(
        Fraction(t.NewStarted + t.ContinuingResumed, t.NewPlanned + t.ContinuingPlanned),
        Fraction(t.NewStarted, t.NewPlanned),
        Fraction(t.ContinuingResumed, t.ContinuingPlanned),
        Share(t.InvestmentCompleted, t.PlannedInvestment),
        // Unknown, not 0 %, until some project on the list states its funds in place.
        t.FundsStated > 0 ? Share(t.FundsInPlace, t.PlannedInvestment) : null,
        Fraction(t.CompletedOnTime, t.CompletionDue),
        Fraction(t.InProduction, t.ProductionDue),
        t.HasLastYear && t.CompletedSameDayLastYear > 0m ? Math.Round((t.CompletedThisYear - t.CompletedSameDayLastYear) / t.CompletedSameDayLastYear, 4) : null,
        t.Listed,
        t.NewPlanned,
        t.NewStarted,
        t.ContinuingPlanned,
        t.ContinuingResumed,
        t.NewStarted + t.ContinuingResumed,
        t.StartedTotalInvestment,
        t.PlannedInvestment,
        t.InvestmentCompleted,
        t.FundsInPlace);

    /// <summary>The whole list's figures.</summary>
    public static RegionRates RatesOf(RegionTally t) => RatesOf(t.All);

    public static TierRates TiersOf(RegionTally t) => new(RatesOf(t.Key), RatesOf(t.Over100Million), RatesOf(t.Over500Million));

    /// <summary>Progress against the year's targets: new projects started (新开工) and investment completed on the whole list.</summary>
    public static TargetProgress? ProgressOf(RegionTarget? target, RegionTally t) => target is null ? null : new(
        target.Year,
        target.ProjectsToStart,
        t.All.NewStarted,
        target.ProjectsToStart is > 0 and var n ? Math.Round((decimal)t.All.NewStarted / n, 4) : null,
        target.Investment,
        t.All.InvestmentCompleted,
        Share(t.All.InvestmentCompleted, target.Investment ?? 0m));

    /// <summary>Checks a region's targets for a year.</summary>
    public static IReadOnlyList<FieldError> ValidateTarget(int year, RegionTarget target, DateOnly today)
    {
        var errors = new List<FieldError>();
        if (year < Limits.EarliestDate.Year || year > today.Year + AnnualList.MaxYearsAhead)
        {
            errors.Add(new("year", $"year must lie between {Limits.EarliestDate.Year} and {today.Year + AnnualList.MaxYearsAhead}, not {year}."));
        }
        if (target.ProjectsToStart is < 0 or > MaxProjectsToStart)
        {
            errors.Add(new("projectsToStart", $"projectsToStart must lie between 0 and {MaxProjectsToStart:N0}, not {target.ProjectsToStart}."));
        }
        InputRules.CheckAmount(errors, "investment", target.Investment);
        return errors;
    }

    /// <summary>More projects than any province starts in a year.</summary>
    public const int MaxProjectsToStart = 1_000_000;

    private static decimal Bounded(decimal amount) => Math.Clamp(amount, 0m, Limits.MaxAmount);

    private static decimal? Share(decimal part, decimal whole) => whole > 0 ? Math.Round(part / whole, 4) : null;

    private static decimal? Fraction(int part, int whole) => whole > 0 ? Math.Round((decimal)part / whole, 4) : null;
}
