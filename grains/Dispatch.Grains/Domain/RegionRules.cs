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

    /// <summary>Counts and sums of the projects on a roster as of a date.</summary>
    public static RegionTally Tally(IEnumerable<ProjectSummary> projects, DateOnly asOf)
    {
        int count = 0, green = 0, yellow = 0, red = 0, newPlanned = 0, newStarted = 0, contPlanned = 0, contResumed = 0;
        decimal plan = 0m, done = 0m;
        foreach (var p in projects)
        {
            count++;
            switch (p.Light)
            {
                case Light.Red: red++; break;
                case Light.Yellow: yellow++; break;
                default: green++; break;
            }
            if (p.StartPlanned is { } planned && planned.Year == asOf.Year)
            {
                var begun = p.StartActual is { } actual && actual <= asOf;
                if (p.Kind == ProjectKind.New)
                {
                    newPlanned++;
                    newStarted += begun ? 1 : 0;
                }
                else
                {
                    contPlanned++;
                    contResumed += begun ? 1 : 0;
                }
            }
            // Amounts are held to Limits.MaxAmount on input; held to it here too (a state stored before the ceiling
            // existed may exceed it), no sum over any roster can overflow.
            plan += Bounded(p.AnnualPlanInvestment);
            done += Bounded(p.InvestmentByYear.FirstOrDefault(y => y.Year == asOf.Year)?.Completed ?? 0m);
        }
        return new RegionTally(count, new LightCounts(green, yellow, red), newPlanned, newStarted, contPlanned, contResumed, plan, done);
    }

    public static RegionRates RatesOf(RegionTally t) => new(
        Fraction(t.NewStarted + t.ContinuingResumed, t.NewPlanned + t.ContinuingPlanned),
        Fraction(t.NewStarted, t.NewPlanned),
        Fraction(t.ContinuingResumed, t.ContinuingPlanned),
        t.AnnualPlanInvestment > 0 ? Math.Round(t.InvestmentCompletedThisYear / t.AnnualPlanInvestment, 4) : null);

    private static decimal Bounded(decimal amount) => Math.Clamp(amount, 0m, Limits.MaxAmount);

    private static decimal? Fraction(int part, int whole) => whole > 0 ? Math.Round((decimal)part / whole, 4) : null;
}
