using System.Reflection;
using Dispatch.Contracts;

namespace Dispatch.Silo.Security;

/// <summary>
/// The gateway is not a back door: a grain call whose source is an external client (the <c>dispatch</c> CLI) must
/// carry a valid bearer token in its request context, and the method it calls must allow that token, by the same
/// access control as the HTTP API. Calls between grains and from this silo's own host (the HTTP API, the scheduler)
/// are not judged here. The token is taken out of the request context at the first grain, so it travels no further.
/// </summary>
public sealed class GatewayAccessFilter(TokenRegistry tokens, AccessControl access, AuditLog audit, RefusalThrottle throttle, TimeProvider clock,
    ILogger<GatewayAccessFilter> logger) : IIncomingGrainCallFilter
{
    /// <summary>A silo's own host calls grains as a client with this id prefix (Orleans' hosted client).</summary>
    private const string HostedClientPrefix = "hosted-";

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.SourceId is not { } source || !source.IsClient() || source.Key.ToString().StartsWith(HostedClientPrefix, StringComparison.Ordinal))
        {
            await context.Invoke();
            return;
        }
        if (context.TargetId.IsSystemTarget())
        {
            // Orleans' own client plumbing (cluster manifest, directory) lives in system targets, not in our grains.
            await context.Invoke();
            return;
        }
        var token = RequestContext.Get(GatewayToken.RequestContextKey) as string;
        RequestContext.Remove(GatewayToken.RequestContextKey);
        var method = context.InterfaceMethod;
        if (string.IsNullOrWhiteSpace(token) || await tokens.ValidateAsync(token.Trim()) is not { } caller)
        {
            logger.LogWarning("Gateway call {Method} from {Client} refused: no valid token", context.MethodName, source);
            await RecordAsync(context, null, 401, "no valid token", refused: true);
            throw new AccessDeniedException(string.IsNullOrWhiteSpace(token)
                ? "This call needs a bearer token: pass --token or set DISPATCH_TOKEN (operators find theirs in the data folder, operator.token)."
                : "The bearer token is not valid here (expired, revoked, or signed by another service).", unauthenticated: true);
        }
        if (await DenyAsync(caller, context, method) is { } denied)
        {
            logger.LogWarning("Gateway call {Method} by {Caller} refused: {Reason}", context.MethodName, caller.Name, denied);
            await RecordAsync(context, caller, 403, denied, refused: true);
            throw new AccessDeniedException(denied, unauthenticated: false);
        }
        await context.Invoke();
        if (AccessControl.RequirementOf(method) is not { Access: Access.Read })
        {
            // A change through the CLI is audited like one through HTTP, before its answer leaves the silo.
            var failed = context.Result is { } result && result.GetType() is { IsGenericType: true } type
                && type.GetGenericTypeDefinition() == typeof(ChangeResult<>) && type.GetProperty(nameof(ChangeResult<object>.Succeeded))?.GetValue(result) is false;
            await RecordAsync(context, caller, failed ? 400 : 200, null, refused: false);
        }
    }

    private async Task RecordAsync(IIncomingGrainCallContext context, Caller? caller, int status, string? detail, bool refused)
    {
        var address = $"gateway:{context.SourceId}";
        try
        {
            if (refused)
            {
                var (record, closed) = throttle.Admit(address, clock.GetUtcNow());
                if (closed is not null)
                {
                    await audit.RecordAsync(closed.ToEntry(), CancellationToken.None);
                }
                if (!record)
                {
                    return;
                }
            }
            await audit.RecordAsync(new AuditEntry(0, clock.GetUtcNow(), caller?.Name ?? "anonymous", caller?.Role.ToString().ToLowerInvariant() ?? "none",
                $"grain {context.InterfaceMethod.DeclaringType?.Name}.{context.MethodName.Replace("Async", "", StringComparison.Ordinal)}", context.TargetId.Key.ToString() ?? "", status, detail)
            { Address = address }, CancellationToken.None);
        }
        catch (Exception e) when (!refused)
        {
            logger.LogError(e, "Audit entry for gateway call {Method} by {Caller} not recorded", context.MethodName, caller?.Name);
            throw;
        }
    }

    private async Task<string?> DenyAsync(Caller caller, IIncomingGrainCallContext context, MethodInfo method)
    {
        if (method.GetCustomAttribute<InternalOnlyAttribute>() is not null)
        {
            return "This method is for the silos themselves, not for clients.";
        }
        var requirement = AccessControl.RequirementOf(method);
        if (requirement is null)
        {
            return await access.DenyAsync(caller, TargetKind.None, null, Access.Operate);
        }
        var parameters = method.GetParameters();
        var target = requirement.Argument is { } name
            ? context.Request.GetArgument(Array.FindIndex(parameters, p => p.Name == name)) as string
            : context.TargetId.Key.ToString();
        if (await access.DenyAsync(caller, requirement.Kind, target, requirement.Access) is { } denied)
        {
            return denied;
        }
        if (requirement.SignedBy is { } signed && ArgumentPath(context, parameters, signed) is var by && by != caller.Name)
        {
            return $"You act as '{caller.Name}' (your token's name); '{by}' cannot sign here.";
        }
        if (requirement.AsCaller is { } self
            && !AccessControl.SameCaller(context.Request.GetArgument(Array.FindIndex(parameters, p => p.Name == self)) as Caller, caller))
        {
            return "A self call answers for the token's own holder; it cannot ask for another caller.";
        }
        if (requirement.ActingRegion is { } acting && ArgumentPath(context, parameters, acting) is { } actingFor
            && await access.DenyAsync(caller, TargetKind.Region, actingFor, requirement.Access) is { } notYours)
        {
            return notYours;
        }
        if (requirement is { Kind: TargetKind.Project, Access: Access.Manage }
            && Array.FindIndex(parameters, p => p.ParameterType == typeof(ProjectProfile)) is var i and >= 0
            && context.Request.GetArgument(i) is ProjectProfile profile)
        {
            return await access.DenyProjectPlacementAsync(caller, context.TargetId.Key.ToString(), profile.RegionId);
        }
        return null;
    }

    /// <summary>The value of <c>arg</c> or <c>arg.Property</c> among a call's arguments.</summary>
    private static string? ArgumentPath(IIncomingGrainCallContext context, ParameterInfo[] parameters, string path)
    {
        var parts = path.Split('.');
        var value = context.Request.GetArgument(Array.FindIndex(parameters, p => p.Name == parts[0]));
        foreach (var property in parts.Skip(1))
        {
            value = value?.GetType().GetProperty(property)?.GetValue(value);
        }
        return value as string;
    }
}
