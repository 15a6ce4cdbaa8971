"""Figures of a manager's run (an OptimizationResult): the search history, the regimes, the walk-forward windows and
the best trials' equity curves. Each is also a method of the result (``result.plot_history()``); see
``visualization`` for the figures of the analysis and the conventions they share (``path``, ``ax``, the figure)."""
from __future__ import annotations

import math
from typing import Any, Dict, List, Optional, Tuple

import numpy as np

from optimizer_grpc.analysis import RegimeMatrix
from optimizer_grpc.model import Stage, Trial, TrialState
from optimizer_grpc.optimization._figures import RUN_HINT, PathLike, axes, axes_pair, finish

#: Above this many stages the history's legend names one best-so-far line for all of them.
_LEGEND_STAGES = 6


def plot_history(result: Any, stage: Optional[str] = None, path: Optional[PathLike] = None, ax: Any = None) -> Any:
    """Each completed trial's score (its stage's first objective) by trial number, and each stage's best so far as a
    step line; ``stage`` (a stage id) shows one stage, None all of them. Trials without a finite score are left out."""
    stages = _stages(result)
    if stage is not None and stage not in stages:
        raise ValueError(f"no stage {stage!r} in this study; it has {', '.join(stages) or 'none'}")
    points: Dict[str, List[Tuple[int, float]]] = {}
    for trial in sorted(result.trials, key=lambda t: t.number):
        if trial.state != TrialState.COMPLETED or stage not in (None, trial.stage_id):
            continue
        score = _score(trial, stages.get(trial.stage_id), result)
        if score is not None and math.isfinite(score):
            points.setdefault(trial.stage_id, []).append((trial.number, score))
    if not points:
        raise ValueError(f"no completed trial with a score in {stage or 'this study'}")
    fig, ax = axes("plot_history", ax, (8.0, 4.2), RUN_HINT)
    numbers = np.array([n for rows in points.values() for n, _ in rows])
    scores = np.array([s for rows in points.values() for _, s in rows])
    colours = [f"C{i % 10}" for i, rows in enumerate(points.values()) for _ in rows]
    ax.scatter(numbers, scores, s=14, c=colours, alpha=0.55, linewidths=0, label="completed trial", zorder=2)
    for i, (stage_id, rows) in enumerate(points.items()):
        x, y = np.array([n for n, _ in rows]), np.array([s for _, s in rows])
        best = np.maximum.accumulate(y) if _maximize(stages.get(stage_id)) else np.minimum.accumulate(y)
        label = (f"best so far ({stage_id})" if len(points) > 1 else "best so far") \
            if len(points) <= _LEGEND_STAGES else ("best so far (per stage)" if i == 0 else None)
        ax.step(x, best, where="post", color=f"C{i % 10}", linewidth=1.6, label=label, zorder=3)
    metrics = {_metric(stages.get(s), result) for s in points}
    ax.set_xlabel("trial number")
    ax.set_ylabel(metrics.pop() if len(metrics) == 1 else "score (each stage's objective)")
    ax.set_title(f"{stage or 'all stages'}: {len(scores)} completed trials")
    ax.legend(fontsize=8)
    return finish(fig, path)


