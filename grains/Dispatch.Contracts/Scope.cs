namespace Dispatch.Contracts;

/// <summary>What a route does, from least to most.</summary>
public enum Access
{
    Read,
    /// <summary>Progress reports and problems on a project (填报).</summary>
    Report,
    /// <summary>Acknowledging and closing warnings, resolving problems, holding meetings, recording decisions.</summary>
    Act,
    /// <summary>Declaring or changing a project.</summary>
    Manage,
    /// <summary>Regions, tokens, audit, cluster and scheduler: operators only.</summary>
    Operate,
}

/// <summary>What a route acts on, named by a route value.</summary>
public enum TargetKind
{
    None,
    Region,
    Project,
    Warning,
    Problem,
}

/// <summary>
/// Decides whether a caller may do something to a region, project, warning or problem; shared by the HTTP API and
/// the CLI, so both enforce the same scopes.
/// </summary>
public sealed class AccessControl(IGrainFactory grains)
{
    /// <summary>Null when allowed; otherwise why not, in words that reveal nothing about the target.</summary>
    public async Task<string?> DenyAsync(Caller caller, TargetKind kind, string? id, Access access)
    {
        if (caller.Role == Role.Operator)
        {
            return null;
        }
        if (access == Access.Operate)
        {
            return $"Only operators may do this; your token is a {Describe(caller)}.";
        }
        if (kind == TargetKind.None)
        {
            // About the caller only (GET /api/me).
            return null;
        }
        if (caller.Role == Role.Viewer)
        {
            return access == Access.Read ? null : "Viewer tokens are read-only.";
        }
        if (caller.Role == Role.Reporter)
        {
            var project = kind switch
            {
                TargetKind.Project => id,
                TargetKind.Problem => ProjectOfProblem(id),
                _ => null,
            };
            return project is not null && caller.ProjectIds.Contains(project) && access is Access.Read or Access.Report
                ? null
                : $"Your token (reporter for {string.Join(", ", caller.ProjectIds)}) does not cover this.";
        }
        if (kind == TargetKind.Project && access == Access.Manage && id is not null && await grains.GetGrain<IProjectGrain>(id).GetAsync() is null)
        {
            // A new project: the handler checks that the region it names is in scope.
            return null;
        }
        var within = kind switch
        {
            TargetKind.Region => await RegionWithinAsync(id, caller.RegionId!),
            TargetKind.Project => await ProjectWithinAsync(id, caller.RegionId!),
            TargetKind.Warning => await WarningWithinAsync(id, caller.RegionId!),
            TargetKind.Problem => await ProjectWithinAsync(ProjectOfProblem(id), caller.RegionId!),
            _ => false,
        };
        return within ? null : $"Your token ({Describe(caller)}) covers {caller.RegionId} and what is under it, not this.";
    }

    /// <summary>Whether a region is the scope region or lies under it.</summary>
    public async Task<bool> RegionWithinAsync(string? regionId, string scopeRegionId)
    {
        for (var (current, depth) = (regionId, 0); current is not null && depth < 8; depth++)
        {
            if (current == scopeRegionId)
            {
                return true;
            }
            current = (await grains.GetGrain<IRegionGrain>(current).GetDefinitionAsync())?.ParentId;
        }
        return false;
    }

    private async Task<bool> ProjectWithinAsync(string? projectId, string scopeRegionId) =>
        projectId is not null && await grains.GetGrain<IProjectGrain>(projectId).GetAsync() is { } project
        && await RegionWithinAsync(project.RegionId, scopeRegionId);

    /// <summary>A warning is within scope when its project is, or when it has reached a region in scope.</summary>
    private async Task<bool> WarningWithinAsync(string? warningId, string scopeRegionId)
    {
        var cut = warningId?.LastIndexOf(".w", StringComparison.Ordinal) ?? -1;
        if (cut <= 0 || await grains.GetGrain<IProjectGrain>(warningId![..cut]).GetAsync() is not { } project)
        {
            return false;
        }
        if (await RegionWithinAsync(project.RegionId, scopeRegionId))
        {
            return true;
        }
        var warning = project.Warnings.FirstOrDefault(w => w.Id == warningId);
        return warning is not null && await RegionWithinAsync(warning.RegionId, scopeRegionId);
    }

    private static string? ProjectOfProblem(string? problemId)
    {
        var cut = problemId?.LastIndexOf(".q", StringComparison.Ordinal) ?? -1;
        return cut > 0 ? problemId![..cut] : null;
    }

    private static string Describe(Caller caller) => caller.Role switch
    {
        Role.Official => $"official of {caller.RegionId}",
        _ => caller.Role.ToString().ToLowerInvariant(),
    };
}
