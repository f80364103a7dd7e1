using Dispatch.Silo.Security;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Dispatch.Silo.Api;

/// <summary>
/// The API reference: the OpenAPI document at <c>/openapi/v1.json</c> with the bearer scheme, a tag per resource and
/// worked examples (<see cref="ApiExamples"/>), and Scalar's reference page for it at <see cref="Path"/>, served from
/// the silo with nothing fetched from elsewhere.
/// </summary>
public static class ApiReference
{
    public const string Path = "/api/docs";
    public const string Title = "Dispatch API 调度系统接口";
    public const string SecurityScheme = "Bearer";

    /// <summary>The tags, one per first segment after <c>/api</c>, and what they hold.</summary>
    public static readonly IReadOnlyDictionary<string, string> Tags = new Dictionary<string, string>
    {
        ["regions"] = "Provinces, cities and districts (地区): lights, rates, ranking (晾晒比拼), inboxes, meetings, events.",
        ["projects"] = "Key projects (重点项目): profile, yearly plan (年度计划), progress reports (填报), problems raised.",
        ["problems"] = "The problem list (问题清单): accept (受理), transfer (转办), flag (挂牌督办), report solved (办结), verify (销号).",
        ["warnings"] = "Warnings (预警): acknowledge with a measure (签收), close out (销号).",
        ["meetings"] = "Dispatch meetings (调度会): minutes and decisions (议定事项).",
        ["import"] = "Bulk import of projects from CSV or XLSX (导入).",
        ["me"] = "The caller and their to-do list (待办).",
        ["tokens"] = "Bearer tokens: issue, list, revoke, rotate the operator's (operators).",
        ["webhooks"] = "Alerts to chat tools (推送): targets and subscriptions.",
        ["audit"] = "The audit log (审计日志), operators only.",
        ["cluster"] = "The silos of the cluster, operators only.",
        ["schedule"] = "The meeting schedule's triggers and retries, operators only.",
        ["health"] = "Liveness and readiness, without a token.",
    };

    public static void Describe(OpenApiOptions options)
    {
        options.AddDocumentTransformer(DescribeDocument);
        options.AddOperationTransformer<ApiExamples>();
    }

    /// <summary>
    /// The reference page, as public as the document it shows: both describe routes, not data. Only the page's own
    /// files are served (Scalar's bundled script); fonts, telemetry and the AI agent, which Scalar would fetch from
    /// its servers, are turned off, and so is its toolbar, whose buttons share the document with Scalar's services.
    /// </summary>
    public static WebApplication MapDispatchApiReference(this WebApplication app)
    {
        app.MapScalarApiReference(Path, o => o
                .WithTitle(Title)
                .WithOpenApiRoutePattern("/openapi/{documentName}.json")
                .AddPreferredSecuritySchemes([SecurityScheme])
                .DisableDefaultFonts()
                .DisableTelemetry()
                .DisableAgent()
                .DisableMcp()
                .HideDeveloperTools())
            .ExcludeFromDescription()
            .DescribesRoutesOnly();
        return app;
    }

    private static Task DescribeDocument(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Info = new OpenApiInfo
        {
            Title = Title,
            Version = "v1",
            Description = """
                Dispatch tracks key investment projects (重点项目调度) from districts up to the province: progress reports,
                red/yellow/green lights, problems passed up the levels, dispatch meetings and rankings. Amounts are in
                万元, dates `yyyy-MM-dd` in China Standard Time, ids are slugs (`ln-anshan-haicheng`, `as-001`).
                Every `/api` route needs a bearer token; errors are `application/problem+json` naming the field at fault.

                调度系统接口：重点项目的填报、红黄绿灯预警、问题清单逐级上报、调度会和晾晒比拼。金额单位万元，日期为北京时间
                `yyyy-MM-dd`。除健康检查外，所有 `/api` 接口都需要令牌（Bearer）。
                """,
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SecurityScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = """
                A JWT the silo signs: the operator's is written to `data/operator.token` at first start; operators mint
                others with `POST /api/tokens` (role `operator`, `official`, `reporter` or `viewer`, scoped to a region or
                to projects). Send it as `Authorization: Bearer <token>`. 令牌由运维人员签发。
                """,
        };
        document.Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Key, Description = t.Value }));
        var bearer = new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecurityScheme, document)] = [] };
        foreach (var (path, item) in document.Paths)
        {
            foreach (var operation in item.Operations?.Values.AsEnumerable() ?? [])
            {
                var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
                var isApi = segments is ["api", _, ..];
                operation.Tags = new HashSet<OpenApiTagReference> { new(isApi ? segments[1] : "health", document) };
                if (isApi)
                {
                    operation.Security = [bearer];
                }
            }
        }
        return Task.CompletedTask;
    }
}
