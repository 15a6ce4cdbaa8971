"""A user's own rule, data handler and backtest, written only from the README's protocols, run the specification's
first example (Basic Rule Parameter Optimization) against the real server; the checks before the first trial and
the one calling convention of run_backtest."""
from __future__ import annotations

import itertools
import math
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np
import pytest

from optimizer_grpc import (EventBus, EventType, GridSearchMethod, OptimizationManager, ProtocolError, RuleParametersTarget,
                            RuleWeightsTarget, SequentialOptimization, SharpeRatioMetric, TargetGroup)


class MyPrices:
    """The README's data handler protocol: __len__, window(start, end), segments([(start, end), ...]), close."""

    def __init__(self, close: Sequence[float]) -> None:
        self.close = np.asarray(close, dtype=float)

    def __len__(self) -> int:
        return len(self.close)

    def window(self, start: int, end: int) -> "MyPrices":
        return MyPrices(self.close[start:end])

    def segments(self, segments: Sequence[Tuple[int, int]]) -> "MyPrices":
        return MyPrices(np.concatenate([self.close[s:e] for s, e in segments]))


class MyMovingAverageRule:
    """The README's rule protocol: name, parameter_space, get/set/validate_parameters; generate_positions for the
    built-in backtester (this test's own backtest does not need it)."""

    def __init__(self, name: str, fast: int, slow: int, space: Dict[str, List[int]]) -> None:
        self.name, self.fast, self.slow, self.parameter_space = name, fast, slow, space

    def get_parameters(self) -> Dict[str, Any]:
        return {"fast_window": self.fast, "slow_window": self.slow}

    def set_parameters(self, params: Dict[str, Any]) -> None:
        self.fast = params.get("fast_window", self.fast)
        self.slow = params.get("slow_window", self.slow)

    def validate_parameters(self, params: Dict[str, Any]) -> Tuple[bool, Optional[str]]:
        fast, slow = params.get("fast_window", self.fast), params.get("slow_window", self.slow)
        return (True, None) if fast < slow else (False, f"fast_window {fast} must be below slow_window {slow}")

    def long(self, close: np.ndarray) -> np.ndarray:
        def sma(n: int) -> np.ndarray:
            out = np.full(len(close), np.nan)
            c = np.cumsum(np.insert(close, 0, 0.0))
            out[n - 1:] = (c[n:] - c[:-n]) / n
            return out
        return np.nan_to_num(sma(self.fast) > sma(self.slow)).astype(float)


def my_backtest(target: Any, data_handler: MyPrices) -> Tuple[np.ndarray, List[Dict[str, Any]]]:
    """The README's backtest protocol: (equity, trades with entry_bar, exit_bar, pnl, return)."""
    close = data_handler.close
    position = np.ones(len(close))
    for rule in target.rules:
        position *= rule.long(close)  # long while every rule is long
    growth = 1 + position[:-1] * (close[1:] / close[:-1] - 1)
    equity = np.concatenate([[1.0], np.cumprod(growth)])
    trades = []
    entry = None
    for t, p in enumerate(np.append(position, 0.0)):
        if p and entry is None:
            entry = t
        elif not p and entry is not None:
            exit_bar = min(t, len(close) - 1)
            trades.append({"entry_bar": entry, "exit_bar": exit_bar, "pnl": float(equity[exit_bar] - equity[entry]),
                           "return": float(close[exit_bar] / close[entry] - 1)})
            entry = None
    return equity, trades


def sharpe(equity: np.ndarray) -> float:
    r = equity[1:] / equity[:-1] - 1
    return float(np.mean(r) / np.std(r, ddof=1) * math.sqrt(252))


@pytest.fixture()
def bus():
    return EventBus()


@pytest.fixture()
def manager(server_address, bus):
    with OptimizationManager(address=server_address, progress=False, analyze=False, capacity=2, event_bus=bus) as m:
        yield m


def series(n: int = 600, seed: int = 3) -> MyPrices:
    rng = np.random.default_rng(seed)
    return MyPrices(100 * np.cumprod(1 + 0.0004 + 0.01 * rng.standard_normal(n)))


