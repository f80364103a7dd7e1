using System.Diagnostics;
using System.Net.Http.Json;
using Dispatch.Contracts;
using Dispatch.Grains.Domain;
using Dispatch.Tests.Api;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dispatch.Tests.Security;

/// <summary>The Orleans gateway is not a back door: external clients need a token, and the token's scope applies.</summary>
public sealed class GatewayTests : IAsyncLifetime
{
    private const string Haicheng = "ln-anshan-haicheng";
    private SiloProcess _silo = null!;
    private IHost _client = null!;

    private IClusterClient Client => _client.Services.GetRequiredService<IClusterClient>();

    public async Task InitializeAsync()
    {
        _silo = await SiloProcess.StartAsync(sample: true);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client => client.UseLocalhostClustering(_silo.GatewayPort)
            .Configure<Orleans.Configuration.ClusterOptions>(o => (o.ClusterId, o.ServiceId) = ("dispatch", "dispatch")));
        _client = builder.Build();
        await _client.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _client.StopAsync();
        _client.Dispose();
        await _silo.DisposeAsync();
    }

    private async Task<T> AsAsync<T>(string? token, Func<IClusterClient, Task<T>> call)
    {
        // Request context is per async flow: set it inside a flow of its own so calls do not leak into each other.
        return await Task.Run(async () =>
        {
            RequestContext.Clear();
            if (token is not null)
            {
                RequestContext.Set(GatewayToken.RequestContextKey, token);
            }
            return await call(Client);
        });
    }

    [Fact]
    public async Task A_call_without_a_token_is_refused_and_mints_nothing()
    {
        var before = (await _silo.GetAsync<List<TokenRecord>>("/api/tokens")).Count;
        var refused = await Assert.ThrowsAsync<AccessDeniedException>(() => AsAsync(null, c =>
            c.GetGrain<IAuthorityGrain>("dispatch").IssueAsync(new TokenRequest(Role.Operator, "闯入者", null, null))));
        Assert.True(refused.Unauthenticated);
        Assert.Contains("token", refused.Message);
        await Assert.ThrowsAsync<AccessDeniedException>(() => AsAsync(null, c => c.GetGrain<IRegionGrain>("ln").GetAsync(null)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => AsAsync("not-a-token", c => c.GetGrain<IRegionGrain>("ln").GetAsync(null)));
        Assert.Equal(before, (await _silo.GetAsync<List<TokenRecord>>("/api/tokens")).Count);
    }

    [Fact]
    public async Task An_officials_token_cannot_mint_nor_reach_beyond_its_region_and_nobody_gets_the_signing_key()
    {
        var official = await _silo.IssueTokenAsync(new { role = "official", regionId = Haicheng, name = "网关科长" });
        var mint = await Assert.ThrowsAsync<AccessDeniedException>(() => AsAsync(official, c =>
            c.GetGrain<IAuthorityGrain>("dispatch").IssueAsync(new TokenRequest(Role.Operator, "网关科长", null, null))));
        Assert.False(mint.Unauthenticated);
        Assert.NotNull(await AsAsync(official, c => c.GetGrain<IRegionGrain>(Haicheng).GetAsync(null)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => AsAsync(official, c => c.GetGrain<IRegionGrain>("ln-panjin").GetAsync(null)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => AsAsync(_silo.OperatorToken, c => c.GetGrain<IAuthorityGrain>("dispatch").GetSigningKeyAsync()));
        var issued = await AsAsync(_silo.OperatorToken, c =>
            c.GetGrain<IAuthorityGrain>("dispatch").IssueAsync(new TokenRequest(Role.Viewer, "网关运维签发", null, null)));
        Assert.True(issued.Succeeded);
    }

    [Fact]
    public async Task Through_the_gateway_an_official_signs_as_the_tokens_holder_and_cannot_move_a_project_out()
    {
        var overdue = TimeProvider.System.ChinaToday().AddDays(-20).ToString("yyyy-MM-dd");
        (await _silo.Http.PutAsJsonAsync("/api/projects/gw-hc", new
        {
            name = "网关项目", regionId = Haicheng, kind = "new", milestones = new[] { new { name = "开工", plannedDate = overdue } },
        })).EnsureSuccessStatusCode();
        var warning = (await _silo.GetAsync<ProjectView>("/api/projects/gw-hc")).Warnings.First().Id;
        var official = await _silo.IssueTokenAsync(new { role = "official", regionId = Haicheng, name = "网关科长" });
        await Assert.ThrowsAsync<AccessDeniedException>(() => AsAsync(official, c => c.GetGrain<IProjectGrain>("gw-hc").AcknowledgeWarningAsync(warning, "别人")));
        var project = await AsAsync(official, c => c.GetGrain<IProjectGrain>("gw-hc").GetAsync());
        await Assert.ThrowsAsync<AccessDeniedException>(() => AsAsync(official, c => c.GetGrain<IProjectGrain>("gw-hc").UpsertAsync(
            new ProjectProfile(project!.Name, "ln-panjin-liaobin", ProjectKind.New, null, null, null, null, null, null, null, project.Milestones, null, null, null))));
        Assert.Equal(WarningStatus.Open, (await _silo.GetAsync<ProjectView>("/api/projects/gw-hc")).Warnings.Single(w => w.Id == warning).Status);
        Assert.Equal(Haicheng, (await _silo.GetAsync<ProjectView>("/api/projects/gw-hc")).RegionId);
        var acknowledged = await AsAsync(official, c => c.GetGrain<IProjectGrain>("gw-hc").AcknowledgeWarningAsync(warning, "网关科长"));
        Assert.Equal("网关科长", acknowledged.Value!.AcknowledgedBy);

        // Audited like HTTP: the change, and the refused attempts, with the caller's name.
        var audit = await _silo.GetAsync<List<System.Text.Json.JsonElement>>("/api/audit?actor=网关科长");
        Assert.Contains(audit, e => e.GetProperty("action").GetString() == "grain IProjectGrain.AcknowledgeWarning" && e.GetProperty("status").GetInt32() == 200
            && e.GetProperty("target").GetString() == "gw-hc");
        Assert.Contains(audit, e => e.GetProperty("action").GetString() == "grain IProjectGrain.Upsert" && e.GetProperty("status").GetInt32() == 403);
    }

    [Fact]
    public async Task The_cli_without_a_token_is_refused_with_exit_code_3_and_prints_no_token()
    {
        var (code, output) = await RunCliAsync("token", "issue", "--role", "operator", "--name", "闯入者", "--gateway-port", $"{_silo.GatewayPort}");
        Assert.Equal(3, code);
        Assert.Contains("token", output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("eyJ", output);
        var official = await _silo.IssueTokenAsync(new { role = "official", regionId = Haicheng, name = "命令行科长" });
        (code, output) = await RunCliAsync("token", "issue", "--role", "operator", "--name", "命令行科长", "--gateway-port", $"{_silo.GatewayPort}", "--token", official);
        Assert.Equal(4, code);
        Assert.DoesNotContain("eyJ", output.Replace(official, "", StringComparison.Ordinal));
        (code, output) = await RunCliAsync("regions", "--under", "ln", "--gateway-port", $"{_silo.GatewayPort}", "--token", _silo.OperatorToken, "--json");
        Assert.Equal(0, code);
        Assert.Contains("ln-anshan", output);
        // Finding projects under a city: the Haicheng official may search Haicheng, not the city above it.
        (code, output) = await RunCliAsync("projects", Haicheng, "--subtree", "--json", "--gateway-port", $"{_silo.GatewayPort}", "--token", official);
        Assert.Equal(0, code);
        Assert.Contains("\"total\"", output);
        (code, _) = await RunCliAsync("projects", "ln-anshan", "--subtree", "--gateway-port", $"{_silo.GatewayPort}", "--token", official);
        Assert.Equal(4, code);
    }

    [Fact]
    public async Task The_cli_takes_a_problems_steps_as_the_tokens_holder_and_lists_its_to_do_and_nobody_asks_for_anothers_list()
    {
        var official = await _silo.IssueTokenAsync(new { role = "official", regionId = Haicheng, name = "步骤科长" });
        var city = await _silo.IssueTokenAsync(new { role = "official", regionId = "ln-anshan", name = "步骤处长" });
        string[] As(string token, params string[] args) => [.. args, "--gateway-port", $"{_silo.GatewayPort}", "--token", token];
        var deadline = $"{TimeProvider.System.ChinaToday().AddDays(20):yyyy-MM-dd}";
        var raised = await _silo.Http.PostAsJsonAsync("/api/projects/as-002/problems", new { title = "命令行问题", category = "用地", ownerLevel = "district", deadline });
        raised.EnsureSuccessStatusCode();
        var problemId = (await raised.Content.ReadFromJsonAsync<ProblemView>(SiloProcess.Json))!.Id;

        // On the district's to-do list, to accept.
        var (code, output) = await RunCliAsync(As(official, "todo", "--json"));
        Assert.True(code == 0, output);
        Assert.Contains(problemId, output);

        // Each field at fault, exit code 1; then accepted in the token holder's name.
        (code, output) = await RunCliAsync(As(official, "problem", "accept", problemId, "--deadline", deadline));
        Assert.Equal(1, code);
        Assert.Contains("responsibleOffice", output);
        Assert.Contains("leader", output);
        (code, output) = await RunCliAsync(As(official, "problem", "accept", problemId, "--office", "区发改局", "--leader", "王副区长", "--deadline", deadline));
        Assert.True(code == 0, output);
        Assert.Equal(("区发改局", "步骤科长"), ((await CurrentAsync(problemId)).ResponsibleOffice!, (await CurrentAsync(problemId)).AcceptedBy!));

        // The city flags it; the district reports it solved; the district may not close out what the city flagged (4).
        (code, output) = await RunCliAsync(As(city, "problem", "flag", problemId, "--grade", "redCard", "--deadline", deadline, "--official", "李副市长"));
        Assert.True(code == 0, output);
        (code, output) = await RunCliAsync(As(official, "problem", "report-solved", problemId, "--note", "已协调"));
        Assert.True(code == 0, output);
        (code, _) = await RunCliAsync(As(official, "problem", "verify", problemId));
        Assert.Equal(4, code);
        (code, output) = await RunCliAsync(As(city, "problem", "reject", problemId));
        Assert.Equal(1, code);
        Assert.Contains("reason", output);
        (code, output) = await RunCliAsync(As(city, "problem", "reject", problemId, "--reason", "未见批复"));
        Assert.True(code == 0, output);
        (code, output) = await RunCliAsync(As(official, "problem", "transfer", problemId, "--to-level", "village", "--reason", "x"));
        Assert.Equal(1, code);
        Assert.Contains("--to-level", output);
        (code, output) = await RunCliAsync(As(official, "problem", "transfer", problemId, "--to-office", "区住建局", "--reason", "职责调整"));
        Assert.True(code == 0, output);
        Assert.Equal((ProblemStatus.Raised, "区住建局"), ((await CurrentAsync(problemId)).Status, (await CurrentAsync(problemId)).Owner!));

        // A to-do list is the caller's own: asking for another caller's through the gateway is refused, and so is a
        // region above the caller's.
        var denied = await Assert.ThrowsAsync<AccessDeniedException>(() => AsAsync(official, c =>
            c.GetGrain<ITodoGrain>("todo").GetAsync(new Caller("步骤处长", Role.Official, "ln-anshan", []))));
        Assert.False(denied.Unauthenticated);
        (code, _) = await RunCliAsync(As(official, "todo", "--region", "ln-anshan"));
        Assert.Equal(4, code);
    }

    private async Task<ProblemView> CurrentAsync(string problemId) =>
        (await _silo.GetAsync<ProjectView>($"/api/projects/{problemId[..problemId.LastIndexOf(".q", StringComparison.Ordinal)]}")).Problems.Single(p => p.Id == problemId);

    [Fact]
    public async Task The_cli_puts_a_years_plan_and_a_regions_target_and_shows_each_refused_field()
    {
        var official = await _silo.IssueTokenAsync(new { role = "official", regionId = Haicheng, name = "计划科长" });
        var year = TimeProvider.System.ChinaToday().Year;
        string[] As(params string[] args) => [.. args, "--gateway-port", $"{_silo.GatewayPort}", "--token", official];

        var (code, output) = await RunCliAsync(As("plan", "set", "as-002", $"{year}", "--investment", "8000", "--start", $"{year}-05-01",
            "--kind", "new", "--funds", "3000"));
        Assert.True(code == 0, output);
        Assert.Contains("8000", output);
        var plan = (await _silo.GetAsync<ProjectView>("/api/projects/as-002")).Plans!.Single(p => p.Year == year);
        Assert.Equal((ProjectKind.New, PlanListing.Listed, 8000m, new DateOnly(year, 5, 1), 3000m),
            (plan.Kind, plan.Listing, plan.PlannedInvestment, plan.PlannedStart, plan.FundsInPlace));

        (code, output) = await RunCliAsync(As("plan", "set", "as-002", $"{year}", "--start", $"{year - 1}-05-01", "--withdraw", " "));
        Assert.Equal(1, code);
        Assert.Contains("plannedStart", output);
        Assert.Contains("withdrawnReason", output);
        Assert.Equal(8000m, (await _silo.GetAsync<ProjectView>("/api/projects/as-002")).Plans!.Single(p => p.Year == year).PlannedInvestment);

        (code, output) = await RunCliAsync(As("plan", "set", "as-002", $"{year}", "--withdraw", "资金未落实", "--json"));
        Assert.True(code == 0, output);
        Assert.Contains("\"withdrawn\"", output);
        var withdrawn = (await _silo.GetAsync<ProjectView>("/api/projects/as-002")).Plans!.Single(p => p.Year == year);
        Assert.Equal((PlanListing.Withdrawn, "资金未落实", "计划科长"), (withdrawn.Listing, withdrawn.WithdrawnReason, withdrawn.WithdrawnBy));

        (code, output) = await RunCliAsync(As("target", "set", Haicheng, $"{year}", "--start-count", "12", "--investment", "250000"));
        Assert.True(code == 0, output);
        var target = (await _silo.GetAsync<RegionView>($"/api/regions/{Haicheng}")).Target!;
        Assert.Equal((year, 12, 250000m), (target.Year, target.ProjectsToStart, target.Investment));
        (code, output) = await RunCliAsync(As("target", "set", Haicheng, $"{year}", "--start-count", "-3"));
        Assert.Equal(1, code);
        Assert.Contains("projectsToStart", output);
        (code, _) = await RunCliAsync(As("target", "set", "ln-anshan", $"{year}", "--start-count", "5"));
        Assert.Equal(4, code);
    }

    [Fact]
    public async Task Through_the_gateway_a_district_official_flags_nothing_in_the_citys_name_nor_closes_out_what_the_city_flagged()
    {
        var today = TimeProvider.System.ChinaToday();
        (await _silo.Http.PutAsJsonAsync("/api/projects/gw-flag", new { name = "网关挂牌", regionId = Haicheng, kind = "new" })).EnsureSuccessStatusCode();
        (await _silo.Http.PostAsJsonAsync("/api/projects/gw-flag/problems", new
        {
            title = "用地指标", category = "用地", ownerLevel = "district", deadline = today.AddDays(30).ToString("yyyy-MM-dd"),
        })).EnsureSuccessStatusCode();
        var district = await _silo.IssueTokenAsync(new { role = "official", regionId = Haicheng, name = "网关科长" });
        var city = await _silo.IssueTokenAsync(new { role = "official", regionId = "ln-anshan", name = "网关处长" });
        var project = (IClusterClient c) => c.GetGrain<IProjectGrain>("gw-flag");
        var flag = new ProblemFlagRequest(FlagGrade.RedCard, today.AddDays(5), "李副市长", "ln-anshan");

        await Assert.ThrowsAsync<AccessDeniedException>(() => AsAsync(district, c => project(c).FlagProblemAsync("gw-flag.q1", "网关科长", flag)));
        var flagged = await AsAsync(city, c => project(c).FlagProblemAsync("gw-flag.q1", "网关处长", flag));
        Assert.True(flagged.Succeeded);
        await Assert.ThrowsAsync<AccessDeniedException>(() => AsAsync(district, c => project(c).ResolveProblemAsync("gw-flag.q1", "网关科长", "区里销号")));
        var accepted = await AsAsync(district, c => project(c).AcceptProblemAsync("gw-flag.q1", "网关科长", new ProblemAcceptance("区自然资源局", "王副区长", today.AddDays(4))));
        Assert.True(accepted.Succeeded);
        var supervised = await AsAsync(city, c => c.GetGrain<IRegionGrain>("ln-anshan").GetProblemsAsync(ProblemRole.Supervisor, ProblemStatus.Accepted, true));
        Assert.Equal("gw-flag.q1", Assert.Single(supervised, p => p.ProjectId == "gw-flag").Id);

        // The CLI lists them within the token's scope.
        string[] As(string token, params string[] args) => [.. args, "--gateway-port", $"{_silo.GatewayPort}", "--token", token];
        var (code, output) = await RunCliAsync(As(city, "problems", "ln-anshan", "--role", "supervisor", "--flagged", "true", "--json"));
        Assert.True(code == 0, output);
        Assert.Contains("gw-flag.q1", output);
        (code, output) = await RunCliAsync(As(district, "problems", Haicheng, "--role", "owner", "--status", "accepted", "--json"));
        Assert.True(code == 0, output);
        Assert.Contains("gw-flag.q1", output);
        (code, output) = await RunCliAsync(As(district, "problems", Haicheng, "--status", "open"));
        Assert.Equal(1, code);
        Assert.Contains("--status", output);
        (code, _) = await RunCliAsync(As(district, "problems", "ln-anshan"));
        Assert.Equal(4, code);
    }

    /// <summary>Runs the built <c>dispatch</c> CLI (client/bin) as a separate process against the test's silo.</summary>
    internal static async Task<(int Code, string Output)> RunCliAsync(params string[] args)
    {
        var dll = BuiltOutput.Assembly("client", "dispatch.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        start.Environment.Remove("DISPATCH_TOKEN");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
