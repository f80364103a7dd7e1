using Dispatch.Contracts;

namespace Dispatch.Grains.Domain;

/// <summary>
/// The well-known milestones of a project's life cycle and the stage each one marks when reached.
/// Names are matched in Chinese (开工) or English (started), and through aliases: the common variants offices write
/// (开工建设, 正式开工 → 开工; 竣工验收 → 竣工; 建成投产, 试生产 → 投产), configured under <c>Dispatch:Milestones:Aliases</c>.
/// Any other milestone is a plan node without a stage.
/// </summary>
public sealed class MilestoneCatalog
{
    private static readonly (ProjectStage Stage, string[] Names)[] s_stages =
    [
        (ProjectStage.Signed, ["签约", "signed", "signing"]),
        (ProjectStage.Approvals, ["立项", "用地", "环评", "能评", "规划许可", "施工许可", "前期手续", "approvals", "approval"]),
        (ProjectStage.Started, ["开工", "复工", "started", "start", "resumed", "resume"]),
        (ProjectStage.Completed, ["竣工", "completed", "completion"]),
        (ProjectStage.InProduction, ["投产", "in production", "production"]),
        (ProjectStage.FullCapacity, ["达产", "full capacity"]),
    ];

    private readonly Dictionary<string, string> _aliases;

    /// <param name="aliases">Variant → the name it stands for (e.g. 开工建设 → 开工); a blank target drops the variant.</param>
    public MilestoneCatalog(IReadOnlyDictionary<string, string>? aliases)
    {
        _aliases = new(StringComparer.OrdinalIgnoreCase);
        foreach (var (variant, name) in aliases ?? MilestoneOptions.DefaultAliases)
        {
            if (!string.IsNullOrWhiteSpace(variant) && !string.IsNullOrWhiteSpace(name))
            {
                _aliases[variant.Trim()] = name.Trim();
            }
        }
    }

    /// <summary>The catalog with the default aliases (<see cref="MilestoneOptions.DefaultAliases"/>).</summary>
    public static MilestoneCatalog Default { get; } = new(MilestoneOptions.DefaultAliases);

    /// <summary>开工 for a new project, 复工 for a continuing one.</summary>
    public static string StartName(ProjectKind kind) => kind == ProjectKind.New ? "开工" : "复工";

    /// <summary>The name a milestone stands for: its alias target (正式开工 → 开工), else its own name, trimmed.</summary>
    public string Canonical(string milestoneName)
    {
        var name = milestoneName.Trim();
        return _aliases.TryGetValue(name, out var canonical) ? canonical : name;
    }

    /// <summary>Whether two milestone names mean the same node: equal, or standing for the same name.</summary>
    public bool SameMilestone(string a, string b) =>
        string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase)
        || string.Equals(Canonical(a), Canonical(b), StringComparison.OrdinalIgnoreCase);

    /// <summary>The stage that reaching this milestone marks, or null for an ordinary plan node.</summary>
    public ProjectStage? StageOf(string milestoneName)
    {
        var name = Canonical(milestoneName);
        foreach (var (stage, names) in s_stages)
        {
            if (names.Any(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)))
            {
                return stage;
            }
        }
        return null;
    }

    /// <summary>开工 or 复工 (or a variant of either).</summary>
    public bool IsStart(string milestoneName) => StageOf(milestoneName) == ProjectStage.Started;
}

/// <summary>Milestone names (<c>Dispatch:Milestones:*</c>).</summary>
public sealed class MilestoneOptions
{
    /// <summary>The variants offices write for the well-known milestones, and the name each stands for.</summary>
    public static IReadOnlyDictionary<string, string> DefaultAliases { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["开工建设"] = "开工",
        ["正式开工"] = "开工",
        ["竣工验收"] = "竣工",
        ["建成投产"] = "投产",
        ["试生产"] = "投产",
    };

    /// <summary>
    /// Variant → name it stands for (<c>Dispatch:Milestones:Aliases:正式开工=开工</c>). Configuration adds to the
    /// defaults or overrides them; an empty value drops a default variant.
    /// </summary>
    public Dictionary<string, string> Aliases { get; set; } = new(DefaultAliases, StringComparer.OrdinalIgnoreCase);

    public MilestoneCatalog Catalog() => new(Aliases);
}
