using Dispatch.Grains.Domain;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Dispatch.Tests.Browser;

/// <summary>
/// The officials' web console in headless Chromium against a real silo: sign-in, the red project and its milestone
/// timeline, acknowledging a warning in place, a new warning arriving live over server-sent events, and a phone-width
/// screen. Every wait is one of Playwright's auto-waiting expectations.
/// </summary>
[Trait("Category", "Browser")]
public sealed class ConsoleBrowserTests(ConsoleFixture fixture, ITestOutputHelper output) : IClassFixture<ConsoleFixture>
{
    private static readonly DateOnly s_today = TimeProvider.System.ChinaToday();

    [ChromiumFact]
    public async Task An_official_sees_the_red_project_acknowledges_its_warning_and_a_new_warning_arrives_live()
    {
        RequireChromium();
        var district = await fixture.DefineDistrictAsync("bt-a");
        await fixture.PutOverdueProjectAsync("bt-a-1", district, "精细化工一期", s_today);
        var token = await fixture.OfficialTokenAsync(district, "王科长");

        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1366, Height = 1000 },
            Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
        });
        var page = await context.NewPageAsync();
        var pageErrors = Watch(page);

        if (fixture.AuthEnabled)
        {
            // A token the silo does not accept returns to the sign-in screen with a message.
            await page.GotoAsync($"{fixture.BaseUrl}/");
            await SignInAsync(page, "not-a-token", "王科长");
            await Expect(page.GetByTestId("signin-message")).ToContainTextAsync("令牌无效");
            await Expect(page.GetByTestId("console")).ToBeHiddenAsync();
        }
        else
        {
            // No token service in this build: /api/me is missing, so say where to start.
            output.WriteLine("The silo wrote no operator.token: signing in without a real token and opening the district by its address.");
            await page.GotoAsync($"{fixture.BaseUrl}/#region={district}&tab=projects");
        }
        await SignInAsync(page, token, "王科长");

        // The official starts at the district (GET /api/me), its project lit red.
        await Expect(page.GetByTestId("region-title")).ToContainTextAsync("测试区");
        await Expect(page.Locator("[data-testid='region-node'][data-region-id='bt-a-city-d']")).ToBeVisibleAsync();
        var project = page.Locator("[data-testid='project-row'][data-project-id='bt-a-1']");
        await Expect(project).ToHaveAttributeAsync("data-light", "red");
        await Expect(project.GetByTestId("project-light")).ToHaveTextAsync("红灯");
        await Expect(page.GetByTestId("count-red")).ToContainTextAsync("1");

        // Its milestone plan against actuals: 开工 is overdue, the earlier milestones were reached.
        await Expect(page.GetByTestId("live-status")).ToHaveAttributeAsync("data-state", "open");
        await project.GetByTestId("project-toggle").ClickAsync();
        var timeline = project.GetByTestId("milestone-timeline");
        await Expect(timeline).ToBeVisibleAsync();
        await Expect(timeline.Locator("[data-testid='timeline-row'][data-milestone='开工']")).ToHaveAttributeAsync("data-status", "overdue");
        await Expect(timeline.Locator("[data-testid='timeline-row'][data-milestone='签约']")).ToHaveAttributeAsync("data-status", "late");
        await Expect(timeline.GetByTestId("timeline-today")).ToHaveCountAsync(1);
        var timelineShot = ConsoleFixture.ScreenshotPath("console-timeline.png");
        Directory.CreateDirectory(Path.GetDirectoryName(timelineShot)!);
        await project.ScreenshotAsync(new LocatorScreenshotOptions { Path = timelineShot });
        output.WriteLine($"Screenshot (project and its milestone timeline): {timelineShot}");

        // The inbox: acknowledge the milestone warning; the row shows its new state without a reload.
        await page.EvaluateAsync("() => { window.__sameDocument = true; }");
        await page.GetByTestId("tab-warnings").ClickAsync();
        await Expect(page.GetByTestId("live-status")).ToHaveAttributeAsync("data-state", "open");
        var first = page.Locator("[data-testid='warning-row'][data-project-id='bt-a-1'][data-rule='milestoneOverdue']");
        await Expect(first).ToHaveAttributeAsync("data-status", "open");
        await Expect(first.GetByTestId("warning-level")).ToHaveAttributeAsync("data-light", "red");
        await first.GetByTestId("ack-button").ClickAsync();
        await Expect(first).ToHaveAttributeAsync("data-status", "acknowledged");
        await Expect(first.GetByTestId("warning-status")).ToHaveTextAsync("已确认");
        await Expect(first.GetByTestId("warning-state-text")).ToContainTextAsync("王科长");
        await Expect(first.GetByTestId("ack-button")).ToHaveCountAsync(0);

        // Meanwhile a second project slips: its warning appears in the open inbox live, over server-sent events.
        await fixture.PutOverdueProjectAsync("bt-a-2", district, "智能装备产业园", s_today);
        var second = page.Locator("[data-testid='warning-row'][data-project-id='bt-a-2'][data-rule='milestoneOverdue']");
        await Expect(second).ToBeVisibleAsync();
        await Expect(second).ToHaveAttributeAsync("data-status", "open");
        await Expect(second.GetByTestId("new-badge")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid='feed-item'][data-type='warningRaised']").First).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page reloaded");

        // Close out (销号) the acknowledged warning with a note.
        await first.GetByTestId("close-button").ClickAsync();
        await first.GetByTestId("close-note").FillAsync("已协调施工单位进场");
        await first.GetByTestId("close-confirm").ClickAsync();
        await Expect(first).ToHaveAttributeAsync("data-status", "closed");
        await Expect(first.GetByTestId("warning-status")).ToHaveTextAsync("已销号");

        // Hold this week's dispatch meeting from the console; its minutes list the red projects.
        await page.GetByTestId("tab-meetings").ClickAsync();
        await page.GetByTestId("hold-meeting").ClickAsync();
        var meeting = page.Locator("[data-testid='meeting-item'][data-cadence='weekly']");
        await Expect(meeting).ToHaveCountAsync(1);
        await Expect(meeting.GetByTestId("agenda-project").Filter(new() { HasText = "智能装备产业园" })).ToBeVisibleAsync();

        await page.GetByTestId("tab-warnings").ClickAsync();
        await Expect(second).ToBeVisibleAsync();
        var shot = ConsoleFixture.ScreenshotPath("console.png");
        Directory.CreateDirectory(Path.GetDirectoryName(shot)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
        output.WriteLine($"Screenshot: {shot}");
        Assert.Empty(pageErrors);
    }

    [ChromiumFact]
    public async Task The_inbox_fits_a_390_pixel_wide_phone_screen_in_both_languages()
    {
        RequireChromium();
        var district = await fixture.DefineDistrictAsync("bt-m");
        await fixture.PutOverdueProjectAsync("bt-m-1", district, "港口物流中心二期工程", s_today);
        var token = await fixture.OfficialTokenAsync(district, "刘主任");

        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            DeviceScaleFactor = 2,
            IsMobile = true,
            HasTouch = true,
            Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
        });
        var page = await context.NewPageAsync();
        var pageErrors = Watch(page);
        await page.GotoAsync(fixture.AuthEnabled ? $"{fixture.BaseUrl}/" : $"{fixture.BaseUrl}/#region={district}");
        await SignInAsync(page, token, "刘主任");

        await Expect(page.GetByTestId("region-title")).ToContainTextAsync("测试区");
        await page.GetByTestId("tab-warnings").ClickAsync();
        var row = page.Locator("[data-testid='warning-row'][data-project-id='bt-m-1'][data-rule='milestoneOverdue']");
        await Expect(row).ToBeVisibleAsync();
        var ack = row.GetByTestId("ack-button");
        await ack.ScrollIntoViewIfNeededAsync();
        await Expect(ack).ToBeInViewportAsync();
        foreach (var (what, part) in new[] { ("the inbox row", row), ("its acknowledge button", ack) })
        {
            var box = await part.BoundingBoxAsync();
            Assert.NotNull(box);
            Assert.True(box.X >= 0 && box.X + box.Width <= 390, $"{what} spans x {box.X}–{box.X + box.Width} on a 390 px screen");
        }
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 390, "the page scrolls sideways at 390 px");

        var shot = ConsoleFixture.ScreenshotPath("console-390.png");
        Directory.CreateDirectory(Path.GetDirectoryName(shot)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
        output.WriteLine($"Screenshot (390 px): {shot}");

        // The English toggle translates the console in place.
        await page.GetByTestId("lang-toggle").ClickAsync();
        await Expect(page.GetByTestId("tab-warnings")).ToContainTextAsync("Warnings");
        await Expect(row.GetByTestId("warning-status")).ToHaveTextAsync("Open");
        await Expect(row.GetByTestId("ack-button")).ToHaveTextAsync("Acknowledge");
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 390, "the English page scrolls sideways at 390 px");
        Assert.Empty(pageErrors);
    }

    [ChromiumFact]
    public async Task The_region_tree_opens_lazily_and_the_ranking_chart_ranks_the_districts()
    {
        RequireChromium();
        await fixture.PutAsync("/api/regions/bt-r", new { name = "排名测试省", level = "province" });
        await fixture.PutAsync("/api/regions/bt-r-c", new { name = "排名测试市", level = "city", parentId = "bt-r" });
        await fixture.PutAsync("/api/regions/bt-r-c-late", new { name = "滞后县", level = "district", parentId = "bt-r-c" });
        await fixture.PutAsync("/api/regions/bt-r-c-good", new { name = "先进区", level = "district", parentId = "bt-r-c" });
        await fixture.PutOverdueProjectAsync("bt-r-late-1", "bt-r-c-late", "未开工项目", s_today);
        await fixture.PutAsync("/api/projects/bt-r-good-1", new
        {
            name = "已开工项目",
            regionId = "bt-r-c-good",
            kind = "new",
            totalInvestment = 9000m,
            milestones = new[] { new { name = "开工", plannedDate = s_today.AddDays(-20).ToString("yyyy-MM-dd"), actualDate = s_today.AddDays(-21).ToString("yyyy-MM-dd") } },
        });
        var token = await fixture.OfficialTokenAsync("bt-r", "赵处长");

        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
        });
        var page = await context.NewPageAsync();
        var pageErrors = Watch(page);
        await page.GotoAsync(fixture.AuthEnabled ? $"{fixture.BaseUrl}/" : $"{fixture.BaseUrl}/#region=bt-r");
        await SignInAsync(page, token, "赵处长");
        await Expect(page.GetByTestId("region-title")).ToContainTextAsync("排名测试省");

        // The province's child is listed; its own children load when it is opened.
        var city = page.Locator("[data-testid='region-node'][data-region-id='bt-r-c']");
        await Expect(city).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid='region-node'][data-region-id='bt-r-c-late']")).ToHaveCountAsync(0);
        await city.Locator(".twisty").ClickAsync();
        var late = page.Locator("[data-testid='region-node'][data-region-id='bt-r-c-late']");
        await Expect(late).ToBeVisibleAsync();
        await Expect(late.GetByTestId("node-counts").Locator(".c.red")).ToHaveTextAsync("1");

        // The city's districts ranked from their current rates, then from the monthly meeting's agenda.
        await city.GetByTestId("region-select").First.ClickAsync();
        await Expect(page.GetByTestId("region-title")).ToContainTextAsync("排名测试市");
        await page.GetByTestId("tab-ranking").ClickAsync();
        await Expect(page.GetByTestId("ranking-source")).ToContainTextAsync("按下级地区当前指标计算");
        await Expect(page.Locator("[data-testid='ranking-bar'][data-rank='1']")).ToHaveAttributeAsync("data-region-id", "bt-r-c-good");
        await Expect(page.Locator("[data-testid='ranking-bar'][data-rank='2']")).ToHaveAttributeAsync("data-region-id", "bt-r-c-late");

        await page.GetByTestId("tab-meetings").ClickAsync();
        await page.GetByTestId("hold-cadence").SelectOptionAsync("monthly");
        await page.GetByTestId("hold-meeting").ClickAsync();
        await Expect(page.Locator("[data-testid='meeting-item'][data-cadence='monthly']")).ToHaveCountAsync(1);
        await page.GetByTestId("tab-ranking").ClickAsync();
        await Expect(page.GetByTestId("ranking-source")).ToContainTextAsync("月调度");
        await Expect(page.Locator("[data-testid='ranking-bar'][data-rank='1']")).ToHaveAttributeAsync("data-region-id", "bt-r-c-good");

        var shot = ConsoleFixture.ScreenshotPath("console-ranking.png");
        Directory.CreateDirectory(Path.GetDirectoryName(shot)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
        output.WriteLine($"Screenshot (ranking): {shot}");
        Assert.Empty(pageErrors);
    }

    private static void RequireChromium() =>
        Assert.True(ChromiumFactAttribute.ChromiumInstalled, $"{ChromiumFactAttribute.ChromiumPath} is missing; CI=true needs the browser tests to run (apt-get install -y chromium).");

    private static async Task SignInAsync(IPage page, string token, string name)
    {
        await Expect(page.GetByTestId("signin")).ToBeVisibleAsync();
        await page.GetByTestId("token-input").FillAsync(token);
        await page.GetByTestId("name-input").FillAsync(name);
        await page.GetByTestId("signin-button").ClickAsync();
    }

    /// <summary>Uncaught script errors of the page (console messages are only printed).</summary>
    private List<string> Watch(IPage page)
    {
        var errors = new List<string>();
        page.PageError += (_, message) => errors.Add(message);
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                output.WriteLine($"browser {message.Type}: {message.Text}");
            }
        };
        return errors;
    }
}
