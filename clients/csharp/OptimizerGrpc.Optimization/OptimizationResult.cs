using OptimizerGrpc.Client;

namespace OptimizerGrpc.Optimization;

/// <summary>What a run found (the spec's result dict, typed).</summary>
/// <param name="StudyId">The server study, for the raw trials and results.</param>
/// <param name="Sequence">The registered sequence name.</param>
/// <param name="State">The study's final state.</param>
/// <param name="TargetResults">Best parameters and score by target name.</param>
/// <param name="Counts">Trials by final state.</param>
/// <param name="Elapsed">Wall time of the run.</param>
public sealed record OptimizationResult(
    string StudyId, string Sequence, StudyState State, IReadOnlyDictionary<string, TargetResult> TargetResults, TrialCounts Counts, TimeSpan Elapsed);

/// <summary>A target's best parameters (spec names, e.g. "ma_crossover.fast_window") and the score they reached.</summary>
/// <param name="Target">The target name.</param>
/// <param name="BestParams">Best values by parameter name.</param>
/// <param name="BestScore">The metric's value for them, in the metric's own sign.</param>
/// <param name="Metric">The server metric name.</param>
/// <param name="TrialNumber">The winning trial.</param>
public sealed record TargetResult(string Target, IReadOnlyDictionary<string, double> BestParams, double BestScore, string Metric, long TrialNumber);

/// <summary>Settings of one run.</summary>
public sealed record RunOptions
{
    /// <summary>Trials evaluated at once by the local worker. Default the processor count.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>Backtest cost per unit of position change, as a fraction of equity. Default 0.</summary>
    public double Commission { get; init; }

    /// <summary>The key under which the result is kept (the spec's <c>result_key</c>). Default "default".</summary>
    public string ResultKey { get; init; } = "default";

    /// <summary>The target whose detector labels the regimes of a regime-specific sequence (the spec's <c>regime_detector_target</c>).</summary>
    public string? RegimeDetectorTarget { get; init; }

    /// <summary>Study display name; default names the sequence and targets.</summary>
    public string? DisplayName { get; init; }
}
