"""The manager sends backtest records: the server computes the metrics; client-only metrics ride along as values."""
import numpy as np
import pytest

from optimizer_grpc import (OptimizationFailedError, Backtester, CustomMetric, GridSearchMethod, MovingAverageCrossoverRule, OptimizationManager,
                            RuleParametersTarget, SequentialOptimization, SharpeRatioMetric, TrialState)
from optimizer_grpc.trading import metrics as stats

GRID = {"fast_window": [5, 20], "slow_window": [50, 200]}


@pytest.fixture()
def manager(server_address):
    with OptimizationManager(address=server_address, capacity=2, progress=False) as m:
        m.register_method("grid", GridSearchMethod())
        m.register_sequence("sequential", SequentialOptimization())
        yield m


def _trials(manager, result):
    return list(manager.client.list_trials(result["study_id"]))


def test_server_computes_catalog_metrics_from_the_record(manager, nyse):
    manager.register_metric("sharpe", SharpeRatioMetric(risk_free_rate=0.02, annualization_factor=252))  # an alias
    manager.register_target("ma", RuleParametersTarget([MovingAverageCrossoverRule("ma", parameter_space=GRID)]))
    result = manager.run_optimization("sequential", ["ma"], data_handler=nyse)
    trials = _trials(manager, result)
    assert len(trials) == 4 and all(t.state == TrialState.COMPLETED for t in trials)
    for t in trials:
        equity, trades = Backtester().run(MovingAverageCrossoverRule(fast_window=t.params["ma.ma__fast_window"],
                                                                     slow_window=t.params["ma.ma__slow_window"]), nyse)
        # Computed on the server: the alias, the catalog name behind it, and the extras nobody sent.
        assert t.values["sharpe"] == pytest.approx(stats.sharpe_ratio(equity, 0.02, 252), rel=1e-9)
        assert t.values["sharpe_ratio"] == t.values["sharpe"]
        assert t.values["trades"] == len(trades)
        assert t.values["max_drawdown"] == pytest.approx(stats.max_drawdown(equity), rel=1e-9)
        assert t.values["win_rate"] == pytest.approx(stats.win_rate(trades), rel=1e-9)
    entry = result["target_results"]["ma"]
    assert entry["metric"] == "sharpe"
    assert entry["best_score"] == pytest.approx(max(t.values["sharpe"] for t in trials))


def test_client_only_metric_is_sent_as_a_value_beside_the_record(manager, nyse):
    def ulcer_index(equity, trades, **_):  # not in the server's catalog
        e = np.asarray(equity)
        return float(np.sqrt(np.mean((100 * (1 - e / np.maximum.accumulate(e))) ** 2)))

    manager.register_metric("ulcer", CustomMetric(ulcer_index, higher_is_better=False))
    manager.register_target("ma", RuleParametersTarget([MovingAverageCrossoverRule("ma", parameter_space=GRID)]))
    result = manager.run_optimization("sequential", ["ma"], data_handler=nyse)
    trials = _trials(manager, result)
    ulcers = {}
    for t in trials:
        equity, _ = Backtester().run(MovingAverageCrossoverRule(fast_window=t.params["ma.ma__fast_window"],
                                                                slow_window=t.params["ma.ma__slow_window"]), nyse)
        assert t.values["ulcer"] == pytest.approx(ulcer_index(equity, []))
        assert "sharpe_ratio" in t.values  # the record went along: the server added its catalog
        ulcers[t.number] = t.values["ulcer"]
    assert result["target_results"]["ma"]["best_score"] == pytest.approx(min(ulcers.values()))  # minimised


def test_trades_without_required_fields_fail_the_trial_with_a_clear_message(manager, nyse):
    manager.register_metric("sharpe_ratio", SharpeRatioMetric())
    manager.register_target("ma", RuleParametersTarget([MovingAverageCrossoverRule("ma", parameter_space=GRID)]))

    def run_backtest(target, data_handler):
        equity, trades = Backtester().run(target, data_handler)
        return equity, [{"pnl": t["pnl"]} for t in trades]

    # Every trial fails the same way: the run raises, quoting the reason, instead of returning an empty result.
    with pytest.raises(OptimizationFailedError) as caught:
        manager.run_optimization("sequential", ["ma"], data_handler=nyse, run_backtest=run_backtest)
    assert caught.value.failed == 4
    assert [f.count for f in caught.value.failure_reasons] == [4]
    assert "has no entry_bar, exit_bar, return" in caught.value.failure_reasons[0].reason
    assert "has no entry_bar, exit_bar, return" in str(caught.value)


def test_different_risk_free_rates_in_one_study_are_refused(manager, nyse):
    manager.register_metric("a", SharpeRatioMetric(risk_free_rate=0.0))
    manager.register_metric("b", SharpeRatioMetric(risk_free_rate=0.05))
    manager.register_target("ma", RuleParametersTarget([MovingAverageCrossoverRule("ma", parameter_space=GRID)]))
    manager.register_target("ma2", RuleParametersTarget([MovingAverageCrossoverRule("ma2", parameter_space=GRID)]))
    with pytest.raises(ValueError, match="different risk_free_rate"):
        manager.run_optimization("sequential", ["ma", "ma2"], metrics={"ma": "a", "ma2": "b"}, data_handler=nyse)


