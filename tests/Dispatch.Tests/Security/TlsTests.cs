using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Dispatch.Client;
using Dispatch.Contracts;
using Dispatch.Tests.Api;

namespace Dispatch.Tests.Security;

/// <summary>Orleans connections over TLS with a certificate of the cluster's own authority (Dispatch:Tls).</summary>
public sealed class TlsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dispatch-tls-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A self-signed certificate for server and client authentication, as PFX (with key) and DER (the authority).</summary>
    private (string Pfx, string Authority) CreateCertificate(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var now = TimeProvider.System.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        var pfx = Path.Combine(_folder, $"{name}.pfx");
        var authority = Path.Combine(_folder, $"{name}.cer");
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pfx, "秘密"));
        File.WriteAllBytes(authority, certificate.Export(X509ContentType.Cert));
        return (pfx, authority);
    }

    [Fact]
    public async Task A_silo_with_a_certificate_serves_and_the_cli_client_connects_over_tls_with_its_own()
    {
        var (pfx, authority) = CreateCertificate("dispatch-cluster");
        await using var silo = await SiloProcess.StartAsync(false,
            "--Dispatch:Tls:Certificate", pfx, "--Dispatch:Tls:CertificatePassword", "秘密",
            "--Dispatch:Tls:Authority", authority, "--Dispatch:Tls:RequireClientCertificate", "true");
        Assert.True((await silo.Http.GetAsync("/health")).IsSuccessStatusCode);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using (var connection = await SiloConnection.ConnectAsync(silo.GatewayPort, timeout.Token,
            [new("Dispatch:Tls:Certificate", pfx), new("Dispatch:Tls:CertificatePassword", "秘密"), new("Dispatch:Tls:Authority", authority)]))
        {
            // The gateway wants a token as well: TLS says which machine calls, the token who.
            Orleans.Runtime.RequestContext.Set(GatewayToken.RequestContextKey, silo.OperatorToken);
            Assert.Null(await connection.Client.GetGrain<IRegionGrain>("nowhere").GetDefinitionAsync());
            Orleans.Runtime.RequestContext.Clear();
        }

        // A client of another authority is refused at the handshake.
        var (strangerPfx, strangerAuthority) = CreateCertificate("stranger");
        await Assert.ThrowsAsync<NoSiloException>(() => SiloConnection.ConnectAsync(silo.GatewayPort, timeout.Token,
            [new("Dispatch:Tls:Certificate", strangerPfx), new("Dispatch:Tls:CertificatePassword", "秘密"), new("Dispatch:Tls:Authority", strangerAuthority)]));
    }
}
