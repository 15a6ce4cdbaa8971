"""The spec's test scenarios (Testing Strategy: TestOptimizationTarget, TestOptimizationWorkflow), with its mocks, run
against the real server, with the winners checked against brute force computed here."""
import itertools

import numpy as np
import pytest

from optimizer_grpc import (Backtester, CSVDataHandler, GridSearchMethod, OptimizationManager, RegimeDetectorTarget,
                            RegimeSpecificOptimization, RuleParametersTarget, SequentialOptimization,
                            SharpeRatioMetric)
from optimizer_grpc.trading import metrics as stats
from optimizer_grpc.trading.rules import rolling_mean

SPACE = {"param1": [5, 10], "param2": [20, 40]}


class MockRule:
    """The spec's MockRule(name, params): long while the SMA over param1 bars is above the SMA over param2 bars.
    Parameters must be positive integers (the spec's -1 is invalid)."""

    def __init__(self, name, params=None):
        self.name = name
        self.params = dict(params or {"param1": 5, "param2": 20})
        self.parameter_space = {k: SPACE.get(k, [v]) for k, v in self.params.items()}
        self.weight = 1.0

    def get_parameters(self):
        return dict(self.params)

    def set_parameters(self, params):
        self.params.update(params)

    def validate_parameters(self, params):
        bad = [k for k, v in params.items() if v < 1]
        return (False, f"{bad[0]} must be >= 1, got {params[bad[0]]}") if bad else (True, None)

    def generate_positions(self, close):
        fast = rolling_mean(close, int(self.params.get("param1", 5)))
        slow = rolling_mean(close, int(self.params.get("param2", 20)))
        with np.errstate(invalid="ignore"):
            return (fast > slow).astype(float)


class MockDataHandler(CSVDataHandler):
    """2,000 daily bars of a seeded random walk that trends up, then down, then up in 500-bar blocks."""

    def __init__(self):
        rng = np.random.default_rng(42)
        drift = np.repeat([0.0008, -0.0006, 0.0008, -0.0006], 500)
        close = 100 * np.exp(np.cumsum(drift + rng.normal(0, 0.01, len(drift))))
        times = np.datetime64("2000-01-03", "ms") + np.arange(len(drift)).astype("timedelta64[D]")
        super().__init__(name="mock", times=times, columns={"close": close})


class MockRegimeDetector:
    """Labels bars by the sign of the 50-bar return: "up" or "down"; the first 50 bars have none."""

    def __init__(self, lookback=50):
        self.params = {"lookback": lookback}
        self.parameter_space = {"lookback": [25, 50, 100]}

    def get_parameters(self):
        return dict(self.params)

    def set_parameters(self, params):
        self.params.update(params)

    def validate_parameters(self, params):
        return (params.get("lookback", 1) >= 1, None if params.get("lookback", 1) >= 1 else "lookback must be >= 1")

    def labels(self, close):
        n = self.params["lookback"]
        out = np.full(len(close), -1)
        out[n:] = np.where(close[n:] > close[:-n], 0, 1)
        return out

    def identify_regimes(self, data_handler):
        labels = self.labels(np.asarray(data_handler.close))
        return {name: np.flatnonzero(labels == i) for i, name in enumerate(("up", "down")) if np.any(labels == i)}


class Container:
    """The spec's container: components by name."""

    def __init__(self, **components):
        self.components = components

    def get(self, name):
        return self.components[name]


class Config(dict):
    pass


def sharpe(rules, data):
    equity, _ = Backtester().run(rules, data)
    return stats.sharpe_ratio(equity)


def brute_force(rules, data):
    """Every grid point of the two rules' parameters scored locally; returns (best params, best score)."""
    names = [f"{r.name}.{p}" for r in rules for p in SPACE]
    scores = {}
    for values in itertools.product(*[SPACE[n.split(".")[1]] for n in names]):
        trial = [MockRule(r.name, dict(zip(SPACE, values[2 * i:2 * i + 2]))) for i, r in enumerate(rules)]
        scores[values] = sharpe(trial, data)
    best = max(scores, key=scores.get)
    return dict(zip(names, best)), scores[best]


