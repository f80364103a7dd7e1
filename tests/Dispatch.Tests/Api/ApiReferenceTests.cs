using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dispatch.Contracts;
using Dispatch.Grains.Domain;
using Dispatch.Silo.Api;

namespace Dispatch.Tests.Api;

/// <summary>
/// The API reference on a real host: the page at /api/docs and its files answer without a token and come from the
/// silo itself, the OpenAPI document carries the bearer scheme, described tags and examples, and every example in it
/// is accepted by its route on the Liaoning sample.
/// </summary>
public sealed partial class ApiReferenceTests
{
    [Fact]
    public async Task The_reference_page_answers_without_a_token_and_every_file_it_names_is_the_silos_own()
    {
        await using var silo = await SiloProcess.StartAsync();
        using var anonymous = silo.Client(null);

        var page = await anonymous.GetAsync(ApiReference.Path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains($"<title>{ApiReference.Title}</title>", html);

        // Scripts, styles and the favicon relative to the page, the document relative to the site (as Scalar's loader
        // resolves it): none on another host.
        var pageUri = page.RequestMessage!.RequestUri!;
        var urls = Attribute().Matches(html).Concat(Favicon().Matches(html)).Select(m => new Uri(pageUri, m.Groups["url"].Value))
            .Concat(Source().Matches(html).Select(m => new Uri(new Uri(pageUri, "/"), m.Groups["url"].Value))).ToList();
        Assert.Contains(urls, u => u.AbsolutePath == $"{ApiReference.Path}/scalar.js");
        Assert.Contains(urls, u => u.AbsolutePath == "/openapi/v1.json");
        foreach (var resolved in urls)
        {
            Assert.True(resolved.Authority == pageUri.Authority, $"{resolved} points off the silo");
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(resolved)).StatusCode);
        }
        // Scalar's defaults that would reach its own servers: fonts from its CDN, telemetry, the AI agent, the toolbar.
        Assert.Contains("\"withDefaultFonts\":false", html);
        Assert.Contains("\"telemetry\":false", html);
        Assert.Contains("\"agent\":{\"disabled\":true}", html);
        Assert.Contains("\"showDeveloperTools\":\"never\"", html);

        // The document the page shows is as public as the page, and the page is not a route of the API it describes.
        using var document = JsonDocument.Parse(await anonymous.GetStringAsync("/openapi/v1.json"));
        Assert.DoesNotContain(document.RootElement.GetProperty("paths").EnumerateObject(), p => p.Name.StartsWith(ApiReference.Path, StringComparison.Ordinal));
        // The rest of /api still needs a token.
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task The_document_has_its_info_the_bearer_scheme_a_described_tag_on_every_operation_and_the_examples()
    {
        await using var silo = await SiloProcess.StartAsync();
        using var document = JsonDocument.Parse(await silo.Client(null).GetStringAsync("/openapi/v1.json"));
        var root = document.RootElement;

        var info = root.GetProperty("info");
        Assert.Equal(ApiReference.Title, info.GetProperty("title").GetString());
        Assert.Equal("v1", info.GetProperty("version").GetString());
        Assert.Contains("key investment projects", info.GetProperty("description").GetString());
        Assert.Contains("重点项目", info.GetProperty("description").GetString());

        var bearer = root.GetProperty("components").GetProperty("securitySchemes").GetProperty(ApiReference.SecurityScheme);
        Assert.Equal(("http", "bearer", "JWT"),
            (bearer.GetProperty("type").GetString(), bearer.GetProperty("scheme").GetString(), bearer.GetProperty("bearerFormat").GetString()));
        Assert.Contains("POST /api/tokens", bearer.GetProperty("description").GetString());

        var tags = root.GetProperty("tags").EnumerateArray()
            .ToDictionary(t => t.GetProperty("name").GetString()!, t => t.GetProperty("description").GetString());
        foreach (var (route, operation) in Operations(root))
        {
            var tag = Assert.Single(operation.GetProperty("tags").EnumerateArray()).GetString()!;
            Assert.True(tags.TryGetValue(tag, out var description) && !string.IsNullOrWhiteSpace(description), $"{route}: tag '{tag}' is not described");
            var secured = operation.TryGetProperty("security", out var security)
                && security.EnumerateArray().Any(r => r.TryGetProperty(ApiReference.SecurityScheme, out _));
            Assert.True(secured == route.Contains(" /api/", StringComparison.Ordinal), $"{route}: bearer requirement {(secured ? "on a public route" : "missing")}");
        }

        var examples = Examples(root);
        Assert.Equal(ApiExamples.For(s_today).Select(e => e.Route).Order(), examples.Keys.Order());
        var flag = examples["POST /api/problems/{id}/flag"];
        Assert.Equal("as-001.q1", flag.Path.Split('/')[^2]);
        Assert.Equal("redCard", flag.Body.GetProperty("grade").GetString());
        Assert.Equal("2026-10", examples["POST /api/projects/{id}/reports"].Body.GetProperty("period").GetString());
        Assert.Equal("ln-anshan-haicheng", examples["PUT /api/projects/{id}"].Body.GetProperty("regionId").GetString());
        Assert.True(examples["POST /api/warnings/{id}/ack"].Body.TryGetProperty("measure", out _));
    }

