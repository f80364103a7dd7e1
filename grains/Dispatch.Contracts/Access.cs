namespace Dispatch.Contracts;

/// <summary>Who may do what.</summary>
[GenerateSerializer, Alias("Dispatch.Role")]
public enum Role
{
    /// <summary>Runs the cluster: everything, including tokens, audit and cluster status.</summary>
    Operator = 0,
    /// <summary>An official (领导, 项目管家, 专班): reads and acts within a region and everything under it.</summary>
    Official = 1,
    /// <summary>A project unit (企业/项目单位): reads and reports on named projects.</summary>
    Reporter = 2,
    /// <summary>Reads everything, changes nothing.</summary>
    Viewer = 3,
}

/// <summary>The holder of a token.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.Caller")]
public sealed record Caller(
    [property: Id(0)] string Name,
    [property: Id(1)] Role Role,
    [property: Id(2)] string? RegionId,
    [property: Id(3)] IReadOnlyList<string> ProjectIds);

[GenerateSerializer, Immutable, Alias("Dispatch.TokenRequest")]
public sealed record TokenRequest(
    [property: Id(0)] Role Role,
    [property: Id(1)] string Name,
    [property: Id(2)] string? RegionId,
    [property: Id(3)] IReadOnlyList<string>? ProjectIds,
    [property: Id(4)] TimeSpan? ValidFor = null);

[GenerateSerializer, Immutable, Alias("Dispatch.IssuedToken")]
public sealed record IssuedToken(
    [property: Id(0)] string Token,
    [property: Id(1)] Caller Caller,
    [property: Id(2)] DateTimeOffset ExpiresAt);

/// <summary>
/// The token authority of the service (one grain, key <c>dispatch</c>): keeps the signing key every silo shares,
/// mints bearer tokens and checks them for clients that do not speak HTTP.
/// </summary>
[Alias("Dispatch.IAuthorityGrain")]
public interface IAuthorityGrain : IGrainWithStringKey
{
    /// <summary>The HMAC signing key (created on first use unless configured).</summary>
    [Alias("GetSigningKey")]
    Task<byte[]> GetSigningKeyAsync();

    [Alias("Issue")]
    Task<ChangeResult<IssuedToken>> IssueAsync(TokenRequest request);

    /// <summary>The caller a token stands for, or null when it is not valid.</summary>
    [Alias("Validate")]
    Task<Caller?> ValidateAsync(string token);
}
