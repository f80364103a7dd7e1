using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dispatch.Contracts;
using Dispatch.Grains.Domain;
using Dispatch.Tests.Api;

namespace Dispatch.Tests.Security;

/// <summary>
/// Every route of the published OpenAPI document × every role × a target in and out of the caller's scope: the
/// expected status comes from the access policy below (the README's table), never from the code's own declarations,
/// and a refused call changes nothing.
/// </summary>
public sealed partial class RouteMatrixTests : IAsyncLifetime
{
    private const string Haicheng = TwoDistricts.Haicheng;
    private const string Panjin = TwoDistricts.Panjin;
    private static readonly DateOnly s_today = TimeProvider.System.ChinaToday();

    /// <summary>The policy: what each route touches and does. A route missing here fails the test, so none goes unlisted.</summary>
    private static readonly Dictionary<string, (TargetKind Kind, Access Access)> s_policy = new()
    {
        ["GET /api/me"] = (TargetKind.Self, Access.Read),
        ["GET /api/me/todo"] = (TargetKind.Self, Access.Read),
        ["POST /api/tokens"] = (TargetKind.Token, Access.Operate),
        ["GET /api/tokens"] = (TargetKind.Token, Access.Operate),
        ["DELETE /api/tokens/{id}"] = (TargetKind.Token, Access.Operate),
        ["POST /api/tokens/operator/rotate"] = (TargetKind.Token, Access.Operate),
        ["GET /api/audit"] = (TargetKind.None, Access.Operate),
        ["GET /api/cluster"] = (TargetKind.None, Access.Operate),
        ["GET /api/schedule"] = (TargetKind.None, Access.Operate),
        ["POST /api/import/projects"] = (TargetKind.ProjectRows, Access.Manage),
        ["PUT /api/regions/{id}"] = (TargetKind.Region, Access.Operate),
        ["PUT /api/regions/{id}/targets/{year}"] = (TargetKind.Region, Access.Manage),
        ["GET /api/regions/{id}/cadences"] = (TargetKind.Region, Access.Read),
        ["PUT /api/regions/{id}/cadences"] = (TargetKind.Region, Access.Manage),
        ["GET /api/regions/{id}"] = (TargetKind.Region, Access.Read),
        ["GET /api/regions/{id}/children"] = (TargetKind.Region, Access.Read),
        ["GET /api/regions/{id}/projects"] = (TargetKind.Region, Access.Read),
        ["GET /api/regions/{id}/ranking"] = (TargetKind.Region, Access.Read),
        ["GET /api/regions/{id}/warnings"] = (TargetKind.Region, Access.Read),
        ["GET /api/regions/{id}/events"] = (TargetKind.Region, Access.Read),
        ["GET /api/regions/{id}/meetings"] = (TargetKind.Region, Access.Read),
        ["GET /api/regions/{id}/follow-ups"] = (TargetKind.Region, Access.Read),
        ["POST /api/regions/{id}/meetings"] = (TargetKind.Region, Access.Act),
        ["GET /api/meetings/{regionId}/{cadence}/{period}"] = (TargetKind.Meeting, Access.Read),
        ["POST /api/meetings/{regionId}/{cadence}/{period}/decisions"] = (TargetKind.Meeting, Access.Act),
        ["POST /api/meetings/{regionId}/{cadence}/{period}/decisions/{number}/done"] = (TargetKind.Meeting, Access.Act),
        ["PUT /api/projects/{id}"] = (TargetKind.Project, Access.Manage),
        ["PUT /api/projects/{id}/plans/{year}"] = (TargetKind.Project, Access.Manage),
        ["GET /api/projects/{id}"] = (TargetKind.Project, Access.Read),
        ["POST /api/projects/{id}/reports"] = (TargetKind.Project, Access.Report),
        ["POST /api/projects/{id}/problems"] = (TargetKind.Project, Access.Report),
        ["POST /api/problems/{id}/resolve"] = (TargetKind.Problem, Access.Act),
        ["POST /api/problems/{id}/accept"] = (TargetKind.Problem, Access.Act),
        ["POST /api/problems/{id}/transfer"] = (TargetKind.Problem, Access.Act),
        ["POST /api/problems/{id}/flag"] = (TargetKind.Problem, Access.Act),
        ["POST /api/problems/{id}/report-solved"] = (TargetKind.Problem, Access.Act),
        ["POST /api/problems/{id}/verify"] = (TargetKind.Problem, Access.Act),
        ["POST /api/problems/{id}/reject"] = (TargetKind.Problem, Access.Act),
        ["GET /api/regions/{id}/problems"] = (TargetKind.Region, Access.Read),
        ["POST /api/warnings/{id}/ack"] = (TargetKind.Warning, Access.Act),
        ["POST /api/warnings/{id}/close"] = (TargetKind.Warning, Access.Act),
        ["POST /api/webhooks/targets"] = (TargetKind.None, Access.Operate),
        ["GET /api/webhooks/targets"] = (TargetKind.None, Access.Operate),
        ["DELETE /api/webhooks/targets/{id}"] = (TargetKind.None, Access.Operate),
        ["POST /api/regions/{id}/webhooks"] = (TargetKind.Region, Access.Manage),
        ["GET /api/regions/{id}/webhooks"] = (TargetKind.Region, Access.Read),
        ["DELETE /api/webhooks/subscriptions/{id}"] = (TargetKind.WebhookSubscription, Access.Manage),
    };

