"""Runs one study for the manager: spec, worker, result in the spec's shape."""
from __future__ import annotations

import contextlib
import dataclasses
import logging
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

import numpy as np

from optimizer_grpc._pb import pb
from optimizer_grpc.analysis import AnalysisOptions, StudyAnalysis
from optimizer_grpc.client import Client
from optimizer_grpc.errors import OptimizationFailedError
from optimizer_grpc.model import StudyState, Trial
from optimizer_grpc.study_result import StudyResult, TargetResult
from optimizer_grpc.optimization._evaluation import TrialEvaluator
from optimizer_grpc.optimization._metric_wiring import metric_settings, objective_proto
from optimizer_grpc.optimization._spec import ParameterNames, constraint_proto, target_proto
from optimizer_grpc.optimization.events import OptimizationCompletedEvent, OptimizationStartedEvent, StudyEventRelay
from optimizer_grpc.optimization.methods import OptimizationMethod
from optimizer_grpc.optimization.protocols import check_run
from optimizer_grpc.optimization.metrics import OptimizationMetric
from optimizer_grpc.optimization.results import OptimizationResult, RunData
from optimizer_grpc.progress import ProgressBar
from optimizer_grpc.values import params_from_proto
from optimizer_grpc.worker import Worker

logger = logging.getLogger("optimizer_grpc.optimization")


@dataclass
class StudyPlan:
    """Everything a sequence decided: the targets, per-target method and metric, the sequence message."""

    sequence_name: str
    targets: List[str]
    methods: Dict[str, str]
    metrics: Dict[str, str]
    sequence: Any
    data: Optional[Any] = None  # a DataDescription message; bar_count is filled in from the data handler
    extra: Dict[str, Any] = field(default_factory=dict)


#: The most prices a study's data description carries (the proto's limit): enough for any display.
MAX_DISPLAY_PRICES = 20_000


