using System.Security.Cryptography;
using Dispatch.Contracts;
using Dispatch.Grains.Domain;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Dispatch.Grains;

[GenerateSerializer, Alias("Dispatch.AuthorityState")]
public sealed class AuthorityState
{
    [Id(0)] public byte[]? SigningKey { get; set; }

    /// <summary>Every issued token by id, until a month after it expired.</summary>
    [Id(1)] public Dictionary<string, TokenRecord> Tokens { get; set; } = [];
}

public sealed class AuthorityGrain(
    [PersistentState("authority", DispatchStorage.Name)] IPersistentState<AuthorityState> state,
    TimeProvider clock,
    IOptions<DispatchOptions> options) : Grain, IAuthorityGrain
{
    /// <summary>How long an expired token stays listed before the registry forgets it.</summary>
    private static readonly TimeSpan s_keepExpired = TimeSpan.FromDays(30);

    private AuthOptions Auth => options.Value.Auth;

    public async Task<byte[]> GetSigningKeyAsync()
    {
        if (Auth.SigningKey is { Length: > 0 } configured)
        {
            return AuthOptions.KeyBytes(configured);
        }
        if (state.State.SigningKey is null)
        {
            state.State.SigningKey = RandomNumberGenerator.GetBytes(32);
            await state.WriteStateAsync();
        }
        return state.State.SigningKey;
    }

    public async Task<ChangeResult<IssuedToken>> IssueAsync(TokenRequest request)
    {
        // A blank id is no region, and no grain key either.
        var regionKnown = request.RegionId is { } regionId && !string.IsNullOrWhiteSpace(regionId)
            && await GrainFactory.GetGrain<IRegionGrain>(regionId).GetDefinitionAsync() is not null;
        var errors = Tokens.Validate(request, regionKnown, Auth.LifetimeLimit(request.Role));
        if (errors.Count > 0)
        {
            return ChangeResult<IssuedToken>.Failed(errors);
        }
        var caller = new Caller(request.Name.Trim(), request.Role, request.Role == Role.Official ? request.RegionId : null,
            request.Role == Role.Reporter ? request.ProjectIds!.Distinct().ToList() : []);
        var lifetime = request.ValidFor ?? (Auth.DefaultLifetime < Auth.LifetimeLimit(request.Role) ? Auth.DefaultLifetime : Auth.LifetimeLimit(request.Role));
        return ChangeResult<IssuedToken>.Ok(await MintAsync(caller, lifetime, operatorFile: false));
    }

    public async Task<Caller?> ValidateAsync(string token)
    {
        var parameters = Tokens.ValidationParameters(await GetSigningKeyAsync());
        parameters.LifetimeValidator = (_, expires, _, _) => expires is not null && expires.Value > clock.GetUtcNow().UtcDateTime;
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, parameters);
        if (!result.IsValid)
        {
            return null;
        }
        var principal = new System.Security.Claims.ClaimsPrincipal(result.ClaimsIdentity);
        return Tokens.IdOf(principal) is { } id && state.State.Tokens.TryGetValue(id, out var record) && record.RevokedAt is null
            ? Tokens.CallerOf(principal)
            : null;
    }

    public Task<IReadOnlyList<TokenRecord>> ListAsync() =>
        Task.FromResult<IReadOnlyList<TokenRecord>>(state.State.Tokens.Values.OrderByDescending(t => t.IssuedAt).ToList());

    public async Task<ChangeResult<TokenRecord>> RevokeAsync(string tokenId, string by)
    {
        if (!state.State.Tokens.TryGetValue(tokenId, out var record))
        {
            return ChangeResult<TokenRecord>.Failed("id", $"No token '{tokenId}' is registered.");
        }
        if (record.RevokedAt is not null)
        {
            return ChangeResult<TokenRecord>.Ok(record);
        }
        record = record with { RevokedAt = clock.GetUtcNow(), RevokedBy = by };
        state.State.Tokens[tokenId] = record;
        await state.WriteStateAsync();
        return ChangeResult<TokenRecord>.Ok(record);
    }

    public async Task<IssuedToken> RotateOperatorAsync(string by)
    {
        var now = clock.GetUtcNow();
        foreach (var old in state.State.Tokens.Values.Where(t => t is { IsOperatorFile: true, RevokedAt: null }).ToList())
        {
            state.State.Tokens[old.Id] = old with { RevokedAt = now, RevokedBy = by };
        }
        return await MintAsync(new Caller("operator", Role.Operator, null, []), Auth.OperatorMaxLifetime, operatorFile: true);
    }

    public Task<IssuedToken> IssueOperatorFileAsync() =>
        MintAsync(new Caller("operator", Role.Operator, null, []), Auth.OperatorMaxLifetime, operatorFile: true);

    public Task<IReadOnlyList<string>> GetRevokedAsync()
    {
        var now = clock.GetUtcNow();
        return Task.FromResult<IReadOnlyList<string>>(state.State.Tokens.Values
            .Where(t => t.RevokedAt is not null && t.ExpiresAt > now).Select(t => t.Id).ToList());
    }

    public async Task RecordUseAsync(IReadOnlyDictionary<string, DateTimeOffset> lastUse)
    {
        var changed = false;
        foreach (var (id, at) in lastUse)
        {
            if (state.State.Tokens.TryGetValue(id, out var record) && (record.LastUsedAt is null || record.LastUsedAt < at))
            {
                state.State.Tokens[id] = record with { LastUsedAt = at };
                changed = true;
            }
        }
        if (changed)
        {
            await state.WriteStateAsync();
        }
    }

    /// <summary>Mints a token and registers it (pruning tokens long expired), in one write.</summary>
    private async Task<IssuedToken> MintAsync(Caller caller, TimeSpan lifetime, bool operatorFile)
    {
        var now = clock.GetUtcNow();
        var id = Tokens.NewId();
        var expires = now + lifetime;
        var token = Tokens.Mint(id, caller, await GetSigningKeyAsync(), now, expires);
        foreach (var expired in state.State.Tokens.Values.Where(t => t.ExpiresAt + s_keepExpired < now).Select(t => t.Id).ToList())
        {
            state.State.Tokens.Remove(expired);
        }
        state.State.Tokens[id] = new TokenRecord(id, caller.Name, caller.Role, caller.RegionId, caller.ProjectIds, now, expires, IsOperatorFile: operatorFile);
        await state.WriteStateAsync();
        return new IssuedToken(token, caller, expires, id);
    }
}
