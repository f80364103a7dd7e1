using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CsCheck;
using Dispatch.Contracts;
using Dispatch.Grains.Domain;
using Dispatch.Tests.Api;
using Xunit.Abstractions;

namespace Dispatch.Tests.Security;

/// <summary>
/// Property-based fuzzing of every write route the OpenAPI document publishes (POST, PUT, PATCH, DELETE under /api):
/// random and hostile bodies built from each route's field names, sent as the operator to real targets. Whatever is
/// sent, the silo answers no 5xx, every 4xx is application/problem+json, and a refused request changes nothing.
/// CsCheck prints the seed of a failure: replay it with DISPATCH_FUZZ_SEED (or CsCheck_Seed); DISPATCH_FUZZ_REQUESTS sends
/// more than the default ~300 requests for a deeper run.
/// </summary>
public sealed partial class WriteRouteFuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Haicheng = TwoDistricts.Haicheng;
    private const string Panjin = TwoDistricts.Panjin;
    private const string ImportRoute = "POST /api/import/projects";

    /// <summary>About this many requests in all: each CsCheck iteration sends one request to every write route.</summary>
    private const int RequestBudget = 300;

    private static readonly DateOnly s_today = TimeProvider.System.ChinaToday();

    private SiloProcess _silo = null!;
    private HttpClient _operator = null!;
    /// <summary>The first target the registry hands out, created in <see cref="InitializeAsync"/>.</summary>
    private const string WebhookTarget = "wt-1";
    private readonly Dictionary<string, string[]> _targets = [];
    private readonly Dictionary<string, Dictionary<string, int>> _outcomes = [];
    private string _baseline = "";
    private int _requests;

    public async Task InitializeAsync()
    {
        // Rate limits off for this silo: the fuzzer sends hundreds of requests and as many snapshots in a few seconds.
        _silo = await SiloProcess.StartAsync(true, (TimeProvider?)null, "--Dispatch:RateLimits:PerToken=0", "--Dispatch:RateLimits:PerAddress=0",
            "--Dispatch:Webhooks:AllowedHosts:0=hooks.example.invalid");
        var targets = await TwoDistricts.CreateAsync(_silo, "fz", "模糊");
        _targets["regions"] = [Haicheng, Panjin];
        _targets["projects"] = [targets.Projects.In, targets.Projects.Out];
        _targets["warnings"] = [targets.Warnings.In, targets.Warnings.Out];
        _targets["problems"] = [targets.Problems.In, targets.Problems.Out];
        _targets["meetings"] = [targets.Meetings.In, targets.Meetings.Out];
        var victims = new List<string>();
        foreach (var name in new[] { "将被吊销甲", "将被吊销乙" })
        {
            var victim = await _silo.Http.PostAsJsonAsync("/api/tokens", new { role = "viewer", name });
            using var body = JsonDocument.Parse(await victim.Content.ReadAsStringAsync());
            victims.Add(body.RootElement.GetProperty("id").GetString()!);
        }
        _targets["tokens"] = [.. victims];
        // Targets and subscriptions to delete (both routes live under /api/webhooks/…, so the ids of both serve each).
        var target = await _silo.Http.PostAsJsonAsync("/api/webhooks/targets", new { name = "模糊推送", url = "https://hooks.example.invalid/x", format = "json" });
        using (var body = JsonDocument.Parse(await target.Content.ReadAsStringAsync()))
        {
            Assert.Equal(WebhookTarget, body.RootElement.GetProperty("id").GetString());
        }
        var subscription = await _silo.Http.PostAsJsonAsync($"/api/regions/{Haicheng}/webhooks", new { events = new[] { "warningRaised" }, targetId = WebhookTarget });
        using (var body = JsonDocument.Parse(await subscription.Content.ReadAsStringAsync()))
        {
            _targets["webhooks"] = [WebhookTarget, body.RootElement.GetProperty("id").GetString()!, "wt-999", "ws-999"];
        }
        // A minted operator, not the operator file's token: the rotate route replaces that one.
        _operator = _silo.Client(await _silo.IssueTokenAsync(new { role = "operator", name = "模糊运维" }));
        _operator.Timeout = TimeSpan.FromSeconds(60);
    }

    public async Task DisposeAsync()
    {
        _operator.Dispose();
        await _silo.DisposeAsync();
    }

    [Fact]
    public async Task Hostile_bodies_on_every_write_route_never_answer_5xx_always_problem_json_and_a_refusal_changes_nothing()
    {
        var routes = await WriteRoutesAsync();
        Assert.True(routes.Count >= 10, $"only {routes.Count} write routes found in /openapi/v1.json");
        var unknown = routes.Where(r => r != ImportRoute && !(s_fields.ContainsKey(r) && s_validBodies.ContainsKey(r))).ToList();
        Assert.True(unknown.Count == 0, $"The fuzzer has no body generator for these write routes; add their fields to s_fields and an accepted body to s_validBodies: {string.Join(", ", unknown)}");
        var round = Sequence(routes.Select(CaseOf).ToList());
        var budget = int.TryParse(Environment.GetEnvironmentVariable("DISPATCH_FUZZ_REQUESTS"), out var asked) && asked > 0 ? asked : RequestBudget;
        var rounds = (budget + routes.Count - 1) / routes.Count;

        _baseline = await SnapshotAsync();
        var clock = Stopwatch.StartNew();
        var seed = Environment.GetEnvironmentVariable("DISPATCH_FUZZ_SEED") is { Length: > 0 } s ? s : null;
        await round.SampleAsync(async cases =>
        {
            foreach (var c in cases)
            {
                await SendAsync(c);
            }
        }, writeLine: output.WriteLine, seed: seed, iter: rounds, threads: 1, print: Print);
        clock.Stop();

        output.WriteLine($"{_requests} fuzzed requests over {routes.Count} write routes in {clock.Elapsed.TotalSeconds:0.0} s ({rounds} rounds)");
        foreach (var (route, statuses) in _outcomes.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  {route}: {string.Join(", ", statuses.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}×{s.Value}"))}");
        }
        var missed = routes.Where(r => !_outcomes.ContainsKey(r)).ToList();
        Assert.True(missed.Count == 0, $"These write routes were never exercised: {string.Join(", ", missed)}");
        Assert.True(_requests >= budget, $"only {_requests} requests were sent");
    }

    /// <summary>Every POST, PUT, PATCH and DELETE under /api in the published OpenAPI document.</summary>
    private async Task<List<string>> WriteRoutesAsync()
    {
        using var anonymous = _silo.Client(null);
        using var document = JsonDocument.Parse(await anonymous.GetStringAsync("/openapi/v1.json"));
        return [.. document.RootElement.GetProperty("paths").EnumerateObject()
            .Where(p => p.Name.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(p => p.Value.EnumerateObject()
                .Where(m => m.Name.ToLowerInvariant() is "post" or "put" or "patch" or "delete")
                .Select(m => $"{m.Name.ToUpperInvariant()} {p.Name}"))
            .Order(StringComparer.Ordinal)];
    }

    private async Task SendAsync(Case c)
    {
        var method = c.Route.Split(' ')[0];
        using var request = new HttpRequestMessage(new HttpMethod(method), c.Path);
        if (c.Body is not null)
        {
            request.Content = new ByteArrayContent(c.Body);
            if (c.ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", c.ContentType);
            }
        }
        using var response = await _operator.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        _requests++;
        var outcomes = _outcomes.TryGetValue(c.Route, out var o) ? o : _outcomes[c.Route] = [];
        outcomes[$"{status}"] = outcomes.GetValueOrDefault($"{status}") + 1;
        var what = $"{c.Route} → {status} ({Describe(c)}): {Preview(text, 400)}";
        if (status >= 500 || status < 200 || status is >= 300 and < 400)
        {
            _baseline = await SnapshotAsync();
            Assert.Fail($"Unexpected status: {what}");
        }
        var after = await SnapshotAsync();
        var before = _baseline;
        _baseline = after;
        if (status < 300)
        {
            return;
        }
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json",
            $"A refusal without application/problem+json ({response.Content.Headers.ContentType}): {what}");
        Assert.True(after == before, $"Refused, yet something changed: {what}\n{Difference(before, after)}");
    }

    /// <summary>What a refused call must not change: both projects, both districts' meetings and inboxes, a district, the token registry.</summary>
    private async Task<string> SnapshotAsync()
    {
        var parts = new List<string>();
        foreach (var path in new[]
        {
            "/api/projects/fz-hc", "/api/projects/fz-pj", $"/api/regions/{Haicheng}/meetings", $"/api/regions/{Panjin}/meetings",
            $"/api/regions/{Haicheng}/warnings", $"/api/regions/{Panjin}/warnings", $"/api/regions/{Haicheng}", "/api/tokens", "/api/webhooks/targets",
        })
        {
            using var response = await _operator.GetAsync(path);
            parts.Add($"{path} {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        return LastUse().Replace(string.Join("\n", parts), "");
    }

    private static string Difference(string before, string after)
    {
        var a = before.Split('\n');
        var b = after.Split('\n');
        var lines = new List<string>();
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var x = i < a.Length ? a[i] : "";
            var y = i < b.Length ? b[i] : "";
            if (x != y)
            {
                var at = Enumerable.Range(0, Math.Min(x.Length, y.Length)).FirstOrDefault(k => x[k] != y[k], Math.Min(x.Length, y.Length));
                var from = Math.Max(0, at - 120);
                lines.Add($"before: …{Preview(x[from..], 400)}\nafter:  …{Preview(y[from..], 400)}");
            }
        }
        return string.Join("\n", lines);
    }

    [GeneratedRegex("\"lastUsedAt\":[^,}]*")]
    private static partial Regex LastUse();

    // ---- Cases -------------------------------------------------------------------------------------------------

    /// <summary>One request: the route it exercises, the path with its parameters filled, and the body as bytes.</summary>
    public sealed record Case(string Route, string Path, string? ContentType, byte[]? Body, string Kind);

    private static string Print(ImmutableList<Case> cases) => string.Join("\n", cases.Select(Describe));

    private static string Describe(Case c) =>
        $"{c.Route.Split(' ')[0]} {c.Path} [{c.Kind}; {c.ContentType ?? "no content type"}; {(c.Body is null ? "no body" : $"{c.Body.Length:N0} bytes")}] "
        + (c.Body is null ? "" : Preview(Encoding.UTF8.GetString(c.Body, 0, Math.Min(c.Body.Length, 2000)), 300));

    private static string Preview(string text, int max) => text.Length <= max ? text : text[..max] + $"…(+{text.Length - max:N0} chars)";

    private Gen<Case> CaseOf(string route)
    {
        var path = PathOf(route);
        var payload = route == ImportRoute ? CsvPayload : JsonPayload(route);
        return Gen.Select(path, payload, (p, b) => new Case(route, p, b.ContentType, b.Body, b.Kind));
    }

    /// <summary>The route's path with real targets from the setup (now and then a hostile id); fails for a parameter it cannot fill.</summary>
    private Gen<string> PathOf(string route)
    {
        var template = route.Split(' ')[1];
        if (!template.Contains('{', StringComparison.Ordinal))
        {
            return Gen.Const(template);
        }
        if (template.Contains("{regionId}/{cadence}/{period}", StringComparison.Ordinal))
        {
            var keys = Gen.Frequency(
                (9, Gen.OneOf(_targets["meetings"])),
                (1, Gen.OneOf($"{Haicheng}/weekly/1999-W01", $"{Haicheng}/daily/x", "nope/weekly/2024-W01", $"{Haicheng}/WEEKLY/%20")))
                .Select(key => template.Replace("{regionId}/{cadence}/{period}", key, StringComparison.Ordinal));
            // A decision's number (decisions/{number}/done): mostly real, now and then one that is not or is no number.
            return template.Contains("{number}", StringComparison.Ordinal)
                ? Gen.Select(keys, Gen.Frequency((6, Gen.OneOf("1", "2")), (1, Gen.OneOf(s_hostileDecisionNumbers))), (p, n) => p.Replace("{number}", Uri.EscapeDataString(n), StringComparison.Ordinal))
                : keys;
        }
        var kind = template.Split('/')[2];
        // A year comes last in a path (plans/{year}, targets/{year}).
        var year = template.EndsWith("/{year}", StringComparison.Ordinal);
        template = template.Replace("{year}", "", StringComparison.Ordinal);
        Assert.True(_targets.ContainsKey(kind) && template.Contains("{id}", StringComparison.Ordinal)
            && template.Replace("{id}", "", StringComparison.Ordinal).IndexOf('{', StringComparison.Ordinal) < 0,
            $"The fuzzer cannot fill the path parameters of {route}; give it a target in InitializeAsync.");
        var ids = Gen.Frequency((9, Gen.OneOf(_targets[kind])), (1, Gen.OneOf(s_hostileIds)))
            .Select(id => template.Replace("{id}", Uri.EscapeDataString(id), StringComparison.Ordinal));
        return year ? Gen.Select(ids, Gen.Frequency((6, Gen.Const(s_today.Year.ToString(CultureInfo.InvariantCulture))), (1, Gen.OneOf(s_hostileYears))), (p, y) => p + Uri.EscapeDataString(y)) : ids;
    }

    private static readonly string[] s_hostileDecisionNumbers = ["0", "-1", "999", "2147483648", "abc", "1.5", "%00"];

    private static readonly string[] s_hostileYears = ["0", "1", "1999", "2099", "99999", "-1", "2147483648", "abc", "2026.5", "%00"];

    private static readonly string[] s_hostileIds =
    [
        "nope-404", "abc", "A-B", new string('a', 101), "中文", "..", "-x", "x.w1", "fz-hc.w999", "fz-hc.q999", "fz-hc.w", ".w1", ".q1", "a b", "%00",
    ];

    // ---- Field values: raw JSON text ---------------------------------------------------------------------------

    private enum Kind { Text, LongText, Date, AsOf, Amount, Percent, Days, Period, Role, Level, ProjectKind, Stage, Cadence, RegionRef, ProjectRef, IdList, Milestones, Reached, Flag, MonthlyPlan, Count, Grade, Cadences, Cron, Url, Format, Events, TargetRef }

    /// <summary>The known fields of each write route's JSON body. A write route missing here fails the test.</summary>
    private static readonly Dictionary<string, (string Name, Kind Kind)[]> s_fields = new()
    {
        ["POST /api/tokens"] = [("role", Kind.Role), ("regionId", Kind.RegionRef), ("projectIds", Kind.IdList), ("name", Kind.Text), ("validDays", Kind.Days)],
        ["DELETE /api/tokens/{id}"] = [],
        ["POST /api/tokens/operator/rotate"] = [],
        ["PUT /api/regions/{id}"] = [("name", Kind.Text), ("level", Kind.Level), ("parentId", Kind.RegionRef), ("divisionCode", Kind.Text)],
        ["POST /api/regions/{id}/meetings"] = [("cadence", Kind.Cadence), ("asOf", Kind.AsOf), ("period", Kind.Period)],
        ["POST /api/meetings/{regionId}/{cadence}/{period}/decisions"] =
        [
            ("text", Kind.LongText), ("projectId", Kind.ProjectRef), ("problemTitle", Kind.Text), ("category", Kind.Text),
            ("ownerLevel", Kind.Level), ("owner", Kind.Text), ("deadline", Kind.Date), ("ownerRegionId", Kind.RegionRef),
        ],
        ["POST /api/meetings/{regionId}/{cadence}/{period}/decisions/{number}/done"] = [("note", Kind.LongText)],
        ["PUT /api/projects/{id}"] =
        [
            ("name", Kind.Text), ("regionId", Kind.RegionRef), ("kind", Kind.ProjectKind), ("industry", Kind.Text), ("totalInvestment", Kind.Amount),
            ("annualPlanInvestment", Kind.Amount), ("plannedStart", Kind.Date), ("plannedCompletion", Kind.Date), ("leader", Kind.Text),
            ("steward", Kind.Text), ("milestones", Kind.Milestones), ("stage", Kind.Stage), ("company", Kind.Text), ("notes", Kind.LongText),
        ],
        ["POST /api/projects/{id}/reports"] =
        [
            ("period", Kind.Period), ("investmentCompleted", Kind.Amount), ("percentComplete", Kind.Percent), ("milestonesReached", Kind.Reached),
            ("narrative", Kind.LongText),
        ],
        ["POST /api/projects/{id}/problems"] =
        [
            ("title", Kind.Text), ("category", Kind.Text), ("ownerLevel", Kind.Level), ("deadline", Kind.Date), ("owner", Kind.Text),
        ],
        ["POST /api/problems/{id}/resolve"] = [("note", Kind.LongText)],
        ["POST /api/problems/{id}/accept"] = [("responsibleOffice", Kind.Text), ("leader", Kind.Text), ("deadline", Kind.Date)],
        ["POST /api/problems/{id}/transfer"] = [("toLevel", Kind.Level), ("toOffice", Kind.Text), ("reason", Kind.LongText)],
        ["POST /api/problems/{id}/flag"] = [("grade", Kind.Grade), ("deadline", Kind.Date), ("supervisingOfficial", Kind.Text), ("regionId", Kind.RegionRef)],
        ["POST /api/problems/{id}/report-solved"] = [("note", Kind.LongText)],
        ["POST /api/problems/{id}/verify"] = [("note", Kind.LongText)],
        ["POST /api/problems/{id}/reject"] = [("reason", Kind.LongText)],
        ["POST /api/warnings/{id}/ack"] = [("note", Kind.LongText), ("measure", Kind.LongText), ("plannedBy", Kind.Date)],
        ["POST /api/warnings/{id}/close"] = [("note", Kind.LongText)],
        ["PUT /api/projects/{id}/plans/{year}"] =
        [
            ("kind", Kind.ProjectKind), ("plannedInvestment", Kind.Amount), ("plannedStart", Kind.Date), ("actualStart", Kind.Date),
            ("monthlyPlan", Kind.MonthlyPlan), ("fundsInPlace", Kind.Amount), ("keyProject", Kind.Flag), ("withdrawn", Kind.Flag),
            ("withdrawnReason", Kind.LongText),
        ],
        ["PUT /api/regions/{id}/targets/{year}"] = [("projectsToStart", Kind.Count), ("investment", Kind.Amount)],
        ["PUT /api/regions/{id}/cadences"] = [("cadences", Kind.Cadences)],
        ["POST /api/webhooks/targets"] = [("name", Kind.Text), ("url", Kind.Url), ("format", Kind.Format), ("secret", Kind.Text)],
        ["DELETE /api/webhooks/targets/{id}"] = [],
        ["POST /api/regions/{id}/webhooks"] = [("account", Kind.Text), ("events", Kind.Events), ("targetId", Kind.TargetRef)],
        ["DELETE /api/webhooks/subscriptions/{id}"] = [],
    };

    /// <summary>A body each route accepts, as members of raw JSON: the "one field spoiled" mode starts from it.</summary>
    private static readonly Dictionary<string, (string Name, string Value)[]> s_validBodies = new()
    {
        ["POST /api/tokens"] = [("role", S("viewer")), ("name", S("模糊令牌"))],
        ["DELETE /api/tokens/{id}"] = [],
        ["POST /api/tokens/operator/rotate"] = [],
        ["PUT /api/regions/{id}"] = [("name", S("海城市")), ("level", S("district")), ("parentId", S("ln-anshan"))],
        ["POST /api/regions/{id}/meetings"] = [("cadence", S("weekly"))],
        ["POST /api/meetings/{regionId}/{cadence}/{period}/decisions"] = [("text", S("模糊议定事项"))],
        ["POST /api/meetings/{regionId}/{cadence}/{period}/decisions/{number}/done"] = [("note", S("模糊办结"))],
        ["PUT /api/projects/{id}"] =
        [
            ("name", S("模糊项目")), ("regionId", S(Haicheng)), ("kind", S("new")),
            ("milestones", $"[{{\"name\":\"开工\",\"plannedDate\":{D(s_today.AddDays(-20))}}}]"),
        ],
        ["POST /api/projects/{id}/reports"] = [("period", S(s_today.AddMonths(-1).ToString("yyyy-MM"))), ("investmentCompleted", "1"), ("percentComplete", "1")],
        ["POST /api/projects/{id}/problems"] = [("title", S("供水接入")), ("category", S("水电热")), ("ownerLevel", S("district")), ("deadline", D(s_today.AddDays(30)))],
        ["POST /api/problems/{id}/resolve"] = [("note", S("模糊说明"))],
        ["POST /api/problems/{id}/accept"] = [("responsibleOffice", S("区自然资源局")), ("leader", S("王副区长")), ("deadline", D(s_today.AddDays(30)))],
        ["POST /api/problems/{id}/transfer"] = [("toLevel", S("city")), ("reason", S("区里无权审批"))],
        ["POST /api/problems/{id}/flag"] = [("grade", S("redCard")), ("deadline", D(s_today.AddDays(20))), ("supervisingOfficial", S("李市长")), ("regionId", S("ln-anshan"))],
        ["POST /api/problems/{id}/report-solved"] = [("note", S("已解决"))],
        ["POST /api/problems/{id}/verify"] = [("note", S("核实销号"))],
        ["POST /api/problems/{id}/reject"] = [("reason", S("未落实"))],
        ["POST /api/warnings/{id}/ack"] = [("note", S("模糊说明")), ("measure", S("模糊措施")), ("plannedBy", D(s_today.AddDays(10)))],
        ["POST /api/warnings/{id}/close"] = [("note", S("模糊说明"))],
        ["PUT /api/projects/{id}/plans/{year}"] = [("plannedInvestment", "1200"), ("plannedStart", S($"{s_today.Year}-01-02"))],
        ["PUT /api/regions/{id}/targets/{year}"] = [("projectsToStart", "12"), ("investment", "250000")],
        ["PUT /api/regions/{id}/cadences"] = [("cadences", "null")],
        ["POST /api/webhooks/targets"] = [("name", S("模糊推送")), ("url", S("https://hooks.example.invalid/z")), ("format", S("dingtalk"))],
        ["DELETE /api/webhooks/targets/{id}"] = [],
        ["POST /api/regions/{id}/webhooks"] = [("events", "[\"warningEscalated\"]"), ("targetId", S(WebhookTarget))],
        ["DELETE /api/webhooks/subscriptions/{id}"] = [],
    };

    private static string S(string value) => JsonSerializer.Serialize(value);

    private static string D(DateOnly date) => S(date.ToString("yyyy-MM-dd"));

    /// <summary>A little over the 1 MiB body limit, and a little under it.</summary>
    private static readonly string s_overMegabyte = S(new string('x', 1_100_000));
    private static readonly string s_underMegabyte = S(new string('x', 1_000_000));

    private static readonly string[] s_hostileStrings =
    [
        S(""), S(" "), S("\u0000"), S("\u0001\u0002\u001b[31m\u007f"), S("\r\n\t"), "\"\\ud800\"", "\"\\udfff\\ud800x\"", S("NaN"), S("Infinity"),
        S("1e308"), S("-1"), S("null"), S("true"), S("<script>alert(1)</script>"), S("'; DROP TABLE storage; --"), S("../../../../etc/passwd"),
        S("%00%0d%0a"), S("\u202eevil\u202c"), S("\u200b\ufeff"), S(new string('长', 201)), S(new string('名', 200)), S(new string('x', 4001)),
        S(new string('x', 4000)), S(string.Concat(Enumerable.Repeat("😀", 150))), S(Haicheng), S("fz-hc"), S("{{7*7}}"), S("${jndi:ldap://x/a}"),
    ];

    private static readonly string[] s_hostileNumbers =
    [
        "1e308", "-1e308", "5e28", "-5e28", "-1", "0", "-0", "0.0000001", "79228162514264337593543950336", "-79228162514264337593543950336",
        "1E+400", "1e-400", "100000000", "100000000.0001", "9999999999999999999999999999", "2147483648", "-2147483649", "4294967296", "1.5",
        "101", "-0.01", "3661", "0.1e1", S("100"), S("1e308"), S("NaN"), S("Infinity"),
    ];

    /// <summary>Tokens that make the whole body invalid JSON.</summary>
    private static readonly string[] s_invalidTokens = ["NaN", "Infinity", "-Infinity", "01", "+1", "0x10", ".5", "1.", "'x'", "undefined", "tru", "nul", "1e", "--1"];

    private static readonly string[] s_wrongTypes = ["[]", "[\"a\"]", "[1,2]", "{}", "{\"a\":1}", "true", "false", "null", "0", "\"\"", "[[[]]]", "[null]"];

    private static readonly string[] s_hostileDates =
    [
        S("0001-01-01"), S("2099-12-31"), S("9999-12-31"), S("1999-12-31"), S("2000-01-01"), S("2100-12-31"), S("2101-01-01"), S("2024-02-30"),
        S("2024-13-01"), S("2024-00-10"), S("2023-02-29"), S("2024-02-29"), S("20240101"), S("2024/01/01"), S("2024-1-1"), S(""), S("today"),
        S("2024-01-01T00:00:00Z"), S("-0001-01-01"), S("+10000-01-01"), S("0000-00-00"), D(s_today), D(s_today.AddDays(1)), D(s_today.AddYears(-30)),
    ];

    private static readonly string[] s_hostilePeriods =
    [
        S("2024-W53"), S("2024-W00"), S("2024-W99"), S("9999-12"), S("0001-01"), S("2024-13"), S("2024-00"), S("2024-03-H1"), S("2024-03-H3"),
        S("2024-Q5"), S("2024"), S(""), S(" "), S(new string('9', 17)), S("9999-W52"), S("1999-12"), S(s_today.AddMonths(1).ToString("yyyy-MM")),
        S("2099-01"), S("-2024-01"), S("2024-W-1"),
    ];

    private static readonly string[] s_hostileEnums =
    [
        S("admin"), S("Operator"), S("OPERATOR"), "0", "1", "7", S(""), S("district "), S("District"), S("village"), S("daily"), S("weekly\u0000"), S("0"),
    ];

    private static readonly string[] s_hostileRefs = [.. s_hostileIds.Select(S), S(""), S("ln"), S("ln-anshan"), S(Panjin), S("ln-anshan-haicheng\u0000")];

    private static readonly string s_hundredOneMilestones =
        "[" + string.Join(",", Enumerable.Range(1, 101).Select(i => $"{{\"name\":\"m{i}\",\"plannedDate\":{D(s_today.AddDays(i))}}}")) + "]";

    private static readonly string s_thousandIds = "[" + string.Join(",", Enumerable.Repeat(S("fz-hc"), 1000)) + "]";

    private static Gen<string> Deep => Gen.Int[33, 2000].Select(n => new string('[', n) + new string(']', n));

    private static Gen<string> AnyHostile => Gen.Frequency(
        (4, Gen.OneOf(s_hostileStrings)),
        (4, Gen.OneOf(s_hostileNumbers)),
        (3, Gen.OneOf(s_wrongTypes)),
        (3, Gen.OneOf(s_hostileDates)),
        (1, Gen.OneOf(s_invalidTokens)),
        (1, Deep),
        (1, Gen.Const(s_underMegabyte)));

    private static Gen<string> Valid(Kind kind) => kind switch
    {
        Kind.Text => Gen.OneOf(S("模糊测试"), S("fuzz"), S("用地")),
        Kind.LongText => Gen.OneOf(S("说明"), S("已协调")),
        Kind.Date => Gen.OneOf(D(s_today.AddDays(30)), D(s_today.AddDays(-10)), D(s_today.AddYears(1))),
        Kind.AsOf => Gen.OneOf(D(s_today), D(s_today.AddDays(-7)), D(s_today.AddMonths(-2))),
        Kind.Amount => Gen.OneOf("100", "0", "12.5"),
        Kind.Percent => Gen.OneOf("50", "0", "100"),
        Kind.Days => Gen.OneOf("1", "30", "3660"),
        Kind.Period => Gen.OneOf(S(s_today.AddMonths(-1).ToString("yyyy-MM")), S(s_today.AddMonths(-2).ToString("yyyy-MM"))),
        Kind.Role => Gen.OneOf(S("viewer"), S("reporter"), S("official"), S("operator")),
        Kind.Level => Gen.OneOf(S("district"), S("city"), S("province")),
        Kind.ProjectKind => Gen.OneOf(S("new"), S("continuing")),
        Kind.Stage => Gen.OneOf(S("planned"), S("signed"), S("approvals"), S("started"), S("completed"), S("inProduction"), S("fullCapacity")),
        Kind.Cadence => Gen.OneOf(S("weekly"), S("halfMonthly"), S("monthly"), S("bimonthly"), S("quarterly"), S("yearly")),
        Kind.RegionRef => Gen.OneOf(S(Haicheng), S(Panjin), S("ln-anshan")),
        Kind.ProjectRef => Gen.OneOf(S("fz-hc"), S("fz-pj")),
        Kind.IdList => Gen.OneOf("[\"fz-hc\"]", "[\"fz-hc\",\"fz-pj\"]"),
        Kind.Milestones => Gen.OneOf($"[{{\"name\":\"开工\",\"plannedDate\":{D(s_today.AddDays(-20))}}}]", "[]"),
        Kind.Reached => Gen.OneOf($"[{{\"name\":\"开工\",\"date\":{D(s_today.AddDays(-1))}}}]", "[]"),
        Kind.Flag => Gen.OneOf("true", "false"),
        Kind.MonthlyPlan => Gen.OneOf("[100,100,100,100,100,100,100,100,100,100,100,100]", "[]"),
        Kind.Count => Gen.OneOf("0", "12", "300"),
        Kind.Grade => Gen.OneOf(S("yellowCard"), S("redCard")),
        Kind.Url => Gen.OneOf(S("https://hooks.example.invalid/a"), S("https://hooks.example.invalid/b?key=1")),
        Kind.Format => Gen.OneOf(S("dingtalk"), S("wecom"), S("feishu"), S("json")),
        Kind.Events => Gen.OneOf("[\"warningRaised\"]", "[\"warningEscalated\",\"stepOverdue\"]", "[\"problemFlagged\"]"),
        Kind.TargetRef => Gen.Const(S(WebhookTarget)),
        Kind.Cadences => Gen.OneOf("null", "[]", "[{\"cadence\":\"monthly\",\"level\":\"city\"}]",
            "[{\"cadence\":\"weekly\",\"level\":\"city\",\"when\":\"0 0 15 ? * FRI\"}]"),
        Kind.Cron => Gen.OneOf(S("0 0 15 ? * FRI"), S("0 30 8 ? * MON-FRI"), S("0 0 10 8 * ?"), "null"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static Gen<string> Hostile(Kind kind) => kind switch
    {
        Kind.Text or Kind.LongText => Gen.OneOf(s_hostileStrings),
        Kind.Date or Kind.AsOf => Gen.OneOf(s_hostileDates),
        Kind.Amount or Kind.Percent or Kind.Days or Kind.Count => Gen.OneOf(s_hostileNumbers),
        Kind.Flag => Gen.OneOf("1", "0", S("true"), "null", "[]", "{}", S("yes")),
        Kind.MonthlyPlan => Gen.OneOf("[1]", "[null]", "{}", S("12"), "[" + string.Join(",", Enumerable.Repeat("1e308", 12)) + "]",
            "[" + string.Join(",", Enumerable.Repeat("-1", 12)) + "]", "[" + string.Join(",", Enumerable.Repeat("5e28", 12)) + "]",
            "[" + string.Join(",", Enumerable.Repeat("1", 13)) + "]", "[" + string.Join(",", Enumerable.Repeat("1", 100_000)) + "]"),
        Kind.Period => Gen.OneOf(s_hostilePeriods),
        Kind.Role or Kind.Level or Kind.ProjectKind or Kind.Stage or Kind.Cadence or Kind.Grade => Gen.OneOf(s_hostileEnums),
        Kind.RegionRef or Kind.ProjectRef => Gen.OneOf(s_hostileRefs),
        Kind.IdList => Gen.OneOf("[]", "[\"fz-pj\"]", "[\"nope\"]", "[null]", "[1]", s_thousandIds, "\"fz-hc\"", "[[\"fz-hc\"]]", "[\"\"]"),
        Kind.Milestones => Gen.Frequency(
            (3, ObjectOf([("name", Kind.Text), ("plannedDate", Kind.Date), ("actualDate", Kind.Date)], 2, 3, 1, extras: false).Array[1, 4]
                .Select(items => "[" + string.Join(",", items) + "]")),
            (1, Gen.OneOf("[null]", "[{}]", s_hundredOneMilestones, "{}", "[\"开工\"]", "[[]]"))),
        Kind.Reached => Gen.Frequency(
            (3, ObjectOf([("name", Kind.Text), ("date", Kind.Date)], 2, 3, 1, extras: false).Array[1, 4]
                .Select(items => "[" + string.Join(",", items) + "]")),
            (1, Gen.OneOf("[null]", "[{}]", "{}", "[\"开工\"]", "[[]]"))),
        Kind.Url => Gen.OneOf(S("http://hooks.example.invalid/a"), S("https://evil.example.com/"), S("http://127.0.0.1/"), S("http://169.254.169.254/"),
            S("https://hooks.example.invalid:8443/"), S("https://u:p@hooks.example.invalid/"), S("file:///etc/passwd"), S("hooks.example.invalid"),
            S("https://hooks.example.invalid/" + new string('x', 2_001)), S("https://hooks.example.invalid/\u0000")),
        Kind.Format => Gen.OneOf(s_hostileEnums),
        Kind.Events => Gen.OneOf("[]", "[null]", "[\"all\"]", "[0]", "{}", S("warningRaised"), "[" + string.Join(",", Enumerable.Repeat(S("warningRaised"), 9)) + "]"),
        Kind.TargetRef => Gen.OneOf(s_hostileRefs),
        Kind.Cron => Gen.OneOf([.. s_hostileStrings, S("0 0 15 ? * FRI#9"), S("0 0 15 L-40 * ?"), S("0 0 15 ? * 8"), S("0 0 15 ? * FRI 99999"),
            S("0 0 15 W * ?"), S("0 0 15 ? * L#2"), S("0 0 15 1-40/0 * ?"), S("0 0 15 ? * MON-SUN/0"), S(string.Concat(Enumerable.Repeat("0 ", 40)))]),
        Kind.Cadences => Gen.Frequency(
            (3, ObjectOf([("cadence", Kind.Cadence), ("level", Kind.Level), ("when", Kind.Cron)], 2, 3, 1, extras: false).Array[1, 8]
                .Select(items => "[" + string.Join(",", items) + "]")),
            (1, Gen.OneOf("[null]", "[{}]", "{}", "[\"monthly\"]", "[[]]", S("monthly")))),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static readonly string[] s_extraNames =
    [
        "id", "by", "By", "raisedBy", "__proto__", "constructor", "$type", "$ref", "$id", "Name", "NAME", "名称", "", "a\u0000b", new string('k', 300), "status", "token",
    ];

    /// <summary>A JSON object of the given fields: each valid, hostile or left out by the given weights, with random extra names if asked.</summary>
    private static Gen<string> ObjectOf((string Name, Kind Kind)[] fields, int valid, int hostile, int omit, bool extras)
    {
        var members = fields.Select(f => Gen.Frequency(
            (valid, Valid(f.Kind).Select(v => (string?)$"{S(f.Name)}:{v}")),
            (hostile, Gen.Frequency((3, Hostile(f.Kind)), (1, AnyHostile)).Select(v => (string?)$"{S(f.Name)}:{v}")),
            (omit, Gen.Const((string?)null)))).ToList();
        var extra = extras
            ? Gen.Select(Gen.OneOf(s_extraNames), AnyHostile, (n, v) => $"{S(n)}:{v}").Array[0, 3]
            : Gen.Const(Array.Empty<string>());
        return Gen.Select(Sequence(members), extra, (m, e) => "{" + string.Join(",", m.OfType<string>().Concat(e)) + "}");
    }

    // ---- Bodies ------------------------------------------------------------------------------------------------

    private sealed record Payload(string? ContentType, byte[]? Body, string Kind);

    private static Payload Json(string text, string kind, string? contentType = "application/json") => new(contentType, Encoding.UTF8.GetBytes(text), kind);

    private static Gen<Payload> JsonPayload(string route)
    {
        var fields = s_fields[route];
        var valid = s_validBodies[route];
        (string Name, Kind Kind) first = fields.Length > 0 ? fields[0] : ("note", Kind.LongText);
        var contentType = Gen.Frequency(
            (12, Gen.Const((string?)"application/json")),
            (1, Gen.Const((string?)"text/plain")),
            (1, Gen.Const((string?)null)),
            (1, Gen.Const((string?)"application/json; charset=utf-16")),
            (1, Gen.Const((string?)"multipart/form-data; boundary=zz")));
        var mostlyValid = Gen.Select(ObjectOf(fields, 10, 1, 1, extras: false), contentType, (b, t) => Json(b, "mostly valid", t));
        var wild = Gen.Select(ObjectOf(fields, 2, 4, 3, extras: true), contentType, (b, t) => Json(b, "wild", t));
        // A body the route accepts with exactly one field spoiled (or one stray field added).
        var spoiled = Gen.Int[0, fields.Length].SelectMany(i => i < fields.Length
            ? Gen.Frequency((3, Hostile(fields[i].Kind)), (1, AnyHostile)).Select(v => (fields[i].Name, v))
            : Gen.Select(Gen.OneOf(s_extraNames), AnyHostile, (n, v) => (n, v)))
            .Select(m => Json("{" + string.Join(",", valid.Where(f => f.Name != m.Item1).Append(m).Select(f => $"{S(f.Item1)}:{f.Item2}")) + "}", "one field spoiled"));
        var duplicate = Gen.Select(ObjectOf(fields, 1, 0, 0, extras: false), Gen.Frequency((3, Hostile(first.Kind)), (1, AnyHostile)),
            (b, v) => Json(b.Length > 2 ? $"{b[..^1]},{S(first.Name)}:{v}}}" : $"{{{S(first.Name)}:{v},{S(first.Name)}:{v}}}", "duplicate key"));
        var structural = Gen.OneOf(
            Deep.Select(d => Json($"{{{S(first.Name)}:{d}}}", "deep arrays")),
            Gen.Int[33, 500].Select(n => Json(string.Concat(Enumerable.Repeat("{\"a\":", n)) + "1" + new string('}', n), "deep objects")),
            Gen.OneOf("[]", "[{}]", "null", "\"x\"", "1", "true", "{}", "{", $"{{{S(first.Name)}:", $"{{{S(first.Name)}:\"x\"", "{}{}", "{} x", "{,}",
                "{\"a\":1,}", "/*c*/{}", "\ufeff{}", "{\"a\":\"\\x\"}", "{'a':1}", "{\"a\":1 \"b\":2}", $"{{{S(first.Name)}:\"\\ud800\"}}")
                .Select(t => Json(t, "malformed")),
            Gen.Const(Json($"{{{S(first.Name)}:{s_overMegabyte}}}", "over a megabyte")),
            Gen.Const(Json($"{{{S(first.Name)}:{s_underMegabyte}}}", "under a megabyte")));
        var invalidUtf8 = new Payload("application/json", [.. Encoding.UTF8.GetBytes($"{{{S(first.Name)}:\""), 0xC3, 0x28, 0xFF, 0xFE, (byte)'"', (byte)'}'], "invalid UTF-8");
        var nonJson = Gen.OneOf(
            new Payload(null, null, "no body"),
            new Payload("application/json", [], "empty body"),
            new Payload("text/plain", Encoding.UTF8.GetBytes("hello"), "text"),
            new Payload("application/xml", Encoding.UTF8.GetBytes("<a><b/></a>"), "xml"),
            new Payload("application/x-www-form-urlencoded", Encoding.UTF8.GetBytes("name=x&note=y"), "form"),
            new Payload("multipart/form-data; boundary=zz", Encoding.UTF8.GetBytes("--zz\r\ngarbage"), "broken multipart"),
            new Payload("application/json", [0, 0, 0, 0], "zero bytes"),
            invalidUtf8);
        return Gen.Frequency((3, mostlyValid), (3, spoiled), (3, wild), (1, duplicate), (2, structural), (1, nonJson));
    }

    private const string FullHeader = "id,name,region_id,kind,industry,total_investment_wan,annual_plan_investment_wan,stage,leader,steward,company,known_facts";

    private static readonly string s_overImportLimit = "id,name,region_id,kind\n" + string.Concat(Enumerable.Repeat($"fz-hc,{new string('x', 1000)},{Haicheng},new\n", 5400));

    private static readonly string s_tooManyRows =
        "id,name,region_id,kind\n" + string.Concat(Enumerable.Range(1, 5001).Select(i => $"fz-r{i},行{i},{Haicheng},new\n"));

    private static readonly string[] s_hostileCells =
    [
        "", " ", "=1+1", "@SUM(A1)", "+cmd|' /C calc'!A0", "-2", "\"unbalanced", "a\"b", "a\nb", "a,b", "\u0000", "\u001b[31m", new string('长', 201),
        new string('x', 4001), "1e308", "-1", "5e28", "79228162514264337593543950336", "0.0000001", "1,000", "NaN", "∞", "１００", "100000000.01",
        "9999-12-31", "0001-01-01", "2024-02-30", "nope", "abc", "A-B", "ln", "admin", "新建 ", "NEW", "\u202e", "😀",
    ];

    /// <summary>CSV (and a few other forms) for POST /api/import/projects, with hostile cells.</summary>
    private static Gen<Payload> CsvPayload
    {
        get
        {
            Gen<string> Cell(params string[] valid) => Gen.Frequency((6, Gen.OneOf(valid)), (1, Gen.OneOf(s_hostileCells)));
            var cells = new[]
            {
                Cell("fz-hc", "fz-pj", "fz-import-1", "fz-import-2"), Cell("模糊导入", "项目"), Cell(Haicheng, Panjin), Cell("new", "continuing", "新建", "续建"),
                Cell("制造业", ""), Cell("100", "0", "12.5", ""), Cell("50", ""), Cell("planned", "started", ""), Cell("张三", ""), Cell("李四", ""),
                Cell("某公司", ""), Cell("备注", ""),
            };
            // Mostly raw (a hostile cell may break the row), some quoted, now and then an unbalanced quote.
            var encoded = cells.Select(c => Gen.Select(c, Gen.Int[0, 40], (v, q) => q switch
            {
                < 5 => "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"",
                5 => "\"" + v,
                _ => v,
            })).ToList();
            var row = Sequence(encoded).Select(r => string.Join(",", r));
            var header = Gen.Frequency(
                (6, Gen.Const(FullHeader)),
                (2, Gen.Const("id,name,region_id,kind")),
                (1, Gen.OneOf("", "id,id,name,region_id,kind", "\ufeffid,name,region_id,kind", "ID,NAME,REGION_ID,KIND", "name,region_id,kind",
                    "=cmd,id", "id;name;region_id;kind", "\"id,name\",region_id,kind", "id,name,region_id,kind," + new string('c', 5000))));
            var csv = Gen.Select(header, row.Array[0, 4], Gen.OneOf("\n", "\r\n", "\r"), (h, rows, nl) => string.Join(nl, rows.Prepend(h)) + nl);
            var transport = Gen.Frequency(
                (8, Gen.Const("text/csv")), (1, Gen.Const("none")), (1, Gen.Const("application/json")),
                (1, Gen.Const("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")), (1, Gen.Const("multipart csv")),
                (1, Gen.Const("multipart xlsx")), (1, Gen.Const("broken multipart")), (1, Gen.Const("multipart no boundary")), (1, Gen.Const("form")));
            var sheet = Gen.Select(csv, transport, (text, how) => how switch
            {
                "none" => new Payload(null, Encoding.UTF8.GetBytes(text), "csv, no content type"),
                "multipart csv" or "multipart xlsx" => new Payload("multipart/form-data; boundary=zz", Encoding.UTF8.GetBytes(
                    $"--zz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.{how[10..]}\"\r\nContent-Type: text/csv\r\n\r\n{text}\r\n--zz--\r\n"), how),
                "broken multipart" => new Payload("multipart/form-data; boundary=zz", Encoding.UTF8.GetBytes($"--zz\r\nContent-Disposition: form-data\r\n\r\n{text}"), how),
                "multipart no boundary" => new Payload("multipart/form-data", Encoding.UTF8.GetBytes(text), how),
                "form" => new Payload("application/x-www-form-urlencoded", Encoding.UTF8.GetBytes("file=" + Uri.EscapeDataString(text)), how),
                _ => new Payload(how, Encoding.UTF8.GetBytes(text), "csv"),
            });
            var special = Gen.OneOf(
                new Payload("text/csv", Encoding.UTF8.GetBytes(s_overImportLimit), "over 5 MB"),
                new Payload("text/csv", Encoding.UTF8.GetBytes(s_tooManyRows), "5,001 rows"),
                new Payload("text/csv", [], "empty"),
                new Payload(null, null, "no body"),
                new Payload("text/csv", [0xFF, 0xFE, 0, 0x22, 0xC3, 0x28, 0x0A, 0x2C], "binary"),
                new Payload("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", [0x50, 0x4B, 0x03, 0x04, 0x14, 0, 0, 0, 0x08, 0], "truncated zip"));
            return Gen.Frequency((8, sheet), (1, special));
        }
    }

    /// <summary>One value from each generator, in order.</summary>
    private static Gen<ImmutableList<T>> Sequence<T>(IReadOnlyList<Gen<T>> gens) =>
        gens.Aggregate(Gen.Const(ImmutableList<T>.Empty), (all, next) => Gen.Select(all, next, (list, item) => list.Add(item)));
}
