using System.Net;
using System.Net.Sockets;
using Dispatch.Contracts;

namespace Dispatch.Grains.Domain;

/// <summary>
/// One entry of the operators' allow-list: a scheme (https unless the entry says <c>http://</c>), a host and a port
/// (the scheme's default unless given). <see cref="Literal"/> is set when the host is an IP address written out.
/// </summary>
public sealed record WebhookHost(string Scheme, string Host, int Port, IPAddress? Literal)
{
    public override string ToString() => $"{Scheme}://{(Literal?.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{Host}]" : Host)}:{Port}";
}

/// <summary>
/// Where webhooks may go (<c>Dispatch:Webhooks:AllowedHosts</c>): a target's URL must name an entry's scheme, host and
/// port exactly. A webhook must not become a way to make the silo call internal addresses, so even an allowed host is
/// only connected to at public addresses, unless the entry is that internal address itself (<see cref="MayConnect"/>).
/// </summary>
public sealed class WebhookAllowList
{
    private readonly IReadOnlyList<WebhookHost> _hosts;

    private WebhookAllowList(IReadOnlyList<WebhookHost> hosts) => _hosts = hosts;

    public IReadOnlyList<WebhookHost> Hosts => _hosts;

    /// <summary>Reads the entries: <c>oapi.dingtalk.com</c>, <c>hooks.example.org:8443</c>, <c>http://10.1.2.3:8080</c>.</summary>
    public static WebhookAllowList Parse(IEnumerable<string> entries, out IReadOnlyList<string> errors)
    {
        var hosts = new List<WebhookHost>();
        var bad = new List<string>();
        foreach (var raw in entries.Where(e => !string.IsNullOrWhiteSpace(e)).Select(e => e.Trim()))
        {
            var text = raw.Contains("://", StringComparison.Ordinal) ? raw : "https://" + raw;
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")
                || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.UserInfo.Length > 0 || raw.EndsWith('/'))
            {
                bad.Add($"'{raw}' is not a host[:port], optionally after http:// or https://");
                continue;
            }
            var host = uri.IdnHost.Trim('[', ']').ToLowerInvariant();
            hosts.Add(new WebhookHost(uri.Scheme, host, uri.Port, IPAddress.TryParse(host, out var ip) ? Normal(ip) : null));
        }
        errors = bad;
        return new WebhookAllowList(hosts);
    }

    public static WebhookAllowList Parse(IEnumerable<string> entries) => Parse(entries, out _);

    /// <summary>The entry a URL falls under, or null.</summary>
    public WebhookHost? Match(Uri url)
    {
        var host = url.IdnHost.Trim('[', ']').ToLowerInvariant();
        var literal = IPAddress.TryParse(host, out var ip) ? Normal(ip) : null;
        return _hosts.FirstOrDefault(h => h.Scheme == url.Scheme && h.Port == url.Port
            && (literal is not null ? literal.Equals(h.Literal) : h.Literal is null && h.Host == host));
    }

    /// <summary>A target URL: absolute, http(s), no user name or fragment, and under an entry of the list. Errors name <c>url</c>.</summary>
    public FieldError? Check(string? url)
    {
        const string field = "url";
        if (string.IsNullOrWhiteSpace(url))
        {
            return new(field, "Give the webhook's URL (url).");
        }
        if (url.Length > MaxUrlLength)
        {
            return new(field, $"url is {url.Length:N0} characters long; at most {MaxUrlLength:N0} are allowed.");
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || string.IsNullOrEmpty(uri.Host))
        {
            return new(field, $"url must be an absolute https:// URL, not '{url}'.");
        }
        if (uri.UserInfo.Length > 0 || uri.Fragment.Length > 0 || url.Any(char.IsControl))
        {
            return new(field, "url must not carry a user name, a fragment or control characters.");
        }
        if (_hosts.Count == 0)
        {
            return new(field, "No webhook host is allowed on this service: operators list them in Dispatch:Webhooks:AllowedHosts.");
        }
        if (Match(uri) is null)
        {
            return uri.Scheme == "http" && Match(new UriBuilder(uri) { Scheme = "https", Port = uri.IsDefaultPort ? 443 : uri.Port }.Uri) is not null
                ? new(field, $"{uri.Host} is allowed over https only; use an https:// URL.")
                : new(field, $"{uri.Scheme}://{uri.Authority} is not on the operators' allow-list of webhook hosts (Dispatch:Webhooks:AllowedHosts).");
        }
        return null;
    }

    public const int MaxUrlLength = 2_000;

    /// <summary>
    /// Whether the silo may connect to <paramref name="address"/> for a URL under <paramref name="entry"/>: any public
    /// address; an internal one (loopback, private, link-local, multicast, …) only when the entry is that very address.
    /// A host name that resolves to an internal address (DNS rebinding, a typo) is refused.
    /// </summary>
    public static bool MayConnect(WebhookHost entry, IPAddress address) =>
        !IsInternal(address) || (entry.Literal is { } literal && literal.Equals(Normal(address)));

    /// <summary>Addresses that are not the public internet: this host, private networks, link-local, multicast, reserved.</summary>
    public static bool IsInternal(IPAddress address)
    {
        address = Normal(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] is 0 or 10 or 127 or >= 224
                || (b[0] == 100 && (b[1] & 0xC0) == 64)      // 100.64.0.0/10, carrier-grade NAT
                || (b[0] == 169 && b[1] == 254)              // link-local, cloud metadata
                || (b[0] == 172 && (b[1] & 0xF0) == 16)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)
                || (b[0] == 198 && (b[1] & 0xFE) == 18);     // 198.18.0.0/15, benchmarking
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return true;
        }
        var v6 = address.GetAddressBytes();
        // NAT64 (64:ff9b::/96) reaches the IPv4 address in its last four bytes.
        if (v6[0] == 0 && v6[1] == 0x64 && v6[2] == 0xff && v6[3] == 0x9b && v6[4..12].All(x => x == 0))
        {
            return IsInternal(new IPAddress(v6[12..]));
        }
        return address.Equals(IPAddress.IPv6Loopback) || address.Equals(IPAddress.IPv6Any) || address.IsIPv6LinkLocal
            || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal;
    }

    private static IPAddress Normal(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
