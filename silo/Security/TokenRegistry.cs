using System.Collections.Concurrent;
using System.Security.Claims;
using Dispatch.Contracts;
using Dispatch.Grains;
using Dispatch.Grains.Domain;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Dispatch.Silo.Security;

/// <summary>
/// This silo's view of the token registry: which token ids are revoked (refreshed from the authority grain every
/// <see cref="AuthOptions.RevocationRefresh"/>, and at once for revocations made through this silo) and when each
/// token was last used (gathered here, sent to the authority in batches). Every HTTP request, event stream and
/// gateway call is checked against it without a grain call.
/// </summary>
public sealed class TokenRegistry(IGrainFactory grains, SigningKeys keys, TimeProvider clock, IOptions<DispatchOptions> options, ILogger<TokenRegistry> logger)
    : BackgroundService
{
    private volatile HashSet<string> _revoked = [];
    private readonly ConcurrentDictionary<string, DateTimeOffset> _used = new();

    private IAuthorityGrain Authority => grains.GetGrain<IAuthorityGrain>("dispatch");

    public bool IsRevoked(string id) => _revoked.Contains(id);

    /// <summary>Whether a signed-in principal may still act: its token has an id and an expiry, is not revoked and not expired.</summary>
    public bool IsCurrent(ClaimsPrincipal principal)
    {
        if (Tokens.IdOf(principal) is not { } id || IsRevoked(id))
        {
            return false;
        }
        return principal.FindFirst("exp")?.Value is { } exp && long.TryParse(exp, out var seconds)
            && DateTimeOffset.FromUnixTimeSeconds(seconds) > clock.GetUtcNow();
    }

    public void MarkUsed(string id) => _used[id] = clock.GetUtcNow();

    /// <summary>Revokes through the authority and applies it here at once.</summary>
    public async Task<ChangeResult<TokenRecord>> RevokeAsync(string id, string by)
    {
        var result = await Authority.RevokeAsync(id, by);
        if (result.Succeeded)
        {
            _revoked = [.. _revoked, id];
        }
        return result;
    }

    /// <summary>Rotates the operator file's token through the authority; the old one is refused here at once.</summary>
    public async Task<IssuedToken> RotateOperatorAsync(string by)
    {
        var issued = await Authority.RotateOperatorAsync(by);
        await RefreshAsync();
        return issued;
    }

    /// <summary>Validates a raw bearer token as the HTTP API does (signature, issuer, expiry, id, revocation); null when not valid.</summary>
    public async Task<Caller?> ValidateAsync(string token)
    {
        if (keys.Key is null)
        {
            return null;
        }
        var parameters = Tokens.ValidationParameters(null);
        parameters.IssuerSigningKey = keys.Key;
        parameters.LifetimeValidator = (_, expires, _, _) => expires is not null && expires.Value > clock.GetUtcNow().UtcDateTime;
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, parameters);
        if (!result.IsValid)
        {
            return null;
        }
        var principal = new ClaimsPrincipal(result.ClaimsIdentity);
        if (!IsCurrent(principal))
        {
            return null;
        }
        MarkUsed(Tokens.IdOf(principal)!);
        return Tokens.CallerOf(principal);
    }

    public async Task RefreshAsync() => _revoked = [.. await Authority.GetRevokedAsync()];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Auth.RevocationRefresh, TimeProvider.System);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await RefreshAsync();
                if (!_used.IsEmpty)
                {
                    var batch = _used.ToArray().ToDictionary(kv => kv.Key, kv => kv.Value);
                    foreach (var (id, at) in batch)
                    {
                        _used.TryRemove(new KeyValuePair<string, DateTimeOffset>(id, at));
                    }
                    await Authority.RecordUseAsync(batch);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Refreshing the revoked tokens failed; the last known list stays in force");
            }
        }
    }
}
