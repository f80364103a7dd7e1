using System.Reflection;

namespace Dispatch.Contracts;

/// <summary>What a route or grain method does, from least to most.</summary>
public enum Access
{
    Read,
    /// <summary>Progress reports and problems on a project (填报).</summary>
    Report,
    /// <summary>Acknowledging and closing warnings, resolving problems, holding meetings, recording decisions.</summary>
    Act,
    /// <summary>Declaring or changing a project, importing projects.</summary>
    Manage,
    /// <summary>Regions, tokens, audit, cluster and scheduler: operators only.</summary>
    Operate,
}

/// <summary>
/// What a route or grain method touches. <see cref="None"/> is what an undeclared route has: only operators pass,
/// so a forgotten declaration fails closed.
/// </summary>
public enum TargetKind
{
    None,
    /// <summary>The caller itself (<c>/api/me</c>).</summary>
    Self,
    Region,
    Project,
    Warning,
    Problem,
    /// <summary>
    /// A problem's owner-side steps (受理, 转办, 办结): in scope when its owning region is. Reading, flagging and
    /// closing out are <see cref="Problem"/>.
    /// </summary>
    ProblemOwned,
    /// <summary>A meeting, by its key <c>{region}/{cadence}/{period}</c>: in scope when its region is.</summary>
    Meeting,
    /// <summary>Bearer tokens: operators only.</summary>
    Token,
    /// <summary>A sheet of projects: officials and operators; the handler checks every row like a PUT.</summary>
    ProjectRows,
    /// <summary>A webhook subscription, by id: in scope when its region is.</summary>
    WebhookSubscription,
}

/// <summary>
/// Declares what a grain method reachable from an external client (the <c>dispatch</c> CLI through a gateway)
/// touches and does. The silo's gateway filter reads it; a method without it is for operators only.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresAttribute(Access access, TargetKind kind) : Attribute
{
    public Access Access { get; } = access;

    public TargetKind Kind { get; } = kind;

    /// <summary>The argument naming the target; null when the target is the grain's own key.</summary>
    public string? Argument { get; init; }

    /// <summary>An argument that must equal the caller's name (who acknowledges, closes out or decides).</summary>
    public string? SignedBy { get; init; }

    /// <summary>An argument naming a region the caller acts for, which must lie in the caller's scope too (the flagging region).</summary>
    public string? ActingRegion { get; init; }

    /// <summary>A <see cref="Caller"/> argument that must be the token's holder itself: a self method answers for its own caller only.</summary>
    public string? AsCaller { get; init; }
}

/// <summary>How an external client (the CLI) hands its bearer token to the silo: under this request-context key.</summary>
public static class GatewayToken
{
    public const string RequestContextKey = "dispatch-token";
}

/// <summary>Grain methods no external client may call, whatever its role (the signing key).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class InternalOnlyAttribute : Attribute;

/// <summary>A grain call from an external client that its token does not allow.</summary>
[GenerateSerializer, Alias("Dispatch.AccessDeniedException")]
public sealed class AccessDeniedException : Exception
{
    public AccessDeniedException(string message, bool unauthenticated) : base(message) => Unauthenticated = unauthenticated;

    /// <summary>True when no valid token came with the call (as against a token that does not cover the target).</summary>
    [Id(0)] public bool Unauthenticated { get; init; }
}

/// <summary>What access decisions need to know of a project: its region, where its warnings sit, who owns its problems.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.ProjectAccessFacts")]
public sealed record ProjectAccessFacts(
    [property: Id(0)] string RegionId,
    [property: Id(1)] IReadOnlyList<WarningPlace> Warnings,
    [property: Id(2)] IReadOnlyList<ProblemPlace> Problems);

[GenerateSerializer, Immutable, Alias("Dispatch.WarningPlace")]
public sealed record WarningPlace([property: Id(0)] string Id, [property: Id(1)] string RegionId, [property: Id(2)] IReadOnlyList<string> Path);

/// <summary>
/// A problem's owning region and the region that closes it out (销号): the flagging region when flagged (挂牌督办),
/// else the owner. Problems flagged before flags named their region are owned by the flagging region.
/// </summary>
[GenerateSerializer, Immutable, Alias("Dispatch.ProblemPlace")]
public sealed record ProblemPlace(
    [property: Id(0)] string Id,
    [property: Id(1)] string OwnerRegionId,
    [property: Id(2)] bool Flagged,
    [property: Id(3)] string? SupervisorRegionId = null);

