using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Tests.Api;
using Microsoft.Playwright;

namespace Dispatch.Tests.Browser;

/// <summary>
/// One real silo host (Kestrel, Orleans, SQLite in a temp folder, acknowledgement timeout one hour so nothing escalates
/// during a test) and one headless Chromium, shared by the browser tests; each test defines its own regions.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public SiloProcess Silo { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The silo as its operator (the token it wrote to its data folder; no header where there is none).</summary>
    public HttpClient Operator { get; private set; } = null!;

    /// <summary>Whether the silo wrote an operator token, i.e. whether its API asks for bearer tokens.</summary>
    public bool AuthEnabled { get; private set; }

    public string BaseUrl => $"http://127.0.0.1:{Silo.HttpPort}";

    public async Task InitializeAsync()
    {
        if (!ChromiumFactAttribute.ChromiumInstalled)
        {
            // The tests are skipped, or fail saying why under CI; nothing to launch.
            return;
        }
        Silo = await SiloProcess.StartAsync(false, "--Dispatch:Escalation:AcknowledgeWithin", "01:00:00",
            // On the real clock: 24×7, so that the hour and day the tests run do not move deadlines.
            "--Dispatch:Calendar:Mode", "AroundTheClock",
            // A webhook host listed by name that resolves to loopback: deliveries there are refused, and the alerts tab shows why.
            "--Dispatch:Webhooks:AllowedHosts:0", "http://localhost:9");
        Operator = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        var tokenFile = Path.Combine(Silo.DataFolder, "operator.token");
        if (File.Exists(tokenFile))
        {
            AuthEnabled = true;
            Operator.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await File.ReadAllTextAsync(tokenFile)).Trim());
        }
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumFactAttribute.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        // The first calls to a fresh silo activate grains and open SQLite; give expectations room on a slow machine.
        Assertions.SetDefaultExpectTimeout(30_000);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        Operator?.Dispose();
        if (Silo is not null)
        {
            await Silo.DisposeAsync();
        }
    }

    public async Task PutAsync(string path, object body)
    {
        var response = await Operator.PutAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Posts as the operator; answers the response's JSON (the caller disposes it).</summary>
    public async Task<JsonDocument> PostAsync(string path, object body)
    {
        var response = await Operator.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text);
    }

    /// <summary>
    /// A bearer token for an official of a region, minted by the operator (<c>POST /api/tokens</c>); where the silo
    /// has no token service yet, a placeholder the API ignores.
    /// </summary>
    public async Task<string> OfficialTokenAsync(string regionId, string name)
    {
        if (!AuthEnabled)
        {
            return "no-token-service";
        }
        var response = await Operator.PostAsJsonAsync("/api/tokens", new { role = "official", regionId, name });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST /api/tokens: {(int)response.StatusCode} {text}");
        using var body = JsonDocument.Parse(text);
        return body.RootElement.GetProperty("token").GetString()!;
    }

    /// <summary>A province, a city and a district named after a test.</summary>
    public async Task<string> DefineDistrictAsync(string prefix)
    {
        await PutAsync($"/api/regions/{prefix}", new { name = $"{prefix}测试省", level = "province" });
        await PutAsync($"/api/regions/{prefix}-city", new { name = "测试市", level = "city", parentId = prefix });
        await PutAsync($"/api/regions/{prefix}-city-d", new { name = "测试区", level = "district", parentId = $"{prefix}-city" });
        return $"{prefix}-city-d";
    }

    /// <summary>A new project whose 开工 milestone was planned 20 days ago (China Standard Time) and not reached: red.</summary>
    public Task PutOverdueProjectAsync(string id, string regionId, string name, DateOnly today) => PutAsync($"/api/projects/{id}", new
    {
        name,
        regionId,
        kind = "new",
        industry = "新材料",
        totalInvestment = 8000m,
        annualPlanInvestment = 3000m,
        leader = "李副市长",
        steward = "张管家",
        milestones = new object[]
        {
            new { name = "签约", plannedDate = Iso(today.AddDays(-60)), actualDate = Iso(today.AddDays(-55)) },
            new { name = "施工许可", plannedDate = Iso(today.AddDays(-35)), actualDate = Iso(today.AddDays(-30)) },
            new { name = "开工", plannedDate = Iso(today.AddDays(-20)) },
            new { name = "竣工", plannedDate = Iso(today.AddDays(200)) },
        },
    });

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd");

    /// <summary>Where screenshots go: <c>TestResults/browser</c> of the repository (next to the TRX), else the test output.</summary>
    public static string ScreenshotPath(string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dispatch.sln")))
            {
                return Path.Combine(dir.FullName, "TestResults", "browser", file);
            }
        }
        return Path.Combine(AppContext.BaseDirectory, file);
    }
}
