using System.Net;
using System.Net.Sockets;
using System.Text;
using Dispatch.Contracts;
using Dispatch.Grains;
using Dispatch.Grains.Domain;
using Microsoft.Extensions.Options;

namespace Dispatch.Silo.Webhooks;

/// <summary>
/// Posts webhook requests. The URL's host must still be on the allow-list when the request leaves, and the connection
/// is made here, not by the resolver's first answer: only to addresses <see cref="WebhookAllowList.MayConnect"/> admits,
/// so a name that resolves (or is rebound) to an internal address is refused. No proxy (it would hide the real
/// destination), no redirects, a time limit per attempt, and at most a few kilobytes of the answer read.
/// </summary>
public sealed class WebhookSender : IWebhookSender, IDisposable
{
    /// <summary>Bytes of an answer read, enough for a chat tool's <c>{"errcode":…,"errmsg":…}</c>.</summary>
    private const int AnswerCap = 4 * 1024;
    private static readonly HttpRequestOptionsKey<WebhookHost> s_entry = new("dispatch.webhook.host");
    private readonly IOptionsMonitor<DispatchOptions> _options;
    private readonly HttpClient _http;

    public WebhookSender(IOptionsMonitor<DispatchOptions> options)
    {
        _options = options;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = ConnectAsync,
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("Dispatch-Webhooks/1");
    }

    public async Task<WebhookSendResult> SendAsync(WebhookRequest request, WebhookFormat format, CancellationToken cancellationToken)
    {
        var options = _options.CurrentValue.Webhooks;
        var uri = new Uri(request.Url);
        if (WebhookAllowList.Parse(options.AllowedHosts).Match(uri) is not { } entry)
        {
            return new(WebhookOutcome.Failed, null, $"{uri.Scheme}://{uri.Authority} is no longer on the allow-list (Dispatch:Webhooks:AllowedHosts)");
        }
        using var message = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(request.Body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }
        message.Options.Set(s_entry, entry);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        try
        {
            using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var answer = await ReadCappedAsync(response, timeout.Token);
            var (outcome, error) = WebhookFormats.Judge(format, (int)response.StatusCode, answer);
            return new(outcome, (int)response.StatusCode, error);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new(WebhookOutcome.Retrying, null, $"no answer within {options.Timeout}");
        }
        catch (HttpRequestException e) when (e.InnerException is RefusedAddressException refused)
        {
            // Configuration, not a passing failure: trying again reaches the same addresses.
            return new(WebhookOutcome.Failed, null, refused.Message);
        }
        catch (HttpRequestException e)
        {
            return new(WebhookOutcome.Retrying, null, e.HttpRequestError == HttpRequestError.Unknown ? e.Message : $"{e.HttpRequestError}: {e.Message}");
        }
    }

    private static async Task<string> ReadCappedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[AnswerCap];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
        {
            read += n;
        }
        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    /// <summary>Resolves the host and connects to the first address the request's allow-list entry admits.</summary>
    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        if (!context.InitialRequestMessage.Options.TryGetValue(s_entry, out var entry))
        {
            throw new RefusedAddressException("refused: a webhook request without its allow-list entry");
        }
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var allowed = addresses.Where(a => WebhookAllowList.MayConnect(entry, a)).ToList();
        if (allowed.Count == 0)
        {
            throw new RefusedAddressException(
                $"refused: {host} resolves only to internal addresses ({string.Join(", ", addresses.Select(a => a.ToString()))}); allow-list that address itself to reach it");
        }
        Exception? last = null;
        foreach (var address in allowed)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
        }
        throw last!;
    }

    public void Dispose() => _http.Dispose();

    private sealed class RefusedAddressException(string message) : Exception(message);
}
