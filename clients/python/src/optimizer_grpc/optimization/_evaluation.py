"""What a worker runs for each trial of a manager's study: apply the parameters to private copies of the
targets, backtest the trial's slice of the data, and report the backtest record (the server computes the metrics)
with the values of any metric only the client can compute."""
from __future__ import annotations

import copy
import logging
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

import numpy as np

from optimizer_grpc.model import BacktestRecord, TradeRecord, Trial, TrialOutcome
from optimizer_grpc.optimization._metric_wiring import client_metrics
from optimizer_grpc.optimization._spec import ParameterNames
from optimizer_grpc.optimization.metrics import OptimizationMetric
from optimizer_grpc.optimization.targets import TargetGroup
from optimizer_grpc.trading.backtest import Backtester

logger = logging.getLogger("optimizer_grpc.optimization")


class TrialEvaluator:
    """Picklable (for use_processes=True) when the targets, data handler and backtest functions are.

    ``metrics`` are the study's registered metrics; only those without a ``server_name`` are computed here."""

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
        self.metrics = client_metrics(metrics)
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
            if not ok:  # refused, not failed: the server records it INFEASIBLE and never evaluates it again
                return TrialOutcome.infeasible(f"target {name}: {error}")
            target.set_parameters(params)
            spec_params.update({f"{name}.{k}": v for k, v in params.items()})
        for constraint_name, target_name, predicate in self.predicates:
            view = dict(spec_params)
            if target_name is not None:
                view.update(self.names_view(spec_params, target_name))
            if not predicate(view):
                return TrialOutcome.infeasible(f"constraint {constraint_name} is not satisfied")
        data = self._data(trial)
        # One calling convention: the target, or with several a TargetGroup (a tuple of them that reads like one).
        subject = next(iter(targets.values())) if len(targets) == 1 else TargetGroup(targets)
        if self.run_backtest is not None:
            equity, trades = self.run_backtest(subject, data, **self.backtest_params)
        else:
            equity, trades = self.backtester.run(subject, data, **self.backtest_params)
        outcome = self._outcome(equity, trades, _start_bar(trial))
        if self.verbose:
            logger.info("trial %d %s -> %d bars, %d trades%s", trial.number, spec_params, len(outcome.record.equity),
                        len(outcome.record.trades), f", {dict(outcome.values)}" if outcome.values else "")
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

    def _outcome(self, equity: Any, trades: Sequence[Any], start_bar: int = 0) -> TrialOutcome:
        # The one place that decides what a trial reports: the record, from which the server computes every metric
        # the study names (objectives, extras, custom metrics, performance constraints, per-regime or per-window
        # attribution), plus the values of client-only metrics, computed from the same equity and trades.
        values = {name: metric.calculate(equity, list(trades), **self.metric_params) for name, metric in self.metrics.items()}
        record = BacktestRecord(equity=np.asarray(equity, dtype=float),
                                trades=[_trade(t, start_bar, i) for i, t in enumerate(trades)], start_bar=start_bar)
        return TrialOutcome.from_record(record, values)


def _start_bar(trial: Trial) -> int:
    """Bar index, in the full series, of the first bar the trial's backtest saw. For a regime's joined segments it
    is the first segment's start: the server only uses it to map trade bars back into the record."""
    context = trial.data_context
    if context.evaluate_whole_series or context.kind == "whole":
        return 0
    if context.kind == "window":
        return max(0, int(context.start_bar or 0))
    return int(context.segments[0][0]) if context.segments else 0


_REQUIRED = ("entry_bar", "exit_bar", "pnl", "return")


def _trade(trade: Any, start_bar: int, index: int) -> TradeRecord:
    """A backtester's trade (a TradeRecord, or a dict with entry_bar and exit_bar relative to the backtested data,
    pnl and return; side +1/-1, size and prices optional) as the record's trade in full-series bars."""
    if isinstance(trade, TradeRecord):
        return TradeRecord(trade.entry_bar + start_bar, trade.exit_bar + start_bar, trade.side, trade.size,
                           trade.entry_price, trade.exit_price, trade.ret, trade.pnl)
    missing = [k for k in _REQUIRED if k not in trade]
    if missing:
        raise ValueError(f"trade {index} has no {', '.join(missing)}: the server computes metrics from trades with "
                         f"{', '.join(_REQUIRED)} (side, size, entry_price, exit_price optional)")
    return TradeRecord(entry_bar=int(trade["entry_bar"]) + start_bar, exit_bar=int(trade["exit_bar"]) + start_bar,
                       side=int(trade.get("side", 1)), size=float(trade.get("size", 1.0)),
                       entry_price=float(trade.get("entry_price", 0.0)), exit_price=float(trade.get("exit_price", 0.0)),
                       ret=float(trade["return"]), pnl=float(trade["pnl"]))
