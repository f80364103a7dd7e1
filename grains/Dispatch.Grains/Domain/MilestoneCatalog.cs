using Dispatch.Contracts;

namespace Dispatch.Grains.Domain;

/// <summary>
/// The well-known milestones of a project's life cycle and the stage each one marks when reached.
/// Names are matched in Chinese (开工) or English (started); any other milestone is a plan node without a stage.
/// </summary>
public static class MilestoneCatalog
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

    /// <summary>开工 for a new project, 复工 for a continuing one.</summary>
    public static string StartName(ProjectKind kind) => kind == ProjectKind.New ? "开工" : "复工";

    /// <summary>The stage that reaching this milestone marks, or null for an ordinary plan node.</summary>
    public static ProjectStage? StageOf(string milestoneName)
    {
        var name = milestoneName.Trim();
        foreach (var (stage, names) in s_stages)
        {
            if (names.Any(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)))
            {
                return stage;
            }
        }
        return null;
    }

    public static bool IsStart(string milestoneName) => StageOf(milestoneName) == ProjectStage.Started;
}