/// <summary>
/// Decides whether a caller may do something to a region, project, warning, problem, meeting or token; shared by the
/// HTTP API and the silo's gateway filter, so every door enforces the same scopes.
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
        if (access == Access.Operate || kind is TargetKind.None or TargetKind.Token)
        {
            return $"Only operators may do this; your token is a {Describe(caller)}.";
        }
        if (kind == TargetKind.Self)
        {
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
                TargetKind.Problem or TargetKind.ProblemOwned => ProjectOf(id, ".q"),
                _ => null,
            };
            return project is not null && caller.ProjectIds.Contains(project) && access is Access.Read or Access.Report
                ? null
                : $"Your token (reporter for {string.Join(", ", caller.ProjectIds)}) does not cover this.";
        }
        if (caller.Role != Role.Official || caller.RegionId is not { } scope)
        {
            return "Your token does not cover this.";
        }
        var within = kind switch
        {
            TargetKind.ProjectRows => access is Access.Read or Access.Manage,
            TargetKind.Region => await RegionWithinAsync(id, scope),
            TargetKind.Meeting => await RegionWithinAsync(id?.Split('/')[0], scope),
            TargetKind.Project => await ProjectWithinAsync(id, scope, access),
            TargetKind.Warning => await WarningWithinAsync(id, scope, access),
            TargetKind.Problem => await ProblemWithinAsync(id, scope, access, owned: false),
            TargetKind.ProblemOwned => await ProblemWithinAsync(id, scope, access, owned: true),
            TargetKind.WebhookSubscription => id is not null
                && await grains.GetGrain<IWebhookRegistryGrain>(WebhookRegistry.Key).GetSubscriptionAsync(id) is { } subscription
                && await RegionWithinAsync(subscription.RegionId, scope),
            _ => false,
        };
        return within ? null : $"Your token ({Describe(caller)}) covers {scope} and what is under it, not this.";
    }

    /// <summary>
    /// Whether an official may put a project into <paramref name="regionId"/>: the target region and, for an existing
    /// project, the region it is in now must both be in scope (PUT and import alike).
    /// </summary>
    public async Task<string?> DenyProjectPlacementAsync(Caller caller, string projectId, string regionId)
    {
        if (caller.Role == Role.Operator)
        {
            return null;
        }
        if (caller.Role != Role.Official || caller.RegionId is not { } scope)
        {
            return $"Only officials and operators may declare projects; your token is a {Describe(caller)}.";
        }
        if (!await RegionWithinAsync(regionId, scope))
        {
            return $"Your token covers {scope} and what is under it; a project there cannot belong to '{regionId}'.";
        }
        var facts = await grains.GetGrain<IProjectGrain>(projectId).GetAccessFactsAsync();
        return facts is null || await RegionWithinAsync(facts.RegionId, scope)
            ? null
            : $"Project '{projectId}' belongs to a region outside your scope ({scope}); it cannot be moved or changed from here.";
    }

    /// <summary>Whether a region is the scope region or lies under it.</summary>
    public Task<bool> RegionWithinAsync(string? regionId, string scopeRegionId) => RegionTree.IsWithinAsync(grains, regionId, scopeRegionId);

    /// <summary>An existing project is in scope when its region is; a new one (Manage) is judged by the region its body names.</summary>
    private async Task<bool> ProjectWithinAsync(string? projectId, string scope, Access access) =>
        projectId is not null && await grains.GetGrain<IProjectGrain>(projectId).GetAccessFactsAsync() is var facts
        && (facts is null ? access == Access.Manage : await RegionWithinAsync(facts.RegionId, scope));

    /// <summary>
    /// Reading a warning: its project is in scope, or it passed through a region in scope. Acting on it (acknowledge,
    /// close out) belongs to the region where it sits now, or above.
    /// </summary>
    private async Task<bool> WarningWithinAsync(string? warningId, string scope, Access access)
    {
        if (ProjectOf(warningId, ".w") is not { } projectId || await grains.GetGrain<IProjectGrain>(projectId).GetAccessFactsAsync() is not { } facts)
        {
            return false;
        }
        var warning = facts.Warnings.FirstOrDefault(w => w.Id == warningId);
        if (access == Access.Read)
        {
            return await RegionWithinAsync(facts.RegionId, scope) || (warning is not null && warning.Path.Contains(scope));
        }
        return warning is not null ? await RegionWithinAsync(warning.RegionId, scope) : await RegionWithinAsync(facts.RegionId, scope);
    }

    /// <summary>
    /// A problem is read within its project's scope. Acting on it belongs to a region or above: the owner-side steps
    /// (<paramref name="owned"/>: 受理, 转办, 办结) to its owning region, flagging and closing out (销号) to the region
    /// that supervises it (the flagging region when flagged, else the owner).
    /// </summary>
    private async Task<bool> ProblemWithinAsync(string? problemId, string scope, Access access, bool owned)
    {
        if (ProjectOf(problemId, ".q") is not { } projectId || await grains.GetGrain<IProjectGrain>(projectId).GetAccessFactsAsync() is not { } facts)
        {
            return false;
        }
        if (access >= Access.Act && facts.Problems.FirstOrDefault(p => p.Id == problemId) is { } place)
        {
            return await RegionWithinAsync(owned ? place.OwnerRegionId : place.SupervisorRegionId ?? place.OwnerRegionId, scope);
        }
        return await RegionWithinAsync(facts.RegionId, scope);
    }

    private static string? ProjectOf(string? childId, string marker)
    {
        var cut = childId?.LastIndexOf(marker, StringComparison.Ordinal) ?? -1;
        return cut > 0 ? childId![..cut] : null;
    }

    /// <summary>Whether two callers are the same holder, role and scope (a record's list compares by reference).</summary>
    public static bool SameCaller(Caller? a, Caller b) =>
        a is not null && a.Name == b.Name && a.Role == b.Role && a.RegionId == b.RegionId && a.ProjectIds.SequenceEqual(b.ProjectIds);

    private static string Describe(Caller caller) => caller.Role switch
    {
        Role.Official => $"official of {caller.RegionId}",
        _ => caller.Role.ToString().ToLowerInvariant(),
    };

    /// <summary>The access declaration of a grain interface method, if any.</summary>
    public static RequiresAttribute? RequirementOf(MethodInfo method) => method.GetCustomAttribute<RequiresAttribute>();
}

/// <summary>Walks the region tree upwards.</summary>
public static class RegionTree
{
    /// <summary>Whether <paramref name="regionId"/> is <paramref name="ancestorId"/> or lies under it.</summary>
    public static async Task<bool> IsWithinAsync(IGrainFactory grains, string? regionId, string ancestorId)
    {
        for (var (current, depth) = (regionId, 0); current is not null && depth < 8; depth++)
        {
            if (current == ancestorId)
            {
                return true;
            }
            current = (await grains.GetGrain<IRegionGrain>(current).GetDefinitionAsync())?.ParentId;
        }
        return false;
    }
}