    [Fact]
    public async Task Every_example_in_the_document_is_accepted_by_its_route_on_the_sample()
    {
        await using var silo = await SiloProcess.StartAsync(sample: true);
        using var document = JsonDocument.Parse(await silo.Http.GetStringAsync("/openapi/v1.json"));
        var examples = Examples(document.RootElement);

        // In the order a district works: declare, report, raise a problem, the city flags it, the warning is acknowledged.
        foreach (var route in ApiExamples.For(s_today).Select(e => e.Route))
        {
            var (path, body) = examples[route];
            var request = new HttpRequestMessage(new HttpMethod(route.Split(' ')[0]), path)
            {
                Content = new StringContent(body.GetRawText(), Encoding.UTF8, "application/json"),
            };
            var response = await silo.Http.SendAsync(request);
            Assert.True(response.IsSuccessStatusCode, $"{route} as {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        var project = await silo.GetAsync<ProjectView>($"/api/projects/{ApiExamples.Project}");
        Assert.Equal("ln-anshan-haicheng", project.RegionId);
        Assert.Contains(project.Reports, r => r.Period == "2026-10");
        var problem = Assert.Single(project.Problems);
        Assert.Equal((FlagGrade.RedCard, "ln-anshan"), (problem.Flag?.Grade, problem.Flag?.RegionId));
        var warning = Assert.Single(project.Warnings, w => w.Id == $"{ApiExamples.Project}.w1");
        Assert.Equal((WarningRule.MilestoneOverdue, WarningStatus.Acknowledged), (warning.Rule, warning.Status));
    }

    private static readonly DateOnly s_today = TimeProvider.System.ChinaToday();

    private static IEnumerable<(string Route, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => ($"{m.Name.ToUpperInvariant()} {p.Name}", m.Value)));

    /// <summary>Each example body by route, with its path filled from the path parameters' examples.</summary>
    private static Dictionary<string, (string Path, JsonElement Body)> Examples(JsonElement document) =>
        Operations(document)
            .Where(o => o.Operation.TryGetProperty("requestBody", out var b) && b.GetProperty("content").TryGetProperty("application/json", out var json)
                && json.TryGetProperty("example", out _))
            .ToDictionary(o => o.Route, o =>
            {
                var path = o.Route.Split(' ')[1];
                foreach (var parameter in o.Operation.GetProperty("parameters").EnumerateArray().Where(p => p.GetProperty("in").GetString() == "path"))
                {
                    path = path.Replace($"{{{parameter.GetProperty("name").GetString()}}}", parameter.GetProperty("example").GetString(), StringComparison.Ordinal);
                }
                return (path, o.Operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example").Clone());
            });

    [GeneratedRegex("""(?:src|href)\s*=\s*["'](?<url>[^"']+)["']""")]
    private static partial Regex Attribute();

    /// <summary>The favicon in the page's inline configuration.</summary>
    [GeneratedRegex(""""favicon"\s*:\s*"(?<url>[^"]+)"""")]
    private static partial Regex Favicon();

    /// <summary>The documents (<c>sources</c>) in the page's inline configuration.</summary>
    [GeneratedRegex(""""url"\s*:\s*"(?<url>[^"]+)"""")]
    private static partial Regex Source();
}
