"""Walk-forward, parallel and hierarchical sequences through the manager, end to end on the server."""
import itertools

import numpy as np
import pytest

from optimizer_grpc import (Backtester, GridSearchMethod, HierarchicalOptimization, MovingAverageCrossoverRule,
                            OptimizationManager, ParallelOptimization, RSIRule, RuleParametersTarget,
                            SharpeRatioMetric, WalkForwardOptimization)
from optimizer_grpc.trading import metrics as stats

FAST, SLOW = [5, 20], [50, 100]
PERIOD = [7, 14]


@pytest.fixture()
def manager(server_address):
    with OptimizationManager(address=server_address, capacity=2, progress=False) as m:
        m.register_method("grid", GridSearchMethod())
        m.register_metric("sharpe_ratio", SharpeRatioMetric(risk_free_rate=0.0, annualization_factor=252))
        yield m


def ma(fast=20, slow=100):  # defaults inside the grid: the server fixes a target at its default while another is searched
    return MovingAverageCrossoverRule("ma", fast_window=fast, slow_window=slow,
                                      parameter_space={"fast_window": FAST, "slow_window": SLOW})


def sharpe_on(data, rules):
    equity, _ = Backtester().run(rules, data)
    return stats.sharpe_ratio(equity), equity


def test_walk_forward_windows_pick_the_in_sample_best_and_score_it_out_of_sample(manager, nyse):
    manager.register_target("ma", RuleParametersTarget([ma()]))
    manager.register_sequence("walk_forward", WalkForwardOptimization(in_sample_bars=2000, out_of_sample_bars=1500))
    result = manager.run_optimization("walk_forward", ["ma"], data_handler=nyse)
    assert result["state"] == "COMPLETED"
    wf = result["walk_forward"]
    windows = wf["windows"]
    assert len(windows) == (len(nyse) - 2000) // 1500  # rolling: in-sample then out-of-sample, step 1500
    oos_equity = []
    for w in windows:
        (i0, i1), (o0, o1) = w["in_sample"], w["out_of_sample"]
        assert i1 - i0 == 2000 and (o0, o1 - o0) == (i1, 1500)
        scores = {(f, s): sharpe_on(nyse.window(i0, i1), ma(f, s))[0] for f, s in itertools.product(FAST, SLOW)}
        (f, s), best = max(scores.items(), key=lambda kv: kv[1])
        assert w["best_params"] == {"ma.ma.fast_window": f, "ma.ma.slow_window": s}
        assert w["in_sample_metrics"]["sharpe_ratio"] == pytest.approx(best, rel=1e-9)
        oos_sharpe, equity = sharpe_on(nyse.window(o0, o1), ma(f, s))
        assert w["out_of_sample_metrics"]["sharpe_ratio"] == pytest.approx(oos_sharpe, rel=1e-9)
        assert w["out_of_sample_metrics"]["total_return"] == pytest.approx(equity[-1] / equity[0] - 1, rel=1e-9)
        oos_equity.append(equity / equity[0])
    # Stitched: the out-of-sample curves chained, starting at 1.
    chained = np.prod([e[-1] for e in oos_equity])
    assert wf["stitched_return"] == pytest.approx(chained - 1, rel=1e-9)
    assert wf["stitched_equity"][0] == pytest.approx(1.0) and wf["stitched_equity"][-1] == pytest.approx(chained)
    profitable = np.mean([w["out_of_sample_metrics"]["total_return"] > 0 for w in windows])
    assert wf["profitable_window_share"] == pytest.approx(profitable)
    # Efficiency: mean out-of-sample over mean in-sample annualised return; stability: each parameter's coefficient
    # of variation (population) across the windows' winners.
    ann = {k: np.mean([w[f"{k}_metrics"]["annualized_return"] for w in windows]) for k in ("in_sample", "out_of_sample")}
    assert wf["efficiency"] == pytest.approx(ann["out_of_sample"] / ann["in_sample"], rel=1e-9)
    for name in ("ma.ma.fast_window", "ma.ma.slow_window"):
        chosen = np.array([w["best_params"][name] for w in windows], dtype=float)
        assert wf["parameter_stability"][name] == pytest.approx(chosen.std() / abs(chosen.mean()), rel=1e-9)

    rows = result.to_records("walk_forward")
    assert [r["window"] for r in rows] == list(range(len(windows)))
    assert rows[0]["out_of_sample:sharpe_ratio"] == windows[0]["out_of_sample_metrics"]["sharpe_ratio"]
    trials = result.to_records()
    assert len(trials) == len(windows) * (len(FAST) * len(SLOW) + 1)  # each grid, plus one validation per window
    assert sum(r["context"].startswith("out-of-sample") for r in trials) == len(windows)


def test_anchored_walk_forward_grows_the_in_sample_window(manager, nyse):
    manager.register_target("ma", RuleParametersTarget([ma()]))
    manager.register_sequence("anchored", WalkForwardOptimization(in_sample_bars=3000, out_of_sample_bars=2000,
                                                                  anchored=True))
    windows = manager.run_optimization("anchored", ["ma"], data_handler=nyse)["walk_forward"]["windows"]
    assert [w["in_sample"] for w in windows] == [(0, 3000 + 2000 * i) for i in range(len(windows))]
    assert len(windows) == (len(nyse) - 3000) // 2000