def test_performance_constraint_is_judged_by_the_server_from_the_record(manager, nyse):
    from optimizer_grpc import PerformanceConstraint

    manager.register_metric("sharpe_ratio", SharpeRatioMetric())
    manager.register_target("ma", RuleParametersTarget([MovingAverageCrossoverRule("ma", parameter_space=GRID)]))
    drawdowns = {}
    for f in GRID["fast_window"]:
        for s in GRID["slow_window"]:
            equity, trades = Backtester().run(MovingAverageCrossoverRule(fast_window=f, slow_window=s), nyse)
            drawdowns[(f, s)] = (stats.max_drawdown(equity), len(trades))
    limit = sorted(dd for dd, _ in drawdowns.values())[1] + 1e-9  # the two shallowest drawdowns pass
    manager.register_constraint("shallow", PerformanceConstraint(f"max_drawdown <= {limit!r} and trades >= 1"))
    result = manager.run_optimization("sequential", ["ma"], data_handler=nyse, constraints={"ma": ["shallow"]})
    assert result["trial_counts"].completed == 2 and result["trial_counts"].infeasible == 2
    for t in _trials(manager, result):
        dd, _ = drawdowns[(t.params["ma.ma__fast_window"], t.params["ma.ma__slow_window"])]
        assert (t.state == TrialState.COMPLETED) == (dd <= limit)
        if t.state == TrialState.INFEASIBLE:
            assert "shallow" in t.reason and "max_drawdown" in t.reason


def test_backtester_object_backtest_params_and_metric_params_reach_the_record(manager, nyse):
    class ScaledBacktester:
        """The spec's backtester extension point: run(target, data_handler, **backtest_params)."""

        def __init__(self):
            self.calls = []

        def run(self, target, data_handler, commission=0.0):
            self.calls.append((type(target).__name__, len(data_handler), commission))
            return Backtester(commission=commission).run(target, data_handler)

    backtester = ScaledBacktester()
    manager.register_metric("sharpe_ratio", SharpeRatioMetric(risk_free_rate=0.0))
    manager.register_target("ma", RuleParametersTarget([MovingAverageCrossoverRule("ma", parameter_space=GRID)]))
    result = manager.run_optimization("sequential", ["ma"], data_handler=nyse, backtester=backtester,
                                      backtest_params={"commission": 0.001},
                                      metric_params={"risk_free_rate": 0.03, "annualization_factor": 260})
    assert sorted(backtester.calls) == [("RuleParametersTarget", len(nyse), 0.001)] * 4
    for t in _trials(manager, result):
        equity, _ = Backtester(commission=0.001).run(
            MovingAverageCrossoverRule(fast_window=t.params["ma.ma__fast_window"],
                                       slow_window=t.params["ma.ma__slow_window"]), nyse)
        # metric_params override the metric object's settings for the whole study.
        assert t.values["sharpe_ratio"] == pytest.approx(stats.sharpe_ratio(equity, 0.03, 260), rel=1e-9)
    settings = result["study_result"].study.spec.metric_settings
    assert (settings.risk_free_rate, settings.annualization_factor) == (0.03, 260)


def test_low_level_worker_reports_records_under_a_progress_bar(client):
    import io

    from optimizer_grpc import BacktestRecord, ProgressBar, StudyBuilder, TradeRecord, TrialOutcome, Worker

    def evaluate(trial):
        growth = trial.params["s.g"]
        equity = 100 * (1 + growth) ** np.arange(11)  # 10 bars of constant growth from bar 5 of the series
        trade = TradeRecord(entry_bar=5, exit_bar=15, side=1, size=1.0, entry_price=100.0, exit_price=equity[-1],
                            ret=equity[-1] / 100 - 1, pnl=equity[-1] - 100)
        return TrialOutcome.from_record(BacktestRecord(equity, [trade], start_bar=5), {"label": growth * 10})

    study = client.create_study(StudyBuilder("records").target("s", {"g": [0.01, -0.01, 0.02]})
                                .maximize("total_return").grid())
    stream = io.StringIO()
    with ProgressBar(client, study.study_id, metric="total_return", stream=stream, bar=False):
        Worker(client, study.study_id, evaluate, capacity=2).run()
    trials = {t.params["s.g"]: t for t in client.list_trials(study.study_id)}
    for g, t in trials.items():
        assert t.values["total_return"] == pytest.approx((1 + g) ** 10 - 1)
        assert t.values["label"] == pytest.approx(g * 10)  # a client value beside the record
    assert client.get_result(study.study_id).target_results["s"].best_params == {"g": 0.02}
    assert stream.getvalue().splitlines()[-1].startswith(f"progress: 3/3 trials (100%), best total_return {1.02 ** 10 - 1:.6g}")
