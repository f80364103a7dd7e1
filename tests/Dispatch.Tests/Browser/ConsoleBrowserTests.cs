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

        await using var context = await ChinaContextAsync(1366, 1000);
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
        await ScreenshotAsync(page, "console.png");
        Assert.Empty(pageErrors);
    }

    [ChromiumFact]
    public async Task The_inbox_fits_a_390_pixel_wide_phone_screen_in_both_languages()
    {
        RequireChromium();
        var district = await fixture.DefineDistrictAsync("bt-m");
        await fixture.PutOverdueProjectAsync("bt-m-1", district, "港口物流中心二期工程", s_today);
        var token = await fixture.OfficialTokenAsync(district, "刘主任");

        await using var context = await PhoneAsync();
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
        await FitsPhoneAsync(page, "console-390.png", ("the inbox row", row), ("its acknowledge button", ack));

        // The English toggle translates the console in place.
        await page.GetByTestId("lang-toggle").ClickAsync();
        await Expect(page.GetByTestId("tab-warnings")).ToContainTextAsync("Warnings");
        await Expect(row.GetByTestId("warning-status")).ToHaveTextAsync("Open");
        await Expect(row.GetByTestId("ack-button")).ToHaveTextAsync("Acknowledge");
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 390, "the English page scrolls sideways at 390 px");
        Assert.Empty(pageErrors);
    }

    [ChromiumFact]
    public async Task The_alerts_tab_shows_a_subscription_with_its_refused_delivery_on_a_390_pixel_screen()
    {
        RequireChromium();
        var district = await fixture.DefineDistrictAsync("bt-w");
        string target;
        using (var created = await fixture.PostAsync("/api/webhooks/targets", new { name = "区调度钉钉群", url = "http://localhost:9/robot/send", format = "dingtalk" }))
        {
            target = created.RootElement.GetProperty("id").GetString()!;
        }
        (await fixture.PostAsync($"/api/regions/{district}/webhooks", new { account = "赵科长", events = new[] { "warningRaised" }, targetId = target })).Dispose();
        await fixture.PutOverdueProjectAsync("bt-w-1", district, "物流园区三期", s_today);
        var token = await fixture.OfficialTokenAsync(district, "赵科长");
        await Dispatch.Tests.Api.SiloProcess.WaitUntilAsync(async () => System.Text.Json.JsonDocument.Parse(await fixture.Operator.GetStringAsync($"/api/regions/{district}/webhooks"))
            .RootElement[0].GetProperty("deliveries").GetProperty("failed").GetInt64() >= 1,
            TimeSpan.FromSeconds(30), "the refused delivery");

        await using var context = await PhoneAsync();
        var page = await context.NewPageAsync();
        var pageErrors = Watch(page);
        await page.GotoAsync(fixture.AuthEnabled ? $"{fixture.BaseUrl}/" : $"{fixture.BaseUrl}/#region={district}");
        await SignInAsync(page, token, "赵科长");
        await Expect(page.GetByTestId("region-title")).ToContainTextAsync("测试区");

        // The delivery was refused at send (localhost is not a public address); the tab lists it with its reason.
        var failed = page.GetByTestId("webhook-delivery").And(page.Locator("[data-outcome='failed']"));
        await page.GetByTestId("tab-alerts").ClickAsync();
        var subscription = page.GetByTestId("webhook-subscription");
        await Expect(subscription).ToContainTextAsync("区调度钉钉群");
        await Expect(subscription).ToContainTextAsync("新预警");
        await Expect(subscription).ToContainTextAsync("@赵科长");
        await Expect(failed.First).ToContainTextAsync("失败");
        await Expect(failed.First.GetByTestId("webhook-error")).ToContainTextAsync("internal addresses");
        await Expect(subscription.GetByTestId("webhook-counts")).ToContainTextAsync("已送达 0");
        await FitsPhoneAsync(page, "console-alerts-390.png", ("the subscription", subscription), ("its refused delivery", failed.First));

        await page.GetByTestId("lang-toggle").ClickAsync();
        await Expect(page.GetByTestId("tab-alerts")).ToContainTextAsync("Alerts");
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
        await fixture.PutAsync("/api/regions/bt-r-c-peer", new { name = "并进区", level = "district", parentId = "bt-r-c" });
        await fixture.PutAsync("/api/regions/bt-r-c-empty", new { name = "空白县", level = "district", parentId = "bt-r-c" });
        // 滞后县: 0 of 1 started, 0 invested, its only project red: 0.0. 先进区 and 并进区: 1 of 1 started today, no
        // annual plan: 100.0 each, first together (并列). 空白县 plans nothing: listed last, not ranked.
        await fixture.PutOverdueProjectAsync("bt-r-late-1", "bt-r-c-late", "未开工项目", s_today);
        foreach (var (id, region) in new[] { ("bt-r-good-1", "bt-r-c-good"), ("bt-r-peer-1", "bt-r-c-peer") })
        {
            await fixture.PutAsync($"/api/projects/{id}", new
            {
                name = "已开工项目",
                regionId = region,
                kind = "new",
                totalInvestment = 9000m,
                milestones = new[] { new { name = "开工", plannedDate = s_today.ToString("yyyy-MM-dd"), actualDate = s_today.ToString("yyyy-MM-dd") } },
            });
        }
        var token = await fixture.OfficialTokenAsync("bt-r", "赵处长");

        await using var context = await ChinaContextAsync(1280, 900);
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

        // The city's districts as the ranking route ranks them for this month: 并列 first, then third, the unplanned one last.
        await city.GetByTestId("region-select").First.ClickAsync();
        await Expect(page.GetByTestId("region-title")).ToContainTextAsync("排名测试市");

        // The city owns no project itself; with its districts included it finds all three, and the red one alone.
        await page.GetByTestId("tab-projects").ClickAsync();
        await Expect(page.GetByTestId("projects-empty")).ToBeVisibleAsync();
        await page.GetByTestId("project-subtree").CheckAsync();
        await Expect(page.GetByTestId("project-row")).ToHaveCountAsync(3);
        await page.GetByTestId("project-light-filter").SelectOptionAsync("red");
        await Expect(page.GetByTestId("project-row")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("project-row")).ToHaveAttributeAsync("data-project-id", "bt-r-late-1");
        await page.GetByTestId("project-light-filter").SelectOptionAsync("");
        await page.GetByTestId("project-text").FillAsync("已开工");
        await page.GetByTestId("project-search").ClickAsync();
        await Expect(page.GetByTestId("project-row")).ToHaveCountAsync(2);

        await page.GetByTestId("tab-ranking").ClickAsync();
        await Expect(page.GetByTestId("ranking-source")).ToContainTextAsync($"{s_today:yyyy-MM} 排名，数据截至 {s_today:yyyy-MM-dd}");
        await Expect(page.GetByTestId("ranking-formula")).ToContainTextAsync("红灯项目占比 × 10");
        await Expect(page.Locator("[data-testid='ranking-bar'][data-rank='1']")).ToHaveCountAsync(2);
        await Expect(page.Locator("[data-testid='ranking-bar'][data-rank='1']").First).ToHaveAttributeAsync("data-region-id", "bt-r-c-good");
        await Expect(page.Locator("[data-testid='ranking-bar'][data-rank='1']").Nth(1)).ToHaveAttributeAsync("data-region-id", "bt-r-c-peer");
        await Expect(page.Locator("[data-testid='ranking-bar'][data-rank='3']")).ToHaveAttributeAsync("data-region-id", "bt-r-c-late");
        var rows = page.GetByTestId("ranking-row");
        await Expect(rows).ToHaveCountAsync(4);
        var good = page.Locator("[data-testid='ranking-row'][data-region-id='bt-r-c-good']");
        await Expect(good.GetByTestId("ranking-rank")).ToHaveTextAsync("1（并列）");
        await Expect(good.GetByTestId("ranking-score")).ToHaveTextAsync("100.0");
        var lateRow = page.Locator("[data-testid='ranking-row'][data-region-id='bt-r-c-late']");
        await Expect(lateRow.GetByTestId("ranking-rank")).ToHaveTextAsync("3");
        await Expect(lateRow.GetByTestId("ranking-score")).ToHaveTextAsync("0.0");
        await Expect(lateRow).ToContainTextAsync("−10.00");
        await Expect(rows.Last).ToHaveAttributeAsync("data-region-id", "bt-r-c-empty");
        await Expect(rows.Last.GetByTestId("ranking-rank")).ToHaveTextAsync("—");
        await Expect(rows.Last.GetByTestId("ranking-score")).ToContainTextAsync("不参加排名");

        // A period that has not begun is refused by the route, and the console says so.
        await page.GetByTestId("ranking-period").FillAsync($"{s_today.Year + 1}");
        await page.GetByTestId("ranking-load").ClickAsync();
        await Expect(page.GetByTestId("error-banner")).ToContainTextAsync("period");
        await page.GetByTestId("ranking-period").FillAsync("");
        await page.GetByTestId("ranking-load").ClickAsync();

        // The monthly meeting's agenda ranks the same way, ties included.
        await page.GetByTestId("tab-meetings").ClickAsync();
        await page.GetByTestId("hold-cadence").SelectOptionAsync("monthly");
        await page.GetByTestId("hold-meeting").ClickAsync();
        await Expect(page.Locator("[data-testid='meeting-item'][data-cadence='monthly']")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-testid='agenda-rank'][data-region-id='bt-r-c-peer']")).ToContainTextAsync("1（并列）. 并进区");
        await Expect(page.Locator("[data-testid='agenda-rank'][data-region-id='bt-r-c-empty']")).ToContainTextAsync("不参加排名");
        await page.GetByTestId("tab-ranking").ClickAsync();
        await Expect(page.Locator("[data-testid='ranking-bar'][data-rank='1']")).ToHaveCountAsync(2);

        await ScreenshotAsync(page, "console-ranking.png");
        Assert.Empty(pageErrors);
    }

    [ChromiumFact]
    public async Task An_official_sees_a_projects_plans_by_year_edits_this_years_plan_and_the_region_shows_tiers_and_target()
    {
        RequireChromium();
        var district = await fixture.DefineDistrictAsync("bt-p");
        var year = s_today.Year;
        await fixture.PutOverdueProjectAsync("bt-p-1", district, "年度计划项目", s_today);
        await fixture.PutAsync($"/api/projects/bt-p-1/plans/{year - 1}", new
        {
            kind = "new", plannedInvestment = 1000m, plannedStart = $"{year - 1}-09-01", withdrawn = true, withdrawnReason = "用地调整",
        });
        await fixture.PutAsync($"/api/regions/{district}/targets/{year}", new { projectsToStart = 10, investment = 50000m });
        var token = await fixture.OfficialTokenAsync(district, "孙科长");

        await using var context = await ChinaContextAsync(1366, 1000);
        var page = await context.NewPageAsync();
        var pageErrors = Watch(page);
        await page.GotoAsync($"{fixture.BaseUrl}/#region={district}&tab=projects");
        await SignInAsync(page, token, "孙科长");

        // The region: a key project (8,000 万) on this year's list, and the target's progress.
        await Expect(page.GetByTestId("region-title")).ToContainTextAsync("测试区");
        await Expect(page.Locator("[data-testid='tier-key'] [data-testid='tier-listed']")).ToHaveTextAsync("1");
        await Expect(page.Locator("[data-testid='tier-over500Million'] [data-testid='tier-listed']")).ToHaveTextAsync("0");
        await Expect(page.GetByTestId("region-target")).ToContainTextAsync("0 / 10");
        await Expect(page.GetByTestId("rate-fundsInPlaceRate")).ToBeVisibleAsync();

        // The project's plans by year: last year's withdrawn (已退库) with its reason.
        var project = page.Locator("[data-testid='project-row'][data-project-id='bt-p-1']");
        await project.GetByTestId("project-toggle").ClickAsync();
        var lastYear = project.Locator($"[data-testid='plan-row'][data-year='{year - 1}']");
        await Expect(lastYear).ToHaveAttributeAsync("data-listing", "withdrawn");
        await Expect(lastYear.GetByTestId("plan-listing")).ToHaveTextAsync("已退库：用地调整");
        await Expect(lastYear.GetByTestId("plan-kind")).ToHaveTextAsync("新开工");

        // Edit this year's plan: a planned investment above the total is refused, the field named; then a good one is stored.
        await project.GetByTestId("plan-edit").ClickAsync();
        var form = project.GetByTestId("plan-form");
        await form.GetByTestId("plan-investment-input").FillAsync("9000");
        await form.GetByTestId("plan-funds-input").FillAsync("2000");
        await form.GetByTestId("plan-save").ClickAsync();
        await Expect(form.GetByTestId("plan-error")).ToContainTextAsync("计划投资");
        await form.GetByTestId("plan-investment-input").FillAsync("4000");
        await form.GetByTestId("plan-save").ClickAsync();
        await Expect(project.GetByTestId("plan-form")).ToHaveCountAsync(0);
        var thisYear = project.Locator($"[data-testid='plan-row'][data-year='{year}']");
        await Expect(thisYear.GetByTestId("plan-investment")).ToHaveTextAsync("4,000");
        await Expect(thisYear.GetByTestId("plan-funds")).ToHaveTextAsync("2,000");
        await Expect(thisYear).ToHaveAttributeAsync("data-listing", "listed");
        var stored = await fixture.Silo.GetAsync<Dispatch.Contracts.ProjectView>("/api/projects/bt-p-1");
        Assert.Equal((4000m, 2000m), (stored.Plans!.Single(p => p.Year == year).PlannedInvestment, stored.Plans!.Single(p => p.Year == year).FundsInPlace));

        // The region's funds-in-place rate follows: 2,000 of 4,000 万; the project stays on the key list (8,000 万).
        await Expect(page.GetByTestId("rate-fundsInPlaceRate")).ToContainTextAsync("50.0%");
        await Expect(page.Locator("[data-testid='tier-key'] [data-testid='tier-listed']")).ToHaveTextAsync("1");

        // In English too.
        await page.GetByTestId("lang-toggle").ClickAsync();
        await Expect(lastYear.GetByTestId("plan-listing")).ToHaveTextAsync("Withdrawn: 用地调整");
        await Expect(thisYear.GetByTestId("plan-kind")).ToHaveTextAsync("New start");
        await Expect(page.Locator("[data-testid='tier-key'] th")).ToContainTextAsync("Key projects");

        await ScreenshotAsync(page, "console-plans.png");
        Assert.Empty(pageErrors);
    }

    [ChromiumFact]
    public async Task The_problem_board_takes_a_problem_from_acceptance_to_a_red_card_and_follows_up_decisions()
    {
        RequireChromium();
        // 海城 (a district) owns the project's problem; 鞍山 (its city) flags it and follows up its meetings' decisions.
        var district = await fixture.DefineDistrictAsync("bt-q");
        const string city = "bt-q-city";
        await fixture.PutOverdueProjectAsync("bt-q-1", district, "菱镁新材料产业园", s_today);
        string problemId;
        using (var raised = await fixture.PostAsync("/api/projects/bt-q-1/problems", new
        {
            title = "用地指标未落实", category = "用地", ownerLevel = "district", deadline = $"{s_today.AddDays(10):yyyy-MM-dd}",
        }))
        {
            problemId = raised.RootElement.GetProperty("id").GetString()!;
        }
        // Two weeks ago the city decided something due a week ago; this week's meeting follows it up (议定事项督办).
        string earlierPeriod;
        using (var earlier = await fixture.PostAsync($"/api/regions/{city}/meetings", new { cadence = "weekly", asOf = $"{s_today.AddDays(-14):yyyy-MM-dd}" }))
        {
            earlierPeriod = earlier.RootElement.GetProperty("period").GetString()!;
        }
        (await fixture.PostAsync($"/api/meetings/{city}/weekly/{earlierPeriod}/decisions", new
        {
            text = "协调解决菱镁产业园用地指标", by = "市长", ownerRegionId = district, deadline = $"{s_today.AddDays(-7):yyyy-MM-dd}",
        })).Dispose();
        (await fixture.PostAsync($"/api/regions/{city}/meetings", new { cadence = "weekly" })).Dispose();

        var card = $"[data-testid='problem-card'][data-problem-id='{problemId}']";

        // The district's office accepts (受理) it on its board: refused without a responsible office, then accepted.
        await using (var context = await ChinaContextAsync(1366, 1000))
        {
            var page = await context.NewPageAsync();
            var pageErrors = Watch(page);
            await page.GotoAsync($"{fixture.BaseUrl}/#region={district}&tab=board");
            await SignInAsync(page, await fixture.OfficialTokenAsync(district, "王科长"), "王科长");
            await Expect(page.GetByTestId("region-title")).ToContainTextAsync("测试区");
            await Expect(page.GetByTestId("board-role-owner")).ToHaveAttributeAsync("aria-pressed", "true");
            var raisedCard = page.Locator($"[data-testid='board-column'][data-status='raised'] {card}");
            await Expect(raisedCard.GetByTestId("problem-title")).ToHaveTextAsync("用地指标未落实");
            await Expect(raisedCard.GetByTestId("problem-project")).ToContainTextAsync("bt-q-1");
            await raisedCard.GetByTestId("problem-accept").ClickAsync();
            await raisedCard.GetByTestId("step-leader").FillAsync("李副区长");
            await raisedCard.GetByTestId("step-save").ClickAsync();
            await Expect(raisedCard.GetByTestId("step-error")).ToContainTextAsync("责任单位");
            await raisedCard.GetByTestId("step-responsibleOffice").FillAsync("区自然资源局");
            await raisedCard.GetByTestId("step-save").ClickAsync();
            var accepted = page.Locator($"[data-testid='board-column'][data-status='accepted'] {card}");
            await Expect(accepted).ToHaveAttributeAsync("data-status", "accepted");
            await Expect(page.Locator("[data-testid='board-column'][data-status='accepted'] h4")).ToContainTextAsync("办理中");
            await Expect(accepted.GetByTestId("problem-owner")).ToContainTextAsync("区自然资源局");
            await Expect(accepted.GetByTestId("problem-reportSolved")).ToBeVisibleAsync();
            await Expect(page.Locator($"[data-testid='board-column'][data-status='raised'] {card}")).ToHaveCountAsync(0);
            Assert.Empty(pageErrors);
        }

        // The city's official flags it with a red card (红牌) from the district's board; it shows on the city's board.
        await using (var context = await ChinaContextAsync(1366, 1000))
        {
            var page = await context.NewPageAsync();
            var pageErrors = Watch(page);
            await page.GotoAsync($"{fixture.BaseUrl}/#region={district}&tab=board");
            await SignInAsync(page, await fixture.OfficialTokenAsync(city, "赵主任"), "赵主任");
            await Expect(page.GetByTestId("region-title")).ToContainTextAsync("测试区");
            var onDistrict = page.Locator(card);
            await onDistrict.GetByTestId("problem-flag").ClickAsync();
            await onDistrict.GetByTestId("step-grade").SelectOptionAsync("redCard");
            await onDistrict.GetByTestId("step-deadline").FillAsync($"{s_today.AddDays(5):yyyy-MM-dd}");
            await onDistrict.GetByTestId("step-supervisingOfficial").FillAsync("张副市长");
            await Expect(onDistrict.GetByTestId("step-regionId")).ToHaveValueAsync(city);
            await onDistrict.GetByTestId("step-save").ClickAsync();
            await Expect(onDistrict).ToHaveAttributeAsync("data-grade", "redCard");

            await page.GetByTestId("tree-up").ClickAsync();
            await Expect(page.GetByTestId("region-title")).ToContainTextAsync("测试市");
            await page.GetByTestId("board-role-supervisor").ClickAsync();
            await page.GetByTestId("board-flagged").CheckAsync();
            var onCity = page.Locator($"[data-testid='board-column'][data-status='accepted'] {card}");
            await Expect(onCity.GetByTestId("problem-grade")).ToHaveTextAsync("红牌");
            await Expect(onCity.GetByTestId("problem-supervisor")).ToContainTextAsync("张副市长");
            await Expect(onCity.GetByTestId("problem-project")).ToContainTextAsync("菱镁新材料产业园 (bt-q-1)");
            await Expect(onCity.GetByTestId("problem-deadline")).ToContainTextAsync($"{s_today.AddDays(5):yyyy-MM-dd}");

            // This week's meeting follows up the overdue decision; marking it done (办结) here.
            var followUp = page.GetByTestId("followup").Filter(new() { HasText = "协调解决菱镁产业园用地指标" });
            await Expect(followUp).ToContainTextAsync("逾期 7 天");
            await followUp.GetByTestId("followup-note").FillAsync("用地指标已下达");
            await followUp.GetByTestId("followup-done-button").ClickAsync();
            await Expect(followUp).ToHaveAttributeAsync("data-done", "true");
            await Expect(followUp.GetByTestId("followup-done")).ToContainTextAsync("已办结");

            // The same board in English.
            await page.GetByTestId("lang-toggle").ClickAsync();
            await Expect(page.GetByTestId("tab-board")).ToContainTextAsync("Problem board");
            await Expect(page.Locator("[data-testid='board-column'][data-status='accepted'] h4")).ToContainTextAsync("In hand");
            await Expect(onCity.GetByTestId("problem-grade")).ToHaveTextAsync("Red card");
            await Expect(onCity.GetByTestId("problem-supervisor")).ToContainTextAsync("Supervising official");
            await Expect(followUp.GetByTestId("followup-done")).ToContainTextAsync("Done");
            await ScreenshotAsync(page, "console-board.png");

            // Reloaded, the board reads the follow-ups as they stand, not the agenda of the day: done, it is not listed again.
            await page.RunAndWaitForResponseAsync(() => page.ReloadAsync(), r => r.Url.Contains("/follow-ups", StringComparison.Ordinal));
            await Expect(page.GetByTestId("followups-empty")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("followup").Filter(new() { HasText = "协调解决菱镁产业园用地指标" })).ToHaveCountAsync(0);
            Assert.Empty(pageErrors);
        }

        // On a 390-pixel-wide phone the city's board, its card and its flag form fit without sideways scrolling.
        await using (var phone = await PhoneAsync())
        {
            var page = await phone.NewPageAsync();
            var pageErrors = Watch(page);
            await page.GotoAsync($"{fixture.BaseUrl}/#region={city}&tab=board");
            await SignInAsync(page, await fixture.OfficialTokenAsync(city, "赵主任"), "赵主任");
            await page.GetByTestId("board-role-supervisor").ClickAsync();
            var onPhone = page.Locator(card);
            await Expect(onPhone.GetByTestId("problem-grade")).ToHaveTextAsync("红牌");
            await onPhone.GetByTestId("problem-reportSolved").ClickAsync();
            var save = onPhone.GetByTestId("step-save");
            await save.ScrollIntoViewIfNeededAsync();
            await Expect(save).ToBeInViewportAsync();
            await FitsPhoneAsync(page, "console-board-390.png", ("the problem card", onPhone), ("its save button", save));
            Assert.Empty(pageErrors);
        }
    }

    [ChromiumFact]
    public async Task The_to_do_tab_lists_what_waits_on_the_official_with_counts_and_opens_the_problem_and_fits_a_phone()
    {
        RequireChromium();
        var district = await fixture.DefineDistrictAsync("bt-t");
        await fixture.PutOverdueProjectAsync("bt-t-1", district, "光伏组件二期", s_today);
        using (await fixture.PostAsync("/api/projects/bt-t-1/problems", new { title = "并网接入排队", category = "电力", ownerLevel = "district", deadline = $"{s_today.AddDays(20):yyyy-MM-dd}" }))
        {
        }
        var meeting = $"{district}/weekly/{Period.Of(Contracts.Cadence.Weekly, s_today).Key}";
        using (await fixture.PostAsync($"/api/regions/{district}/meetings", new { cadence = "weekly" }))
        {
        }
        using (await fixture.PostAsync($"/api/meetings/{meeting}/decisions", new { text = "三日内完成并网方案", deadline = $"{s_today.AddDays(-3):yyyy-MM-dd}" }))
        {
        }
        var token = await fixture.OfficialTokenAsync(district, "孙科长");
        // Its decision's warning is not one to acknowledge: it closes when the decision is done.
        using var inbox = System.Text.Json.JsonDocument.Parse(await fixture.Operator.GetStringAsync($"/api/regions/{district}/warnings?status=open"));
        var openWarnings = inbox.RootElement.EnumerateArray().Count(w => w.GetProperty("rule").GetString() != "decisionOverdue");
        Assert.True(openWarnings > 0);

        await using (var context = await ChinaContextAsync(1366, 1000))
        {
            var page = await context.NewPageAsync();
            var pageErrors = Watch(page);
            await page.GotoAsync($"{fixture.BaseUrl}/#region={district}&tab=todo");
            await SignInAsync(page, token, "孙科长");
            // The tab counts everything waiting: the red project's open warnings, the problem to accept, the overdue decision.
            await Expect(page.GetByTestId("todo-count")).ToHaveTextAsync($"{openWarnings + 2}");
            await Expect(page.Locator("[data-testid='todo-group'][data-group='warnings'] [data-testid='todo-group-count']")).ToHaveTextAsync($"{openWarnings}");
            var problems = page.Locator("[data-testid='todo-group'][data-group='problems']");
            await Expect(problems.GetByTestId("todo-group-count")).ToHaveTextAsync("1");
            var accept = problems.Locator("[data-testid='todo-item'][data-kind='accept']");
            await Expect(accept.GetByTestId("todo-kind")).ToHaveTextAsync("受理");
            await Expect(accept.GetByTestId("todo-link")).ToHaveTextAsync("并网接入排队");
            await Expect(accept.GetByTestId("todo-due")).ToContainTextAsync($"{s_today:yyyy-MM-dd}");
            var decisions = page.Locator("[data-testid='todo-group'][data-group='decisions']");
            await Expect(decisions.GetByTestId("todo-group-overdue")).ToHaveTextAsync("逾期 1");
            await Expect(decisions.GetByTestId("todo-item")).ToHaveAttributeAsync("data-overdue", "true");
            await Expect(page.Locator("[data-testid='todo-group'][data-group='warnings'] [data-testid='todo-item'][data-project-id='bt-t-1']")).ToHaveCountAsync(openWarnings);

            // The link opens the problem on the district's board, marked.
            await accept.GetByTestId("todo-link").ClickAsync();
            await Expect(page.GetByTestId("tab-board")).ToHaveAttributeAsync("aria-selected", "true");
            await Expect(page.Locator("[data-testid='board-column'][data-status='raised'] [data-testid='problem-card']")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("todo-target"));

            // Not the district's to solve: 转办 to the city, with a reason. It leaves the district's board and its list.
            var onBoard = page.Locator("[data-testid='problem-card']").Filter(new() { HasText = "并网接入排队" });
            await onBoard.GetByTestId("problem-transfer").ClickAsync();
            await onBoard.GetByTestId("step-toLevel").SelectOptionAsync("city");
            await onBoard.GetByTestId("step-save").ClickAsync();
            await Expect(onBoard.GetByTestId("step-error")).ToContainTextAsync("转办");
            await onBoard.GetByTestId("step-reason").FillAsync("跨区电网，需市里协调");
            await onBoard.GetByTestId("step-save").ClickAsync();
            await Expect(onBoard).ToHaveCountAsync(0);

            await page.GetByTestId("tab-todo").ClickAsync();
            await Expect(problems.GetByTestId("todo-group-count")).ToHaveTextAsync("0");
            await page.GetByTestId("lang-toggle").ClickAsync();
            await Expect(page.GetByTestId("tab-todo")).ToContainTextAsync("To do");
            await Expect(decisions.Locator("h3")).ToContainTextAsync("Decisions due");
            await ScreenshotAsync(page, "console-todo.png");
            Assert.Empty(pageErrors);
        }

        await using (var phone = await PhoneAsync())
        {
            var page = await phone.NewPageAsync();
            var pageErrors = Watch(page);
            await page.GotoAsync($"{fixture.BaseUrl}/#region={district}&tab=todo");
            await SignInAsync(page, token, "孙科长");
            var item = page.Locator("[data-testid='todo-group'][data-group='decisions'] [data-testid='todo-item']");
            await Expect(item).ToContainTextAsync("三日内完成并网方案");
            await Expect(item).ToBeVisibleAsync();
            await Expect(page.GetByTestId("tab-todo")).ToBeVisibleAsync();
            await FitsPhoneAsync(page, "console-todo-390.png", ("the to-do tab", page.GetByTestId("tab-todo")), ("a decision due", item));
            Assert.Empty(pageErrors);
        }
    }

    [ChromiumFact]
    public async Task A_warning_shows_its_planned_measure_and_its_hand_offs_and_the_city_page_its_meeting_cadences()
    {
        RequireChromium();
        var district = await fixture.DefineDistrictAsync("bt-h");
        var city = "bt-h-city";
        // A city-coordinated project (≥ 5 亿) lit red: its warning goes to the city at once.
        await fixture.PutAsync("/api/projects/bt-h-1", new
        {
            name = "石化一体化", regionId = district, kind = "new", totalInvestment = 600000m,
            milestones = new object[] { new { name = "开工", plannedDate = $"{s_today.AddDays(-40):yyyy-MM-dd}" }, new { name = "竣工", plannedDate = $"{s_today.AddDays(300):yyyy-MM-dd}" } },
        });
        using var inbox = System.Text.Json.JsonDocument.Parse(await fixture.Operator.GetStringAsync($"/api/regions/{city}/warnings?status=open"));
        var warningId = inbox.RootElement.EnumerateArray().First(w => w.GetProperty("projectId").GetString() == "bt-h-1" && w.GetProperty("regionId").GetString() == city)
            .GetProperty("id").GetString()!;
        using (await fixture.PostAsync($"/api/warnings/{warningId}/ack", new { measure = "市领导现场协调开工", plannedBy = $"{s_today.AddDays(10):yyyy-MM-dd}" }))
        {
        }

        await using var context = await ChinaContextAsync(1366, 1000);
        var page = await context.NewPageAsync();
        var pageErrors = Watch(page);
        await page.GotoAsync($"{fixture.BaseUrl}/#region={city}&tab=warnings");
        await SignInAsync(page, await fixture.OfficialTokenAsync(city, "周处长"), "周处长");
        // The city's cadences by default, read-only on its page: every cadence, weekly in its districts.
        await Expect(page.GetByTestId("region-cadences")).ToContainTextAsync("调度安排 (默认)");
        await Expect(page.Locator("[data-testid='region-cadence'][data-cadence='weekly']")).ToHaveAttributeAsync("data-level", "district");
        await Expect(page.Locator("[data-testid='region-cadence'][data-cadence='monthly']")).ToContainTextAsync("月");

        await page.GetByTestId("warning-filter").Locator("button[data-status='acknowledged']").ClickAsync();
        var row = page.Locator($"[data-testid='warning-row'][data-warning-id='{warningId}']");
        await Expect(row.GetByTestId("warning-measure")).ToContainTextAsync("市领导现场协调开工");
        await Expect(row.GetByTestId("warning-measure")).ToContainTextAsync($"{s_today.AddDays(10):yyyy-MM-dd}");
        var handOff = row.GetByTestId("handoff");
        await Expect(handOff).ToHaveAttributeAsync("data-reason", "cityCoordinated");
        await Expect(handOff).ToContainTextAsync("测试区 → 测试市");
        await Expect(handOff).ToContainTextAsync("市统筹项目红灯");
        await ScreenshotAsync(page, "console-warning-handoffs.png");
        Assert.Empty(pageErrors);
    }

    private static void RequireChromium() =>
        Assert.True(ChromiumFactAttribute.ChromiumInstalled, $"{ChromiumFactAttribute.ChromiumPath} is missing; CI=true needs the browser tests to run (apt-get install -y chromium).");

    /// <summary>
    /// On a 390-pixel phone screen each part lies within the screen and the page does not scroll sideways; the
    /// screenshot is kept for a look.
    /// </summary>
    private async Task FitsPhoneAsync(IPage page, string screenshot, params (string What, ILocator Part)[] parts)
    {
        foreach (var (what, part) in parts)
        {
            var box = await part.BoundingBoxAsync();
            Assert.NotNull(box);
            Assert.True(box.X >= 0 && box.X + box.Width <= 390, $"{what} spans x {box.X}–{box.X + box.Width} on a 390 px screen");
        }
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 390, "the page scrolls sideways at 390 px");
        await ScreenshotAsync(page, screenshot);
    }

    /// <summary>A phone as an official in China holds one: 390 px wide, touch, Chinese, Beijing time.</summary>
    private Task<IBrowserContext> PhoneAsync() => fixture.Browser.NewContextAsync(new BrowserNewContextOptions
    {
        ViewportSize = new ViewportSize { Width = 390, Height = 844 },
        DeviceScaleFactor = 2,
        IsMobile = true,
        HasTouch = true,
        Locale = "zh-CN",
        TimezoneId = "Asia/Shanghai",
    });

    /// <summary>Keeps a full-page screenshot under TestResults/browser for a look.</summary>
    private async Task ScreenshotAsync(IPage page, string file)
    {
        var shot = ConsoleFixture.ScreenshotPath(file);
        Directory.CreateDirectory(Path.GetDirectoryName(shot)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
        output.WriteLine($"Screenshot: {shot}");
    }

    /// <summary>A browser context as an office in China has it: Chinese locale, Asia/Shanghai, the given screen.</summary>
    private Task<IBrowserContext> ChinaContextAsync(int width, int height) => fixture.Browser.NewContextAsync(new BrowserNewContextOptions
    {
        ViewportSize = new ViewportSize { Width = width, Height = height },
        Locale = "zh-CN",
        TimezoneId = "Asia/Shanghai",
    });

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
