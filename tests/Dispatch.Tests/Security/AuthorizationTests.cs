using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Contracts;
using Dispatch.Grains.Domain;
using Dispatch.Tests.Api;

namespace Dispatch.Tests.Security;

/// <summary>One silo on the Liaoning sample with a client per role; two projects with overdue milestones.</summary>
public sealed class AuthorizationFixture : IAsyncLifetime
{
    public const string Haicheng = "ln-anshan-haicheng";
    public const string Panjin = "ln-panjin-liaobin";
    private static readonly string s_overdue = TimeProvider.System.ChinaToday().AddDays(-20).ToString("yyyy-MM-dd");

    public SiloProcess Silo { get; private set; } = null!;

    public Dictionary<string, HttpClient> As { get; } = [];

    public async Task InitializeAsync()
    {
        Silo = await SiloProcess.StartAsync(sample: true);
        var _silo = Silo;
        var _as = As;
        foreach (var (id, region) in new[] { ("auth-hc", Haicheng), ("auth-pj", Panjin) })
        {
            var put = await _silo.Http.PutAsJsonAsync($"/api/projects/{id}", new
            {
                name = $"授权测试{id}", regionId = region, kind = "new",
                milestones = new[] { new { name = "开工", plannedDate = s_overdue } },
            });
            put.EnsureSuccessStatusCode();
        }
        _as["operator"] = _silo.Http;
        _as["official"] = _silo.Client(await _silo.IssueTokenAsync(new { role = "official", regionId = Haicheng, name = "王科长" }));
        _as["reporter"] = _silo.Client(await _silo.IssueTokenAsync(new { role = "reporter", projectIds = new[] { "auth-hc" }, name = "海城企业填报员" }));
        _as["viewer"] = _silo.Client(await _silo.IssueTokenAsync(new { role = "viewer", name = "督查室" }));
        _as["anonymous"] = _silo.Client(null);
    }

    public async Task DisposeAsync()
    {
        foreach (var client in As.Values.Where(c => c != Silo.Http))
        {
            client.Dispose();
        }
        await Silo.DisposeAsync();
    }
}

/// <summary>Who may do what: each role × in scope / out of scope × read / write.</summary>
public sealed class AuthorizationTests(AuthorizationFixture fixture) : IClassFixture<AuthorizationFixture>
{
    private const string Haicheng = AuthorizationFixture.Haicheng;
    private const string Panjin = AuthorizationFixture.Panjin;
    private readonly SiloProcess _silo = fixture.Silo;
    private readonly Dictionary<string, HttpClient> _as = fixture.As;

    private async Task<string> WarningOf(string project) =>
        (await _silo.GetAsync<ProjectView>($"/api/projects/{project}")).Warnings.First(w => w.Rule == WarningRule.MilestoneOverdue).Id;

    [Theory]
    // role, method, path (in scope of the official/reporter first, then out of scope), expected
    [InlineData("anonymous", "GET", "/api/regions/ln", HttpStatusCode.Unauthorized)]
    [InlineData("official", "GET", $"/api/regions/{Haicheng}", HttpStatusCode.OK)]
    [InlineData("official", "GET", $"/api/regions/{Haicheng}/warnings", HttpStatusCode.OK)]
    [InlineData("official", "GET", "/api/projects/auth-hc", HttpStatusCode.OK)]
    [InlineData("official", "GET", "/api/regions/ln-panjin/warnings", HttpStatusCode.Forbidden)]
    [InlineData("official", "GET", "/api/regions/ln", HttpStatusCode.Forbidden)]
    [InlineData("official", "GET", "/api/projects/auth-pj", HttpStatusCode.Forbidden)]
    [InlineData("official", "GET", "/api/regions/no-such-region", HttpStatusCode.Forbidden)]
    [InlineData("reporter", "GET", "/api/projects/auth-hc", HttpStatusCode.OK)]
    [InlineData("reporter", "GET", "/api/projects/auth-pj", HttpStatusCode.Forbidden)]
    [InlineData("reporter", "GET", $"/api/regions/{Haicheng}", HttpStatusCode.Forbidden)]
    [InlineData("viewer", "GET", "/api/regions/ln-panjin/warnings", HttpStatusCode.OK)]
    [InlineData("viewer", "GET", "/api/projects/auth-pj", HttpStatusCode.OK)]
    [InlineData("viewer", "GET", "/api/audit", HttpStatusCode.Forbidden)]
    [InlineData("official", "GET", "/api/audit", HttpStatusCode.Forbidden)]
    [InlineData("operator", "GET", "/api/audit", HttpStatusCode.OK)]
    [InlineData("operator", "GET", "/api/regions/ln-panjin/warnings", HttpStatusCode.OK)]
    public async Task Reads(string role, string method, string path, HttpStatusCode expected)
    {
        var response = await _as[role].SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Equal(expected, response.StatusCode);
        if (expected is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var body = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("auth-pj", body.Replace(path, "", StringComparison.Ordinal));
            Assert.DoesNotContain("授权测试", body);
        }
    }

