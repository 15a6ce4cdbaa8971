"""Runs one study for the manager: spec, worker, result in the spec's shape."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from optimizer_grpc._pb import pb
from optimizer_grpc.client import Client
from optimizer_grpc.model import StudyResult, StudyState
from optimizer_grpc.optimization._evaluation import TrialEvaluator
from optimizer_grpc.optimization._spec import (ParameterNames, constraint_proto, objective_proto, target_proto)
from optimizer_grpc.optimization.methods import GridSearchMethod, OptimizationMethod
from optimizer_grpc.optimization.metrics import OptimizationMetric
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
             seed: Optional[int] = None, max_trials: Optional[int] = None) -> Dict[str, Any]:
    targets = {name: manager.targets[name] for name in plan.targets}
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
    spec.data.CopyFrom(data)
    predicates = []
    for target_name, items in constraints.items():
        for constraint_name, constraint in items:
            if callable(constraint) and not isinstance(constraint, str):
                predicates.append((constraint_name, target_name if target_name in names else None, constraint))
            else:
                spec.constraints.append(constraint_proto(constraint_name, constraint, names,
                                                         target_name if target_name in names else None))
    # metric_settings (risk-free rate, annualisation) are sent with the switch to backtest records (see
    # TrialEvaluator._outcome); with client-computed values the metric objects hold them.

    study = client.create_study(spec, study_id=study_id)
    logger.info("study %s created for %s", study.study_id, plan.targets)
    evaluator = TrialEvaluator(targets, names, data_handler, used_metrics, backtester, run_backtest, backtest_params,
                               metric_params, tuple(predicates),
                               verbose=any(getattr(manager.methods[plan.methods[t]], "verbose", False) for t in plan.targets))
    Worker(client, study.study_id, evaluator, capacity=capacity, use_processes=use_processes).run()
    result = client.get_result(study.study_id)
    return to_spec_result(plan, result, names, manager)


def _target_results(entries: Sequence[Any], names: Mapping[str, ParameterNames], plan: StudyPlan) -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    for entry in entries:
        n = names.get(entry.target)
        if n is None:
            continue
        out[entry.target] = {"best_params": n.spec_params(entry.best_params), "best_score": entry.best_score,
                             "metric": entry.metric or plan.metrics.get(entry.target), "trial_number": entry.trial_number,
                             "stage_id": entry.stage_id, "method": plan.methods.get(entry.target)}
    return out


def to_spec_result(plan: StudyPlan, result: StudyResult, names: Mapping[str, ParameterNames], manager: Any) -> Dict[str, Any]:
    """The spec's result dict; ``study_id``, ``state``, ``trial_counts`` and ``study_result`` are additions."""
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
    }
    if study.state != StudyState.COMPLETED:
        out["state_reason"] = study.state_reason
    raw = result.raw
    if raw is not None and len(raw.regime_results):
        from optimizer_grpc.model import TargetResult
        out["regimes"] = [r.regime for r in raw.regime_results]
        out["regime_results"] = {
            r.regime: {"target_results": _target_results([TargetResult.from_proto(t) for t in r.target_results], names, plan),
                       "bar_count": r.bar_count}
            for r in raw.regime_results if not r.skipped}
    return out
