using System.Security.Claims;
using Dispatch.Contracts;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Dispatch.Grains.Domain;

/// <summary>Bearer tokens (JWT, HMAC-SHA256): their claims and checks.</summary>
public static class Tokens
{
    public const string Issuer = "dispatch";
    public const string Audience = "dispatch";
    public const string RoleClaim = "role";
    public const string RegionClaim = "region";
    public const string ProjectsClaim = "projects";
    public const string NameClaim = "name";
    /// <summary>The token's id in the registry, so it can be listed and revoked.</summary>
    public const string IdClaim = "jti";

    /// <summary>How a token is checked; without a key here, the caller supplies a key resolver.</summary>
    public static TokenValidationParameters ValidationParameters(byte[]? key) => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        IssuerSigningKey = key is null ? null : new SymmetricSecurityKey(key),
        NameClaimType = NameClaim,
        RoleClaimType = RoleClaim,
        ClockSkew = TimeSpan.FromMinutes(1),
        RequireExpirationTime = true,
    };

    public static string Mint(string id, Caller caller, byte[] key, DateTimeOffset now, DateTimeOffset expires)
    {
        var claims = new Dictionary<string, object>
        {
            [IdClaim] = id,
            [NameClaim] = caller.Name,
            [RoleClaim] = caller.Role.ToString().ToLowerInvariant(),
        };
        if (caller.RegionId is not null)
        {
            claims[RegionClaim] = caller.RegionId;
        }
        if (caller.ProjectIds.Count > 0)
        {
            claims[ProjectsClaim] = string.Join(',', caller.ProjectIds);
        }
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Claims = claims,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>The caller of an authenticated principal; null when its claims do not make one.</summary>
    public static Caller? CallerOf(ClaimsPrincipal principal)
    {
        var name = principal.FindFirst(NameClaim)?.Value;
        var roleText = principal.FindFirst(RoleClaim)?.Value;
        if (name is null || !Enum.TryParse<Role>(roleText, ignoreCase: true, out var role))
        {
            return null;
        }
        var projects = principal.FindFirst(ProjectsClaim)?.Value.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [];
        return new Caller(name, role, principal.FindFirst(RegionClaim)?.Value, projects);
    }

    /// <summary>The registry id of an authenticated principal's token; null for a token minted without one.</summary>
    public static string? IdOf(ClaimsPrincipal principal) => principal.FindFirst(IdClaim)?.Value;

    /// <summary>A new token id: random, short enough to type in <c>dispatch token revoke</c>.</summary>
    public static string NewId() => "tk-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));

    /// <summary>
    /// Checks a token request; <paramref name="regionKnown"/> says whether its region exists and
    /// <paramref name="maxLifetime"/> is the longest the role's token may live.
    /// </summary>
    public static IReadOnlyList<FieldError> Validate(TokenRequest request, bool regionKnown, TimeSpan maxLifetime)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            errors.Add(new("name", "A token needs the name of its holder (recorded in the audit log)."));
        }
        if (!Enum.IsDefined(request.Role))
        {
            errors.Add(new("role", "role must be operator, official, reporter or viewer."));
        }
        if (request.Role == Role.Official && string.IsNullOrWhiteSpace(request.RegionId))
        {
            errors.Add(new("regionId", "An official's token needs the region it covers."));
        }
        else if (request.Role == Role.Official && !regionKnown)
        {
            errors.Add(new("regionId", $"No region '{request.RegionId}' is known."));
        }
        if (request.Role == Role.Reporter && (request.ProjectIds is null || request.ProjectIds.Count == 0))
        {
            errors.Add(new("projectIds", "A reporter's token needs the projects it may report on."));
        }
        if (request.Name?.Length > 100)
        {
            errors.Add(new("name", "A holder's name has at most 100 characters."));
        }
        if (request.ProjectIds?.Count > 1000)
        {
            errors.Add(new("projectIds", "A reporter's token covers at most 1,000 projects."));
        }
        if (request.ValidFor is { } span && (span <= TimeSpan.Zero || span > maxLifetime))
        {
            errors.Add(new("validFor", $"A {request.Role.ToString().ToLowerInvariant()}'s token lives between a second and {maxLifetime.TotalDays:0} days."));
        }
        return errors;
    }
}