    [Theory]
    [InlineData("official", "auth-hc", HttpStatusCode.OK)]
    [InlineData("official", "auth-pj", HttpStatusCode.Forbidden)]
    [InlineData("reporter", "auth-hc", HttpStatusCode.OK)]
    [InlineData("reporter", "auth-pj", HttpStatusCode.Forbidden)]
    [InlineData("viewer", "auth-hc", HttpStatusCode.Forbidden)]
    [InlineData("operator", "auth-pj", HttpStatusCode.OK)]
    public async Task Reports(string role, string project, HttpStatusCode expected)
    {
        var before = (await _silo.GetAsync<ProjectView>($"/api/projects/{project}")).Reports.Count;
        var response = await _as[role].PostAsJsonAsync($"/api/projects/{project}/reports", new { period = "2026-11", investmentCompleted = 10, percentComplete = 1 });
        Assert.Equal(expected, response.StatusCode);
        var reports = (await _silo.GetAsync<ProjectView>($"/api/projects/{project}")).Reports;
        Assert.Equal(expected == HttpStatusCode.OK ? 1 : before, reports.Count);
    }

    [Theory]
    [InlineData("official", "auth-hc", HttpStatusCode.OK)]
    [InlineData("official", "auth-pj", HttpStatusCode.Forbidden)]
    [InlineData("reporter", "auth-hc", HttpStatusCode.Forbidden)]
    [InlineData("viewer", "auth-hc", HttpStatusCode.Forbidden)]
    [InlineData("operator", "auth-pj", HttpStatusCode.OK)]
    public async Task Acknowledgements(string role, string project, HttpStatusCode expected)
    {
        var warning = await WarningOf(project);
        var before = (await _silo.GetAsync<ProjectView>($"/api/projects/{project}")).Warnings.Single(w => w.Id == warning);
        var response = await _as[role].PostAsJsonAsync($"/api/warnings/{warning}/ack", new { by = role });
        Assert.Equal(expected, response.StatusCode);
        var after = (await _silo.GetAsync<ProjectView>($"/api/projects/{project}")).Warnings.Single(w => w.Id == warning);
        Assert.Equal(expected == HttpStatusCode.OK ? WarningStatus.Acknowledged : before.Status, after.Status);
        Assert.Equal(expected == HttpStatusCode.OK ? after.AcknowledgedBy : before.AcknowledgedBy, after.AcknowledgedBy);
    }

