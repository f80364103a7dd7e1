using System.IO.Compression;
using System.Text;
using Dispatch.Contracts;
using Dispatch.Grains.Domain;
using Dispatch.Silo.Api;
using Dispatch.Silo.Import;

namespace Dispatch.Tests.Domain;

/// <summary>The ceilings of <see cref="Limits"/>: a value at the ceiling is accepted, one step above it refused.</summary>
public sealed class InputLimitsTests
{
    private static readonly DateOnly s_today = new(2024, 3, 18);

    private static ProjectProfile Profile(decimal? total = null, params Milestone[] milestones) =>
        new("某项目", "d", ProjectKind.New, "新材料", total, null, null, null, "张三", "李四", milestones);

    private static ProgressReport Report(decimal completed, string period = "2024-02", decimal percent = 10m,
        IReadOnlyList<MilestoneReached>? reached = null, string? narrative = null) =>
        new(period, completed, percent, reached ?? [], narrative, DateTimeOffset.UnixEpoch);

    private static IEnumerable<string> Fields(IEnumerable<FieldError> errors) => errors.Select(e => e.Field);

    [Fact]
    public void Amounts_at_the_ceiling_are_accepted_and_one_hundredth_above_it_refused()
    {
        Assert.Equal(100_000_000m, Limits.MaxAmount);
        Assert.Empty(ProjectRules.Validate(Profile(Limits.MaxAmount), RegionLevel.District, s_today));
        Assert.Equal(["totalInvestment"], Fields(ProjectRules.Validate(Profile(Limits.MaxAmount + 0.01m), RegionLevel.District, s_today)));
        Assert.Equal(["annualPlanInvestment"], Fields(ProjectRules.Validate(Profile() with { AnnualPlanInvestment = Limits.MaxAmount + 0.01m },
            RegionLevel.District, s_today)));
        Assert.Empty(ProjectRules.ValidateReport(Report(Limits.MaxAmount), Profile(), s_today));
        Assert.Equal(["investmentCompleted"], Fields(ProjectRules.ValidateReport(Report(Limits.MaxAmount + 0.01m), Profile(), s_today)));
        Assert.Equal(["investmentCompleted"], Fields(ProjectRules.ValidateReport(Report(5e28m), Profile(), s_today)));
    }

    [Fact]
    public void Completed_investment_may_reach_the_total_but_not_pass_it()
    {
        Assert.Empty(ProjectRules.ValidateReport(Report(60_000m), Profile(60_000m), s_today));
        Assert.Equal(["investmentCompleted"], Fields(ProjectRules.ValidateReport(Report(60_000.01m), Profile(60_000m), s_today)));
    }

    [Theory]
    [InlineData("0", true)]
    [InlineData("100", true)]
    [InlineData("100.01", false)]
    [InlineData("-0.01", false)]
    public void Percent_complete_lies_in_0_to_100(string percent, bool accepted)
    {
        var errors = ProjectRules.ValidateReport(Report(1m, percent: decimal.Parse(percent, System.Globalization.CultureInfo.InvariantCulture)), Profile(), s_today);
        Assert.Equal(accepted ? Array.Empty<string>() : ["percentComplete"], Fields(errors));
    }

    [Theory]
    [InlineData("9999-12")]
    [InlineData("2099-W52")]
    [InlineData("2024-04")]
    [InlineData("0001-01")]
    [InlineData("1999-12")]
    [InlineData("2023-12")]
    public void A_period_outside_the_first_planned_year_to_today_is_refused(string period)
    {
        var planned = Profile(null, new Milestone("开工", new(2024, 4, 1)));
        Assert.Equal(["period"], Fields(ProjectRules.ValidateReport(Report(1m, period), planned, s_today)));
    }

    [Fact]
    public void Periods_from_the_first_planned_year_or_from_2000_without_a_plan_are_accepted()
    {
        var planned = Profile(null, new Milestone("开工", new(2024, 4, 1))) with { PlannedStart = new(2024, 6, 1) };
        Assert.Equal(2024, ProjectRules.FirstPlannedYear(planned));
        Assert.Empty(ProjectRules.ValidateReport(Report(1m, "2024-01"), planned, s_today));
        Assert.Equal(2000, ProjectRules.FirstPlannedYear(Profile()));
        Assert.Empty(ProjectRules.ValidateReport(Report(1m, "2000-01"), Profile(), s_today));
        Assert.Equal(["period"], Fields(ProjectRules.ValidateReport(Report(1m, new string('9', Limits.MaxPeriodText + 1)), Profile(), s_today)));
    }

