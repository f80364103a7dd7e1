using Orleans.Concurrency;

namespace Dispatch.Contracts;

/// <summary>A region (district, city or province): its place in the tree, its project roster, meetings and inbox.</summary>
[Alias("Dispatch.IRegionGrain")]
public interface IRegionGrain : IGrainWithStringKey
{
    /// <summary>Declares or changes the region; the parent must exist one level up.</summary>
    [Alias("Define")]
    Task<ChangeResult<RegionView>> DefineAsync(RegionDefinition definition);

    [Requires(Access.Read, TargetKind.Region)]
    [Alias("GetDefinition"), AlwaysInterleave]
    Task<RegionDefinition?> GetDefinitionAsync();

    /// <summary>The region with light counts and rates as of a date (today when null); null when not defined.</summary>
    [Requires(Access.Read, TargetKind.Region)]
    [Alias("Get"), AlwaysInterleave]
    Task<RegionView?> GetAsync(DateOnly? asOf);

    [Requires(Access.Read, TargetKind.Region)]
    [Alias("GetChildren"), AlwaysInterleave]
    Task<IReadOnlyList<RegionView>> GetChildrenAsync(DateOnly? asOf);

    [Requires(Access.Read, TargetKind.Region)]
    [Alias("GetChildIds"), AlwaysInterleave]
    Task<IReadOnlyList<string>> GetChildIdsAsync();

    /// <summary>Counts and sums under this region, from its own roster and its children's tallies.</summary>
    [Requires(Access.Read, TargetKind.Region)]
    [Alias("Tally"), AlwaysInterleave]
    Task<RegionTally> TallyAsync(DateOnly asOf);

    /// <summary>Sets the region's targets for a year (年度目标): projects to start, investment to complete.</summary>
    [Requires(Access.Manage, TargetKind.Region)]
    [Alias("SetTarget")]
    Task<ChangeResult<RegionTarget>> SetTargetAsync(RegionTarget target);

    [Alias("AddChild")]
    Task AddChildAsync(string childId);

    [Alias("RemoveChild")]
    Task RemoveChildAsync(string childId);

    /// <summary>
    /// Adds a project to the roster, or updates what the roster knows of it. Interleaves: the updates that arrive
    /// while the region's state is being written share its next write.
    /// </summary>
    [Alias("UpdateProject"), AlwaysInterleave]
    Task UpdateProjectAsync(ProjectSummary summary);

    [Alias("RemoveProject"), AlwaysInterleave]
    Task RemoveProjectAsync(string projectId);

    [Requires(Access.Read, TargetKind.Region)]
    [Alias("GetProjectIds"), AlwaysInterleave]
    Task<IReadOnlyList<string>> GetProjectIdsAsync();

    /// <summary>
    /// Holds this region's meeting of the cadence as of <paramref name="asOf"/> for the period it judges, or answers
    /// the meeting already held for that period: a meeting for a period is held exactly once. The period is
    /// <paramref name="period"/> when given (refused, naming <c>period</c>, when malformed, of another cadence or not
    /// yet due on <paramref name="asOf"/>), else the latest whose figures are due then; a weekly meeting's is its week.
    /// </summary>
    [Requires(Access.Act, TargetKind.Region)]
    [Alias("RunMeeting"), AlwaysInterleave]
    Task<ChangeResult<MeetingView>> RunMeetingAsync(Cadence cadence, DateOnly asOf, string? period = null);

    /// <summary>Meetings held by this region, newest first, optionally of one cadence or one period.</summary>
    [Requires(Access.Read, TargetKind.Region)]
    [Alias("GetMeetings"), AlwaysInterleave]
    Task<IReadOnlyList<MeetingView>> GetMeetingsAsync(Cadence? cadence, string? period);

    /// <summary>
    /// Takes a project's changed warnings into (or updates them in) this region's inbox: every region on a warning's
    /// path keeps a copy, and the region that holds it now watches its acknowledgement deadline. Interleaves like
    /// <see cref="UpdateProjectAsync"/>.
    /// </summary>
    [Alias("ReceiveWarnings"), AlwaysInterleave]
    Task ReceiveWarningsAsync(IReadOnlyList<WarningView> warnings);

    /// <summary>
    /// The inbox entries whose path passes through <paramref name="regionId"/> (an ancestor rebuilding its inbox).
    /// </summary>
    [Alias("GetWarningsThrough"), AlwaysInterleave]
    Task<IReadOnlyList<WarningView>> GetWarningsThroughAsync(string regionId);