    private static readonly string[] s_roles = ["anonymous", "viewer", "reporter", "official", "operator"];

    private SiloProcess _silo = null!;
    private readonly Dictionary<string, HttpClient> _as = [];
    private readonly Dictionary<string, (string In, string Out)> _ids = [];

    public async Task InitializeAsync()
    {
        // Hundreds of requests in a few seconds from one token: the rate limits are tested elsewhere.
        _silo = await SiloProcess.StartAsync(true, (TimeProvider?)null, "--Dispatch:RateLimits:PerToken=0", "--Dispatch:RateLimits:PerAddress=0",
            "--Dispatch:Webhooks:AllowedHosts:0=hooks.example.invalid");
        var targets = await TwoDistricts.CreateAsync(_silo, "mx", "矩阵");
        _ids["region"] = (Haicheng, Panjin);
        _ids["project"] = targets.Projects;
        _ids["warning"] = targets.Warnings;
        _ids["problem"] = targets.Problems;
        _ids["meeting"] = targets.Meetings;

        _as["anonymous"] = _silo.Client(null);
        _as["viewer"] = _silo.Client(await _silo.IssueTokenAsync(new { role = "viewer", name = "矩阵督查室" }));
        _as["reporter"] = _silo.Client(await _silo.IssueTokenAsync(new { role = "reporter", projectIds = new[] { "mx-hc" }, name = "矩阵填报员" }));
        _as["official"] = _silo.Client(await _silo.IssueTokenAsync(new { role = "official", regionId = Haicheng, name = "矩阵科长" }));
        // Not the operator file's token: the rotate route replaces that one.
        _as["operator"] = _silo.Client(await _silo.IssueTokenAsync(new { role = "operator", name = "矩阵运维" }));
        var victim = await _silo.Http.PostAsJsonAsync("/api/tokens", new { role = "viewer", name = "将被吊销" });
        using var body = JsonDocument.Parse(await victim.Content.ReadAsStringAsync());
        var victimId = body.RootElement.GetProperty("id").GetString()!;
        _ids["token"] = (victimId, victimId);
        // Targets (operators only: one id serves in and out): one the subscriptions use, one to delete (which would take
        // its subscriptions along), and a subscription in each district.
        async Task<string> TargetAsync(string name)
        {
            var response = await _silo.Http.PostAsJsonAsync("/api/webhooks/targets", new { name, url = "https://hooks.example.invalid/x", format = "json" });
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return body.RootElement.GetProperty("id").GetString()!;
        }
        var targetId = await TargetAsync("矩阵推送");
        _ids["subscribedTarget"] = (targetId, targetId);
        var doomed = await TargetAsync("矩阵待删");
        _ids["webhookTarget"] = (doomed, doomed);
        async Task<string> SubscribeAsync(string region)
        {
            var response = await _silo.Http.PostAsJsonAsync($"/api/regions/{region}/webhooks", new { events = new[] { "stepOverdue" }, targetId });
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return body.RootElement.GetProperty("id").GetString()!;
        }
        _ids["webhookSubscription"] = (await SubscribeAsync(Haicheng), await SubscribeAsync(Panjin));
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _as.Values)
        {
            client.Dispose();
        }
        await _silo.DisposeAsync();
    }

    [Fact]
    public async Task Every_route_every_role_in_and_out_of_scope_answers_as_the_policy_says_and_a_refusal_changes_nothing()
    {
        var routes = await RoutesAsync();
        Assert.Equal(s_policy.Keys.Order(StringComparer.Ordinal), routes.Order(StringComparer.Ordinal));
        var failures = new List<string>();
        var cases = 0;
        foreach (var route in routes)
        {
            var (kind, access) = s_policy[route];
            foreach (var role in s_roles)
            {
                foreach (var scope in HasTarget(kind) ? new[] { "in", "out" } : ["n/a"])
                {
                    cases++;
                    var expected = Expected(role, kind, access, scope);
                    var before = expected == HttpStatusCode.OK ? null : await SnapshotAsync();
                    using var request = Request(route, kind, scope == "out");
                    using var response = await _as[role].SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                    var status = response.StatusCode;
                    var what = $"{role} {scope} {route} ({request.RequestUri})";
                    if (expected == HttpStatusCode.OK)
                    {
                        if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden || (int)status >= 500)
                        {
                            failures.Add($"{what}: allowed by policy, answered {(int)status} {await response.Content.ReadAsStringAsync()}");
                        }
                        continue;
                    }
                    if (status != expected || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    {
                        failures.Add($"{what}: expected {(int)expected} problem+json, answered {(int)status} {response.Content.Headers.ContentType?.MediaType}");
                        continue;
                    }
                    if (await SnapshotAsync() != before)
                    {
                        failures.Add($"{what}: refused, yet something changed");
                    }
                }
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} cases failed:\n{string.Join("\n", failures)}");
        Assert.True(cases > 150, $"only {cases} cases ran");
    }

    /// <summary>The access policy of the README's Security section, written out on its own.</summary>
    private static HttpStatusCode Expected(string role, TargetKind kind, Access access, string scope) => role switch
    {
        "anonymous" => HttpStatusCode.Unauthorized,
        "operator" => HttpStatusCode.OK,
        _ when kind is TargetKind.None or TargetKind.Token || access == Access.Operate => HttpStatusCode.Forbidden,
        _ when kind == TargetKind.Self => HttpStatusCode.OK,
        "viewer" => access == Access.Read ? HttpStatusCode.OK : HttpStatusCode.Forbidden,
        "reporter" => kind is TargetKind.Project or TargetKind.Problem && scope == "in" && access is Access.Read or Access.Report
            ? HttpStatusCode.OK : HttpStatusCode.Forbidden,
        "official" => scope == "in" ? HttpStatusCode.OK : HttpStatusCode.Forbidden,
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    private static bool HasTarget(TargetKind kind) => kind is not (TargetKind.None or TargetKind.Self or TargetKind.Token);

    private async Task<List<string>> RoutesAsync()
    {
        using var document = JsonDocument.Parse(await _as["anonymous"].GetStringAsync("/openapi/v1.json"));
        return document.RootElement.GetProperty("paths").EnumerateObject()
            .Where(p => p.Name.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(p => p.Value.EnumerateObject().Select(m => $"{m.Name.ToUpperInvariant()} {p.Name}"))
            .ToList();
    }

    private HttpRequestMessage Request(string route, TargetKind kind, bool outside)
    {
        var (method, template) = (route.Split(' ')[0], route.Split(' ')[1]);
        string Id(string what) => outside ? _ids[what].Out : _ids[what].In;
        var path = template;
        if (template.StartsWith("/api/meetings/", StringComparison.Ordinal))
        {
            path = template.Replace("{regionId}/{cadence}/{period}", Id("meeting"), StringComparison.Ordinal).Replace("{number}", "1", StringComparison.Ordinal);
        }
        else if (template.Contains("{id}", StringComparison.Ordinal))
        {
            var what = template.Split('/')[2] switch
            {
                "regions" => "region",
                "projects" => "project",
                "warnings" => "warning",
                "problems" => "problem",
                "tokens" => "token",
                "webhooks" => template.Split('/')[3] == "targets" ? "webhookTarget" : "webhookSubscription",
                var other => throw new InvalidOperationException($"No target for {other}"),
            };
            path = template.Replace("{id}", Id(what), StringComparison.Ordinal)
                .Replace("{year}", s_today.Year.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (route == "POST /api/import/projects")
        {
            var (id, region) = outside ? ("mx-pj", Panjin) : ("mx-hc", Haicheng);
            request.Content = new StringContent($"id,name,region_id,kind\n{id},矩阵{id},{region},new\n", Encoding.UTF8, "text/csv");
        }
        else if (method is "POST" or "PUT" && Body(route, kind, outside) is { } body)
        {
            request.Content = JsonContent.Create(body);
        }
        return request;
    }

    private object? Body(string route, TargetKind kind, bool outside) => route switch
    {
        "POST /api/tokens" => new { role = "viewer", name = "矩阵新令牌" },
        "PUT /api/regions/{id}" => outside
            ? new { name = "辽滨", level = "district", parentId = "ln-panjin" }
            : new { name = "海城市", level = "district", parentId = "ln-anshan" },
        "PUT /api/projects/{id}" => new
        {
            name = outside ? "矩阵mx-pj" : "矩阵mx-hc", regionId = outside ? Panjin : Haicheng, kind = "new",
            milestones = new[] { new { name = "开工", plannedDate = s_today.AddDays(-20).ToString("yyyy-MM-dd") } },
        },
        "PUT /api/projects/{id}/plans/{year}" => new { plannedInvestment = 8000, plannedStart = $"{s_today.Year}-01-02" },
        "PUT /api/regions/{id}/targets/{year}" => new { projectsToStart = 12, investment = 250000 },
        "PUT /api/regions/{id}/cadences" => new { cadences = (object?)null },
        "POST /api/projects/{id}/reports" => new { period = s_today.AddMonths(-1).ToString("yyyy-MM"), investmentCompleted = 1, percentComplete = 1 },
        "POST /api/projects/{id}/problems" => new { title = "供水接入", category = "水电热", ownerLevel = "district", deadline = s_today.AddDays(30).ToString("yyyy-MM-dd") },
        "POST /api/regions/{id}/meetings" => new { cadence = "weekly" },
        "POST /api/meetings/{regionId}/{cadence}/{period}/decisions" => new { text = "矩阵议定事项" },
        "POST /api/meetings/{regionId}/{cadence}/{period}/decisions/{number}/done" => new { note = "矩阵办结" },
        "POST /api/webhooks/targets" => new { name = "矩阵新推送", url = "https://hooks.example.invalid/y", format = "wecom" },
        "POST /api/regions/{id}/webhooks" => new { events = new[] { "warningEscalated" }, targetId = _ids["subscribedTarget"].In },
        _ when kind is TargetKind.Warning or TargetKind.Problem => new { note = "矩阵说明" },
        _ => null,
    };

    /// <summary>What a refused call must not change: both projects, both districts' meetings and inboxes, the token registry.</summary>
    private async Task<string> SnapshotAsync()
    {
        var client = _as["operator"];
        var parts = new List<string>();
        foreach (var path in new[]
        {
            "/api/projects/mx-hc", "/api/projects/mx-pj", $"/api/regions/{Haicheng}/meetings", $"/api/regions/{Panjin}/meetings",
            $"/api/regions/{Haicheng}/warnings", $"/api/regions/{Panjin}/warnings", $"/api/regions/{Haicheng}", "/api/tokens",
        })
        {
            parts.Add(await client.GetStringAsync(path));
        }
        return LastUse().Replace(string.Join("\n", parts), "");
    }

    [GeneratedRegex("\"lastUsedAt\":[^,}]*")]
    private static partial Regex LastUse();
}
