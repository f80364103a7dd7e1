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
}

public sealed class AuthorityGrain(
    [PersistentState("authority", DispatchStorage.Name)] IPersistentState<AuthorityState> state,
    TimeProvider clock,
    IOptions<DispatchOptions> options) : Grain, IAuthorityGrain
{
    public static readonly TimeSpan DefaultValidity = TimeSpan.FromDays(30);

    public async Task<byte[]> GetSigningKeyAsync()
    {
        if (options.Value.Auth.SigningKey is { Length: > 0 } configured)
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
        var regionKnown = request.RegionId is { Length: > 0 } regionId
            && await GrainFactory.GetGrain<IRegionGrain>(regionId).GetDefinitionAsync() is not null;
        var errors = Tokens.Validate(request, regionKnown);
        if (errors.Count > 0)
        {
            return ChangeResult<IssuedToken>.Failed(errors);
        }
        var caller = new Caller(request.Name.Trim(), request.Role, request.Role == Role.Official ? request.RegionId : null,
            request.Role == Role.Reporter ? request.ProjectIds! : []);
        var now = clock.GetUtcNow();
        var expires = now + (request.ValidFor ?? DefaultValidity);
        return ChangeResult<IssuedToken>.Ok(new IssuedToken(Tokens.Mint(caller, await GetSigningKeyAsync(), now, expires), caller, expires));
    }

    public async Task<Caller?> ValidateAsync(string token)
    {
        var parameters = Tokens.ValidationParameters(await GetSigningKeyAsync());
        parameters.LifetimeValidator = (notBefore, expires, _, _) =>
            expires is null || expires.Value > clock.GetUtcNow().UtcDateTime;
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, parameters);
        return result.IsValid ? Tokens.CallerOf(new System.Security.Claims.ClaimsPrincipal(result.ClaimsIdentity)) : null;
    }
}