def test_spec_first_example_with_the_users_own_rule_data_handler_and_backtest(manager, bus):
    finished = []
    bus.subscribe(EventType.TRIAL_COMPLETED, lambda e: finished.append(e.data["trial"]))
    crossover_space = {"fast_window": [5, 10, 20], "slow_window": [30, 60]}
    filter_space = {"fast_window": [50, 100], "slow_window": [150, 200]}
    ma_crossover_rule = MyMovingAverageRule("ma_crossover", 10, 30, crossover_space)
    ma_filter_rule = MyMovingAverageRule("ma_filter", 50, 200, filter_space)
    data_handler = series()

    manager.register_target("ma_rule_params", RuleParametersTarget(rules=[ma_crossover_rule, ma_filter_rule]))
    manager.register_method("grid_search", GridSearchMethod(verbose=True))
    manager.register_metric("sharpe_ratio", SharpeRatioMetric(risk_free_rate=0.0, annualization_factor=252))
    manager.register_sequence("sequential", SequentialOptimization())
    result = manager.run_optimization(
        sequence_name="sequential", targets=["ma_rule_params"], methods={"ma_rule_params": "grid_search"},
        metrics={"ma_rule_params": "sharpe_ratio"}, data_handler=data_handler, run_backtest=my_backtest)

    best = result["target_results"]["ma_rule_params"]
    brute = {}
    for cf, cs, ff, fs in itertools.product(*crossover_space.values(), *filter_space.values()):
        a, b = MyMovingAverageRule("a", cf, cs, {}), MyMovingAverageRule("b", ff, fs, {})
        brute[(cf, cs, ff, fs)] = sharpe(my_backtest(RuleParametersTarget([a, b]), data_handler)[0])
    winner = max(brute, key=brute.get)
    assert best["best_params"] == {"ma_crossover.fast_window": winner[0], "ma_crossover.slow_window": winner[1],
                                   "ma_filter.fast_window": winner[2], "ma_filter.slow_window": winner[3]}
    assert best["best_score"] == pytest.approx(brute[winner], rel=1e-9)
    assert result.failures == {"count": 0, "reasons": []}
    # The trials carry the specification's names too (they used to carry "ma_crossover__fast_window").
    assert all(set(t.params) == {f"ma_rule_params.{k}" for k in best["best_params"]} for t in result.trials)
    assert len(result.trials) == 24
    assert len(finished) == 24 and all(set(t.params) == set(result.trials[0].params) for t in finished)  # events too


def test_missing_protocol_pieces_are_named_in_one_error_before_any_trial(manager, client):
    class Bare:  # no __len__, no close, no window/segments
        pass

    class RuleWithoutPositions(MyMovingAverageRule):
        pass

    rule = RuleWithoutPositions("mine", 5, 30, {"fast_window": [5, 10], "slow_window": [30]})
    manager.register_target("t", RuleParametersTarget([rule]))
    manager.register_method("grid", GridSearchMethod())
    manager.register_metric("sharpe_ratio", SharpeRatioMetric())
    manager.register_sequence("sequential", SequentialOptimization())
    before = len(list(client.list_studies()))

    with pytest.raises(ProtocolError) as caught:
        manager.run_optimization("sequential", ["t"], data_handler=Bare())  # the built-in backtester

    assert caught.value.problems == [
        "data handler Bare has no __len__ (len(data_handler) is the number of bars)",
        "data handler Bare has no close (one price per bar), which the built-in backtester trades; give "
        "run_backtest= or backtester= to backtest it yourself",
        "rule 'mine' (RuleWithoutPositions) of target 't' has no generate_positions(close), which the built-in "
        "backtester calls; add it, or give run_backtest= or backtester=",
    ]
    assert len(list(client.list_studies())) == before  # nothing was created


def test_walk_forward_needs_window_and_says_so(manager):
    from optimizer_grpc import WalkForwardOptimization

    class NoWindow:
        close = np.ones(100)

        def __len__(self) -> int:
            return 100

    manager.register_target("t", RuleParametersTarget([MyMovingAverageRule("m", 5, 30, {"fast_window": [5], "slow_window": [30]})]))
    manager.register_method("grid", GridSearchMethod())
    manager.register_metric("sharpe_ratio", SharpeRatioMetric())
    manager.register_sequence("wf", WalkForwardOptimization(in_sample_bars=50, out_of_sample_bars=25))

    with pytest.raises(ProtocolError) as caught:
        manager.run_optimization("wf", ["t"], data_handler=NoWindow(), run_backtest=my_backtest)

    assert caught.value.problems == [
        "data handler NoWindow has no window(start_bar, end_bar): walk-forward windows in segment mode backtest a "
        "window of the data"]


def test_run_backtest_gets_one_object_whatever_the_number_of_targets(manager):
    seen = []

    def run_backtest(target, data_handler):
        seen.append(type(target).__name__)
        assert [r.name for r in target.rules] == ["ma", "other"]     # one target's view: every rule once
        assert target["weights"] is target[1] and len(target) == 2    # and still the targets, as a tuple
        return my_backtest(target, data_handler)

    ma = MyMovingAverageRule("ma", 5, 30, {"fast_window": [5, 10], "slow_window": [30]})
    other = MyMovingAverageRule("other", 5, 60, {"fast_window": [5], "slow_window": [60]})
    manager.register_target("ma", RuleParametersTarget([ma]))
    manager.register_target("weights", RuleWeightsTarget([ma, other], weight_step=0.5))
    manager.register_method("grid", GridSearchMethod())
    manager.register_metric("sharpe_ratio", SharpeRatioMetric())
    manager.register_sequence("sequential", SequentialOptimization())

    manager.run_optimization("sequential", ["ma", "weights"], data_handler=series(), run_backtest=run_backtest)

    assert seen and set(seen) == {TargetGroup.__name__}