def plot_regimes(result: Any, path: Optional[PathLike] = None, ax: Any = None) -> Any:
    """Left: the close prices coloured by the regime label the manager sent for each bar (grey: in no regime, such
    as a detector's warm-up). Right: the analysis' cross-regime matrix, each regime's winner scored in every regime
    (per-period Sharpe ratio). ``ax``: a pair of axes (a single one draws the prices only)."""
    data = result.data
    if data.regime_labels is None:
        raise ValueError("no regime labels in this result: plot_regimes draws a regime-specific run "
                         "(RegimeSpecificOptimization)")
    if data.prices is None or len(data.prices) != len(data.regime_labels):
        raise ValueError("no close prices for the labelled bars: the data handler needs a 'close' series")
    fig, price_ax, matrix_ax = axes_pair("plot_regimes", ax, (13.0, 4.6), (2.2, 1.0))
    prices, labels = data.prices, data.regime_labels
    bars = np.arange(len(prices))
    unlabelled = int((labels < 0).sum())
    price_ax.plot(bars, prices, color="lightgrey", linewidth=0.8, zorder=1,
                  label=f"no regime ({unlabelled} bars)" if unlabelled else None)
    for i, name in enumerate(data.regime_names):
        inside = labels == i
        price_ax.plot(bars, np.where(inside, prices, np.nan), color=f"C{i % 10}", linewidth=1.0, zorder=2,
                      label=f"{name} ({inside.mean():.0%} of bars)")
    if prices.min() > 0 and prices.max() / prices.min() > 10:
        price_ax.set_yscale("log")
    price_ax.set_xlabel("bar")
    price_ax.set_ylabel("close")
    price_ax.set_title(f"{len(prices)} bars by regime")
    price_ax.legend(fontsize=8)
    if matrix_ax is not None:
        analysis = getattr(result, "analysis", None)
        _draw_regime_matrix(fig, matrix_ax, analysis.regimes if analysis is not None else None)
    return finish(fig, path)


def _draw_regime_matrix(fig: Any, ax: Any, matrix: Optional[RegimeMatrix]) -> None:
    grid = matrix.to_array() if matrix is not None else np.empty((0, 0))
    if grid.size == 0:
        reason = matrix.unavailable if matrix is not None else "the run has no analysis (analyze=False)"
        ax.text(0.5, 0.5, f"no cross-regime matrix:\n{reason or 'none'}", ha="center", va="center", wrap=True)
        ax.set_axis_off()
        return
    finite = grid[np.isfinite(grid)]
    limit = float(np.abs(finite).max()) if finite.size else 1.0
    image = ax.imshow(np.ma.masked_invalid(grid), cmap="RdYlGn", vmin=-limit, vmax=limit)
    fig.colorbar(image, ax=ax, label="Sharpe ratio (per period)")
    for (row, column), value in np.ndenumerate(grid):
        ax.text(column, row, f"{value:.3f}" if math.isfinite(value) else "n/a", ha="center", va="center", fontsize=8)
    names = list(matrix.regimes)
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(names, rotation=45, fontsize=8)
    ax.set_yticks(range(len(names)))
    ax.set_yticklabels(names, fontsize=8)
    ax.set_xlabel("scored on regime")
    ax.set_ylabel("winner of regime")
    ax.set_title("each regime's winner in every regime")


def plot_walk_forward(result: Any, metric: Optional[str] = None, path: Optional[PathLike] = None,
                      ax: Any = None) -> Any:
    """Left: each window's in-sample and out-of-sample ``metric`` (default: the objective) as bars. Right: the
    stitched out-of-sample equity (starting at 1) over the out-of-sample bars. ``ax``: a pair of axes (a single one
    draws the bars only)."""
    wf = result.get("walk_forward")
    if not wf or not wf["windows"]:
        raise ValueError("no walk-forward windows in this result: plot_walk_forward draws a WalkForwardOptimization run")
    windows = wf["windows"]
    available = sorted(set(windows[0]["in_sample_metrics"]) & set(windows[0]["out_of_sample_metrics"]))
    metric = metric or _metric(None, result)
    if metric not in available:
        raise ValueError(f"the windows have no {metric!r}; they have {', '.join(available)}")
    fig, bars_ax, equity_ax = axes_pair("plot_walk_forward", ax, (13.0, 4.6), (1.0, 1.4))
    index, width = np.arange(len(windows)), 0.4
    bars_ax.bar(index - width / 2, [w["in_sample_metrics"][metric] for w in windows], width, label="in sample",
                color="tab:blue")
    bars_ax.bar(index + width / 2, [w["out_of_sample_metrics"][metric] for w in windows], width,
                label="out of sample", color="tab:orange")
    bars_ax.axhline(0.0, color="black", linewidth=0.8)
    bars_ax.set_xticks(index)
    bars_ax.set_xticklabels([f"{w['index']}\n{w['out_of_sample'][0]}-{w['out_of_sample'][1]}" for w in windows],
                            fontsize=8)
    bars_ax.set_xlabel("window (out-of-sample bars)")
    bars_ax.set_ylabel(metric)
    bars_ax.set_title(f"walk-forward: {metric} per window (efficiency {wf['efficiency']:.2f})")
    bars_ax.legend(fontsize=8)
    if equity_ax is not None:
        equity = np.asarray(wf["stitched_equity"], dtype=float)
        equity_ax.plot(_stitched_bars([w["out_of_sample"] for w in windows], len(equity)), equity, color="tab:green", linewidth=1.2,
                       label=f"stitched out of sample ({wf['stitched_return']:+.1%})")
        for start in (w["out_of_sample"][0] for w in windows[1:]):
            equity_ax.axvline(start, color="grey", linewidth=0.6, linestyle=":")
        equity_ax.set_xlabel("bar")
        equity_ax.set_ylabel("equity (start = 1)")
        equity_ax.set_title(f"stitched out-of-sample equity, {wf['profitable_window_share']:.0%} of windows profitable")
        equity_ax.legend(fontsize=8)
    return finish(fig, path)