    [Theory]
    [InlineData("official", $"/api/regions/{Haicheng}/meetings", HttpStatusCode.OK)]
    [InlineData("official", "/api/regions/ln-panjin-liaobin/meetings", HttpStatusCode.Forbidden)]
    [InlineData("viewer", $"/api/regions/{Haicheng}/meetings", HttpStatusCode.Forbidden)]
    public async Task Meetings(string role, string path, HttpStatusCode expected)
    {
        var response = await _as[role].PostAsJsonAsync(path, new { cadence = "monthly", asOf = "2026-11-02" });
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Only_operators_mint_tokens_and_change_regions()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await _as["official"].PostAsJsonAsync("/api/tokens", new { role = "operator", name = "me" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _as["official"].PutAsJsonAsync($"/api/regions/{Haicheng}", new { name = "x", level = "district", parentId = "ln-anshan" })).StatusCode);
        var bad = await _silo.Http.PostAsJsonAsync("/api/tokens", new { role = "official", name = "无区域" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("regionId", await bad.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_official_cannot_move_a_project_out_of_scope_nor_create_one_elsewhere()
    {
        var moved = await _as["official"].PutAsJsonAsync("/api/projects/auth-hc", new { name = "移走", regionId = Panjin, kind = "new" });
        Assert.Equal(HttpStatusCode.Forbidden, moved.StatusCode);
        Assert.Equal(Haicheng, (await _silo.GetAsync<ProjectView>("/api/projects/auth-hc")).RegionId);
        var created = await _as["official"].PutAsJsonAsync("/api/projects/auth-new", new { name = "新项目", regionId = Haicheng, kind = "continuing" });
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
    }

    [Fact]
    public async Task A_token_from_elsewhere_or_expired_is_refused()
    {
        using var forged = _silo.Client("eyJhbGciOiJIUzI1NiJ9.eyJuYW1lIjoieCIsInJvbGUiOiJvcGVyYXRvciJ9.c2lnbmF0dXJl");
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/api/regions/ln")).StatusCode);
        var expired = Tokens.Mint("tk-expired", new Caller("过期", Role.Operator, null, []), new byte[32], TimeProvider.System.GetUtcNow().AddDays(-2), TimeProvider.System.GetUtcNow().AddDays(-1));
        using var old = _silo.Client(expired);
        Assert.Equal(HttpStatusCode.Unauthorized, (await old.GetAsync("/api/regions/ln")).StatusCode);
    }

    [Fact]
    public async Task The_audit_log_lists_an_officials_acknowledgement_with_the_name()
    {
        var warning = await WarningOf("auth-hc");
        (await _as["official"].PostAsJsonAsync($"/api/warnings/{warning}/ack", new { by = "王科长" })).EnsureSuccessStatusCode();
        using var audit = JsonDocument.Parse(await _silo.Http.GetStringAsync("/api/audit?actor=王科长"));
        var entry = audit.RootElement.EnumerateArray().First();
        Assert.Equal("王科长", entry.GetProperty("actor").GetString());
        Assert.Equal("official", entry.GetProperty("role").GetString());
        Assert.Equal($"/api/warnings/{warning}/ack", entry.GetProperty("target").GetString());
        Assert.Equal("POST /api/warnings/{id}/ack", entry.GetProperty("action").GetString());
        using var all = JsonDocument.Parse(await _silo.Http.GetStringAsync("/api/audit"));
        Assert.Contains(all.RootElement.EnumerateArray(), e => e.GetProperty("action").GetString() == "POST /api/tokens" && e.GetProperty("actor").GetString() == "operator");
    }

    [Fact]
    public async Task Me_answers_who_the_token_stands_for()
    {
        var me = await _as["official"].GetFromJsonAsync<Caller>("/api/me", SiloProcess.Json);
        Assert.Equal(new Caller("王科长", Role.Official, Haicheng, []) with { ProjectIds = me!.ProjectIds }, me);
        Assert.Empty(me.ProjectIds);
    }

    [Fact]
    public async Task The_dashboard_is_for_operators_only()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await _as["anonymous"].GetAsync("/dashboard/")).StatusCode);
        using var viewer = _silo.Client(null);
        var viewerToken = _as["viewer"].DefaultRequestHeaders.Authorization!.Parameter;
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync($"/dashboard/?access_token={viewerToken}")).StatusCode);
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new System.Net.CookieContainer() }) { BaseAddress = _silo.Http.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/dashboard/?access_token={_silo.OperatorToken}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/dashboard/")).StatusCode);
    }
}
