"""Result tables: to_records (always) and to_dataframe (pandas, optional: the ImportError path is tested here)."""
import sys
from datetime import datetime, timedelta

import numpy as np
import pytest

from optimizer_grpc import (GridSearchMethod, MovingAverageCrossoverRule, OptimizationManager, RegimeDetectorTarget,
                            RegimeSpecificOptimization, RuleParametersTarget, SequentialOptimization,
                            SharpeRatioMetric, TrendVolatilityRegimeDetector, WalkForwardOptimization)
from optimizer_grpc.frames import to_dataframe, trial_records
from optimizer_grpc.model import DataContext, Trial, TrialState

GRID = {"fast_window": [5, 20], "slow_window": [50, 100]}


@pytest.fixture()
def manager(server_address):
    with OptimizationManager(address=server_address, capacity=2, progress=False) as m:
        m.register_method("grid", GridSearchMethod()).register_metric("sharpe_ratio", SharpeRatioMetric())
        m.register_sequence("sequential", SequentialOptimization())
        yield m


def test_trial_records_are_rectangular_with_params_and_values():
    t0 = datetime(2026, 1, 1)
    trials = [Trial("s", 0, 1, {"t.a": 1}, state=TrialState.COMPLETED, values={"x": 0.5},
                    data_context=DataContext("window", 10, 20, label="in-sample 0"), start_time=t0,
                    end_time=t0 + timedelta(seconds=1.5)),
              Trial("s", 1, 1, {"t.a": 2, "t.b": "z"}, state=TrialState.FAILED, reason="boom")]
    rows = trial_records(trials, param_name=str.upper)
    assert list(rows[0]) == list(rows[1])
    assert rows[0] == {"number": 0, "stage_id": "", "state": "COMPLETED", "context": "in-sample 0", "regime": None,
                       "start_bar": 10, "end_bar": 20, "reason": "", "worker_id": "", "duration_s": 1.5,
                       "param:T.A": 1, "param:T.B": None, "value:x": 0.5}
    assert rows[1]["param:T.B"] == "z" and rows[1]["value:x"] is None and rows[1]["reason"] == "boom"
    assert rows[1]["context"] == "whole" and rows[1]["duration_s"] is None


def test_result_records_list_every_trial_under_spec_names(manager, nyse):
    manager.register_target("ma", RuleParametersTarget([MovingAverageCrossoverRule("ma", parameter_space=GRID)]))
    result = manager.run_optimization("sequential", ["ma"], data_handler=nyse)
    rows = result.to_records()
    assert len(rows) == 4 and {r["state"] for r in rows} == {"COMPLETED"}
    assert {(r["param:ma.ma.fast_window"], r["param:ma.ma.slow_window"]) for r in rows} == {(5, 50), (5, 100), (20, 50), (20, 100)}
    best = max(rows, key=lambda r: r["value:sharpe_ratio"])
    assert best["value:sharpe_ratio"] == pytest.approx(result["target_results"]["ma"]["best_score"])
    assert {"value:max_drawdown", "value:trades", "value:exposure"} <= set(rows[0])  # the server's extras
    targets = result.to_records("targets")
    assert targets == [{"regime": None, "target": "ma", "metric": "sharpe_ratio",
                        "best_score": result["target_results"]["ma"]["best_score"],
                        "trial_number": result["target_results"]["ma"]["trial_number"],
                        "param:ma.fast_window": best["param:ma.ma.fast_window"],
                        "param:ma.slow_window": best["param:ma.ma.slow_window"]}]
    assert result.to_records("walk_forward") == []
    with pytest.raises(ValueError, match="table must be one of trials, targets, walk_forward"):
        result.to_records("nope")


def test_regime_target_records_have_a_row_per_regime(manager, nyse):
    manager.register_target("ma", RuleParametersTarget([MovingAverageCrossoverRule("ma", parameter_space=GRID)]))
    manager.register_target("detector", RegimeDetectorTarget(TrendVolatilityRegimeDetector()))
    manager.register_sequence("regime_specific", RegimeSpecificOptimization(min_regime_data=100))
    result = manager.run_optimization("regime_specific", ["ma"], data_handler=nyse, regime_detector_target="detector")
    rows = [r for r in result.to_records("targets") if r["regime"] is not None]
    assert sorted(r["regime"] for r in rows) == sorted(result["regime_results"])
    for r in rows:
        assert r["best_score"] == result["regime_results"][r["regime"]]["target_results"]["ma"]["best_score"]


