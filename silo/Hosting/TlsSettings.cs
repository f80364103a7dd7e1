using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Orleans.Connections.Security;

namespace Dispatch.Silo.Hosting;

/// <summary>
/// <c>Dispatch:Tls</c>: TLS on the Orleans connections (silo to silo, client to gateway) with certificates of the
/// cluster's own CA. Shared by the silo and the CLI (linked into client/).
/// </summary>
/// <param name="Certificate">PFX (PKCS#12) with this silo's (or client's) certificate and private key.</param>
/// <param name="Authority">PEM or DER of the CA that signed every silo's certificate; unset, the machine's trust store decides.</param>
/// <param name="RequireClientCertificate">Mutual authentication: clients must present a certificate of the CA too.</param>
internal sealed record TlsSettings(X509Certificate2? Certificate, X509Certificate2? Authority, bool RequireClientCertificate)
{
    public const string Section = "Dispatch:Tls";

    /// <summary>The settings when <c>Dispatch:Tls:Certificate</c> or <c>Dispatch:Tls:Authority</c> is set, else null (plain TCP).</summary>
    public static TlsSettings? From(IConfiguration config)
    {
        var path = config[$"{Section}:Certificate"];
        var authority = config[$"{Section}:Authority"];
        if (string.IsNullOrWhiteSpace(path) && string.IsNullOrWhiteSpace(authority))
        {
            return null;
        }
        return new TlsSettings(
            string.IsNullOrWhiteSpace(path) ? null : X509CertificateLoader.LoadPkcs12FromFile(path, config[$"{Section}:CertificatePassword"]),
            string.IsNullOrWhiteSpace(authority) ? null : X509CertificateLoader.LoadCertificateFromFile(authority),
            config.GetValue($"{Section}:RequireClientCertificate", false));
    }

    /// <summary>TLS options of a silo: its certificate both ways, the other silos' required, clients' as configured.</summary>
    public void ConfigureSilo(TlsOptions options)
    {
        options.LocalCertificate = Certificate ?? throw new InvalidOperationException(
            $"A silo with TLS needs its own certificate: set {Section}:Certificate to a PFX file.");
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RequireClientCertificate ? RemoteCertificateMode.RequireCertificate : RemoteCertificateMode.AllowCertificate;
        Trust(options);
    }

    /// <summary>TLS options of a client: the gateway's certificate required, its own presented when it has one.</summary>
    public void ConfigureClient(TlsOptions options)
    {
        options.LocalCertificate = Certificate;
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = Certificate is null ? RemoteCertificateMode.NoCertificate : RemoteCertificateMode.AllowCertificate;
        Trust(options);
    }

    /// <summary>
    /// With a cluster CA, a peer is trusted when its certificate chains to that CA, whatever name it carries: silos
    /// reach each other by the IP addresses in the membership table, and only the cluster's members hold the CA's
    /// certificates. Without one, the machine's trust store and the usual checks decide.
    /// </summary>
    private void Trust(TlsOptions options)
    {
        if (Authority is not { } authority)
        {
            return;
        }
        options.RemoteCertificateValidation = (certificate, _, _) =>
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(authority);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(certificate);
        };
    }
}
