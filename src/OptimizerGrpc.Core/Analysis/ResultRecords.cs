using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Core.Studies;

namespace OptimizerGrpc.Core.Analysis;

/// <summary>A target's winner in one stage: the winning trial's values of the target's parameters (short names).</summary>
public sealed record TargetWinner(
    string Target, string StageId, long TrialNumber, string Metric, double BestScore, IReadOnlyList<KeyValuePair<string, ParamValue>> BestParams);

/// <summary>A stage with the winners of the targets it searched.</summary>
public sealed record StageOutcome(StageView Stage, IReadOnlyList<TargetWinner> Targets);

/// <summary>The spec's regime_results[regime]: the regime's bars, its stage's winners, or why it was skipped.</summary>
public sealed record RegimeOutcome(string Regime, long BarCount, bool Skipped, string SkipReason, IReadOnlyList<TargetWinner> Targets);

/// <summary>The spec's result shapes over a whole study.</summary>
public sealed record StudyOutcome(
    StudyView Study,
    TrialRecord? Best,
    IReadOnlyList<StageOutcome> Stages,
    IReadOnlyList<TargetWinner> Targets,
    IReadOnlyList<RegimeOutcome> Regimes,
    WalkForwardSummary? WalkForward);
