using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dispatch.Grains.Domain;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Dispatch.Silo.Api;

/// <summary>
/// Request examples for the main write routes, in the domain's terms, on the Liaoning sample: one 鞍山 project
/// (<c>as-001</c> in 海城市) declared, reported on, given a problem that the city flags with a red card, and its
/// overdue milestone's warning acknowledged with a measure. Sent in that order to a fresh sample silo, each is accepted
/// (the tests do it). Deadlines count from today, since the routes refuse a date already past.
/// </summary>
public sealed class ApiExamples(TimeProvider clock) : IOpenApiOperationTransformer
{
    /// <summary>An example request: its route (method and template), the values of the route's parameters, its body.</summary>
    public sealed record Example(string Route, string Summary, IReadOnlyDictionary<string, string> RouteValues, object Body);

    public const string Project = "as-001";

    public static IReadOnlyList<Example> For(DateOnly today) =>
    [
        new("PUT /api/projects/{id}", "Declare or change a project (项目建档)", new Dictionary<string, string> { ["id"] = Project }, new
        {
            name = "华能集团“生态治理+新能源开发+新能源高端装备制造产业”融合发展项目",
            regionId = "ln-anshan-haicheng",
            kind = "new",
            industry = "新能源",
            totalInvestment = 120000,
            annualPlanInvestment = 30000,
            plannedStart = "2026-04-01",
            plannedCompletion = "2027-10-31",
            leader = "海城市副市长",
            steward = "海城市发展和改革局项目管家",
            company = "华能集团",
            milestones = new object[]
            {
                new { name = "开工", plannedDate = "2026-04-01", actualDate = "2026-04-15" },
                // Planned and not reached: the project's first warning (as-001.w1), acknowledged below.
                new { name = "主体结构封顶", plannedDate = "2026-09-30" },
                new { name = "竣工", plannedDate = "2027-10-31" },
            },
        }),
        new("POST /api/projects/{id}/reports", "Report monthly progress (月度填报)", new Dictionary<string, string> { ["id"] = Project }, new
        {
            period = "2026-10",
            investmentCompleted = 26500,
            percentComplete = 40,
            milestonesReached = new[] { new { name = "开工", date = "2026-04-15" } },
            narrative = "风机基础和场内道路完工，升压站主体施工中；10月完成投资3200万元，年度累计26500万元。",
        }),
        new("POST /api/projects/{id}/problems", "Raise a problem (问题上报)", new Dictionary<string, string> { ["id"] = Project }, new
        {
            title = "升压站建设用地指标未落实",
            category = "用地",
            ownerLevel = "district",
            deadline = Date(today.AddDays(30)),
            owner = "海城市自然资源局",
        }),
        new("POST /api/problems/{id}/flag", "Flag a problem for supervision (挂牌督办)", new Dictionary<string, string> { ["id"] = $"{Project}.q1" }, new
        {
            grade = "redCard",
            deadline = Date(today.AddDays(15)),
            supervisingOfficial = "鞍山市副市长",
            regionId = "ln-anshan",
        }),
        new("POST /api/warnings/{id}/ack", "Acknowledge a warning with a measure (预警签收)", new Dictionary<string, string> { ["id"] = $"{Project}.w1" }, new
        {
            note = "已签收，海城市牵头协调。",
            measure = "海城市发展和改革局每周调度施工单位，增开两个作业面，月底前主体结构封顶。",
            plannedBy = Date(today.AddDays(14)),
        }),
    ];

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var route = $"{context.Description.HttpMethod} /{context.Description.RelativePath}";
        if (For(clock.ChinaToday()).FirstOrDefault(e => e.Route == route) is not { } example)
        {
            return Task.CompletedTask;
        }
        operation.Summary = example.Summary;
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (parameter.In == ParameterLocation.Path && parameter.Name is { } name && example.RouteValues.TryGetValue(name, out var value))
            {
                parameter.Example = JsonValue.Create(value);
            }
        }
        // The handlers read their bodies themselves, so the document knows of no body until it is described here.
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Example = JsonSerializer.SerializeToNode(example.Body, JsonSerializerOptions.Web) },
            },
        };
        return Task.CompletedTask;
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
