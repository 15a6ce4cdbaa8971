"""The numpy toolkit against straightforward per-bar reference loops."""
import numpy as np
import pytest

from optimizer_grpc import (Backtester, BollingerBandsRule, CSVDataHandler, FixedFractionSizer,
                            MovingAverageCrossoverRule, RSIRule)
from optimizer_grpc.trading import metrics as stats
from optimizer_grpc.trading.rules import rsi


def reference_equity(close, position, commission):
    equity, previous = [1.0], 0.0
    for t in range(len(close) - 1):
        cost = commission * abs(position[t] - previous)
        equity.append(equity[-1] * (1 - cost) * (1 + position[t] * (close[t + 1] / close[t] - 1)))
        previous = position[t]
    return np.array(equity)


def test_csv_handler_loads_nyse_and_reports_out_of_order_rows(nyse):
    assert len(nyse) == 9311 and nyse.close[0] == pytest.approx(49.92)
    assert len(nyse.issues) == 2 and "line 289" in nyse.issues[0]


def test_backtester_matches_the_per_bar_formula(nyse):
    close = nyse.close[:600]
    position = MovingAverageCrossoverRule(fast_window=5, slow_window=20, allow_short=True).generate_positions(close)
    equity, trades = Backtester(commission=0.001).run_positions(close, position)
    assert np.allclose(equity, reference_equity(close, position, 0.001), rtol=1e-12)
    assert all(t["side"] in (1, -1) for t in trades)
    assert all(trades[i]["exit_bar"] <= trades[i + 1]["entry_bar"] for i in range(len(trades) - 1))


def test_trades_are_runs_of_one_sign():
    close = np.array([10.0, 11, 12, 11, 10, 9, 10])
    position = np.array([0.0, 1, 1, -1, -1, 0, 0])
    equity, trades = Backtester().run_positions(close, position)
    assert [(t["entry_bar"], t["exit_bar"], t["side"]) for t in trades] == [(1, 3, 1), (3, 5, -1)]
    assert trades[0]["return"] == pytest.approx(11 / 11 - 1)
    assert trades[1]["return"] == pytest.approx(-(9 / 11 - 1))
    assert equity[-1] == pytest.approx(1 * (12 / 11) * (11 / 12) * (1 - (10 / 11 - 1)) * (1 - (9 / 10 - 1)))


def test_ma_crossover_positions_match_a_loop(nyse):
    close = nyse.close[:400]
    rule = MovingAverageCrossoverRule(fast_window=7, slow_window=30)
    pos = rule.generate_positions(close)
    for t in range(len(close)):
        expected = 0.0 if t < 29 else float(close[t - 6:t + 1].mean() > close[t - 29:t + 1].mean())
        assert pos[t] == expected


def test_rsi_matches_wilder_loop(nyse):
    close, period = nyse.close[:500], 14
    change = np.diff(close)
    gain, loss = np.clip(change, 0, None), np.clip(-change, 0, None)
    g, l = gain[:period].mean(), loss[:period].mean()
    expected = [100 - 100 / (1 + g / l)]
    for t in range(period, len(change)):
        g += (gain[t] - g) / period
        l += (loss[t] - l) / period
        expected.append(100 - 100 / (1 + g / l))
    assert np.allclose(rsi(close, period)[period:], expected, rtol=1e-10)
    assert np.isnan(rsi(close, period)[:period]).all()


def test_rsi_and_bollinger_hold_positions_between_signals(nyse):
    for rule in (RSIRule(), BollingerBandsRule()):
        pos = rule.generate_positions(nyse.close)
        assert set(np.unique(pos)) <= {0.0, 1.0} and pos.sum() > 0


def test_rule_parameters_are_validated():
    with pytest.raises(ValueError, match="fast_window"):
        MovingAverageCrossoverRule(fast_window=50, slow_window=10)
    assert not RSIRule().validate_parameters({"oversold": 80})[0]
    assert not BollingerBandsRule().validate_parameters({"num_std": 0})[0]
    assert not RSIRule().validate_parameters({"nope": 1})[0]


def test_metrics_by_hand():
    equity = np.array([1.0, 1.1, 0.99, 1.089])
    r = np.array([0.1, -0.1, 0.1])
    assert stats.total_return(equity) == pytest.approx(0.089)
    assert stats.max_drawdown(equity) == pytest.approx(0.1)
    assert stats.sharpe_ratio(equity) == pytest.approx(r.mean() / r.std(ddof=1) * np.sqrt(252))
    assert stats.sortino_ratio(equity) == pytest.approx(r.mean() / np.sqrt((0.01) / 3) * np.sqrt(252))
    trades = [{"pnl": 2.0, "return": 0.1}, {"pnl": -1.0, "return": -0.05}]
    assert stats.win_rate(trades) == 0.5 and stats.profit_factor(trades) == 2.0
    assert stats.expectancy(trades) == pytest.approx(0.025)


def test_position_sizer_scales_positions(nyse):
    rule = MovingAverageCrossoverRule()
    full, _ = Backtester().run(rule, nyse)
    half, _ = Backtester(sizer=FixedFractionSizer(0.5)).run(rule, nyse)
    assert stats.annualized_volatility(half) == pytest.approx(stats.annualized_volatility(full) / 2, rel=0.05)