def display_prices(close: Any, bar_count: int) -> np.ndarray:
    """The close prices for the study's data description (``DataDescription.prices``, which the server's dashboard
    draws): every bar, or MAX_DISPLAY_PRICES spread evenly over longer series (value i is bar
    ``floor(i * bar_count / n)``). Empty when the data handler has no close series of ``bar_count`` bars."""
    if close is None or bar_count <= 0 or len(close) != bar_count:
        return np.empty(0)
    n = min(bar_count, MAX_DISPLAY_PRICES)
    return np.asarray(close, dtype=float)[np.arange(n, dtype=np.int64) * bar_count // n]


def stage_proto(manager: Any, target: str, methods: Mapping[str, str], metrics: Mapping[str, str]) -> Any:
    method: OptimizationMethod = manager.methods[methods[target]]
    stage = pb.StageSpec(name=target, targets=[target], method=method.to_proto(),
                         objectives=[objective_proto(metrics[target], manager.metrics[metrics[target]])])
    if method.max_trials:
        stage.max_trials = method.max_trials
    return stage


def run_plan(manager: Any, client: Client, plan: StudyPlan, constraints: Mapping[str, Sequence[Tuple[str, Any]]],
             data_handler: Any, backtester: Any = None, run_backtest: Optional[Callable[..., Any]] = None,
             backtest_params: Optional[Dict[str, Any]] = None, metric_params: Optional[Dict[str, Any]] = None,
             capacity: Optional[int] = None, use_processes: bool = False, study_id: Optional[str] = None,
             seed: Optional[int] = None, max_trials: Optional[int] = None, progress: bool = True,
             progress_stream: Any = None, progress_interval: float = 10.0,
             analysis: Optional[AnalysisOptions] = None) -> Dict[str, Any]:
    """Creates and runs the study; ``analysis`` (None: none) asks the server for its analysis with these options."""
    targets = {name: manager.targets[name] for name in plan.targets}
    check_run(targets, data_handler, backtester, run_backtest, plan.sequence)  # everything missing, in one error
    names = {name: ParameterNames(t.get_parameter_space()) for name, t in targets.items()}
    first = plan.targets[0]
    method: OptimizationMethod = manager.methods[plan.methods[first]]
    used_metrics: Dict[str, OptimizationMetric] = {plan.metrics[t]: manager.metrics[plan.metrics[t]] for t in plan.targets}

    spec = pb.StudySpec(display_name=f"{plan.sequence_name}: {', '.join(plan.targets)}",
                        targets=[target_proto(n, t, names[n]) for n, t in targets.items()],
                        objectives=[objective_proto(plan.metrics[first], used_metrics[plan.metrics[first]])],
                        method=method.to_proto(), sequence=plan.sequence,
                        max_trials=max_trials if max_trials is not None else method.max_trials)
    if seed is not None:
        spec.method.seed = seed
    data = plan.data if plan.data is not None else pb.DataDescription()
    data.name = data.name or getattr(data_handler, "name", "")
    data.bar_count = len(data_handler)
    prices = display_prices(getattr(data_handler, "close", None), data.bar_count)
    if len(prices):
        data.prices[:] = prices.tolist()
    spec.data.CopyFrom(data)
    predicates = []
    for target_name, items in constraints.items():
        for constraint_name, constraint in items:
            if callable(constraint) and not isinstance(constraint, str):
                predicates.append((constraint_name, target_name if target_name in names else None, constraint))
            else:
                spec.constraints.append(constraint_proto(constraint_name, constraint, names,
                                                         target_name if target_name in names else None))
    spec.metric_settings.CopyFrom(metric_settings(used_metrics, metric_params))

    study = client.create_study(spec, study_id=study_id)
    logger.info("study %s created for %s", study.study_id, plan.targets)
    evaluator = TrialEvaluator(targets, names, data_handler, used_metrics, backtester, run_backtest, backtest_params,
                               metric_params, tuple(predicates),
                               verbose=any(getattr(manager.methods[plan.methods[t]], "verbose", False) for t in plan.targets))
    worker = Worker(client, study.study_id, evaluator, capacity=capacity, use_processes=use_processes)
    bus = getattr(manager, "event_bus", None)
    with contextlib.ExitStack() as running:
        if bus is not None:
            bus.emit(OptimizationStartedEvent(study.study_id, plan.sequence_name, plan.targets))
            running.enter_context(StudyEventRelay(client, study.study_id, bus, _spec_name(names)))
        if progress:
            objective = spec.objectives[0]
            running.enter_context(ProgressBar(client, study.study_id, metric=objective.metric, stream=progress_stream,
                                              interval=progress_interval,
                                              maximize=objective.direction != pb.DIRECTION_MINIMIZE))
        worker.run()
    finished = client.get_study(study.study_id)
    if finished.state == StudyState.FAILED or (
            finished.counts.completed == 0 and finished.counts.failed + finished.counts.infeasible > 0):
        raise OptimizationFailedError(finished.study_id, finished.state, finished.state_reason, finished.counts.failed,
                                      finished.failure_reasons, finished.counts.infeasible)
    result = client.get_result(study.study_id, include_analysis=analysis is not None,
                               **dataclasses.asdict(analysis or AnalysisOptions()))
    rename = _spec_name(names)
    trials = [dataclasses.replace(t, params={rename(k): v for k, v in t.params.items()})
              for t in client.list_trials(study.study_id, page_size=10000)]
    close = getattr(data_handler, "close", None)
    run_data = RunData(np.asarray(close, dtype=float) if close is not None else None,
                       np.asarray(data.regime_labels, dtype=np.int32) if len(data.regime_labels) else None,
                       tuple(data.regime_names))
    out = to_spec_result(plan, result, names, manager, trials, run_data, client)
    if bus is not None:
        bus.emit(OptimizationCompletedEvent(study.study_id, out))
    return out


def _target_results(entries: Sequence[Any], names: Mapping[str, ParameterNames], plan: StudyPlan) -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    for entry in entries:
        n = names.get(entry.target)
        if n is None:
            continue
        out[entry.target] = {"best_params": n.spec_params(entry.best_params), "best_score": entry.best_score,
                             "metric": plan.metrics.get(entry.target, entry.metric), "trial_number": entry.trial_number,
                             "stage_id": entry.stage_id, "method": plan.methods.get(entry.target)}
    return out


def _spec_name(names: Mapping[str, ParameterNames]) -> Callable[[str], str]:
    """"target.wire_name" -> "target.spec_name" (the spec's "target.rule.param")."""
    def rename(full: str) -> str:
        target, _, wire = full.partition(".")
        n = names.get(target)
        return f"{target}.{n.to_spec.get(wire, wire)}" if n is not None else full
    return rename


def _walk_forward(raw: Any, rename: Callable[[str], str]) -> Dict[str, Any]:
    """The server's WalkForwardResult as a dict: windows (bars [start, end), winner, in- and out-of-sample
    metrics), the stitched out-of-sample equity and its return, efficiency, profitable window share, stability."""
    wf = raw.walk_forward
    return {
        "windows": [{"index": w.index, "in_sample": (w.in_sample.start_bar, w.in_sample.end_bar),
                     "out_of_sample": (w.out_of_sample.start_bar, w.out_of_sample.end_bar),
                     "best_params": {rename(k): v for k, v in params_from_proto(w.best_params).items()},
                     "in_sample_metrics": dict(sorted(w.in_sample_metrics.items())),
                     "out_of_sample_metrics": dict(sorted(w.out_of_sample_metrics.items()))} for w in wf.windows],
        "stitched_equity": list(wf.stitched_equity),
        "stitched_return": wf.stitched_return,
        "efficiency": wf.efficiency,
        "profitable_window_share": wf.profitable_window_share,
        "parameter_stability": {rename(k): v for k, v in sorted(wf.parameter_stability.items())},
    }


def _hierarchical(raw: Any, rename: Callable[[str], str]) -> Dict[str, Any]:
    """The server's HierarchicalResult as a dict: each outer candidate (in the order the outer method proposed it)
    with its inner winner, score and trial counts, and the best (outer, inner) pair."""
    h = raw.hierarchical

    def candidate(c: Any) -> Dict[str, Any]:
        return {"outer_params": {rename(k): v for k, v in sorted(params_from_proto(c.outer_params).items())},
                "inner_best_params": {rename(k): v for k, v in sorted(params_from_proto(c.inner_best_params).items())},
                "best_score": c.best_score, "trial_number": c.best_trial_number,
                "trials": c.trials, "completed_trials": c.completed_trials}

    return {"outer_targets": list(h.outer_targets), "inner_targets": list(h.inner_targets),
            "candidates": [candidate(c) for c in h.candidates],
            "best": candidate(h.best) if h.HasField("best") else None}


def to_spec_result(plan: StudyPlan, result: StudyResult, names: Mapping[str, ParameterNames], manager: Any,
                   trials: Sequence[Trial] = (), data: Optional[RunData] = None,
                   client: Optional[Client] = None) -> OptimizationResult:
    """The spec's result dict; ``study_id``, ``state``, ``trial_counts``, ``study_result`` and, for walk-forward
    studies, ``walk_forward`` and, for hierarchical studies, ``hierarchical_results`` are additions. The returned dict also carries the trials and their tables."""
    target_results = _target_results(list(result.target_results.values()), names, plan)
    for name, entry in target_results.items():
        manager.targets[name].set_parameters(entry["best_params"])  # as the spec's sequences do: keep the winners
    study = result.study
    out: Dict[str, Any] = {
        "sequence": plan.sequence_name,
        "study_id": study.study_id,
        "state": study.state.name,
        "trial_counts": study.counts,
        "target_results": target_results,
        "combined_result": {"targets": list(plan.targets), "methods": dict(plan.methods), "metrics": dict(plan.metrics)},
        "study_result": result,
        # Failed trials of a run that still produced a result: how many, and the most common reasons.
        "failures": {"count": study.counts.failed,
                     "reasons": [{"reason": f.reason, "count": f.count} for f in study.failure_reasons]},
    }
    if study.state != StudyState.COMPLETED:
        out["state_reason"] = study.state_reason
    raw = result.raw
    rename = _spec_name(names)
    if raw is not None and len(raw.regime_results):
        out["regimes"] = [r.regime for r in raw.regime_results]
        out["regime_results"] = {
            r.regime: {"target_results": _target_results([TargetResult.from_proto(t) for t in r.target_results], names, plan),
                       "bar_count": r.bar_count}
            for r in raw.regime_results if not r.skipped}
    if raw is not None and raw.HasField("walk_forward") and len(raw.walk_forward.windows):
        out["walk_forward"] = _walk_forward(raw, rename)
    if raw is not None and raw.HasField("hierarchical"):
        out["hierarchical_results"] = _hierarchical(raw, rename)
    analysis = StudyAnalysis.from_proto(raw.analysis, rename) if raw is not None and raw.HasField("analysis") else None
    if analysis is not None:
        _place_analysis(out, analysis, result)
    return OptimizationResult(out, trials, None, analysis, data, client)


def _place_analysis(out: Dict[str, Any], analysis: StudyAnalysis, result: StudyResult) -> None:
    """``out["analysis"]``: the analysis as dicts (``stages``, ``regimes``, ``walk_forward``) plus each stage's
    analysis under the key of the result it produced: ``regime_results[regime]``, ``windows[i]`` (a walk-forward
    window's in-sample search), ``target_results[name]`` (a target searched in a stage of its own over the whole
    data). The views hold the same dicts as ``stages``; the spec's own dicts are left as they are."""
    whole = analysis.to_dict()
    by_id = {s["stage_id"]: s for s in whole["stages"]}
    regime_views: Dict[str, Any] = {}
    windows: List[Optional[Dict[str, Any]]] = [None] * len(out.get("walk_forward", {}).get("windows", []))
    for stage in result.study.stages:
        stage_analysis = by_id.get(stage.stage_id)
        if stage_analysis is None:
            continue
        if stage.regime and stage.regime in out.get("regime_results", {}):
            regime_views[stage.regime] = stage_analysis
        if stage.window_index is not None and stage.window_index < len(windows):
            in_sample = out["walk_forward"]["windows"][stage.window_index]["in_sample"]
            if (stage.data_context.start_bar, stage.data_context.end_bar) == in_sample:  # not the validation stage
                windows[stage.window_index] = stage_analysis
    stages = {s.stage_id: s for s in result.study.stages}
    target_views = {}
    for name, entry in out["target_results"].items():
        stage = stages.get(entry["stage_id"])
        if stage is not None and stage.targets == (name,) and not stage.regime and stage.window_index is None:
            target_views[name] = by_id.get(entry["stage_id"])
    whole["target_results"] = {k: v for k, v in target_views.items() if v is not None}
    if regime_views:
        whole["regime_results"] = regime_views
    if windows:
        whole["windows"] = windows
    out["analysis"] = whole