    /// <summary>The inbox: warnings that are or were in this region, optionally of one status.</summary>
    [Requires(Access.Read, TargetKind.Region)]
    [Alias("GetWarnings"), AlwaysInterleave]
    Task<IReadOnlyList<WarningView>> GetWarningsAsync(WarningStatus? status);

    /// <summary>Passes every warning unacknowledged past its deadline up one level; called by this region's timer and reminder.</summary>
    [Alias("CheckEscalations")]
    Task<int> CheckEscalationsAsync();

    /// <summary>
    /// Takes a project's changed problems into (or out of) this region's list: every region on a problem's path keeps a
    /// copy; one whose path no longer passes here is dropped. Interleaves like <see cref="UpdateProjectAsync"/>.
    /// </summary>
    [Alias("ReceiveProblems"), AlwaysInterleave]
    Task ReceiveProblemsAsync(IReadOnlyList<ProblemView> problems);

    /// <summary>The problems on this region's list whose path passes through <paramref name="regionId"/> (an ancestor rebuilding its list).</summary>
    [Alias("GetProblemsThrough"), AlwaysInterleave]
    Task<IReadOnlyList<ProblemView>> GetProblemsThroughAsync(string regionId);

    /// <summary>
    /// The problems of projects under this region that it owns or supervises (问题清单): <paramref name="role"/> one of
    /// them (null: both), optionally of one status and flagged (挂牌督办) or not; nearest deadline first.
    /// </summary>
    [Requires(Access.Read, TargetKind.Region)]
    [Alias("GetProblems"), AlwaysInterleave]
    Task<IReadOnlyList<ProblemView>> GetProblemsAsync(ProblemRole? role, ProblemStatus? status, bool? flagged);

    /// <summary>Adds a meeting to this region's index (idempotent); called by the meeting when it starts.</summary>
    [Alias("RecordMeeting")]
    Task RecordMeetingAsync(string meetingId);

    /// <summary>
    /// Starts or stops following a meeting's decisions (idempotent): the meeting's own region and every owner region of
    /// its open decisions with a due date follow it, so their agendas list what is overdue and a new activation of the
    /// region takes the decisions' warnings back into its inbox.
    /// </summary>
    [Alias("FollowDecisions"), AlwaysInterleave]
    Task FollowDecisionsAsync(string meetingId, bool follow);

    /// <summary>
    /// The decisions this region follows up (议定事项督办) as of a date: overdue and not done by then, most overdue first,
    /// from the minutes as they stand (an agenda keeps the list of the day it was held).
    /// </summary>
    [Requires(Access.Read, TargetKind.Region)]
    [Alias("GetFollowUps"), AlwaysInterleave]
    Task<IReadOnlyList<DecisionFollowUp>> GetFollowUpsAsync(DateOnly asOf);

    /// <summary>The meetings whose decisions this region follows.</summary>
    [Alias("GetFollowedMeetings"), AlwaysInterleave]
    Task<IReadOnlyList<string>> GetFollowedMeetingsAsync();

    /// <summary>The cadences this city or province holds, at which level and when (its own, or the defaults), and the settings it left lately; null when not defined.</summary>
    [Requires(Access.Read, TargetKind.Region)]
    [Alias("GetCadences"), AlwaysInterleave]
    Task<RegionCadences?> GetCadencesAsync();

    /// <summary>
    /// Sets the cadences this city or province holds (调度安排), taking effect at the scheduler's next firing; an empty
    /// list holds none, null returns to the defaults. Each setting left is recorded as a departure, so the schedule it
    /// followed still asks this region for the period under way.
    /// </summary>
    [Requires(Access.Manage, TargetKind.Region)]
    [Alias("SetCadences")]
    Task<ChangeResult<RegionCadences>> SetCadencesAsync(IReadOnlyList<CadenceSetting>? settings);
}

/// <summary>A key project (重点项目): profile, milestone plan, progress reports, problems, warnings and light.</summary>
[Alias("Dispatch.IProjectGrain")]
public interface IProjectGrain : IGrainWithStringKey
{
    /// <summary>Creates or replaces the profile; invalid input changes nothing and names the field at fault.</summary>
    [Requires(Access.Manage, TargetKind.Project)]
    [Alias("Upsert")]
    Task<ChangeResult<ProjectView>> UpsertAsync(ProjectProfile profile);

