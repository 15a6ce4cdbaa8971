"""OptimizationResult: the spec's result dict, with its trials and tables for analysis."""
from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Sequence

from optimizer_grpc.analysis import StudyAnalysis
from optimizer_grpc.frames import _rectangular, to_dataframe, trial_records
from optimizer_grpc.model import Trial

TABLES = ("trials", "targets", "walk_forward")


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
    plain dicts.
    """

    def __init__(self, content: Dict[str, Any], trials: Sequence[Trial] = (),
                 param_name: Optional[Callable[[str], str]] = None, analysis: Optional[StudyAnalysis] = None) -> None:
        super().__init__(content)
        self.trials: List[Trial] = list(trials)
        self._param_name = param_name
        self.analysis = analysis

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
