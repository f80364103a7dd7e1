using Dispatch.Contracts;

namespace Dispatch.Silo.Api;

/// <summary>PUT /api/regions/{id}.</summary>
public sealed record RegionRequest(string? Name, RegionLevel? Level, string? ParentId, string? DivisionCode)
{
    public (RegionDefinition? Definition, IReadOnlyList<FieldError> Errors) ToDefinition()
    {
        if (Level is null)
        {
            return (null, [new FieldError("level", "level is required: 'province', 'city' or 'district'.")]);
        }
        return (new RegionDefinition(Name ?? "", Level.Value, ParentId, DivisionCode), []);
    }
}

/// <summary>PUT /api/projects/{id}: the project profile; amounts in 万元, dates yyyy-MM-dd.</summary>
public sealed record ProjectRequest(
    string? Name,
    string? RegionId,
    ProjectKind? Kind,
    string? Industry,
    decimal? TotalInvestment,
    decimal? AnnualPlanInvestment,
    DateOnly? PlannedStart,
    DateOnly? PlannedCompletion,
    string? Leader,
    string? Steward,
    IReadOnlyList<MilestoneRequest?>? Milestones,
    ProjectStage? Stage,
    string? Company,
    string? Notes)
{
    public (ProjectProfile? Profile, IReadOnlyList<FieldError> Errors) ToProfile()
    {
        var errors = new List<FieldError>();
        if (Kind is null)
        {
            errors.Add(new("kind", "kind is required: 'new' (新建) or 'continuing' (续建)."));
        }
        var milestones = new List<Milestone>();
        for (var i = 0; i < (Milestones?.Count ?? 0); i++)
        {
            var m = Milestones![i];
            if (m?.PlannedDate is null)
            {
                errors.Add(new($"milestones[{i}].plannedDate", "Each milestone needs a planned date (yyyy-MM-dd)."));
                continue;
            }
            milestones.Add(new Milestone(m.Name ?? "", m.PlannedDate.Value, m.ActualDate));
        }
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        return (new ProjectProfile(Name ?? "", RegionId ?? "", Kind!.Value, Industry, TotalInvestment, AnnualPlanInvestment,
            PlannedStart, PlannedCompletion, Leader, Steward, milestones, Stage, Company, Notes), []);
    }
}

public sealed record MilestoneRequest(string? Name, DateOnly? PlannedDate, DateOnly? ActualDate);

/// <summary>POST /api/projects/{id}/reports.</summary>
public sealed record ReportRequest(
    string? Period,
    decimal? InvestmentCompleted,
    decimal? PercentComplete,
    IReadOnlyList<MilestoneReachedRequest?>? MilestonesReached,
    string? Narrative)
{
    public (ProgressReport? Report, IReadOnlyList<FieldError> Errors) ToReport()
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(Period))
        {
            errors.Add(new("period", "period is required, e.g. 2024-03 (month) or 2024-W12 (week)."));
        }
        if (InvestmentCompleted is null)
        {
            errors.Add(new("investmentCompleted", "investmentCompleted is required: investment completed this year to the end of the period, in 万元."));
        }
        var reached = new List<MilestoneReached>();
        for (var i = 0; i < (MilestonesReached?.Count ?? 0); i++)
        {
            var m = MilestonesReached![i];
            if (m?.Date is null)
            {
                errors.Add(new($"milestonesReached[{i}].date", "Each milestone reached needs its date (yyyy-MM-dd)."));
                continue;
            }
            reached.Add(new MilestoneReached(m.Name ?? "", m.Date.Value));
        }
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        return (new ProgressReport(Period!.Trim(), InvestmentCompleted!.Value, PercentComplete ?? 0m, reached, Narrative, default), []);
    }
}

public sealed record MilestoneReachedRequest(string? Name, DateOnly? Date);

/// <summary>PUT /api/regions/{id}/targets/{year}: projects to start (新开工) and investment to complete (万元) that year.</summary>
public sealed record TargetRequest(int? ProjectsToStart, decimal? Investment);