    [Fact]
    public void Planned_dates_lie_between_2000_and_2100_and_actual_dates_between_2000_and_today()
    {
        Assert.Empty(ProjectRules.Validate(Profile(null, new Milestone("开工", new(2000, 1, 1), new(2000, 1, 1)), new Milestone("竣工", new(2100, 12, 31))),
            RegionLevel.District, s_today));
        Assert.Equal(["milestones[0].plannedDate"], Fields(ProjectRules.Validate(Profile(null, new Milestone("开工", new(2101, 1, 1))), RegionLevel.District, s_today)));
        Assert.Equal(["milestones[0].plannedDate"], Fields(ProjectRules.Validate(Profile(null, new Milestone("开工", new(1999, 12, 31))), RegionLevel.District, s_today)));
        Assert.Equal(["milestones[0].actualDate"], Fields(ProjectRules.Validate(Profile(null, new Milestone("签约", new(2024, 1, 1), new(1, 1, 1))), RegionLevel.District, s_today)));
        Assert.Equal(["milestones[0].actualDate"], Fields(ProjectRules.Validate(Profile(null, new Milestone("签约", new(2024, 1, 1), s_today.AddDays(1))), RegionLevel.District, s_today)));
        Assert.Equal(["plannedStart", "plannedCompletion", "plannedCompletion"], Fields(ProjectRules.Validate(
            Profile() with { PlannedStart = DateOnly.MaxValue, PlannedCompletion = DateOnly.MinValue }, RegionLevel.District, s_today)));
        var reachedEarly = Report(1m, reached: [new MilestoneReached("签约", new(1999, 12, 31))]);
        Assert.Equal(["milestonesReached[0].date"], Fields(ProjectRules.ValidateReport(reachedEarly, Profile(null, new Milestone("签约", new(2024, 1, 1))), s_today)));
    }

    [Fact]
    public void An_as_of_date_lies_between_2000_and_today()
    {
        Assert.Null(Limits.CheckAsOf(new(2000, 1, 1), s_today));
        Assert.Null(Limits.CheckAsOf(s_today, s_today));
        Assert.Equal("asOf", Limits.CheckAsOf(s_today.AddDays(1), s_today)?.Field);
        Assert.Equal("asOf", Limits.CheckAsOf(new(1999, 12, 31), s_today)?.Field);
        Assert.Equal("asOf", Limits.CheckAsOf(DateOnly.MinValue, s_today)?.Field);
        Assert.Equal("asOf", Limits.CheckAsOf(DateOnly.MaxValue, s_today)?.Field);
    }

    [Fact]
    public void Text_is_held_to_its_length_and_free_of_control_characters_but_newline_and_tab()
    {
        Assert.Empty(ProjectRules.Validate(Profile() with { Name = new string('名', 200), Notes = new string('注', 4_000) }, RegionLevel.District, s_today));
        Assert.Equal(["name"], Fields(ProjectRules.Validate(Profile() with { Name = new string('名', 201) }, RegionLevel.District, s_today)));
        Assert.Equal(["notes"], Fields(ProjectRules.Validate(Profile() with { Notes = new string('注', 4_001) }, RegionLevel.District, s_today)));
        foreach (var field in new[] { "industry", "leader", "steward", "company" })
        {
            var longer = new string('x', 201);
            var profile = field switch
            {
                "industry" => Profile() with { Industry = longer },
                "leader" => Profile() with { Leader = longer },
                "steward" => Profile() with { Steward = longer },
                _ => Profile() with { Company = longer },
            };
            Assert.Equal([field], Fields(ProjectRules.Validate(profile, RegionLevel.District, s_today)));
        }
        Assert.Empty(ProjectRules.ValidateReport(Report(1m, narrative: "第一行\r\n第二行\t完"), Profile(), s_today));
        Assert.Equal(["narrative"], Fields(ProjectRules.ValidateReport(Report(1m, narrative: "响铃\u0007"), Profile(), s_today)));
        Assert.Equal(["narrative"], Fields(ProjectRules.ValidateReport(Report(1m, narrative: "C1\u0085"), Profile(), s_today)));
        Assert.Equal(["narrative"], Fields(ProjectRules.ValidateReport(Report(1m, narrative: new string('述', 4_001)), Profile(), s_today)));
        Assert.Equal(["name"], Fields(ProjectRules.Validate(Profile() with { Name = "项目\u0000" }, RegionLevel.District, s_today)));
        Assert.Equal(["name"], Fields(RegionRules.Validate("r", new RegionDefinition(new string('区', 201), RegionLevel.Province, null), null)));
    }

