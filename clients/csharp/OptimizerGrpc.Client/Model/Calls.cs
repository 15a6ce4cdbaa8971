namespace OptimizerGrpc.Client;

/// <summary>The answer to AskTrials.</summary>
/// <param name="Trials">The leased trials; fewer than asked when the search waits for results.</param>
/// <param name="StudyFinished">The study will issue no more trials.</param>
/// <param name="StudyState">The study's state.</param>
public sealed record AskResult(IReadOnlyList<TrialInfo> Trials, bool StudyFinished, StudyState StudyState);

/// <summary>The answer to TellTrial.</summary>
/// <param name="Status">What the server did with the outcome.</param>
/// <param name="Trial">The trial as recorded, when returned.</param>
public sealed record TellResult(TellStatus Status, TrialInfo? Trial);

/// <summary>Filters for ListTrials.</summary>
/// <param name="StageId">Only this stage's trials, when set.</param>
/// <param name="States">Only these states, when not empty.</param>
/// <param name="AfterSequence">Only trials changed after this study sequence (delta sync).</param>
/// <param name="PageSize">Trials per page; 0 uses the server's default (100).</param>
public sealed record TrialQuery(
    string? StageId = null, IReadOnlyList<TrialState>? States = null, long AfterSequence = 0, int PageSize = 0);

/// <summary>One page of trials.</summary>
/// <param name="Trials">The trials.</param>
/// <param name="NextPageToken">Token of the next page; empty on the last page.</param>
/// <param name="LastSequence">The study's sequence when read; pass it as AfterSequence next time.</param>
public sealed record TrialPage(IReadOnlyList<TrialInfo> Trials, string NextPageToken, long LastSequence);

/// <summary>A target's best parameters and score (the spec's target_results entry).</summary>
public sealed record TargetResultInfo(
    string Target, IReadOnlyDictionary<string, ParamValue> BestParams, double BestScore, string Metric, string StageId, long TrialNumber);

/// <summary>
/// What a study found. The common parts are typed; regime, walk-forward and Pareto results are in
/// <see cref="Raw"/> until they get records of their own.
/// </summary>
public sealed record StudyResultInfo(
    StudyInfo Study, TrialInfo? BestTrial, IReadOnlyList<TargetResultInfo> TargetResults, Contracts.V1.StudyResult Raw)
{
    /// <summary>The study's analysis when the call asked for it (<c>includeAnalysis</c>); null otherwise.</summary>
    public StudyAnalysisInfo? Analysis { get; init; }
}
