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
    [property: Id(2)] DateTimeOffset ExpiresAt,
    [property: Id(3)] string Id = "");

/// <summary>An issued token as the registry keeps it: never the token itself, only what identifies and limits it.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.TokenRecord")]
public sealed record TokenRecord(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] Role Role,
    [property: Id(3)] string? RegionId,
    [property: Id(4)] IReadOnlyList<string> ProjectIds,
    [property: Id(5)] DateTimeOffset IssuedAt,
    [property: Id(6)] DateTimeOffset ExpiresAt,
    [property: Id(7)] DateTimeOffset? RevokedAt = null,
    [property: Id(8)] string? RevokedBy = null,
    [property: Id(9)] DateTimeOffset? LastUsedAt = null,
    /// <summary>The token the silo keeps in its data folder (operator.token); rotation replaces it.</summary>
    [property: Id(10)] bool IsOperatorFile = false);

/// <summary>
/// The token authority of the service (one grain, key <c>dispatch</c>): keeps the signing key every silo shares,
/// mints bearer tokens, and keeps the registry of issued tokens (expiry, last use, revocation).
/// </summary>
[Alias("Dispatch.IAuthorityGrain")]
public interface IAuthorityGrain : IGrainWithStringKey
{
    /// <summary>The HMAC signing key (created on first use unless configured); silos only, never a client.</summary>
    [Alias("GetSigningKey"), InternalOnly]
    Task<byte[]> GetSigningKeyAsync();

    [Alias("Issue"), Requires(Access.Operate, TargetKind.Token)]
    Task<ChangeResult<IssuedToken>> IssueAsync(TokenRequest request);

    /// <summary>The caller a token stands for, or null when it is not valid (bad signature, expired, revoked, no id).</summary>
    [Alias("Validate"), Requires(Access.Read, TargetKind.Self)]
    Task<Caller?> ValidateAsync(string token);

    /// <summary>Issued tokens, newest first, expired ones included until they are pruned.</summary>
    [Alias("List"), Requires(Access.Operate, TargetKind.Token)]
    Task<IReadOnlyList<TokenRecord>> ListAsync();

    /// <summary>Withdraws a token; its next use is refused on every silo.</summary>
    [Alias("Revoke"), Requires(Access.Operate, TargetKind.Token)]
    Task<ChangeResult<TokenRecord>> RevokeAsync(string tokenId, string by);

    /// <summary>Revokes the operator file's token and issues its successor (the caller writes it to the data folder).</summary>
    [Alias("RotateOperator"), Requires(Access.Operate, TargetKind.Token)]
    Task<IssuedToken> RotateOperatorAsync(string by);

    /// <summary>Issues the operator file's token on a silo's first start, or when the stored one no longer validates.</summary>
    [Alias("IssueOperatorFile")]
    Task<IssuedToken> IssueOperatorFileAsync();

    /// <summary>The ids of revoked tokens that have not expired yet (what a silo must refuse).</summary>
    [Alias("GetRevoked")]
    Task<IReadOnlyList<string>> GetRevokedAsync();

    /// <summary>Last-use times gathered by a silo, merged into the registry.</summary>
    [Alias("RecordUse")]
    Task RecordUseAsync(IReadOnlyDictionary<string, DateTimeOffset> lastUse);
}
