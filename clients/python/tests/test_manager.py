"""OptimizationManager against the real server on the NYSE series."""
import itertools

import pytest

from optimizer_grpc import (Backtester, GeneticMethod, GridSearchMethod, MaxDrawdownMetric, MovingAverageCrossoverRule,
                            OptimizationManager, ParticleSwarmMethod, RandomSearchMethod, RegimeDetectorTarget,
                            RegimeSpecificOptimization, RuleParametersTarget, RuleWeightsTarget, RSIRule,
                            SequentialOptimization, SharpeRatioMetric, TotalReturnMetric,
                            TrendVolatilityRegimeDetector, UnimplementedError)
from optimizer_grpc.trading import metrics as stats

FAST, SLOW = [5, 10, 20, 40], [50, 100, 200]


def ma_rule():
    return MovingAverageCrossoverRule("ma_crossover", fast_window=10, slow_window=50,
                                      parameter_space={"fast_window": FAST, "slow_window": SLOW})


@pytest.fixture()
def manager(server_address):
    with OptimizationManager(address=server_address, capacity=2) as m:
        m.register_method("grid_search", GridSearchMethod())
        m.register_metric("sharpe_ratio", SharpeRatioMetric(risk_free_rate=0.0, annualization_factor=252))
        m.register_sequence("sequential", SequentialOptimization())
        yield m


def test_grid_search_finds_the_exhaustive_best_on_nyse(manager, nyse):
    rule = ma_rule()
    manager.register_target("ma_rule_params", RuleParametersTarget(rules=[rule]))
    backtester = Backtester(commission=0.0005)
    result = manager.run_optimization(
        sequence_name="sequential", targets=["ma_rule_params"], methods={"ma_rule_params": "grid_search"},
        metrics={"ma_rule_params": "sharpe_ratio"}, data_handler=nyse, backtester=backtester)

    # The same grid scored locally, one backtest per pair.
    scores = {}
    for fast, slow in itertools.product(FAST, SLOW):
        equity, _ = backtester.run(MovingAverageCrossoverRule(fast_window=fast, slow_window=slow), nyse)
        scores[(fast, slow)] = stats.sharpe_ratio(equity)
    (best_fast, best_slow), best = max(scores.items(), key=lambda kv: kv[1])

    ma = result["target_results"]["ma_rule_params"]
    assert ma["best_params"] == {"ma_crossover.fast_window": best_fast, "ma_crossover.slow_window": best_slow}
    assert ma["best_score"] == pytest.approx(best)
    assert result["sequence"] == "sequential" and result["state"] == "COMPLETED"
    assert result["trial_counts"].completed == len(scores)
    assert result["combined_result"] == {"targets": ["ma_rule_params"], "methods": {"ma_rule_params": "grid_search"},
                                         "metrics": {"ma_rule_params": "sharpe_ratio"}}
    assert rule.params == {"fast_window": best_fast, "slow_window": best_slow}  # the winner is applied
    assert manager.get_result("sequential_ma_rule_params_default") is result
    assert list(manager.get_all_results()) == ["sequential_ma_rule_params_default"]


def test_relationship_and_callable_constraints(manager, nyse):
    rule = MovingAverageCrossoverRule("ma", parameter_space={"fast_window": [10, 50, 100], "slow_window": [50, 200]})
    manager.register_target("ma_params", RuleParametersTarget([rule]))
    manager.register_constraint("fast_below_slow", "ma.fast_window < ma.slow_window")
    manager.register_constraint("not_ten", lambda p: p["ma.fast_window"] != 10)
    result = manager.run_optimization("sequential", ["ma_params"], data_handler=nyse,
                                      constraints={"ma_params": ["fast_below_slow", "not_ten"]})
    counts = result["trial_counts"]
    # (10,50) (10,200) (50,200) (100,200) pass the relationship; the two with fast 10 are refused by the callable:
    # infeasible with the constraint's name, not failed.
    assert counts.completed == 2 and counts.infeasible == 2 and counts.failed == 0
    assert {t.reason for t in result.trials if t.state.name == "INFEASIBLE"} == {
        "refused by the client: constraint not_ten is not satisfied"}
    assert result["target_results"]["ma_params"]["best_params"]["ma.fast_window"] in (50, 100)


def test_lower_is_better_metric_is_minimised(manager, nyse):
    manager.register_metric("max_drawdown", MaxDrawdownMetric())
    manager.register_target("ma", RuleParametersTarget([ma_rule()]))
    result = manager.run_optimization("sequential", ["ma"], metrics={"ma": "max_drawdown"}, data_handler=nyse)
    backtester = Backtester()
    drawdowns = [stats.max_drawdown(backtester.run(MovingAverageCrossoverRule(fast_window=f, slow_window=s), nyse)[0])
                 for f, s in itertools.product(FAST, SLOW)]
    assert result["target_results"]["ma"]["best_score"] == pytest.approx(min(drawdowns))


def test_genetic_random_and_swarm_methods_run(manager, nyse):
    manager.register_target("rsi", RuleParametersTarget([RSIRule()]))
    manager.register_metric("total_return", TotalReturnMetric())
    manager.register_method("genetic", GeneticMethod(population_size=6, generations=2, seed=7))
    manager.register_method("random", RandomSearchMethod(n_trials=8, seed=7))
    manager.register_method("pso", ParticleSwarmMethod(swarm_size=4, iterations=2, seed=7))
    for method in ("genetic", "random", "pso"):
        result = manager.run_optimization("sequential", ["rsi"], methods={"rsi": method},
                                          metrics={"rsi": "total_return"}, data_handler=nyse, result_key=method)
        entry = result["target_results"]["rsi"]
        assert set(entry["best_params"]) == {"rsi.period", "rsi.oversold", "rsi.overbought"}
        assert result["trial_counts"].completed >= 4
    assert len(manager.get_all_results()) == 3