def _stitched_bars(ranges: List[Tuple[int, int]], points: int) -> np.ndarray:
    """The bar of each point of the stitched out-of-sample equity: its start (1) at the first window's first bar,
    then one point per return, a window's returns running from its second bar (the server's layout: 1 + the sum of
    (bars - 1)); a curve of another length is spread evenly over the windows."""
    per_return = np.concatenate([[ranges[0][0]], *(np.arange(start + 1, end) for start, end in ranges)])
    if len(per_return) == points:
        return per_return
    return np.linspace(ranges[0][0], ranges[-1][1] - 1, points)


def plot_equity(result: Any, top: int = 5, stage: Optional[str] = None, path: Optional[PathLike] = None,
                ax: Any = None, client: Any = None) -> Any:
    """The equity curves the server kept of the ``top`` best trials of ``stage`` (a stage id; None: the stage of the
    study's best trial; "": every stage), overlaid, best first (``ListEquityCurves``; ``client`` when the manager
    that ran the study is closed)."""
    curves = result.equity_curves(top, stage, client)
    if not len(curves):
        raise ValueError(f"the server kept no equity curves for {stage or 'this study'} (only backtest records are kept)")
    fig, ax = axes("plot_equity", ax, (9.0, 4.6), RUN_HINT)
    several = len({c.stage_id for c in curves}) > 1
    for rank, curve in enumerate(curves):
        where = f"{curve.stage_id} " if several else ""
        ax.plot(curve.bars(), curve.to_array(), linewidth=1.8 if rank == 0 else 1.0,
                label=f"{where}#{curve.trial_number}: score {curve.score:.4g}")
    ax.set_xlabel("bar")
    ax.set_ylabel("equity")
    stage_ids = sorted({c.stage_id for c in curves})
    ax.set_title(f"{', '.join(stage_ids)}: equity of the {len(curves)} best trials")
    ax.legend(fontsize=8)
    return finish(fig, path)


def _stages(result: Any) -> Dict[str, Stage]:
    study_result = result.get("study_result") if isinstance(result, dict) else None
    return {s.stage_id: s for s in getattr(getattr(study_result, "study", None), "stages", ())}


def _metric(stage: Optional[Stage], result: Any) -> str:
    """The stage's first objective, else the run's first target's metric."""
    if stage is not None and stage.objectives:
        return stage.objectives[0].metric
    metrics = result.get("combined_result", {}).get("metrics", {})
    return next(iter(metrics.values()), "score")


def _maximize(stage: Optional[Stage]) -> bool:
    return stage is None or not stage.objectives or stage.objectives[0].maximize is not False


def _score(trial: Trial, stage: Optional[Stage], result: Any) -> Optional[float]:
    if trial.objective_values:
        return trial.objective_values[0]
    return trial.values.get(_metric(stage, result))
