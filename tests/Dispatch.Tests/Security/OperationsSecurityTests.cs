using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Contracts;
using Dispatch.Grains.Domain;
using Dispatch.Silo.Security;
using Dispatch.Tests.Api;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Security;

/// <summary>The audit an inspector accepts, rate limits, owner-only files and the dashboard's secrets, on real silos.</summary>
public sealed class OperationsSecurityTests
{
    private const string Haicheng = "ln-anshan-haicheng";
    private static readonly string s_overdue = TimeProvider.System.ChinaToday().AddDays(-20).ToString("yyyy-MM-dd");

    private static object Project(string leader) => new
    {
        name = "审计测试项目", regionId = Haicheng, kind = "new", leader,
        milestones = new[] { new { name = "开工", plannedDate = s_overdue } },
    };

    private static async Task<List<AuditEntry>> AuditAsync(SiloProcess silo, string? actor = null) =>
        [.. await silo.Services.GetRequiredService<AuditLog>().ReadAsync(1000, actor, CancellationToken.None)];

    [Fact]
    public async Task A_change_is_in_the_audit_log_with_before_and_after_when_its_answer_arrives()
    {
        await using var silo = await SiloProcess.StartAsync(sample: true);
        (await silo.Http.PutAsJsonAsync("/api/projects/audit-p1", Project("李局长"))).EnsureSuccessStatusCode();
        using var official = silo.Client(await silo.IssueTokenAsync(new { role = "official", regionId = Haicheng, name = "王科长" }));

        var put = await official.PutAsJsonAsync("/api/projects/audit-p1", Project("张局长"));
        // Read straight from the store the moment the answer is in: no waiting, the entry was written before it.
        var entry = (await AuditAsync(silo, "王科长")).First();

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(("PUT /api/projects/{id}", "/api/projects/audit-p1", 200, "127.0.0.1"), (entry.Action, entry.Target, entry.Status, entry.Address));
        Assert.Equal("""{"before":{"leader":"李局长"},"after":{"leader":"张局长"}}""", entry.Change!.Value.GetRawText());

        var warning = (await silo.GetAsync<ProjectView>("/api/projects/audit-p1")).Warnings.First(w => w.Rule == WarningRule.MilestoneOverdue);
        (await official.PostAsJsonAsync($"/api/warnings/{warning.Id}/ack", new { by = "王科长" })).EnsureSuccessStatusCode();
        var ack = (await AuditAsync(silo, "王科长")).First();
        Assert.Equal("POST /api/warnings/{id}/ack", ack.Action);
        var change = ack.Change!.Value;
        Assert.Equal("open", change.GetProperty("before").GetProperty("status").GetString());
        Assert.Equal("acknowledged", change.GetProperty("after").GetProperty("status").GetString());
        Assert.Equal("王科长", change.GetProperty("after").GetProperty("acknowledgedBy").GetString());
        Assert.False(change.GetProperty("before").TryGetProperty("subject", out _), "unchanged fields stay out of the entry");

        (await official.PostAsJsonAsync($"/api/warnings/{warning.Id}/close", new { by = "王科长", note = "已开工" })).EnsureSuccessStatusCode();
        var close = (await AuditAsync(silo, "王科长")).First();
        Assert.Equal("POST /api/warnings/{id}/close", close.Action);
        Assert.Equal("closed", close.Change!.Value.GetProperty("after").GetProperty("status").GetString());
        Assert.Equal("已开工", close.Change!.Value.GetProperty("after").GetProperty("closeNote").GetString());
    }