def test_tpe_with_local_proposals_auto_and_a_warped_gp_run_their_whole_budget(manager, nyse):
    from optimizer_grpc.optimization import AutoMethod, BayesianMethod, TpeMethod
    manager.register_target("rsi", RuleParametersTarget([RSIRule()]))
    manager.register_metric("total_return", TotalReturnMetric())
    manager.register_method("tpe_local", TpeMethod(n_trials=30, n_startup_trials=6, multivariate=False, local_fraction=0.5, seed=3))
    manager.register_method("auto", AutoMethod(n_trials=30, seed=3))
    manager.register_method("gp_warped", BayesianMethod(n_trials=30, n_initial=6, output_warping=True, seed=3))
    for method in ("tpe_local", "auto", "gp_warped"):
        result = manager.run_optimization("sequential", ["rsi"], methods={"rsi": method},
                                          metrics={"rsi": "total_return"}, data_handler=nyse, result_key=method)
        entry = result["target_results"]["rsi"]
        assert set(entry["best_params"]) == {"rsi.period", "rsi.oversold", "rsi.overbought"}
        assert result["trial_counts"].completed == 30


def test_custom_run_backtest_receives_the_target(manager, nyse):
    seen = []

    def run_backtest(target, data_handler, scale=1.0):
        seen.append(type(target).__name__)
        equity, trades = Backtester().run(target, data_handler)
        return equity * scale, trades

    manager.register_target("ma", RuleParametersTarget([ma_rule()]))
    manager.run_optimization("sequential", ["ma"], data_handler=nyse, run_backtest=run_backtest,
                             backtest_params={"scale": 2.0})
    assert seen and set(seen) == {"RuleParametersTarget"}


def test_sequential_over_two_targets_runs_a_stage_per_target(manager, nyse):
    r1, r2 = ma_rule(), RSIRule()
    manager.register_target("ma", RuleParametersTarget([r1]))
    manager.register_target("weights", RuleWeightsTarget([r1, r2], weight_step=0.5))
    result = manager.run_optimization("sequential", ["ma", "weights"], data_handler=nyse)
    assert set(result["target_results"]) == {"ma", "weights"}


def test_regime_specific_gives_results_per_regime(manager, nyse):
    manager.register_target("ma", RuleParametersTarget([ma_rule()]))
    manager.register_target("regime_detector", RegimeDetectorTarget(TrendVolatilityRegimeDetector()))
    manager.register_sequence("regime_specific", RegimeSpecificOptimization(min_regime_data=100))
    result = manager.run_optimization("regime_specific", ["ma"], data_handler=nyse, regime_detector_target="regime_detector")
    regimes = result["regime_results"]
    assert regimes, result
    ran = [r for r in regimes.values() if r["target_results"]]
    assert ran and all("best_params" in r["target_results"]["ma"] for r in ran)


def test_unknown_names_are_value_errors(manager, nyse):
    manager.register_target("ma", RuleParametersTarget([ma_rule()]))
    with pytest.raises(ValueError, match="Unknown optimization sequence"):
        manager.run_optimization("nope", ["ma"], data_handler=nyse)
    with pytest.raises(ValueError, match="Unknown optimization target"):
        manager.run_optimization("sequential", ["nope"], data_handler=nyse)
    with pytest.raises(ValueError, match="Unknown optimization method"):
        manager.run_optimization("sequential", ["ma"], methods={"ma": "nope"}, data_handler=nyse)
    with pytest.raises(ValueError, match="Unknown constraint"):
        manager.run_optimization("sequential", ["ma"], constraints={"ma": ["nope"]}, data_handler=nyse)


def test_method_optimize_with_a_local_objective(server_address):
    method = GridSearchMethod()
    result = method.optimize({"x": [0, 1, 2, 3, 4], "y.z": [0.5, 1.5]}, lambda p: -(p["x"] - 3) ** 2 + p["y.z"] / 10,
                             constraints=[lambda p: p["x"] != 3 or p["y.z"] != 1.5], address=server_address)
    assert result["best_params"] == {"x": 3, "y.z": 0.5}
    assert result["best_score"] == pytest.approx(0.05)
    assert method.get_best_result() is result


def test_create_objective_function_negates_lower_is_better(manager, nyse):
    manager.register_target("ma", RuleParametersTarget([ma_rule()]))
    manager.register_metric("max_drawdown", MaxDrawdownMetric())
    objective = manager.create_objective_function("ma", "max_drawdown", data_handler=nyse)
    value = objective({"ma_crossover.fast_window": 10, "ma_crossover.slow_window": 50})
    equity, _ = Backtester().run(MovingAverageCrossoverRule(fast_window=10, slow_window=50), nyse)
    assert value == pytest.approx(-stats.max_drawdown(equity))


def test_backtests_in_worker_processes(manager, nyse):
    manager.register_target("ma", RuleParametersTarget([ma_rule()]))
    result = manager.run_optimization("sequential", ["ma"], data_handler=nyse, use_processes=True, capacity=2)
    assert result["trial_counts"].completed == len(FAST) * len(SLOW)
