using Dispatch.Silo.Api;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Dispatch.Tests.Browser;

/// <summary>
/// The API reference in headless Chromium: /api/docs renders the OpenAPI document's operations, without a token, and
/// every request the page makes goes to the silo (127.0.0.1), none to a CDN, font host or telemetry service.
/// </summary>
[Trait("Category", "Browser")]
public sealed class ApiDocsBrowserTests(ConsoleFixture fixture, ITestOutputHelper output) : IClassFixture<ConsoleFixture>
{
    [ChromiumFact]
    public async Task The_reference_renders_the_report_route_and_no_request_leaves_the_silo()
    {
        Assert.True(ChromiumFactAttribute.ChromiumInstalled, $"{ChromiumFactAttribute.ChromiumPath} is missing; CI=true needs the browser tests to run (apt-get install -y chromium).");
        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1366, Height = 1000 },
            Locale = "zh-CN",
        });
        var page = await context.NewPageAsync();
        var requests = new List<string>();
        page.Request += (_, request) => requests.Add(request.Url);
        var pageErrors = new List<string>();
        page.PageError += (_, message) => pageErrors.Add(message);
        // A request to another host is recorded above and then refused here, so the test never waits on the network.
        await context.RouteAsync(url => !IsSilo(url), route => route.AbortAsync());

        // Scalar's address of one operation: the page opens there (it renders the sections near the view).
        var response = await page.GotoAsync($"{fixture.BaseUrl}{ApiReference.Path}/#tag/projects/POST/api/projects/{{id}}/reports");
        Assert.Equal(200, response?.Status);
        await Expect(page).ToHaveTitleAsync(ApiReference.Title);
        // The monthly report route, by the summary the document gives it.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Report monthly progress (月度填报)" })).ToBeVisibleAsync();
        // Scalar's toolbar (share, deploy, generate an SDK on its services) is hidden.
        await Expect(page.GetByText("Generate SDK")).ToHaveCountAsync(0);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        var shot = ConsoleFixture.ScreenshotPath("api-docs.png");
        Directory.CreateDirectory(Path.GetDirectoryName(shot)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot });
        output.WriteLine($"Screenshot: {shot}; {requests.Count} requests, all to the silo:{Environment.NewLine}{string.Join(Environment.NewLine, requests.Distinct())}");

        Assert.Contains(requests, r => r.EndsWith("/openapi/v1.json", StringComparison.Ordinal));
        Assert.DoesNotContain(requests, r => !IsSilo(r));
        Assert.Empty(pageErrors);
    }

    /// <summary>The silo's own address; <c>data:</c> and <c>blob:</c> URLs never leave the page.</summary>
    private bool IsSilo(string url) =>
        url.StartsWith($"{fixture.BaseUrl}/", StringComparison.Ordinal) || url.StartsWith("data:", StringComparison.Ordinal) || url.StartsWith("blob:", StringComparison.Ordinal);
}
