"""Result visualization utilities (the spec's ``results/visualization.py``): figures of a study's analysis and of a
manager's run.

matplotlib is optional and imported only when a plot is drawn (ImportError naming it otherwise). Each function draws
on ``ax`` when given, else on a new figure; writes the figure to ``path`` when given (format from the suffix: .png,
.svg, .pdf); returns the figure. No pyplot state is used, so any backend (Agg on a server) works.

- Of the analysis: ``plot_importance``, ``plot_sensitivity_surface``, ``plot_pbo_logits`` take a StageAnalysis, or a
  result holding an analysis (an OptimizationResult, a StudyResult, a StudyAnalysis) plus an optional ``stage_id``
  (default: the first stage with a landscape); ``plot_heatmap(result, x, y)`` is the surface of two named
  parameters, x across.
- Of a run (an OptimizationResult, the value of ``OptimizationManager.run_optimization``), in ``run_plots`` and
  re-exported here: ``plot_history`` (its trials), ``plot_regimes`` (its prices and regime labels, and the analysis'
  cross-regime matrix), ``plot_walk_forward`` (its walk-forward windows and stitched equity), ``plot_equity`` (the
  server's kept equity curves of a stage's best trials). Each is also a method of the result
  (``result.plot_history()``).
"""
from __future__ import annotations

import math
from typing import Any, List, Optional, Tuple, Union

import numpy as np

from optimizer_grpc.analysis import CellKind, ParameterSensitivity, SensitivitySurface, StageAnalysis
from optimizer_grpc.optimization._figures import PathLike, axes as _axes, finish as _finish
from optimizer_grpc.optimization.result_analysis import Analysed, find_stage, study_analysis
from optimizer_grpc.optimization.run_plots import plot_equity, plot_history, plot_regimes, plot_walk_forward

__all__ = ["plot_importance", "plot_sensitivity_surface", "plot_heatmap", "plot_pbo_logits", "plot_history",
           "plot_regimes", "plot_walk_forward", "plot_equity"]



def plot_importance(result: Union[StageAnalysis, Analysed], path: Optional[PathLike] = None,
                    stage_id: Optional[str] = None, ax: Any = None) -> Any:
    """Horizontal bars of each parameter's importance (PED-ANOVA share of the score's variation), largest on top."""
    stage = find_stage(result, stage_id)
    if not stage.importance:
        raise ValueError(f"stage {stage.stage_id} has no importance: {stage.unavailable or 'no free parameters'}")
    fig, ax = _axes("plot_importance", ax, (6.5, 1.4 + 0.4 * len(stage.importance)))
    items = list(reversed(stage.importance))
    ax.barh([i.parameter for i in items], [i.importance for i in items], color="tab:blue")
    ax.set_xlim(0, 1)
    ax.set_xlabel("importance (share of the score's variation)")
    ax.set_title(f"{stage.stage_id}: importance ({stage.metric}, {stage.completed_trials} trials)")
    return _finish(fig, path)


def plot_sensitivity_surface(result: Union[StageAnalysis, Analysed], path: Optional[PathLike] = None,
                             stage_id: Optional[str] = None, row_parameter: Optional[str] = None,
                             column_parameter: Optional[str] = None, ax: Any = None) -> Any:
    """A heatmap of the best score per cell of two parameters (the stage's first surface, or the named pair);
    blank where no trial fell."""
    stage = find_stage(result, stage_id)
    surfaces = [s for s in stage.surfaces if row_parameter in (None, s.row_parameter)
                and column_parameter in (None, s.column_parameter)]
    if not surfaces:
        raise ValueError(f"stage {stage.stage_id} has no surface"
                         + (f" for {row_parameter} x {column_parameter}" if row_parameter or column_parameter else
                            " (it needs two free parameters and surface_parameters >= 2)"))
    surface = surfaces[0]
    fig, ax = _axes("plot_sensitivity_surface", ax, (1.5 + 0.6 * surface.columns, 1.2 + 0.45 * surface.rows))
    _draw_surface(fig, ax, stage, surface.to_array(), surface.column_parameter, surface.row_parameter)
    return _finish(fig, path)


