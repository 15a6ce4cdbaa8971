"""Performance statistics of an equity curve and trades, with the server's metric names and formulas
(src/OptimizerGrpc.Core/Metrics/MetricCatalog.cs), so client-computed and server-computed values agree."""
from __future__ import annotations

from typing import Any, Dict, Sequence

import numpy as np


def _returns(equity: np.ndarray) -> np.ndarray:
    equity = np.asarray(equity, dtype=float)
    return equity[1:] / equity[:-1] - 1


def _per_bar(risk_free_rate: float, annualization_factor: float) -> float:
    """The per-bar rate compounding to the annual ``risk_free_rate``, as the server's MetricCalculator has it."""
    return (1 + risk_free_rate) ** (1 / annualization_factor) - 1


def total_return(equity: Sequence[float]) -> float:
    e = np.asarray(equity, dtype=float)
    return 0.0 if len(e) < 2 else float(e[-1] / e[0] - 1)


def annualized_return(equity: Sequence[float], annualization_factor: float = 252) -> float:
    e = np.asarray(equity, dtype=float)
    if len(e) < 2 or e[-1] <= 0:
        return -1.0 if len(e) >= 2 else 0.0
    return float((e[-1] / e[0]) ** (annualization_factor / (len(e) - 1)) - 1)


def annualized_volatility(equity: Sequence[float], annualization_factor: float = 252) -> float:
    r = _returns(np.asarray(equity))
    return 0.0 if len(r) < 2 else float(r.std(ddof=1) * np.sqrt(annualization_factor))


def sharpe_ratio(equity: Sequence[float], risk_free_rate: float = 0.0, annualization_factor: float = 252) -> float:
    """Mean per-bar excess return over the sample std (n - 1) of returns, times sqrt(periods per year)
    (W. F. Sharpe, The Sharpe Ratio, 1994); 0 with fewer than two returns or zero std."""
    r = _returns(np.asarray(equity))
    if len(r) < 2:
        return 0.0
    std = r.std(ddof=1)
    return 0.0 if std == 0 else float((r.mean() - _per_bar(risk_free_rate, annualization_factor)) / std * np.sqrt(annualization_factor))


def sortino_ratio(equity: Sequence[float], risk_free_rate: float = 0.0, annualization_factor: float = 252) -> float:
    """Mean excess return over the downside deviation of all bars (Sortino & Price 1994); 0 with no downside."""
    r = _returns(np.asarray(equity))
    if len(r) < 2:
        return 0.0
    excess = r - _per_bar(risk_free_rate, annualization_factor)
    downside = np.sqrt(np.mean(np.minimum(excess, 0) ** 2))
    return 0.0 if downside == 0 else float(excess.mean() / downside * np.sqrt(annualization_factor))


def max_drawdown(equity: Sequence[float]) -> float:
    e = np.asarray(equity, dtype=float)
    if len(e) == 0:
        return 0.0
    return float(np.max(1 - e / np.maximum.accumulate(e)))


def calmar_ratio(equity: Sequence[float], annualization_factor: float = 252) -> float:
    dd = max_drawdown(equity)
    return 0.0 if dd == 0 else annualized_return(equity, annualization_factor) / dd


def win_rate(trades: Sequence[Dict[str, Any]]) -> float:
    return 0.0 if not trades else sum(t["pnl"] > 0 for t in trades) / len(trades)


def profit_factor(trades: Sequence[Dict[str, Any]]) -> float:
    profit = sum(t["pnl"] for t in trades if t["pnl"] > 0)
    loss = -sum(t["pnl"] for t in trades if t["pnl"] < 0)
    if not trades or profit == 0:
        return 0.0
    return 1e9 if loss == 0 else min(1e9, profit / loss)


def expectancy(trades: Sequence[Dict[str, Any]]) -> float:
    return 0.0 if not trades else float(np.mean([t["return"] for t in trades]))
