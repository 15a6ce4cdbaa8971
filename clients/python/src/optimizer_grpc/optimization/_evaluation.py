"""What a worker runs for each trial of a manager's study: apply the parameters to private copies of the
targets, backtest the trial's slice of the data, and report the metrics."""
from __future__ import annotations

import copy
import logging
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from optimizer_grpc.model import Trial, TrialOutcome
from optimizer_grpc.optimization._spec import ParameterNames
from optimizer_grpc.optimization.metrics import OptimizationMetric
from optimizer_grpc.trading.backtest import Backtester

logger = logging.getLogger("optimizer_grpc.optimization")


class TrialEvaluator:
    """Picklable (for use_processes=True) when the targets, data handler and backtest functions are."""

    def __init__(self, targets: Mapping[str, Any], names: Mapping[str, ParameterNames], data_handler: Any,
                 metrics: Mapping[str, OptimizationMetric], backtester: Any = None,
                 run_backtest: Optional[Callable[..., Tuple[Any, List[Dict[str, Any]]]]] = None,
                 backtest_params: Optional[Dict[str, Any]] = None, metric_params: Optional[Dict[str, Any]] = None,
                 predicates: Tuple[Tuple[str, Optional[str], Callable[[Dict[str, Any]], bool]], ...] = (),
                 verbose: bool = False) -> None:
        if data_handler is None:
            raise ValueError("data_handler is required: trials are backtested on its data")
        self.targets = dict(targets)
        self.names = dict(names)
        self.data_handler = data_handler
        self.metrics = dict(metrics)
        self.backtester = backtester if backtester is not None or run_backtest is not None else Backtester()
        self.run_backtest = run_backtest
        self.backtest_params = dict(backtest_params or {})
        self.metric_params = dict(metric_params or {})
        self.predicates = predicates
        self.verbose = verbose

    def __call__(self, trial: Trial) -> TrialOutcome:
        # Copies keep concurrent trials from changing each other's parameters; one deepcopy of all targets keeps
        # rules shared between targets (weights and parameters of the same rules) shared in the copy.
        targets = copy.deepcopy(self.targets)
        spec_params: Dict[str, Any] = {}
        for name, target in targets.items():
            params = self.names[name].spec_params(trial.target_params(name))
            ok, error = target.validate_parameters(params)
            if not ok:
                return TrialOutcome.failure(f"invalid parameters for target {name}: {error}", "InvalidParameters")
            target.set_parameters(params)
            spec_params.update({f"{name}.{k}": v for k, v in params.items()})
        for constraint_name, target_name, predicate in self.predicates:
            view = dict(spec_params)
            if target_name is not None:
                view.update(self.names_view(spec_params, target_name))
            if not predicate(view):
                return TrialOutcome.failure(f"constraint {constraint_name} is not satisfied", "ConstraintViolated")
        data = self._data(trial)
        subject = next(iter(targets.values())) if len(targets) == 1 else list(targets.values())
        if self.run_backtest is not None:
            equity, trades = self.run_backtest(subject, data, **self.backtest_params)
        else:
            equity, trades = self.backtester.run(subject, data, **self.backtest_params)
        outcome = self._outcome(equity, trades)
        if self.verbose:
            logger.info("trial %d %s -> %s", trial.number, spec_params, dict(outcome.values))
        return outcome

    @staticmethod
    def names_view(spec_params: Dict[str, Any], target: str) -> Dict[str, Any]:
        prefix = target + "."
        return {k[len(prefix):]: v for k, v in spec_params.items() if k.startswith(prefix)}

    def _data(self, trial: Trial) -> Any:
        context = trial.data_context
        if context.evaluate_whole_series or context.kind == "whole":
            return self.data_handler
        if context.kind == "window":
            return self.data_handler.window(context.start_bar, context.end_bar)
        return self.data_handler.segments(context.segments)

    def _outcome(self, equity: Any, trades: List[Dict[str, Any]]) -> TrialOutcome:
        # The one place that decides what a trial reports. Today: metric values computed here. When the server
        # computes metrics from backtest records, return TrialOutcome.from_record(BacktestRecord(equity, ...)) and
        # the study's objectives name the metrics' server_name instead.
        values = {name: metric.calculate(equity, trades, **self.metric_params) for name, metric in self.metrics.items()}
        return TrialOutcome.of(values)