    [Requires(Access.Read, TargetKind.Project)]
    [Alias("Get")]
    Task<ProjectView?> GetAsync();

    /// <summary>
    /// The project's roster summary and warnings, for its region to rebuild from (null for an unknown project).
    /// Interleaves: the region may ask while the project waits on that region.
    /// </summary>
    [Alias("GetStanding"), AlwaysInterleave]
    Task<ProjectStanding?> GetStandingAsync();

    /// <summary>
    /// The project's region, where its warnings sit and who owns its problems, for access decisions (null for an
    /// unknown project). Interleaves: the gateway filter asks while a call to this project waits.
    /// </summary>
    [Alias("GetAccessFacts"), AlwaysInterleave]
    Task<ProjectAccessFacts?> GetAccessFactsAsync();

    /// <summary>
    /// Puts the project's line on a year's list (年度计划): kind, planned investment, planned and actual start (resume),
    /// monthly plan, funds in place, or its withdrawal (退库) with a reason. Answers the year's plan as the list holds it.
    /// </summary>
    [Requires(Access.Manage, TargetKind.Project, SignedBy = "by")]
    [Alias("SetPlan")]
    Task<ChangeResult<AnnualPlan>> SetPlanAsync(int year, AnnualPlanRequest request, string by);

    /// <summary>Accepts a progress report (填报); a second report for the same period replaces the first.</summary>
    [Requires(Access.Report, TargetKind.Project)]
    [Alias("Report")]
    Task<ChangeResult<ProjectView>> ReportAsync(ProgressReport report);

    /// <summary>
    /// Reviews the project as of a date (the warning rules), keeping the outcome when the date is not older than the
    /// last review; writes state only when something changed.
    /// </summary>
    [Alias("Review")]
    Task<ProjectReview?> ReviewAsync(DateOnly asOf);

    /// <summary>Records a problem (问题) with an owner level and a deadline.</summary>
    [Requires(Access.Report, TargetKind.Project)]
    [Alias("AddProblem")]
    Task<ChangeResult<ProblemView>> AddProblemAsync(ProblemRequest request);

    /// <summary>
    /// An official of the region where the warning sits acknowledges it, optionally with the measure planned (措施) and
    /// the date it is planned by: it stops waiting for an acknowledgement, and passes up only if its cause persists
    /// past that level's resolve window.
    /// </summary>
    [Requires(Access.Act, TargetKind.Warning, Argument = "warningId", SignedBy = "by")]
    [Alias("AcknowledgeWarning")]
    Task<ChangeResult<WarningView>> AcknowledgeWarningAsync(string warningId, string by, string? measure = null, DateOnly? plannedBy = null);

    /// <summary>An official closes a warning out (销号) with a note.</summary>
    [Requires(Access.Act, TargetKind.Warning, Argument = "warningId", SignedBy = "by")]
    [Alias("CloseWarning")]
    Task<ChangeResult<WarningView>> CloseWarningAsync(string warningId, string by, string? note);

    /// <summary>
    /// Passes a warning from <paramref name="fromRegionId"/> to that region's parent, if it is still there with the
    /// <paramref name="status"/> whose window ran out (open: not acknowledged; acknowledged: not resolved), so a late
    /// or repeated tick, or one that crossed an acknowledgement or a close-out, changes nothing.
    /// </summary>
    [Alias("EscalateWarning")]
    Task EscalateWarningAsync(string warningId, string fromRegionId, WarningStatus status);

    /// <summary>
    /// Closes out a problem (销号): the supervising level verifies it (the flagging level when flagged, else the
    /// owning level), normally once it is reported solved; a closed problem answers as it is.
    /// </summary>
    [Requires(Access.Act, TargetKind.Problem, Argument = "problemId", SignedBy = "by")]
    [Alias("ResolveProblem")]
    Task<ChangeResult<ProblemView>> ResolveProblemAsync(string problemId, string by, string? note);

    /// <summary>受理: the owning level's office takes a raised problem in hand (首办负责: the first to accept owns it).</summary>
    [Requires(Access.Act, TargetKind.ProblemOwned, Argument = "problemId", SignedBy = "by")]
    [Alias("AcceptProblem")]
    Task<ChangeResult<ProblemView>> AcceptProblemAsync(string problemId, string by, ProblemAcceptance acceptance);

