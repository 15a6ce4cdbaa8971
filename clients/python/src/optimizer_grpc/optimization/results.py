"""OptimizationResult: the spec's result dict, with its trials and tables for analysis."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np

from optimizer_grpc.analysis import StudyAnalysis
from optimizer_grpc.client import Client
from optimizer_grpc.frames import _rectangular, to_dataframe, trial_records
from optimizer_grpc.model import Trial
from optimizer_grpc.study_result import EquityCurves
from optimizer_grpc.optimization import visualization

TABLES = ("trials", "targets", "walk_forward")


@dataclass(frozen=True)
class RunData:
    """What a run's study was searched on, for its plots: the data handler's close prices (one per bar; None when it
    has no ``close``) and, for a regime study, the regime label of each bar (an index into ``regime_names``, -1 for
    a bar in no regime) as the manager sent them to the server."""

    prices: Optional[np.ndarray] = None
    regime_labels: Optional[np.ndarray] = None
    regime_names: Tuple[str, ...] = ()


class OptimizationResult(dict):
    """The dict ``run_optimization`` returns (``result["target_results"][name]["best_params"]``...), plus ``trials``
    (every trial of the study, parameters under the spec's names) and tables of it:

    - ``to_records(table)``: a list of flat dicts, one per row, the same keys in each;
    - ``to_dataframe(table)``: the same as a pandas DataFrame (ImportError naming pandas when it is missing).

    Tables: ``"trials"`` (one row per trial: state, context, ``param:*``, ``value:*`` for every metric),
    ``"targets"`` (one row per target and regime: best parameters and score), ``"walk_forward"`` (one row per
    window: bars, best parameters, ``in_sample:*`` and ``out_of_sample:*`` metrics).

    ``analysis`` is the study's analysis as typed values (``optimizer_grpc.analysis.StudyAnalysis``, parameters
    under the spec's names), None when the run skipped it (``analyze=False``); ``self["analysis"]`` is the same as
    plain dicts. ``data`` is what the study was searched on (``RunData``: close prices, regime labels).

    Plots (matplotlib, optional; see ``optimizer_grpc.optimization.visualization``), each returning the figure and
    writing it to ``path`` when given: ``plot_history``, ``plot_importance``, ``plot_heatmap(x, y)``,
    ``plot_regimes``, ``plot_walk_forward``, ``plot_equity(top=5)``. ``plot_equity`` and ``equity_curves`` ask the
    server, so the manager that ran the study must still be open (or pass ``client=``).
    """

    def __init__(self, content: Dict[str, Any], trials: Sequence[Trial] = (),
                 param_name: Optional[Callable[[str], str]] = None, analysis: Optional[StudyAnalysis] = None,
                 data: Optional[RunData] = None, client: Optional[Client] = None) -> None:
        super().__init__(content)
        self.trials: List[Trial] = list(trials)
        self._param_name = param_name
        self.analysis = analysis
        self.data = data or RunData()
        self._client = client

    @property
    def failures(self) -> Dict[str, Any]:
        """``{"count": n, "reasons": [{"reason": ..., "count": ...}, ...]}``: the run's FAILED trials and their most
        common reasons (first line of each trial's reason), most frequent first."""
        return self.get("failures", {"count": 0, "reasons": []})

    # Plots

    def plot_history(self, stage: Optional[str] = None, path: Any = None, ax: Any = None) -> Any:
        return visualization.plot_history(self, stage, path, ax)

    def plot_importance(self, stage: Optional[str] = None, path: Any = None, ax: Any = None) -> Any:
        return visualization.plot_importance(self, path, stage, ax)

    def plot_heatmap(self, x: str, y: str, stage: Optional[str] = None, path: Any = None, ax: Any = None) -> Any:
        return visualization.plot_heatmap(self, x, y, stage, path, ax)

    def plot_regimes(self, path: Any = None, ax: Any = None) -> Any:
        return visualization.plot_regimes(self, path, ax)

    def plot_walk_forward(self, metric: Optional[str] = None, path: Any = None, ax: Any = None) -> Any:
        return visualization.plot_walk_forward(self, metric, path, ax)

    def plot_equity(self, top: int = 5, stage: Optional[str] = None, path: Any = None, ax: Any = None,
                    client: Optional[Client] = None) -> Any:
        return visualization.plot_equity(self, top, stage, path, ax, client)

    plot_history.__doc__ = visualization.plot_history.__doc__
    plot_importance.__doc__ = visualization.plot_importance.__doc__
    plot_heatmap.__doc__ = visualization.plot_heatmap.__doc__
    plot_regimes.__doc__ = visualization.plot_regimes.__doc__
    plot_walk_forward.__doc__ = visualization.plot_walk_forward.__doc__
    plot_equity.__doc__ = visualization.plot_equity.__doc__

    def equity_curves(self, top: int = 5, stage: Optional[str] = None, client: Optional[Client] = None) -> EquityCurves:
        """The server's kept equity curves of the best ``top`` trials of ``stage`` (a stage id; None: the stage of
        the study's best trial), best first (``Client.list_equity_curves``)."""
        client = client or self._client
        if client is None or client.closed:
            raise RuntimeError("the manager that ran this study is closed: pass client=Client(address) of its server")
        if stage is None:
            best = self["study_result"].best_trial if "study_result" in self else None
            stage = best.stage_id if best is not None else ""
        return client.list_equity_curves(self["study_id"], stage, top)

    def to_records(self, table: str = "trials") -> List[Dict[str, Any]]:
        if table == "trials":
            return trial_records(self.trials, self._param_name)
        if table == "targets":
            return self._target_rows()
        if table == "walk_forward":
            return self._window_rows()
        raise ValueError(f"table must be one of {', '.join(TABLES)}, got {table!r}")

    def to_dataframe(self, table: str = "trials") -> Any:
        return to_dataframe(self.to_records(table))

    def _target_rows(self) -> List[Dict[str, Any]]:
        def row(regime: Optional[str], name: str, entry: Dict[str, Any]) -> Dict[str, Any]:
            out = {"regime": regime, "target": name, "metric": entry.get("metric"), "best_score": entry.get("best_score"),
                   "trial_number": entry.get("trial_number")}
            out.update({f"param:{k}": v for k, v in entry.get("best_params", {}).items()})
            return out

        rows = [row(None, name, entry) for name, entry in self.get("target_results", {}).items()]
        for regime, regime_result in self.get("regime_results", {}).items():
            rows += [row(regime, name, entry) for name, entry in regime_result["target_results"].items()]
        return _rectangular(rows, ("regime", "target", "metric", "best_score", "trial_number"))

    def _window_rows(self) -> List[Dict[str, Any]]:
        rows = []
        for w in self.get("walk_forward", {}).get("windows", []):
            out: Dict[str, Any] = {"window": w["index"], "in_sample_start": w["in_sample"][0],
                                   "in_sample_end": w["in_sample"][1], "out_of_sample_start": w["out_of_sample"][0],
                                   "out_of_sample_end": w["out_of_sample"][1]}
            out.update({f"param:{k}": v for k, v in w["best_params"].items()})
            out.update({f"in_sample:{k}": v for k, v in w["in_sample_metrics"].items()})
            out.update({f"out_of_sample:{k}": v for k, v in w["out_of_sample_metrics"].items()})
            rows.append(out)
        return _rectangular(rows, ("window", "in_sample_start", "in_sample_end", "out_of_sample_start",
                                   "out_of_sample_end"))