class TestOptimizationTarget:
    def setup_method(self):
        self.rule1 = MockRule("rule1", {"param1": 10, "param2": 20})
        self.rule2 = MockRule("rule2", {"param3": 30, "param4": 40})
        self.rules = [self.rule1, self.rule2]
        self.target = RuleParametersTarget(self.rules)

    def test_get_parameters(self):
        params = self.target.get_parameters()
        assert params["rule1.param1"] == 10
        assert params["rule1.param2"] == 20
        assert params["rule2.param3"] == 30
        assert params["rule2.param4"] == 40

    def test_set_parameters(self):
        self.target.set_parameters({"rule1.param1": 15, "rule2.param3": 35})
        assert self.rule1.params["param1"] == 15
        assert self.rule1.params["param2"] == 20  # unchanged
        assert self.rule2.params["param3"] == 35
        assert self.rule2.params["param4"] == 40  # unchanged

    def test_validate_parameters(self):
        is_valid, _ = self.target.validate_parameters({"rule1.param1": 15, "rule2.param3": 35})
        assert is_valid
        is_valid, error = self.target.validate_parameters({"rule1.param1": -1, "rule2.param3": 35})
        assert not is_valid
        assert "rule1" in error

    def test_the_server_searches_the_targets_space_and_the_worker_validates_each_trial(self, server_address):
        # A space with an invalid value: the server proposes it, the worker's validate_parameters refuses it.
        rule = MockRule("rule1", {"param1": 5, "param2": 20})
        rule.parameter_space = {"param1": [-1, 5, 10], "param2": [20, 40]}
        data = MockDataHandler()
        with OptimizationManager(address=server_address, capacity=2, progress=False) as manager:
            manager.register_target("rule_params", RuleParametersTarget([rule]))
            manager.register_method("grid", GridSearchMethod()).register_metric("sharpe", SharpeRatioMetric())
            manager.register_sequence("sequential", SequentialOptimization())
            result = manager.run_optimization("sequential", ["rule_params"], data_handler=data)
        # Refused by validate_parameters: infeasible with the rule's reason (not failed), never evaluated again.
        assert result["trial_counts"].completed == 4 and result["trial_counts"].infeasible == 2
        assert result["trial_counts"].failed == 0
        refused = [r for r in result.to_records() if r["state"] == "INFEASIBLE"]
        assert len(refused) == 2
        assert all("rule1" in r["reason"] and "param1 must be >= 1" in r["reason"] for r in refused)
        scores = {(a, b): sharpe([MockRule("rule1", {"param1": a, "param2": b})], data)
                  for a, b in itertools.product([5, 10], [20, 40])}
        (a, b) = max(scores, key=scores.get)
        assert result["target_results"]["rule_params"]["best_params"] == {"rule1.param1": a, "rule1.param2": b}
        assert rule.params == {"param1": a, "param2": b}  # the winner is applied to the registered rule


class TestOptimizationWorkflow:
    @pytest.fixture(autouse=True)
    def setup(self, server_address):
        self.container = Container(backtester=Backtester())
        self.config = Config()
        self.optimization_manager = OptimizationManager(self.container, self.config, address=server_address,
                                                        capacity=2, progress=False)

        self.rules = [MockRule("rule1"), MockRule("rule2")]
        self.target = RuleParametersTarget(self.rules)
        self.method = GridSearchMethod()
        self.metric = SharpeRatioMetric()
        self.sequence = SequentialOptimization()

        self.optimization_manager.register_target("rule_params", self.target)
        self.optimization_manager.register_method("grid", self.method)
        self.optimization_manager.register_metric("sharpe", self.metric)
        self.optimization_manager.register_sequence("sequential", self.sequence)

        self.data_handler = MockDataHandler()
        yield
        self.optimization_manager.close()

    def test_basic_optimization(self):
        result = self.optimization_manager.run_optimization(
            sequence_name="sequential",
            targets=["rule_params"],
            methods={"rule_params": "grid"},
            metrics={"rule_params": "sharpe"},
            data_handler=self.data_handler
        )

        assert "target_results" in result
        assert "rule_params" in result["target_results"]
        assert "best_params" in result["target_results"]["rule_params"]
        assert "best_score" in result["target_results"]["rule_params"]

        best_params, best_score = brute_force(self.rules, self.data_handler)
        assert result["target_results"]["rule_params"]["best_params"] == best_params
        assert result["target_results"]["rule_params"]["best_score"] == pytest.approx(best_score, rel=1e-9)
        assert result["trial_counts"].completed == 16  # 2^4 grid points

    def test_regime_specific_optimization(self):
        regime_detector = MockRegimeDetector()
        self.optimization_manager.register_target("regime_detector", RegimeDetectorTarget(regime_detector))
        self.optimization_manager.register_sequence("regime_specific", RegimeSpecificOptimization())

        result = self.optimization_manager.run_optimization(
            sequence_name="regime_specific",
            targets=["rule_params"],
            methods={"rule_params": "grid"},
            metrics={"rule_params": "sharpe"},
            data_handler=self.data_handler,
            regime_detector_target="regime_detector"
        )

        assert "regime_results" in result
        assert len(result["regime_results"]) >= 1
        for regime_type, regime_result in result["regime_results"].items():
            assert "target_results" in regime_result
            assert "rule_params" in regime_result["target_results"]
            assert "best_params" in regime_result["target_results"]["rule_params"]

        # Every regime with at least min_regime_data (100) bars has its own winner: the brute-force best on its bars.
        regimes = regime_detector.identify_regimes(self.data_handler)
        assert set(result["regime_results"]) == {name for name, idx in regimes.items() if len(idx) >= 100}
        for name, indices in regimes.items():
            entry = result["regime_results"][name]
            assert entry["bar_count"] == len(indices)
            runs = np.split(indices, np.flatnonzero(np.diff(indices) != 1) + 1)
            segments = self.data_handler.segments([(int(r[0]), int(r[-1]) + 1) for r in runs])
            best_params, best_score = brute_force(self.rules, segments)
            assert entry["target_results"]["rule_params"]["best_params"] == best_params
            assert entry["target_results"]["rule_params"]["best_score"] == pytest.approx(best_score, rel=1e-9)
        # The 50 warm-up bars are sent as -1 (no regime): no stage, no trial evaluates them.
        assert set(result["regimes"]) == set(regimes)
