using OptimizerGrpc.Client;

namespace OptimizerGrpc.Optimization;

/// <summary>What a run found (the spec's result dict, typed).</summary>
/// <param name="StudyId">The server study, for the raw trials and results.</param>
/// <param name="Sequence">The registered sequence name.</param>
/// <param name="State">The study's final state.</param>
/// <param name="TargetResults">Best parameters and score by target name (empty for a regime-specific run: see <see cref="RegimeResults"/>).</param>
/// <param name="Counts">Trials by final state.</param>
/// <param name="Elapsed">Wall time of the run.</param>
public sealed record OptimizationResult(
    string StudyId, string Sequence, StudyState State, IReadOnlyDictionary<string, TargetResult> TargetResults, TrialCounts Counts, TimeSpan Elapsed)
{
    /// <summary>
    /// A regime-specific run's results by regime name (the spec's <c>regime_results</c>), in the server's order;
    /// skipped regimes are included with their reason. Empty for other sequences.
    /// </summary>
    public IReadOnlyDictionary<string, RegimeResult> RegimeResults { get; init; } = new Dictionary<string, RegimeResult>(StringComparer.Ordinal);

    /// <summary>A walk-forward run's windows and out-of-sample summary; null for other sequences.</summary>
    public WalkForwardResult? WalkForward { get; init; }

    /// <summary>A hierarchical run's outer candidates, each with its inner winner, and the best pair; null for other sequences.</summary>
    public HierarchicalResult? Hierarchical { get; init; }

    /// <summary>
    /// The study's analysis (the spec's result gains "analysis"): per stage (a target of a sequence, a regime, a
    /// walk-forward window) parameter importance, sensitivity, robustness and the robust pick, modes, and the winner's
    /// overfitting statistics (PSR, DSR, MinTRL, MinBTL, PBO); the regime matrix of a regime-specific run and the
    /// walk-forward summary. Parameters carry the spec's names ("target.rule.parameter"). Fetched with the result at
    /// the end of the run; null when <see cref="RunOptions.IncludeAnalysis"/> is false. A multi-study workflow has one
    /// result per run, each with its own study's analysis. <see cref="AnalysisVerdict"/> summarises a stage.
    /// </summary>
    public StudyAnalysisInfo? Analysis { get; init; }

    /// <summary>The run's FAILED trials: how many, and their most common reasons (a run where none completed throws
    /// <see cref="OptimizationFailedException"/> instead).</summary>
    public FailureSummary Failures { get; init; } = FailureSummary.None;

    /// <summary>What the manager warned about before the run (a target's default outside its domain, ...).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>A run's FAILED trials.</summary>
/// <param name="Count">FAILED trials.</param>
/// <param name="Reasons">The most common reasons (first line of each trial's reason), most frequent first.</param>
public sealed record FailureSummary(long Count, IReadOnlyList<FailureReasonInfo> Reasons)
{
    /// <summary>No failures.</summary>
    public static FailureSummary None { get; } = new(0, []);
}

/// <summary>A hierarchical run: every outer candidate scored by an inner search.</summary>
/// <param name="OuterTargets">The outer targets.</param>
/// <param name="InnerTargets">The inner targets.</param>
/// <param name="Candidates">The outer candidates in the order the outer method proposed them.</param>
/// <param name="Best">The best candidate: its outer values and inner winner are the best pair; null when none scored.</param>
public sealed record HierarchicalResult(
    IReadOnlyList<string> OuterTargets, IReadOnlyList<string> InnerTargets, IReadOnlyList<HierarchicalCandidate> Candidates, HierarchicalCandidate? Best);

/// <summary>One outer candidate of a hierarchical run.</summary>
/// <param name="OuterParams">The outer values by "target.parameter" (spec names).</param>
/// <param name="InnerBestParams">The inner winner's values by "target.parameter"; empty when no inner trial completed.</param>
/// <param name="BestScore">The candidate's score: its inner winner's; NaN when none completed.</param>
/// <param name="Trials">Inner trials run for the candidate.</param>
/// <param name="CompletedTrials">Those that completed.</param>
public sealed record HierarchicalCandidate(
    IReadOnlyDictionary<string, double> OuterParams, IReadOnlyDictionary<string, double> InnerBestParams, double BestScore, long Trials, long CompletedTrials);

/// <summary>A target's best parameters (spec names, e.g. "ma_crossover.fast_window") and the score they reached.</summary>
/// <param name="Target">The target name.</param>
/// <param name="BestParams">Best values by parameter name.</param>
/// <param name="BestScore">The metric's value for them, in the metric's own sign.</param>
/// <param name="Metric">The server metric name.</param>
/// <param name="TrialNumber">The winning trial.</param>
public sealed record TargetResult(string Target, IReadOnlyDictionary<string, double> BestParams, double BestScore, string Metric, long TrialNumber);

/// <summary>One regime of a regime-specific run.</summary>
/// <param name="Regime">The regime's name (e.g. "trending_up").</param>
/// <param name="BarCount">Bars labelled with this regime.</param>
/// <param name="TargetResults">Best parameters and score per target on this regime's bars; empty when skipped.</param>
/// <param name="Skipped">True when the regime had too few bars to be searched.</param>
/// <param name="SkipReason">Why it was skipped, as the server says; null when searched.</param>
public sealed record RegimeResult(
    string Regime, long BarCount, IReadOnlyDictionary<string, TargetResult> TargetResults, bool Skipped, string? SkipReason);

/// <summary>A walk-forward run: per-window results and the stitched out-of-sample performance.</summary>
/// <param name="Windows">The windows in order.</param>
/// <param name="StitchedEquity">Out-of-sample equity of every window's winner, chained (starts at 1).</param>
/// <param name="StitchedReturn">Total return of <paramref name="StitchedEquity"/>.</param>
/// <param name="Efficiency">Annualised out-of-sample return over annualised in-sample return (walk-forward efficiency).</param>
/// <param name="ProfitableWindowShare">Share of windows whose out-of-sample return is positive, in [0, 1].</param>
/// <param name="ParameterStability">Per parameter ("target.parameter"), the coefficient of variation of the winners across windows.</param>
public sealed record WalkForwardResult(
    IReadOnlyList<WalkForwardWindow> Windows, IReadOnlyList<double> StitchedEquity, double StitchedReturn, double Efficiency,
    double ProfitableWindowShare, IReadOnlyDictionary<string, double> ParameterStability);

/// <summary>One walk-forward window.</summary>
/// <param name="Index">0-based window number.</param>
/// <param name="InSample">Bars searched, [StartBar, EndBar).</param>
/// <param name="OutOfSample">Bars the winner is scored on, [StartBar, EndBar).</param>
/// <param name="BestParams">The in-sample winner by "target.parameter" (spec names).</param>
/// <param name="InSampleMetrics">The winner's metrics in sample.</param>
/// <param name="OutOfSampleMetrics">The winner's metrics out of sample.</param>
public sealed record WalkForwardWindow(
    int Index, BarRange InSample, BarRange OutOfSample, IReadOnlyDictionary<string, double> BestParams,
    IReadOnlyDictionary<string, double> InSampleMetrics, IReadOnlyDictionary<string, double> OutOfSampleMetrics);

/// <summary>Settings of one run.</summary>
public sealed record RunOptions
{
    /// <summary>
    /// Trials evaluated at once by the local worker, each on its own copy of the strategy's rules (the worker's
    /// capacity). Default <see cref="Environment.ProcessorCount"/>.
    /// </summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>Backtest cost per unit of position change, as a fraction of equity. Default 0.</summary>
    public double Commission { get; init; }

    /// <summary>The key under which the result is kept (the spec's <c>result_key</c>). Default "default".</summary>
    public string ResultKey { get; init; } = "default";

    /// <summary>The target whose detector labels the regimes of a regime-specific sequence (the spec's <c>regime_detector_target</c>).</summary>
    public string? RegimeDetectorTarget { get; init; }

    /// <summary>Study display name; default names the sequence and targets.</summary>
    public string? DisplayName { get; init; }

    /// <summary>Fetches the study's analysis with its result at the end of the run (<see cref="OptimizationResult.Analysis"/>). Default true.</summary>
    public bool IncludeAnalysis { get; init; } = true;

    /// <summary>Tunes the analysis; null (the default) takes the server's defaults. Checked before the run starts.</summary>
    public AnalysisSettings? AnalysisSettings { get; init; }
}
