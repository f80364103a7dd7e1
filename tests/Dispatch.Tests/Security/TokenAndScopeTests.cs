using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dispatch.Contracts;
using Dispatch.Grains.Domain;
using Dispatch.Silo.Security;
using Dispatch.Tests.Api;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Security;

/// <summary>Revocable tokens, and the scope rules of import, escalated warnings, flagged problems and meeting decisions.</summary>
public sealed class TokenAndScopeTests : IAsyncLifetime
{
    private const string Haicheng = "ln-anshan-haicheng";
    private const string Anshan = "ln-anshan";
    private const string Panjin = "ln-panjin-liaobin";
    private static readonly DateOnly s_today = TimeProvider.System.ChinaToday();
    private static readonly string s_overdue = s_today.AddDays(-20).ToString("yyyy-MM-dd");
    private SiloProcess _silo = null!;

    public async Task InitializeAsync() => _silo = await SiloProcess.StartAsync(sample: true);

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    private async Task<(string Id, string Token)> MintAsync(object request)
    {
        var response = await _silo.Http.PostAsJsonAsync("/api/tokens", request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (body.RootElement.GetProperty("id").GetString()!, body.RootElement.GetProperty("token").GetString()!);
    }

    private async Task PutProjectAsync(string id, string region, decimal? total = null) =>
        (await _silo.Http.PutAsJsonAsync($"/api/projects/{id}", new
        {
            name = $"范围测试{id}", regionId = region, kind = "new", totalInvestment = total,
            milestones = new[] { new { name = "开工", plannedDate = s_overdue } },
        })).EnsureSuccessStatusCode();

    [Fact]
    public async Task A_revoked_token_is_refused_on_its_next_call_and_its_open_event_stream_ends()
    {
        var (id, token) = await MintAsync(new { role = "official", regionId = Haicheng, name = "将离任科长" });
        using var client = _silo.Client(token);
        client.Timeout = Timeout.InfiniteTimeSpan;
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/api/regions/{Panjin}")).StatusCode);
        using var stream = await client.GetAsync($"/api/regions/{Haicheng}/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
        Assert.StartsWith(": subscribed", await reader.ReadLineAsync());

        var revoked = await _silo.Http.DeleteAsync($"/api/tokens/{id}");
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/me")).StatusCode);

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var lines = new List<string>();
        while (await reader.ReadLineAsync(deadline.Token) is { } line)
        {
            lines.Add(line);
        }
        Assert.Contains("event: tokenEnded", lines);

        var listed = (await _silo.GetAsync<List<TokenRecord>>("/api/tokens")).Single(t => t.Id == id);
        Assert.Equal("将离任科长", listed.Name);
        Assert.NotNull(listed.RevokedAt);
        Assert.Equal("operator", listed.RevokedBy);
        using var audit = JsonDocument.Parse(await _silo.Http.GetStringAsync("/api/audit?actor=将离任科长"));
        // The refused attempt is on record with the caller's name (after revocation the token names nobody, so a 401 is "anonymous").
        Assert.Contains(audit.RootElement.EnumerateArray(), e => e.GetProperty("status").GetInt32() == 403 && e.GetProperty("target").GetString() == $"/api/regions/{Panjin}");
    }

    [Fact]
    public async Task Tokens_without_an_id_or_an_expiry_are_refused_and_lifetimes_are_bounded()
    {
        var key = ((Microsoft.IdentityModel.Tokens.SymmetricSecurityKey)_silo.Services.GetRequiredService<SigningKeys>().Key!).Key;
        var now = TimeProvider.System.GetUtcNow();
        var handler = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        var noExpiry = handler.CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = Tokens.Issuer, Audience = Tokens.Audience,
            Claims = new Dictionary<string, object> { ["jti"] = "tk-forever", ["name"] = "永久", ["role"] = "operator" },
            SigningCredentials = new(new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(key), Microsoft.IdentityModel.Tokens.SecurityAlgorithms.HmacSha256),
        });
        using (var forever = _silo.Client(noExpiry))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await forever.GetAsync("/api/me")).StatusCode);
        }
        // In date and signed with the right key, but minted without an id (as before tokens were registered): refused.
        var handler2 = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler();
        var noId = handler2.CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = Tokens.Issuer, Audience = Tokens.Audience, Expires = now.AddDays(1).UtcDateTime,
            Claims = new Dictionary<string, object> { ["name"] = "无编号", ["role"] = "operator" },
            SigningCredentials = new(new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(key), Microsoft.IdentityModel.Tokens.SecurityAlgorithms.HmacSha256),
        });
        using (var stray = _silo.Client(noId))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await stray.GetAsync("/api/me")).StatusCode);
        }
        var tooLong = await _silo.Http.PostAsJsonAsync("/api/tokens", new { role = "operator", name = "长期运维", validDays = 91 });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("validFor", await tooLong.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await _silo.Http.PostAsJsonAsync("/api/tokens", new { role = "operator", name = "季度运维", validDays = 90 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _silo.Http.PostAsJsonAsync("/api/tokens", new { role = "viewer", name = "十年", validDays = 3650 })).StatusCode);
    }

    [Fact]
    public async Task Rotating_the_operator_token_replaces_the_file_and_refuses_the_old_one()
    {
        var (_, spare) = await MintAsync(new { role = "operator", name = "备用运维" });
        using var operatorClient = _silo.Client(spare);
        var old = _silo.OperatorToken;
        var rotated = await operatorClient.PostAsync("/api/tokens/operator/rotate", null);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var file = (await File.ReadAllTextAsync(Path.Combine(_silo.DataFolder, "operator.token"))).Trim();
        Assert.NotEqual(old, file);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_silo.DataFolder, "operator.token")));
        }
        using (var oldClient = _silo.Client(old))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await oldClient.GetAsync("/api/me")).StatusCode);
        }
        using var fresh = _silo.Client(file);
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task Viewers_and_reporters_cannot_import_and_an_official_cannot_take_another_citys_project_through_import()
    {
        await PutProjectAsync("sc-pj", Panjin);
        var before = await _silo.Http.GetStringAsync("/api/projects/sc-pj");
        var csv = $"id,name,region_id,kind\nsc-pj,改名,{Haicheng},new\n";
        foreach (var token in new[]
        {
            await _silo.IssueTokenAsync(new { role = "viewer", name = "导入督查" }),
            await _silo.IssueTokenAsync(new { role = "reporter", projectIds = new[] { "sc-pj" }, name = "导入填报" }),
            await _silo.IssueTokenAsync(new { role = "official", regionId = Haicheng, name = "导入科长" }),
        })
        {
            using var client = _silo.Client(token);
            var response = await client.PostAsync("/api/import/projects", new StringContent(csv, Encoding.UTF8, "text/csv"));
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        Assert.Equal(before, await _silo.Http.GetStringAsync("/api/projects/sc-pj"));
    }

    [Fact]
    public async Task A_warning_that_sits_at_the_city_is_acted_on_by_the_city_not_the_district()
    {
        // ≥ 50,000 万 and 20 days overdue: red, and a city-coordinated project's red goes to the city at once.
        await PutProjectAsync("sc-city", Haicheng, total: 60000m);
        var warning = (await _silo.GetAsync<ProjectView>("/api/projects/sc-city")).Warnings.First(w => w is { Level: Light.Red, Rule: WarningRule.MilestoneOverdue });
        Assert.Equal(Anshan, warning.RegionId);
        using var district = _silo.Client(await _silo.IssueTokenAsync(new { role = "official", regionId = Haicheng, name = "区县科长" }));
        using var city = _silo.Client(await _silo.IssueTokenAsync(new { role = "official", regionId = Anshan, name = "市级处长" }));
        Assert.Equal(HttpStatusCode.OK, (await district.GetAsync($"/api/projects/sc-city")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await district.PostAsJsonAsync($"/api/warnings/{warning.Id}/ack", new { note = "区里处理" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await district.PostAsJsonAsync($"/api/warnings/{warning.Id}/close", new { note = "区里销号" })).StatusCode);
        Assert.Equal(WarningStatus.Open, (await _silo.GetAsync<ProjectView>("/api/projects/sc-city")).Warnings.Single(w => w.Id == warning.Id).Status);
        var acknowledged = await city.PostAsJsonAsync($"/api/warnings/{warning.Id}/ack", new { by = "别人的名字", note = "市里协调" });
        Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);
        var after = (await _silo.GetAsync<ProjectView>("/api/projects/sc-city")).Warnings.Single(w => w.Id == warning.Id);
        Assert.Equal(("市级处长", WarningStatus.Acknowledged), (after.AcknowledgedBy, after.Status));
    }

    [Fact]
    public async Task A_flagged_problem_is_closed_out_by_the_flagging_level_and_a_decision_names_only_projects_under_the_meeting()
    {
        await PutProjectAsync("sc-flag", Haicheng);
        await PutProjectAsync("sc-other", Panjin);
        // Overdue by a day: the district meeting's review flags it to the city (挂牌督办).
        (await _silo.Http.PostAsJsonAsync("/api/projects/sc-flag/problems", new
        {
            title = "电力增容", category = "水电热", ownerLevel = "district", deadline = s_today.AddDays(-1).ToString("yyyy-MM-dd"),
        })).EnsureSuccessStatusCode();
        var meeting = await _silo.Http.PostAsJsonAsync($"/api/regions/{Haicheng}/meetings", new { cadence = "weekly" });
        meeting.EnsureSuccessStatusCode();
        var problem = (await _silo.GetAsync<ProjectView>("/api/projects/sc-flag")).Problems.Single();
        Assert.True(problem.Flagged);
        Assert.Equal(Anshan, problem.OwnerRegionId);
        using var district = _silo.Client(await _silo.IssueTokenAsync(new { role = "official", regionId = Haicheng, name = "区县科长" }));
        using var city = _silo.Client(await _silo.IssueTokenAsync(new { role = "official", regionId = Anshan, name = "市级处长" }));
        Assert.Equal(HttpStatusCode.Forbidden, (await district.PostAsJsonAsync($"/api/problems/{problem.Id}/resolve", new { note = "区里说解决了" })).StatusCode);
        Assert.Equal(ProblemStatus.Raised, (await _silo.GetAsync<ProjectView>("/api/projects/sc-flag")).Problems.Single().Status);
        var resolved = await city.PostAsJsonAsync($"/api/problems/{problem.Id}/resolve", new { note = "市里核实销号" });
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        Assert.Equal("市级处长", (await _silo.GetAsync<ProjectView>("/api/projects/sc-flag")).Problems.Single().ResolvedBy);

        using var held = JsonDocument.Parse(await meeting.Content.ReadAsStringAsync());
        var key = held.RootElement.GetProperty("id").GetString()!;
        var decision = await district.PostAsJsonAsync($"/api/meetings/{key}/decisions", new
        {
            text = "督促盘锦项目", projectId = "sc-other", problemTitle = "跨市问题", ownerLevel = "province", deadline = s_today.AddDays(-3).ToString("yyyy-MM-dd"),
        });
        Assert.Equal(HttpStatusCode.BadRequest, decision.StatusCode);
        Assert.Contains("projectId", await decision.Content.ReadAsStringAsync());
        Assert.Empty((await _silo.GetAsync<ProjectView>("/api/projects/sc-other")).Problems);
        var own = await district.PostAsJsonAsync($"/api/meetings/{key}/decisions", new { text = "倒排工期", by = "冒名", projectId = "sc-flag" });
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal("区县科长", (await _silo.GetAsync<MeetingView>($"/api/meetings/{key}")).Decisions.Last().By);
    }
}
