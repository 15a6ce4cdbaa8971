"""The spec's TestOptimizationTarget scenarios, plus the other targets."""
import pytest

from optimizer_grpc import (FixedFractionSizer, MovingAverageCrossoverRule, PositionSizingTarget, RegimeDetectorTarget,
                            RuleParametersTarget, RuleWeightsTarget, TrendVolatilityRegimeDetector)
from optimizer_grpc.optimization import OptimizationTarget


class MockRule:
    """A rule following the spec's protocol: parameters must be non-negative."""

    def __init__(self, name, params=None):
        self.name = name
        self.params = dict(params or {"param1": 1})
        self.parameter_space = {k: [v, v + 1] for k, v in self.params.items()}

    def get_parameters(self):
        return dict(self.params)

    def set_parameters(self, params):
        self.params.update(params)

    def validate_parameters(self, params):
        bad = [k for k, v in params.items() if v < 0]
        return (False, f"{bad[0]} must be >= 0") if bad else (True, None)


@pytest.fixture()
def rules():
    return MockRule("rule1", {"param1": 10, "param2": 20}), MockRule("rule2", {"param3": 30, "param4": 40})


@pytest.fixture()
def target(rules):
    return RuleParametersTarget(list(rules))


def test_get_parameters(target):
    params = target.get_parameters()
    assert params["rule1.param1"] == 10
    assert params["rule1.param2"] == 20
    assert params["rule2.param3"] == 30
    assert params["rule2.param4"] == 40


def test_set_parameters(target, rules):
    target.set_parameters({"rule1.param1": 15, "rule2.param3": 35})
    assert rules[0].params["param1"] == 15
    assert rules[0].params["param2"] == 20  # unchanged
    assert rules[1].params["param3"] == 35
    assert rules[1].params["param4"] == 40  # unchanged


def test_validate_parameters(target):
    is_valid, _ = target.validate_parameters({"rule1.param1": 15, "rule2.param3": 35})
    assert is_valid
    is_valid, error = target.validate_parameters({"rule1.param1": -1, "rule2.param3": 35})
    assert not is_valid
    assert "rule1" in error


def test_parameter_space_is_prefixed_with_rule_names(target):
    assert target.get_parameter_space() == {"rule1.param1": [10, 11], "rule1.param2": [20, 21],
                                            "rule2.param3": [30, 31], "rule2.param4": [40, 41]}


def test_reset_restores_initial_parameters(target, rules):
    target.set_parameters({"rule1.param1": 99})
    target.reset()
    assert rules[0].params["param1"] == 10


def test_metadata_names_the_type():
    meta = RuleParametersTarget([]).get_metadata()
    assert meta["type"] == "RuleParametersTarget" and "rule parameters" in meta["description"]


def test_base_class_is_abstract():
    with pytest.raises(TypeError):
        OptimizationTarget()


def test_rule_weights_target_space_and_validation():
    r1, r2 = MovingAverageCrossoverRule("a"), MovingAverageCrossoverRule("b")
    target = RuleWeightsTarget([r1, r2], weight_range=(0.0, 1.0), weight_step=0.25)
    assert target.get_parameter_space()["a.weight"] == [0.0, 0.25, 0.5, 0.75, 1.0]
    target.set_parameters({"a.weight": 0.25})
    assert r1.weight == 0.25 and target.get_parameters() == {"a.weight": 0.25, "b.weight": 1.0}
    ok, error = target.validate_parameters({"b.weight": 1.5})
    assert not ok and "b.weight" in error


def test_real_rule_validation_names_the_rule():
    target = RuleParametersTarget([MovingAverageCrossoverRule("ma", fast_window=10, slow_window=50)])
    ok, error = target.validate_parameters({"ma.fast_window": 60})
    assert not ok and "ma" in error and "slow_window" in error


def test_regime_detector_and_position_sizing_targets_delegate(nyse):
    detector = TrendVolatilityRegimeDetector()
    target = RegimeDetectorTarget(detector)
    target.set_parameters({"trend_window": 100})
    assert detector.params["trend_window"] == 100
    assert not target.validate_parameters({"volatility_threshold": -1})[0]
    regimes = target.identify_regimes(nyse)
    assert set(regimes) <= {"bull_low_vol", "bull_high_vol", "bear_low_vol", "bear_high_vol"}
    assert sum(len(v) for v in regimes.values()) == len(nyse) - 100 + 1  # warm-up bars have no regime
    target.reset()
    assert detector.params["trend_window"] == 200

    sizer = FixedFractionSizer(0.5)
    sizing = PositionSizingTarget(sizer)
    assert sizing.get_parameter_space() == {"fraction": [0.25, 0.5, 0.75, 1.0]}
    sizing.set_parameters({"fraction": 0.75})
    assert sizer.params["fraction"] == 0.75
    assert not sizing.validate_parameters({"fraction": 2.0})[0]
