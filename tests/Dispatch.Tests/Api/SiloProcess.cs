using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dispatch.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Api;

/// <summary>
/// A real Dispatch silo host (Kestrel, Orleans, SQLite in a temp data folder) on free ports,
/// which a test can stop and start again on the same data.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private readonly string[] _extraArgs;
    private WebApplication? _app;

    private SiloProcess(string dataFolder, string[] extraArgs, TimeProvider? clock)
    {
        DataFolder = dataFolder;
        _extraArgs = extraArgs;
        Clock = clock;
    }

    /// <summary>Services added to the silo's host last, at every start (a fault to inject).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; set; }

    /// <summary>The clock the silo runs on (grains and Quartz); null for the system clock. A restart may swap it.</summary>
    public TimeProvider? Clock { get; set; }

    public string DataFolder { get; }

    public int HttpPort { get; private set; }

    public int GatewayPort { get; private set; }

    /// <summary>A client signed in as the operator (the token the silo wrote to its data folder).</summary>
    public HttpClient Http { get; private set; } = null!;

    public string OperatorToken { get; private set; } = "";

    /// <summary>A free port found earlier can be taken by another process before the silo binds it.</summary>
    internal static bool IsAddressInUse(Exception? e) =>
        e is not null && (e is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.AddressAlreadyInUse }
            || e.GetType().Name == "AddressInUseException" || IsAddressInUse(e.InnerException)
            || e is AggregateException a && a.InnerExceptions.Any(IsAddressInUse));

    /// <summary>A client of this silo with the given bearer token, or none.</summary>
    public HttpClient Client(string? token)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}") };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    /// <summary>Mints a token through the API as the operator.</summary>
    public async Task<string> IssueTokenAsync(object request)
    {
        var response = await Http.PostAsJsonAsync("/api/tokens", request);
        Assert.True(response.IsSuccessStatusCode, $"POST /api/tokens: {await response.Content.ReadAsStringAsync()}");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("token").GetString()!;
    }

    public IServiceProvider Services => _app!.Services;

    public static Task<SiloProcess> StartAsync(bool sample = false, params string[] extraArgs) => StartAsync(sample, null, extraArgs);

    public static Task<SiloProcess> StartAsync(bool sample, TimeProvider? clock, params string[] extraArgs) => StartAsync(sample, clock, null, extraArgs);

    public static async Task<SiloProcess> StartAsync(bool sample, TimeProvider? clock, Action<IServiceCollection>? configureServices, params string[] extraArgs)
    {
        var folder = Path.Combine(Path.GetTempPath(), "dispatch-tests", Guid.NewGuid().ToString("N"));
        var silo = new SiloProcess(folder, sample ? extraArgs : ["--no-sample", .. extraArgs], clock) { ConfigureServices = configureServices };
        await silo.StartAsync();
        return silo;
    }

    public async Task StartAsync()
    {
        // Tests start silos in parallel: a free port can be taken by another before we bind it, so try again.
        for (var attempt = 1; ; attempt++)
        {
            HttpPort = SiloSettings.FreePort();
            GatewayPort = SiloSettings.FreePort();
            string[] args = ["--data", DataFolder, "--http-port", $"{HttpPort}", "--silo-port", $"{SiloSettings.FreePort()}",
                "--gateway-port", $"{GatewayPort}", .. _extraArgs];
            _app = await DispatchHost.BuildAsync(args, Clock, ConfigureServices);
            try
            {
                await _app.StartAsync();
                break;
            }
            catch (Exception e) when (attempt < 4 && IsAddressInUse(e))
            {
                await _app.DisposeAsync();
            }
        }
        OperatorToken = (await File.ReadAllTextAsync(Path.Combine(DataFolder, "operator.token"))).Trim();
        Http = Client(OperatorToken);
    }

    public async Task StopAsync()
    {
        Http.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    public async Task<T> GetAsync<T>(string path)
    {
        var response = await Http.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<T>(Json))!;
    }

    /// <summary>Polls until a condition holds (the silo works in the background); fails after the timeout.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, Func<Task<string>>? diagnose = null)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!await condition())
        {
            if (deadline.IsCancellationRequested)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}. {(diagnose is null ? "" : await diagnose())}");
            }
            await Task.Delay(100, CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(DataFolder, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment on shutdown; the temp folder is cleaned by the OS.
        }
    }
}