def test_parallel_searches_each_target_with_the_others_at_their_defaults(manager, nyse):
    ma_rule, rsi_rule = ma(), RSIRule("rsi", period=14, parameter_space={"period": PERIOD, "oversold": [30.0],
                                                                          "overbought": [70.0]})
    manager.register_target("ma", RuleParametersTarget([ma_rule]))
    manager.register_target("rsi", RuleParametersTarget([rsi_rule]))
    manager.register_sequence("parallel", ParallelOptimization())
    result = manager.run_optimization("parallel", ["ma", "rsi"], data_handler=nyse)
    assert result["state"] == "COMPLETED"
    assert result["trial_counts"].completed == len(FAST) * len(SLOW) + len(PERIOD)

    rsi_default = RSIRule("rsi", period=14)
    ma_scores = {(f, s): sharpe_on(nyse, [ma(f, s), rsi_default])[0] for f, s in itertools.product(FAST, SLOW)}
    (f, s), best_ma = max(ma_scores.items(), key=lambda kv: kv[1])
    rsi_scores = {p: sharpe_on(nyse, [ma(), RSIRule("rsi", period=p)])[0] for p in PERIOD}
    p, best_rsi = max(rsi_scores.items(), key=lambda kv: kv[1])
    assert result["target_results"]["ma"]["best_params"] == {"ma.fast_window": f, "ma.slow_window": s}
    assert result["target_results"]["ma"]["best_score"] == pytest.approx(best_ma, rel=1e-9)
    assert result["target_results"]["rsi"]["best_params"]["rsi.period"] == p
    assert result["target_results"]["rsi"]["best_score"] == pytest.approx(best_rsi, rel=1e-9)
    assert {r["target"] for r in result.to_records("targets")} == {"ma", "rsi"}
    assert ma_rule.params["fast_window"] == f and rsi_rule.params["period"] == p  # winners applied


def test_hierarchical_scores_each_outer_candidate_by_its_inner_winner(manager, nyse):
    rsi_space = {"period": PERIOD, "oversold": [30.0], "overbought": [70.0]}
    manager.register_target("ma", RuleParametersTarget([ma()]))
    manager.register_target("rsi", RuleParametersTarget([RSIRule("rsi", parameter_space=rsi_space)]))
    manager.register_sequence("hierarchical", HierarchicalOptimization())
    result = manager.run_optimization("hierarchical", ["ma", "rsi"], data_handler=nyse)
    assert result["state"] == "COMPLETED"
    h = result["hierarchical_results"]
    assert (h["outer_targets"], h["inner_targets"]) == (["ma"], ["rsi"])
    # Brute force: for each moving-average pair, the RSI period that is best with it.
    scores = {(f, s, p): sharpe_on(nyse, [ma(f, s), RSIRule("rsi", period=p)])[0]
              for f, s, p in itertools.product(FAST, SLOW, PERIOD)}
    assert len(h["candidates"]) == len(FAST) * len(SLOW)
    for c in h["candidates"]:
        f, s = c["outer_params"]["ma.ma.fast_window"], c["outer_params"]["ma.ma.slow_window"]
        p = max(PERIOD, key=lambda q: scores[(f, s, q)])
        assert c["inner_best_params"]["rsi.rsi.period"] == p
        assert c["best_score"] == pytest.approx(scores[(f, s, p)], rel=1e-9)
        assert c["trials"] == c["completed_trials"] == len(PERIOD)
    (f, s, p), best = max(scores.items(), key=lambda kv: kv[1])
    assert h["best"]["outer_params"] == {"ma.ma.fast_window": f, "ma.ma.slow_window": s}
    assert h["best"]["inner_best_params"]["rsi.rsi.period"] == p
    assert result["target_results"]["ma"]["best_params"] == {"ma.fast_window": f, "ma.slow_window": s}
    assert result["target_results"]["rsi"]["best_params"]["rsi.period"] == p
    assert result["target_results"]["rsi"]["best_score"] == pytest.approx(best, rel=1e-9)


def test_regime_attribution_mode_scores_each_regimes_bars_of_a_whole_series_backtest(manager, nyse):
    from optimizer_grpc import RegimeDetectorTarget, RegimeSpecificOptimization, TrendVolatilityRegimeDetector

    detector = TrendVolatilityRegimeDetector()
    manager.register_target("ma", RuleParametersTarget([ma()]))
    manager.register_target("detector", RegimeDetectorTarget(detector))
    manager.register_sequence("attribution", RegimeSpecificOptimization(min_regime_data=100, mode="attribution"))
    result = manager.run_optimization("attribution", ["ma"], data_handler=nyse, regime_detector_target="detector")
    regimes = detector.identify_regimes(nyse)
    assert set(regimes) <= set(result["regime_results"])
    for name, indices in regimes.items():
        # The server chains the returns of the regime's bars of each whole-series backtest (bar 0 has none).
        def attributed(f, s):
            equity, _ = Backtester().run(ma(f, s), nyse)
            t = indices[indices >= 1]
            r = equity[t] / equity[t - 1] - 1
            return float(r.mean() / r.std(ddof=1) * np.sqrt(252))

        scores = {(f, s): attributed(f, s) for f, s in itertools.product(FAST, SLOW)}
        (f, s), best = max(scores.items(), key=lambda kv: kv[1])
        entry = result["regime_results"][name]["target_results"]["ma"]
        assert entry["best_params"] == {"ma.fast_window": f, "ma.slow_window": s}
        assert entry["best_score"] == pytest.approx(best, rel=1e-9)