def plot_heatmap(result: Union[StageAnalysis, Analysed], x: str, y: str, stage: Optional[str] = None,
                 path: Optional[PathLike] = None, ax: Any = None) -> Any:
    """A heatmap of the best score per cell of parameters ``x`` (across) and ``y`` (up), by their spec names
    ("target.rule.param"), from the analysis' sensitivity surface of the pair in ``stage`` (a stage id; default: the
    first stage with that surface); blank where no trial fell. ValueError listing the surfaces there are otherwise."""
    stages = [find_stage(result, stage)] if stage is not None or isinstance(result, StageAnalysis) else \
        list(study_analysis(result)[0].stages)
    for candidate in stages:
        surface = candidate.surface(y, x) or candidate.surface(x, y)
        if surface is not None:
            break
    else:
        pairs = sorted({f"{s.row_parameter} x {s.column_parameter}" for st in stages for s in st.surfaces})
        raise ValueError(f"no surface of {x} and {y}" + (f" in {stage}" if stage else "") +
                         (f"; the analysis has {', '.join(pairs)}" if pairs else
                          "; the analysis has none (they need two free parameters and surface_parameters >= 2)"))
    grid = surface.to_array()
    if surface.row_parameter == x:  # stored the other way round: x must run across
        grid = grid.T
    fig, ax = _axes("plot_heatmap", ax, (1.5 + 0.6 * grid.shape[1], 1.2 + 0.45 * grid.shape[0]))
    _draw_surface(fig, ax, candidate, grid, x, y)
    return _finish(fig, path)


def _draw_surface(fig: Any, ax: Any, stage: StageAnalysis, grid: np.ndarray, x: str, y: str) -> None:
    image = ax.imshow(np.ma.masked_invalid(grid), cmap="viridis", origin="lower", aspect="auto")
    fig.colorbar(image, ax=ax, label=f"best {stage.metric}")
    for axis, name, count in (("x", x, grid.shape[1]), ("y", y, grid.shape[0])):
        labels = _cell_labels(stage.sensitivity_of(name), count)
        getattr(ax, f"set_{axis}ticks")(range(count))
        getattr(ax, f"set_{axis}ticklabels")(labels, rotation=45 if axis == "x" else 0, fontsize=8)
        getattr(ax, f"set_{axis}label")(name)
    ax.set_title(f"{stage.stage_id}: best {stage.metric} per cell")


def plot_pbo_logits(result: Union[StageAnalysis, Analysed], path: Optional[PathLike] = None,
                    stage_id: Optional[str] = None, ax: Any = None) -> Any:
    """The histogram of the logits of the in-sample winner's out-of-sample relative rank over the cross-validation's
    combinations; mass left of 0 is the Probability of Backtest Overfitting."""
    stage = find_stage(result, stage_id)
    pbo = stage.overfitting.pbo if stage.overfitting is not None else None
    if pbo is None:
        reasons = "; ".join(stage.overfitting.unavailable) if stage.overfitting is not None else "no statistics"
        raise ValueError(f"stage {stage.stage_id} has no PBO: {reasons}")
    fig, ax = _axes("plot_pbo_logits", ax, (6.0, 3.5))
    edges = np.asarray(pbo.logit_bin_edges, dtype=float)
    counts = np.asarray(pbo.logit_histogram, dtype=float)
    colours = ["tab:red" if right <= 0 else "tab:green" for right in edges[1:]]
    ax.bar(edges[:-1], counts, width=np.diff(edges), align="edge", color=colours, edgecolor="black", linewidth=0.4)
    ax.axvline(0.0, color="black", linestyle="--", linewidth=1)
    ax.set_xlabel("logit of the out-of-sample relative rank of the in-sample winner")
    ax.set_ylabel("combinations")
    ax.set_title(f"{stage.stage_id}: PBO {pbo.probability:.2f} over {pbo.combinations} combinations "
                 f"({pbo.blocks} blocks)")
    return _finish(fig, path)


def _cell_labels(sensitivity: Optional[ParameterSensitivity], count: int) -> List[str]:
    """Tick labels of a parameter's cells: the value or choice, or a bin's edges."""
    if sensitivity is None or len(sensitivity.cells) != count:
        return [str(i) for i in range(count)]
    if sensitivity.kind == CellKind.BIN:
        return [f"{_short(c.low)}-{_short(c.high)}" for c in sensitivity.cells]
    return [_short(c.low) for c in sensitivity.cells]


def _short(value: Any) -> str:
    if isinstance(value, float) and math.isfinite(value):
        return f"{value:.4g}"
    return str(value)
