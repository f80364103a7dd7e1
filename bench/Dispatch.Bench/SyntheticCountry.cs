using System.Globalization;
using Dispatch.Contracts;

namespace Dispatch.Bench;

public sealed record SynthRegion(string Id, string Name, RegionLevel Level, string? ParentId);

/// <summary>One project as the bench loads it: its profile, then its reports in order, then its problems.</summary>
public sealed record SynthProject(
    string Id,
    string DistrictId,
    ProjectProfile Profile,
    IReadOnlyList<ProgressReport> Reports,
    IReadOnlyList<ProblemRequest> Problems)
{
    /// <summary>Each milestone with the date it was reached, from the profile or from a report (null: not reached).</summary>
    public IEnumerable<(Milestone Milestone, DateOnly? Reached)> EffectiveMilestones() =>
        Profile.Milestones.Select(m => (m, m.ActualDate ?? Reports.SelectMany(r => r.MilestonesReached)
            .Where(x => x.Name == m.Name).Select(x => (DateOnly?)x.Date).FirstOrDefault()));
}

/// <summary>
/// A synthetic country drawn from a seeded <see cref="Random"/> (same seed and sizes → same country): provinces of
/// ~14 cities, cities of ~10 districts, projects spread unevenly over the districts, each with a milestone plan
/// (施工许可, 开工 or 复工, 主体封顶, 竣工) around <see cref="Today"/>, some milestones reached and some overdue, an
/// annual plan, up to two monthly reports (year-to-date investment, ahead of or behind plan) and a few problems.
/// </summary>
public sealed class SyntheticCountry
{
    /// <summary>The bench's "today" (China Standard Time): the clock of every silo the bench starts.</summary>
    public static readonly DateOnly Today = new(2025, 6, 10);

    public static readonly DateTimeOffset TodayInstant = new(2025, 6, 10, 10, 0, 0, TimeSpan.FromHours(8));

    private static readonly string[] s_industries = ["装备制造", "新材料", "石化", "新能源", "数字经济", "现代农业", "文旅", "基础设施", "生物医药", "物流"];
    private static readonly string[] s_categories = ["用地", "融资", "能耗指标", "审批", "水电热", "拆迁"];
    private static readonly string[] s_nouns = ["产业园", "生产线", "改扩建", "综合体", "物流园", "智能工厂", "储能电站", "供热管网", "污水处理厂", "冷链基地"];

    private SyntheticCountry(IReadOnlyList<SynthRegion> regions, IReadOnlyList<SynthProject> projects)
    {
        Regions = regions;
        Projects = projects;
    }

    /// <summary>Provinces, then cities, then districts: parents before children.</summary>
    public IReadOnlyList<SynthRegion> Regions { get; }

    public IReadOnlyList<SynthProject> Projects { get; }

    public IEnumerable<SynthRegion> Districts => Regions.Where(r => r.Level == RegionLevel.District);

    public IEnumerable<SynthRegion> Cities => Regions.Where(r => r.Level == RegionLevel.City);

    public int ReportCount => Projects.Sum(p => p.Reports.Count);

    public int ProblemCount => Projects.Sum(p => p.Problems.Count);