    [Fact]
    public void Lists_are_bounded_at_their_ceilings()
    {
        Milestone[] Plan(int n) => Enumerable.Range(0, n).Select(i => new Milestone($"节点{i}", new(2024, 1, 1))).ToArray();
        Assert.Empty(ProjectRules.Validate(Profile(null, Plan(100)), RegionLevel.District, s_today));
        Assert.Equal(["milestones"], Fields(ProjectRules.Validate(Profile(null, Plan(101)), RegionLevel.District, s_today)));
        MilestoneReached[] Reached(int n) => Enumerable.Range(0, n).Select(i => new MilestoneReached($"节点{i}", new(2024, 1, 2))).ToArray();
        Assert.Empty(ProjectRules.ValidateReport(Report(1m, reached: Reached(100)), Profile(null, Plan(100)), s_today));
        Assert.Equal(["milestonesReached"], Fields(ProjectRules.ValidateReport(Report(1m, reached: Reached(101)), Profile(null, Plan(100)), s_today)));

        var problem = new ProblemRequest("用地未落实", "用地", RegionLevel.District, new(2024, 6, 30));
        Assert.Empty(InputRules.ValidateProblem(problem, Limits.MaxProblems - 1));
        Assert.Equal(["problems"], Fields(InputRules.ValidateProblem(problem, Limits.MaxProblems)));
        Assert.Equal(["deadline"], Fields(InputRules.ValidateProblem(problem with { Deadline = new(9999, 12, 31) }, 0)));
        Assert.Equal(["title"], Fields(InputRules.ValidateProblem(problem with { Title = new string('题', 201) }, 0)));

        var decision = new DecisionRequest("限期解决", "王科长");
        Assert.Empty(InputRules.ValidateDecision(decision, Limits.MaxDecisions - 1));
        Assert.Equal(["decisions"], Fields(InputRules.ValidateDecision(decision, Limits.MaxDecisions)));
        Assert.Equal(["text"], Fields(InputRules.ValidateDecision(decision with { Text = new string('决', 4_001) }, 0)));
        Assert.Equal(["by"], Fields(InputRules.ValidateSignOff(new string('人', 201), null)));
        Assert.Equal(["note"], Fields(InputRules.ValidateSignOff("王科长", new string('注', 4_001))));
    }

    [Fact]
    public void Region_sums_cannot_overflow_even_on_amounts_stored_before_the_ceiling()
    {
        var asOf = new DateOnly(2024, 3, 18);
        var started = new DateOnly(2024, 3, 1);
        ProjectSummary Huge(string id) => new(id, ProjectKind.New, Light.Green, started, started, 5e28m, [new YearInvestment(2024, 5e28m)], ProjectStage.Started,
            Plans: [new AnnualPlan(2024, ProjectKind.New, PlanListing.Listed, 5e28m, started, started, null, 5e28m, null, null, null, null)],
            TotalInvestment: 5e28m);
        var tally = RegionRules.Tally([Huge("a"), Huge("b"), Huge("c")], asOf);
        Assert.Equal(Enumerable.Repeat(3 * Limits.MaxAmount, 4),
            [tally.All.PlannedInvestment, tally.All.InvestmentCompleted, tally.All.FundsInPlace, tally.All.StartedTotalInvestment]);
        var province = Enumerable.Repeat(tally, 1_000).Aggregate(RegionTally.Empty, (sum, t) => sum.Add(t));
        Assert.Equal(1m, RegionRules.RatesOf(province).AnnualInvestmentRate);
    }