    /// <summary>转办: hands a problem not yet reported solved to another office or level, with a reason; it is to be accepted again.</summary>
    [Requires(Access.Act, TargetKind.ProblemOwned, Argument = "problemId", SignedBy = "by")]
    [Alias("TransferProblem")]
    Task<ChangeResult<ProblemView>> TransferProblemAsync(string problemId, string by, ProblemTransfer transfer);

    /// <summary>
    /// 挂牌督办: a level above the owner puts the problem under its flag with a grade, a new deadline and a supervising
    /// official; from then on only that level (or above) closes it out.
    /// </summary>
    [Requires(Access.Act, TargetKind.Problem, Argument = "problemId", SignedBy = "by", ActingRegion = "flag.RegionId")]
    [Alias("FlagProblem")]
    Task<ChangeResult<ProblemView>> FlagProblemAsync(string problemId, string by, ProblemFlagRequest flag);

    /// <summary>办结: the owner reports an accepted problem solved, for the supervising level to verify.</summary>
    [Requires(Access.Act, TargetKind.ProblemOwned, Argument = "problemId", SignedBy = "by")]
    [Alias("ReportProblemSolved")]
    Task<ChangeResult<ProblemView>> ReportProblemSolvedAsync(string problemId, string by, string? note);

    /// <summary>驳回: the supervising level sends a problem reported solved back to its owner, with a reason.</summary>
    [Requires(Access.Act, TargetKind.Problem, Argument = "problemId", SignedBy = "by")]
    [Alias("RejectProblem")]
    Task<ChangeResult<ProblemView>> RejectProblemAsync(string problemId, string by, string? reason);
}

/// <summary>A dispatch meeting (调度会), keyed <c>{region}/{cadence}/{period}</c>.</summary>
[Alias("Dispatch.IMeetingGrain")]
public interface IMeetingGrain : IGrainWithStringKey
{
    /// <summary>
    /// Holds the meeting as of a date on which its period may be judged (figures due; a week: within it), exactly
    /// once; a meeting interrupted by a crash resumes.
    /// </summary>
    [Alias("Hold")]
    Task<MeetingView> HoldAsync(DateOnly asOf);

    [Requires(Access.Read, TargetKind.Meeting)]
    [Alias("Get")]
    Task<MeetingView?> GetAsync();

    /// <summary>Adds a decision to the minutes; one that names a problem creates it on the project.</summary>
    [Requires(Access.Act, TargetKind.Meeting, SignedBy = "decision.By")]
    [Alias("Decide")]
    Task<ChangeResult<MeetingView>> DecideAsync(DecisionRequest decision);

    /// <summary>Marks decision <paramref name="number"/> done (办结) with a note; closes its overdue warning.</summary>
    [Requires(Access.Act, TargetKind.Meeting, SignedBy = "by")]
    [Alias("MarkDecisionDone")]
    Task<ChangeResult<MeetingView>> MarkDecisionDoneAsync(int number, string by, string? note);

    /// <summary>
    /// Raises a warning for each decision overdue today, then answers what a meeting of <paramref name="regionId"/>
    /// held as of <paramref name="asOf"/> lists to follow up from these minutes. Called by the meetings that follow.
    /// </summary>
    [Alias("FollowUp")]
    Task<IReadOnlyList<DecisionFollowUp>> FollowUpAsync(string regionId, DateOnly asOf);

    /// <summary>
    /// The warnings of these decisions held in <paramref name="regionId"/>'s inbox, for a region rebuilding it.
    /// Interleaves: the region asks at activation, possibly while this meeting waits on it.
    /// </summary>
    [Alias("GetDecisionWarnings"), AlwaysInterleave]
    Task<IReadOnlyList<WarningView>> GetDecisionWarningsAsync(string regionId);
}

/// <summary>
/// The ids of every region of one level (keyed by the level's name), so that a scheduler job can walk a level
/// without any grain holding all projects.
/// </summary>
[Alias("Dispatch.IRegionIndexGrain")]
public interface IRegionIndexGrain : IGrainWithStringKey
{
    [Alias("Add")]
    Task AddAsync(string regionId);

    [Alias("Remove")]
    Task RemoveAsync(string regionId);

    [Alias("List")]
    Task<IReadOnlyList<string>> ListAsync();
}
