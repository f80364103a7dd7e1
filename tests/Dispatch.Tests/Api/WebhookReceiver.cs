using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dispatch.Tests.Api;

/// <summary>
/// A real HTTP receiver (Kestrel on 127.0.0.1, a free port) that records every webhook request and answers 503 while
/// it is "down".
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app) => _app = app;

    public sealed record Received(DateTimeOffset At, string Path, IReadOnlyDictionary<string, string> Headers, string Body, int Answered);

    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>While true every request is answered 503 Service Unavailable.</summary>
    public volatile bool Down;

    public int Port { get; private set; }

    public string Url(string path = "/hook") => $"http://127.0.0.1:{Port}{path}";

    /// <summary>The requests answered 2xx.</summary>
    public IReadOnlyList<Received> Accepted => Requests.Where(r => r.Answered is >= 200 and < 300).ToList();

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/{**path}", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            var status = receiver.Down ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
            receiver.Requests.Enqueue(new Received(TimeProvider.System.GetUtcNow(), http.Request.Path + http.Request.QueryString,
                http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body, status));
            http.Response.StatusCode = status;
            await http.Response.WriteAsync(status == 200 ? "{\"errcode\":0,\"errmsg\":\"ok\"}" : "down");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Port = new Uri(address).Port;
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