    [Theory]
    [InlineData(32, 32)]
    [InlineData(33, 33)]
    public void Json_depth_is_counted_on_the_raw_bytes(int nesting, int expected)
    {
        var json = new string('[', nesting) + new string(']', nesting);
        Assert.Equal(expected, JsonBody.DepthOf(Encoding.UTF8.GetBytes(json)));
        Assert.Equal(1, JsonBody.DepthOf(Encoding.UTF8.GetBytes("""{"name":"[[[{\"{{"}""")));
    }

    [Fact]
    public void An_xlsx_with_a_row_numbered_two_billion_is_refused_without_reading_empty_rows()
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        using var file = new MemoryStream(Xlsx.WithRows("""<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row><row r="2000000000"><c r="A2000000000" t="inlineStr"><is><t>x-1</t></is></c></row>"""));
        var error = Assert.Throws<InvalidDataException>(() => Sheet.FromXlsx(file));
        Assert.Contains("2,000,000,000", error.Message);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(2), $"took {started.Elapsed}");
    }

    [Fact]
    public void An_xlsx_reads_shared_strings_inline_strings_and_numbers_by_column()
    {
        var rows = """
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="inlineStr"><is><t>total_investment_wan</t></is></c></row>
            <row r="3"><c r="A3" t="inlineStr"><is><t>p-1</t></is></c><c r="C3"><v>12000</v></c></row>
            <row r="4"><c r="B4" t="s"><v>2</v></c></row>
            """;
        var sheet = Sheet.FromXlsx(new MemoryStream(Xlsx.WithRows(rows, ["id", "name", "项目乙"])));
        Assert.Equal(["id", "name", "total_investment_wan"], sheet.Header);
        Assert.Equal(2, sheet.Rows.Count);
        Assert.Equal(("p-1", null, "12000"), (sheet.Rows[0]["id"], sheet.Rows[0]["name"], sheet.Rows[0]["total_investment_wan"]));
        Assert.Equal((null, "项目乙"), (sheet.Rows[1]["id"], sheet.Rows[1]["name"]));
    }

    [Fact]
    public void An_xlsx_over_the_row_limit_or_expanding_beyond_its_limit_is_refused()
    {
        var rows = new StringBuilder("""<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row>""");
        for (var r = 2; r <= Limits.MaxImportRows + 2; r++)
        {
            rows.Append($"""<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>""");
        }
        Assert.Contains("5,000", Assert.Throws<InvalidDataException>(() => Sheet.FromXlsx(new MemoryStream(Xlsx.WithRows(rows.ToString())))).Message);

        // 60 MB of spaces compress to a few kilobytes: refused on the declared sizes, before anything is read.
        using var bomb = new MemoryStream();
        using (var zip = new ZipArchive(bomb, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var part = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.SmallestSize).Open();
            var spaces = new byte[1024 * 1024];
            Array.Fill(spaces, (byte)' ');
            for (var i = 0; i < 60; i++)
            {
                part.Write(spaces);
            }
        }
        Assert.True(bomb.Length < 1024 * 1024, $"the bomb is {bomb.Length} bytes");
        bomb.Position = 0;
        Assert.Contains("expand", Assert.Throws<InvalidDataException>(() => Sheet.FromXlsx(bomb)).Message);
    }
}

/// <summary>Minimal XLSX files built by hand: a workbook with one worksheet of the given rows.</summary>
public static class Xlsx
{
    public static byte[] WithRows(string rowsXml, IReadOnlyList<string>? sharedStrings = null)
    {
        using var file = new MemoryStream();
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Part(string path, string xml)
            {
                using var writer = new StreamWriter(zip.CreateEntry(path).Open(), new UTF8Encoding(false));
                writer.Write(xml);
            }
            Part("[Content_Types].xml", """<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>""");
            Part("_rels/.rels", """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
            Part("xl/workbook.xml", """<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>""");
            var strings = sharedStrings is null ? "" : """<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>""";
            Part("xl/_rels/workbook.xml.rels", $"""<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>{strings}</Relationships>""");
            if (sharedStrings is not null)
            {
                Part("xl/sharedStrings.xml", $"""<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{string.Concat(sharedStrings.Select(s => $"<si><t>{System.Security.SecurityElement.Escape(s)}</t></si>"))}</sst>""");
            }
            Part("xl/worksheets/sheet1.xml", $"""<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rowsXml}</sheetData></worksheet>""");
        }
        return file.ToArray();
    }
}