    [Fact]
    public async Task Refused_attempts_are_listed_with_the_callers_name_or_as_anonymous_with_the_address()
    {
        await using var silo = await SiloProcess.StartAsync(sample: true);
        using var viewer = silo.Client(await silo.IssueTokenAsync(new { role = "viewer", name = "督查室" }));
        using var anonymous = silo.Client(null);

        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/api/tokens", new { role = "operator", name = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/regions/ln")).StatusCode);

        using var audit = JsonDocument.Parse(await silo.Http.GetStringAsync("/api/audit"));
        var entries = audit.RootElement.EnumerateArray().ToList();
        var forbidden = Assert.Single(entries, e => e.GetProperty("actor").GetString() == "督查室");
        Assert.Equal((403, "viewer", "POST /api/tokens", "127.0.0.1"), (forbidden.GetProperty("status").GetInt32(),
            forbidden.GetProperty("role").GetString(), forbidden.GetProperty("action").GetString(), forbidden.GetProperty("address").GetString()));
        var unauthorized = Assert.Single(entries, e => e.GetProperty("actor").GetString() == "anonymous");
        Assert.Equal((401, "none", "/api/regions/ln", "127.0.0.1"), (unauthorized.GetProperty("status").GetInt32(),
            unauthorized.GetProperty("role").GetString(), unauthorized.GetProperty("target").GetString(), unauthorized.GetProperty("address").GetString()));
    }

    [Fact]
    public async Task A_flood_of_refused_attempts_is_recorded_up_to_the_cap_and_the_rest_counted_in_one_summary()
    {
        await using var silo = await SiloProcess.StartAsync(false, "--Dispatch:Audit:RefusedPerMinute=3");
        using var anonymous = silo.Client(null);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/regions/r{i}")).StatusCode);
        }

        Assert.Equal(["/api/regions/r2", "/api/regions/r1", "/api/regions/r0"], (await AuditAsync(silo, "anonymous")).Select(e => e.Target));

        // The minute is not over yet; a stop writes what is pending.
        await silo.RestartAsync();
        var summary = (await AuditAsync(silo, "anonymous")).First();
        Assert.Equal(("refused attempts (summary)", "127.0.0.1"), (summary.Action, summary.Address));
        Assert.StartsWith("7 more refused attempts from 127.0.0.1", summary.Detail);
    }

    [Fact]
    public async Task A_burst_over_the_callers_limit_gets_429_with_retry_after()
    {
        await using var silo = await SiloProcess.StartAsync(false, "--Dispatch:RateLimits:PerToken=2", "--Dispatch:RateLimits:PerTokenBurst=3");
        using var viewer = silo.Client(await silo.IssueTokenAsync(new { role = "viewer", name = "督查室" }));
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // the operator's bucket full again after issuing the token (a real clock refills it)

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => silo.Http.GetAsync("/api/me")));

        Assert.InRange(answers.Count(a => a.StatusCode == HttpStatusCode.OK), 3, 5);
        var refused = answers.First(a => a.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.InRange(refused.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        // Another caller has a budget of its own.
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task Event_streams_beyond_the_callers_cap_get_429()
    {
        await using var silo = await SiloProcess.StartAsync(true, "--Dispatch:RateLimits:EventStreams=1");
        using var first = await silo.Http.GetAsync($"/api/regions/{Haicheng}/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        using var second = await silo.Http.GetAsync($"/api/regions/{Haicheng}/events", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.NotNull(second.Headers.RetryAfter?.Delta);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_data_folder_databases_and_operator_token_are_the_owners_only()
    {
        await using var silo = await SiloProcess.StartAsync();
        const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(silo.DataFolder));
        foreach (var name in new[] { "dispatch.db", "dispatch.db-wal", "scheduler.db", "operator.token" })
        {
            Assert.Equal((name, UnixFileMode.UserRead | UnixFileMode.UserWrite), (name, File.GetUnixFileMode(Path.Combine(silo.DataFolder, name))));
        }
        Assert.All(Directory.GetFiles(silo.DataFolder), f => Assert.Equal((f, (UnixFileMode)0), (f, File.GetUnixFileMode(f) & others)));
    }

    [Fact]
    public async Task The_dashboard_never_shows_the_authoritys_state()
    {
        await using var silo = await SiloProcess.StartAsync();
        var key = Convert.ToBase64String(await silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IAuthorityGrain>("dispatch").GetSigningKeyAsync());

        var refused = await silo.Http.GetAsync("/dashboard/GrainState?grainType=Dispatch.Grains.AuthorityGrain&grainId=dispatch");
        var other = await silo.Http.GetAsync("/dashboard/GrainState?grainType=Dispatch.Grains.RegionGrain&grainId=ln");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.DoesNotContain(key, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }
}
