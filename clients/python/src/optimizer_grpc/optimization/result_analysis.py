"""Result analysis utilities (the spec's ``results/result_analysis.py``): a short verdict per stage from the server's
analysis of a study: what matters (importance), whether the best trial sits on a plateau or a peak (robust pick vs
best), whether the winner's Sharpe ratio survives the number of trials tried (PSR, DSR) and whether the selection
overfits (PBO)."""
from __future__ import annotations

import math
from typing import Any, Dict, List, Optional, Tuple, Union

from optimizer_grpc.analysis import NeighbourhoodScore, RegimeMatrix, StageAnalysis, StudyAnalysis
from optimizer_grpc.model import Stage

#: Above this Deflated Sharpe Ratio the winner's Sharpe ratio counts as significant after its trials (95%).
DSR_SIGNIFICANT = 0.95
#: PBO bands: below the first, little sign of overfitting; from the second, the selection is worse than chance.
PBO_LOW, PBO_HIGH = 0.2, 0.5

Analysed = Union[StudyAnalysis, Any]  # or anything with .analysis: an OptimizationResult, a StudyResult


def study_analysis(result: Analysed) -> Tuple[StudyAnalysis, Dict[str, Stage]]:
    """The typed analysis in ``result`` (a StudyAnalysis, an OptimizationResult or a StudyResult), with the study's
    stages by id when the result knows them. ValueError when the result carries no analysis."""
    if isinstance(result, StudyAnalysis):
        return result, {}
    analysis = getattr(result, "analysis", None)
    if isinstance(result, dict) and "stages" in result:
        raise TypeError("pass the result of run_optimization or its typed .analysis, not result['analysis']")
    if not isinstance(analysis, StudyAnalysis):
        raise ValueError("no analysis in this result: run with analyze=True (the default) or "
                         "get_result(..., include_analysis=True), or pass Client.analyze_study(...)")
    study_result = result.get("study_result") if isinstance(result, dict) else result
    study = getattr(study_result, "study", None)
    return analysis, {s.stage_id: s for s in getattr(study, "stages", ())}


def find_stage(result: Union[StageAnalysis, Analysed], stage_id: Optional[str] = None) -> StageAnalysis:
    """The stage ``stage_id`` of an analysis (or result), or its first stage with a landscape."""
    if isinstance(result, StageAnalysis):
        return result
    analysis, _ = study_analysis(result)
    for stage in analysis.stages:
        if stage.stage_id == stage_id or (stage_id is None and stage.importance):
            return stage
    raise ValueError(f"no stage {stage_id!r} in the analysis" if stage_id else "no stage with a landscape to show")


def summarize_analysis(result: Analysed) -> str:
    """A few lines per stage: importance (top 3), best vs robust pick, the winner's PSR and DSR, PBO; then the
    regime matrix and the walk-forward summary where the study has them."""
    analysis, stages = study_analysis(result)
    lines: List[str] = []
    for stage in analysis.stages:
        lines += _stage_lines(stage, stages.get(stage.stage_id))
    if analysis.regimes is not None:
        lines += _regime_lines(analysis.regimes)
    wf = analysis.walk_forward
    if wf is not None:
        efficiency = [e for e in wf.window_efficiency if math.isfinite(e)]
        mean = f"{sum(efficiency) / len(efficiency):.2f}" if efficiency else "n/a"
        line = (f"walk-forward: {len(wf.window_efficiency)} windows, mean efficiency {mean}, "
                f"{wf.profitable_window_share:.0%} profitable out of sample")
        if wf.stitched is not None:
            line += f"; stitched {_sharpe(wf.stitched)}"
        lines.append(line)
    return "\n".join(lines) if lines else "no stages analysed"


def _stage_lines(stage: StageAnalysis, info: Optional[Stage]) -> List[str]:
    title = f"{stage.stage_id}" + (f" '{info.name}'" if info is not None and info.name else "")
    head = f"{title}: {stage.metric}, {stage.completed_trials} completed trial{'' if stage.completed_trials == 1 else 's'}"
    if stage.unavailable:
        return [f"{head}; {stage.unavailable}"]
    lines = [head]
    if stage.importance:
        lines.append("  importance:  " + ", ".join(f"{i.parameter} {i.importance:.2f}" for i in stage.importance[:3]))
    r = stage.robustness
    if r is not None and r.best is not None:
        lines.append(f"  best:        {_pick(r.best)}")
        if r.robust_pick is None:
            lines.append("  robust pick: none (no trial has neighbours)")
        elif r.robust_pick.trial_number == r.best.trial_number:
            lines.append("  robust pick: the best trial")
        else:
            lines.append(f"  robust pick: {_pick(r.robust_pick)}")
    o = stage.overfitting
    if o is not None:
        if o.winner is not None:
            verdict = "significant" if o.winner.deflated_sharpe_ratio >= DSR_SIGNIFICANT else "not significant"
            lines.append(f"  winner:      {_sharpe(o.winner)}: {verdict} after {o.winner.trials} trials")
        if o.pbo is not None:
            p = o.pbo.probability
            verdict = ("little sign of overfitting" if p < PBO_LOW else
                       "some overfitting" if p < PBO_HIGH else "the in-sample winner does no better than chance")
            lines.append(f"  PBO:         {p:.2f} over {o.pbo.combinations} combinations ({verdict}); "
                         f"probability of loss {o.pbo.probability_of_loss:.2f}")
        lines += [f"  unavailable: {reason}" for reason in o.unavailable]
    return lines


def _pick(n: NeighbourhoodScore) -> str:
    params = ", ".join(f"{k}={v}" for k, v in n.params.items())
    notes = [f"neighbourhood mean {n.neighbourhood_mean:.4g} over {n.neighbours}"] if n.neighbours else []
    if n.isolated_peak:
        notes.append("isolated peak")
    edges = [f"{p} low" for p in n.on_low_edge] + [f"{p} high" for p in n.on_high_edge]
    if edges:
        notes.append("at the edge: " + ", ".join(edges))
    return f"#{n.trial_number} {params}: {n.score:.4g}" + (f" ({'; '.join(notes)})" if notes else "")


def _sharpe(s: Any) -> str:
    return (f"Sharpe {s.annualized_sharpe_ratio:.2f} annualised over {s.periods} periods, "
            f"PSR {s.probabilistic_sharpe_ratio:.3f}, DSR {s.deflated_sharpe_ratio:.3f}")


def _regime_lines(m: RegimeMatrix) -> List[str]:
    rows = m.rows()
    if not rows:
        return [f"regimes: {m.unavailable or 'no matrix'}"]
    lines = ["regimes: each winner's Sharpe ratio (per period) in every regime"]
    for name, share, row in zip(m.regimes, m.bar_shares, rows):
        cells = ", ".join(f"{other} {value:.3f}" for other, value in zip(m.regimes, row))
        lines.append(f"  {name} ({share:.0%} of bars): {cells}")
    return lines
