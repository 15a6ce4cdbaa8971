namespace OptimizerGrpc.Core.Analysis.Overfitting;

/// <summary>
/// What <see cref="BacktestOverfitting"/> found over all C(S, S/2) splits. Sharpe ratios are per period.
/// </summary>
/// <param name="Probability">PBO: the share of splits whose logit is ≤ 0, i.e. whose in-sample winner ranks at or
/// below the out-of-sample median.</param>
/// <param name="ProbabilityOfLoss">The share of splits whose in-sample winner has an out-of-sample Sharpe ratio &lt; 0.</param>
/// <param name="DegradationSlope">Least-squares slope of the winners' out-of-sample Sharpe ratio on their in-sample one
/// across splits; NaN when every split's in-sample ratio is the same or one is infinite.</param>
/// <param name="DegradationIntercept">The intercept of that line.</param>
/// <param name="Histogram">The logits binned.</param>
/// <param name="Splits">One entry per split, in increasing order of <see cref="CscvSplit.InSampleBlocks"/>.</param>
public sealed record BacktestOverfittingResult(
    int TrialCount,
    int BlockCount,
    double Probability,
    double ProbabilityOfLoss,
    double DegradationSlope,
    double DegradationIntercept,
    LogitHistogram Histogram,
    IReadOnlyList<CscvSplit> Splits);

/// <summary>One split of the combinatorially symmetric cross-validation.</summary>
/// <param name="InSampleBlocks">The in-sample blocks as a bitmask (bit b = block b); the others are out of sample.</param>
/// <param name="SelectedTrial">Index of the trial with the best in-sample Sharpe ratio (the lowest index on a tie).</param>
/// <param name="InSampleSharpe">Its in-sample Sharpe ratio.</param>
/// <param name="OutOfSampleSharpe">Its out-of-sample Sharpe ratio.</param>
/// <param name="RelativeRank">ω = rank / (N + 1), its out-of-sample rank among all N trials (1 = worst, N = best;
/// tied trials share the average of their ranks).</param>
/// <param name="Logit">λ = ln(ω / (1 − ω)), in [−ln N, ln N]; ≤ 0 counts as overfit.</param>
public readonly record struct CscvSplit(
    int InSampleBlocks,
    int SelectedTrial,
    double InSampleSharpe,
    double OutOfSampleSharpe,
    double RelativeRank,
    double Logit);

/// <summary>Logits counted in fixed bins: bin k holds the logits in (Edges[k], Edges[k + 1]], the first bin also its
/// lower edge. The edges split [−ln N, ln N] evenly and 0 is one of them, so the counts left of 0 sum to PBO times
/// the number of splits.</summary>
public sealed record LogitHistogram(IReadOnlyList<double> Edges, IReadOnlyList<int> Counts);