def test_to_dataframe_without_pandas_names_pandas(manager, nyse, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # as if not installed, whether or not it is
    with pytest.raises(ImportError, match="to_dataframe needs pandas") as info:
        to_dataframe([{"a": 1}])
    assert "to_records()" in str(info.value)
    manager.register_target("ma", RuleParametersTarget([MovingAverageCrossoverRule("ma", parameter_space=GRID)]))
    result = manager.run_optimization("sequential", ["ma"], data_handler=nyse)
    with pytest.raises(ImportError, match="pandas"):
        result.to_dataframe()


def test_to_dataframe_of_plain_records():
    import pandas as pd  # Debian python3-pandas; ci.sh installs it, so this runs for real
    frame = to_dataframe([{"a": 1, "b": None}, {"a": 2, "b": 0.5}])
    assert isinstance(frame, pd.DataFrame) and list(frame.columns) == ["a", "b"] and len(frame) == 2
    assert frame["a"].dtype == "int64" and frame["b"].dtype == "float64" and np.isnan(frame["b"][0])


def test_result_to_dataframe_has_a_row_per_trial_under_spec_names(manager, nyse):
    import pandas as pd
    manager.register_target("ma", RuleParametersTarget([MovingAverageCrossoverRule("ma", parameter_space=GRID)]))
    manager.register_sequence("walk_forward", WalkForwardOptimization(in_sample_bars=3000, out_of_sample_bars=2000))
    result = manager.run_optimization("sequential", ["ma"], data_handler=nyse)
    frame = result.to_dataframe()
    assert isinstance(frame, pd.DataFrame) and len(frame) == len(result.trials) == 4
    assert list(frame.columns) == list(result.to_records()[0])
    assert list(frame.columns[:6]) == ["number", "stage_id", "state", "context", "regime", "start_bar"]
    assert {"param:ma.ma.fast_window", "param:ma.ma.slow_window", "value:sharpe_ratio", "value:max_drawdown"} \
        <= set(frame.columns)
    assert frame["number"].tolist() == sorted(t.number for t in result.trials) and frame["number"].dtype == "int64"
    assert frame["param:ma.ma.fast_window"].dtype == "int64" and frame["value:sharpe_ratio"].dtype == "float64"
    assert frame["duration_s"].dtype == "float64" and (frame["duration_s"] >= 0).all()
    assert frame["state"].tolist() == ["COMPLETED"] * 4 and frame["stage_id"].dtype == object
    best = frame.loc[frame["value:sharpe_ratio"].idxmax()]
    assert best["value:sharpe_ratio"] == pytest.approx(result["target_results"]["ma"]["best_score"])
    assert int(best["number"]) == result["target_results"]["ma"]["trial_number"]

    targets = result.to_dataframe("targets")
    assert len(targets) == 1 and list(targets.columns) == ["regime", "target", "metric", "best_score", "trial_number",
                                                           "param:ma.fast_window", "param:ma.slow_window"]
    assert targets["regime"].isna().all()  # no regime: a target searched over the whole data
    assert targets["best_score"].dtype == "float64" and targets["param:ma.fast_window"].dtype == "int64"
    assert result.to_dataframe("walk_forward").empty

    windows = manager.run_optimization("walk_forward", ["ma"], data_handler=nyse).to_dataframe("walk_forward")
    assert len(windows) == 3 and windows["window"].tolist() == [0, 1, 2]
    assert windows["out_of_sample_start"].tolist() == [3000, 5000, 7000] and windows["in_sample_end"].dtype == "int64"
    assert {"param:ma.ma.fast_window", "in_sample:sharpe_ratio", "out_of_sample:sharpe_ratio"} <= set(windows.columns)
    assert windows["out_of_sample:sharpe_ratio"].dtype == "float64"
