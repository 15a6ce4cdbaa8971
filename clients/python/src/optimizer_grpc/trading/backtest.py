"""Vectorized close-to-close backtester.

The position decided at bar t's close earns the return from close t to close t + 1:
``equity[t+1] = equity[t] * (1 - commission * |p[t] - p[t-1]|) * (1 + p[t] * (close[t+1] / close[t] - 1))``
with p[-1] = 0 — the same formula as the C# toolkit, so both clients score a strategy identically.
"""
from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

import numpy as np

from optimizer_grpc.trading.rules import Rule
from optimizer_grpc.trading.sizing import FixedFractionSizer


def combine_positions(rules: Sequence[Rule], close: np.ndarray) -> np.ndarray:
    """Weighted mean of the rules' positions (weights from ``rule.weight``, default 1); flat when all weights are 0."""
    if not rules:
        raise ValueError("no rules to backtest")
    weights = np.array([float(getattr(r, "weight", 1.0)) for r in rules])
    if len(rules) == 1:
        return rules[0].generate_positions(close) * (1.0 if weights[0] != 0 else 0.0)
    total = weights.sum()
    if total == 0:
        return np.zeros(len(close))
    return sum(w * r.generate_positions(close) for w, r in zip(weights, rules) if w != 0) / total


class Backtester:
    """``Backtester(commission=0.0005).run(target_or_rules, data_handler) -> (equity_curve, trades)``.

    ``subject`` is a rule, a list of rules, a target with ``.rules`` (RuleParametersTarget, RuleWeightsTarget), or a
    list of targets; a PositionSizingTarget among them (or ``sizer``) scales the positions.
    """

    def __init__(self, initial_capital: float = 1.0, commission: float = 0.0,
                 sizer: Optional[FixedFractionSizer] = None) -> None:
        if not initial_capital > 0:
            raise ValueError(f"initial_capital must be > 0, got {initial_capital}")
        if not 0 <= commission < 1:
            raise ValueError(f"commission must be in [0, 1), got {commission}")
        self.initial_capital, self.commission, self.sizer = initial_capital, commission, sizer

    def run(self, subject: Any, data_handler: Any, **_: Any) -> Tuple[np.ndarray, List[Dict[str, Any]]]:
        close = np.asarray(data_handler.close, dtype=float)
        rules, sizer = _collect(subject)
        positions = combine_positions(rules, close)
        sizer = sizer or self.sizer
        if sizer is not None:
            positions = sizer.size(positions)
        return self.run_positions(close, positions)

    def run_positions(self, close: np.ndarray, positions: np.ndarray) -> Tuple[np.ndarray, List[Dict[str, Any]]]:
        if len(close) != len(positions):
            raise ValueError(f"positions has {len(positions)} entries but close has {len(close)}; they must be equal")
        n = len(close)
        if n == 0:
            return np.empty(0), []
        if not np.all(np.isfinite(positions)):
            raise ValueError(f"position[{int(np.flatnonzero(~np.isfinite(positions))[0])}] is not finite")
        p = positions[:-1]
        growth = 1 + p * (close[1:] / close[:-1] - 1)
        if self.commission:
            growth *= 1 - self.commission * np.abs(np.diff(np.concatenate(([0.0], p))))
        equity = np.empty(n)
        equity[0] = self.initial_capital
        np.cumprod(growth, out=equity[1:])
        equity[1:] *= self.initial_capital
        return equity, find_trades(close, positions, equity)


def find_trades(close: np.ndarray, positions: np.ndarray, equity: np.ndarray) -> List[Dict[str, Any]]:
    """A trade is a run of bars whose position has one sign (re-sizing does not split it); it exits at the first
    bar with another sign, or at the last bar."""
    n = len(close)
    if n < 2:
        return []
    sign = np.sign(positions[:-1])
    change = np.flatnonzero(np.diff(sign)) + 1
    starts = np.concatenate(([0], change))
    ends = np.concatenate((change, [n - 1]))
    keep = sign[starts] != 0
    starts, ends = starts[keep], ends[keep]
    side = sign[starts]
    ret = side * (close[ends] / close[starts] - 1)
    pnl = equity[ends] - equity[starts]
    size = np.abs(positions[starts])
    return [{"entry_bar": int(s), "exit_bar": int(e), "side": int(d), "size": float(z), "entry_price": float(close[s]),
             "exit_price": float(close[e]), "return": float(r), "pnl": float(q)}
            for s, e, d, z, r, q in zip(starts.tolist(), ends.tolist(), side.tolist(), size.tolist(), ret.tolist(),
                                        pnl.tolist())]


def _collect(subject: Any) -> Tuple[List[Rule], Optional[FixedFractionSizer]]:
    rules: List[Rule] = []
    sizer = None
    items: Iterable[Any] = subject if isinstance(subject, (list, tuple)) else [subject]
    for item in items:
        if hasattr(item, "generate_positions"):
            rules.append(item)
        elif hasattr(item, "sizer"):
            sizer = item.sizer
        elif hasattr(item, "size") and callable(item.size):
            sizer = item
        elif hasattr(item, "rules"):
            rules.extend(r for r in item.rules if r not in rules)
    return rules, sizer