    public static SyntheticCountry Generate(int projectCount, int districtCount, int seed)
    {
        var random = new Random(seed);
        var regions = new List<SynthRegion>();
        var cityCount = (districtCount + 9) / 10;
        var provinceCount = (cityCount + 13) / 14;
        for (var p = 0; p < provinceCount; p++)
        {
            regions.Add(new SynthRegion($"bp{p:D2}", $"合成省{p:D2}", RegionLevel.Province, null));
        }
        for (var c = 0; c < cityCount; c++)
        {
            regions.Add(new SynthRegion($"bp{c / 14:D2}-c{c:D3}", $"合成市{c:D3}", RegionLevel.City, $"bp{c / 14:D2}"));
        }
        var districts = new List<SynthRegion>();
        for (var d = 0; d < districtCount; d++)
        {
            var city = regions[provinceCount + d / 10];
            districts.Add(new SynthRegion($"{city.Id}-d{d:D4}", $"合成区{d:D4}", RegionLevel.District, city.Id));
        }
        regions.AddRange(districts);

        // Districts differ in size (a lognormal weight): a few carry several times the average.
        var weights = districts.Select(_ => Math.Exp(Normal(random) * 0.5)).ToArray();
        var cumulative = new double[weights.Length];
        var sum = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            sum += weights[i];
            cumulative[i] = sum;
        }
        var projects = new List<SynthProject>(projectCount);
        for (var i = 0; i < projectCount; i++)
        {
            // Every district gets at least one project; the rest go by weight.
            var district = i < districts.Count ? districts[i] : districts[Pick(cumulative, random.NextDouble() * sum)];
            projects.Add(Project(random, $"bx{i:D6}", district.Id));
        }
        return new SyntheticCountry(regions, projects);
    }

    private static SynthProject Project(Random random, string id, string districtId)
    {
        var kind = random.NextDouble() < 0.45 ? ProjectKind.New : ProjectKind.Continuing;
        var total = Math.Round((decimal)(5_000 * Math.Exp(random.NextDouble() * Math.Log(40))));
        var annual = Math.Round(total * (decimal)(0.10 + random.NextDouble() * 0.35));
        var start = kind == ProjectKind.New
            ? Day(random, new DateOnly(2025, 2, 1), new DateOnly(2025, 9, 30))
            : Day(random, new DateOnly(2025, 2, 20), new DateOnly(2025, 4, 30));
        var permit = start.AddDays(-random.Next(10, 60));
        var topping = start.AddDays(random.Next(60, 400));
        var completion = topping.AddDays(random.Next(30, 600));
        var startName = kind == ProjectKind.New ? "开工" : "复工";
        var plan = new (string Name, DateOnly Planned, double ReachedShare)[]
        {
            ("施工许可", permit, 0.85),
            (startName, start, kind == ProjectKind.New ? 0.75 : 0.88),
            ("主体封顶", topping, 0.65),
            ("竣工", completion, 0.7),
        };

        // Milestones due before today are reached in order, each with its share, a few days early or late; the first
        // one missed stays open (overdue), and so do all after it. Most reached dates are in the profile, some
        // arrive with a report.
        var milestones = new List<Milestone>();
        var viaReport = new List<MilestoneReached>();
        var stillReaching = true;
        var reportFromHere = false;
        var last = DateOnly.MinValue;
        foreach (var (name, planned, share) in plan)
        {
            DateOnly? actual = null;
            if (stillReaching && planned < Today && random.NextDouble() < share)
            {
                var date = planned.AddDays(random.Next(-20, 26));
                date = date < last ? last : date;
                actual = date >= Today ? Today.AddDays(-1) : date;
                last = actual.Value;
            }
            else
            {
                stillReaching = false;
            }
            // Once one milestone comes with a report, the later ones do too: a profile may not show 竣工 reached
            // while its 开工 is not.
            reportFromHere |= actual is not null && random.NextDouble() < 0.3;
            if (actual is { } reached && reportFromHere)
            {
                viaReport.Add(new MilestoneReached(name, reached));
                milestones.Add(new Milestone(name, planned));
            }
            else
            {
                milestones.Add(new Milestone(name, planned, actual));
            }
        }
        var started = milestones[1].ActualDate is not null || viaReport.Any(r => r.Name == startName);

        // Projects under way report the year-to-date investment for May and/or June, some on plan, some far behind.
        var reports = new List<ProgressReport>();
        if (started)
        {
            var pace = 0.35 + random.NextDouble() * 0.8;
            var months = new List<(string Period, DateOnly End)>();
            if (random.NextDouble() < 0.7)
            {
                months.Add(("2025-05", new DateOnly(2025, 5, 31)));
            }
            if (random.NextDouble() < 0.5)
            {
                months.Add(("2025-06", Today));
            }
            if (viaReport.Count > 0 && months.Count == 0)
            {
                months.Add(("2025-05", new DateOnly(2025, 5, 31)));
            }
            for (var m = 0; m < months.Count; m++)
            {
                var (period, end) = months[m];
                var elapsed = end.DayOfYear / 365m;
                var completed = Math.Round(annual * elapsed * (decimal)pace);
                var reached = m == months.Count - 1 ? viaReport.ToList() : [];
                reports.Add(new ProgressReport(period, completed, Math.Min(100m, Math.Round(elapsed * 100m * (decimal)pace)), reached,
                    $"{period} 完成投资 {completed} 万元", default));
            }
        }
        else if (viaReport.Count > 0)
        {
            // Milestones reached before the start (施工许可) still need a report to carry them.
            reports.Add(new ProgressReport("2025-05", 0m, 0m, viaReport, "前期手续办理中", default));
        }

        var problems = new List<ProblemRequest>();
        var problemDraw = random.NextDouble();
        var problemCount = problemDraw < 0.02 ? 2 : problemDraw < 0.10 ? 1 : 0;
        for (var q = 0; q < problemCount; q++)
        {
            var category = s_categories[random.Next(s_categories.Length)];
            problems.Add(new ProblemRequest($"{category}问题待协调", category, random.NextDouble() < 0.75 ? RegionLevel.District : RegionLevel.City,
                Today.AddDays(random.Next(-40, 31)), "专班", "bench"));
        }

        var industry = s_industries[random.Next(s_industries.Length)];
        var title = $"{industry}{s_nouns[random.Next(s_nouns.Length)]}项目{id[2..]}";
        var profile = new ProjectProfile(title, districtId, kind, industry, total, annual, start, completion,
            $"领导{random.Next(1, 400):D3}", $"管家{random.Next(1, 2000):D4}", milestones, Company: $"合成企业{random.Next(1, 50_000):D5}有限公司");
        return new SynthProject(id, districtId, profile, reports, problems);
    }

    private static DateOnly Day(Random random, DateOnly from, DateOnly to) => from.AddDays(random.Next(to.DayNumber - from.DayNumber + 1));

    private static int Pick(double[] cumulative, double x)
    {
        var i = Array.BinarySearch(cumulative, x);
        return Math.Min(i < 0 ? ~i : i, cumulative.Length - 1);
    }

    /// <summary>A standard normal draw (Box–Muller).</summary>
    private static double Normal(Random random) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
