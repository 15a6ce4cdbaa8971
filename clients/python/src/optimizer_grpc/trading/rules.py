"""Trading rules following the spec's rule protocol: name, parameter_space, get_parameters, set_parameters,
validate_parameters; plus ``weight`` (for RuleWeightsTarget) and ``generate_positions(close)``.

Positions are decided at a bar's close from data up to that bar (see Backtester for how they earn returns).
"""
from __future__ import annotations

import functools
from abc import ABC, abstractmethod
from typing import Any, Dict, List, Optional, Tuple

import numpy as np


class Rule(ABC):
    """Base of the rules: holds parameters, validates them, and produces a position per bar."""

    default_params: Dict[str, Any] = {}
    default_space: Dict[str, List[Any]] = {}

    def __init__(self, name: str, params: Dict[str, Any], parameter_space: Optional[Dict[str, List[Any]]] = None,
                 weight: float = 1.0) -> None:
        self.name = name
        self.params: Dict[str, Any] = {**self.default_params, **params}
        self.parameter_space: Dict[str, List[Any]] = dict(parameter_space or self.default_space)
        self.weight = weight
        ok, error = self.validate_parameters(self.params)
        if not ok:
            raise ValueError(f"{name}: {error}")

    def get_parameters(self) -> Dict[str, Any]:
        return dict(self.params)

    def set_parameters(self, params: Dict[str, Any]) -> None:
        merged = {**self.params, **params}
        ok, error = self.validate_parameters(merged)
        if not ok:
            raise ValueError(f"{self.name}: {error}")
        self.params = merged

    def validate_parameters(self, params: Dict[str, Any]) -> Tuple[bool, Optional[str]]:
        unknown = set(params) - set(self.default_params)
        if unknown:
            return False, f"unknown parameters {sorted(unknown)}; known: {sorted(self.default_params)}"
        error = self._check({**self.params, **params} if hasattr(self, "params") else params)
        return (error is None), error

    def _check(self, p: Dict[str, Any]) -> Optional[str]:
        return None

    @abstractmethod
    def generate_positions(self, close: np.ndarray) -> np.ndarray:
        """One position per bar (1 long, -1 short, 0 flat; fractions allowed), decided at the bar's close."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r}, {self.params})"


def prefix_sums(x: np.ndarray) -> np.ndarray:
    """c[i] = x[0] + ... + x[i-1], so a window sum is one subtraction."""
    c = np.empty(len(x) + 1)
    c[0] = 0.0
    np.cumsum(x, out=c[1:])
    return c


def rolling_mean(x: np.ndarray, window: int, sums: Optional[np.ndarray] = None) -> np.ndarray:
    """Simple moving average; NaN for the first window - 1 bars."""
    out = np.full(len(x), np.nan)
    if window <= len(x):
        c = prefix_sums(x) if sums is None else sums
        out[window - 1:] = (c[window:] - c[:-window]) / window
    return out


def rolling_std(x: np.ndarray, window: int) -> np.ndarray:
    """Population standard deviation over the window; NaN for the first window - 1 bars.

    From prefix sums of x and x^2 after removing the series mean, which keeps the E[x^2] - E[x]^2 cancellation
    small for price-like series."""
    out = np.full(len(x), np.nan)
    if window <= len(x):
        centered = x - x.mean()
        mean = rolling_mean(centered, window)[window - 1:]
        square = rolling_mean(centered * centered, window)[window - 1:]
        out[window - 1:] = np.sqrt(np.maximum(square - mean * mean, 0.0))
    return out


def _hold(events: np.ndarray) -> np.ndarray:
    """Forward-fills the last non-NaN event (0 before the first): a state machine driven by entry/exit events."""
    idx = np.where(np.isnan(events), 0, np.arange(len(events)))
    np.maximum.accumulate(idx, out=idx)
    out = events[idx]
    return np.nan_to_num(out, nan=0.0)


class MovingAverageCrossoverRule(Rule):
    """Long while the fast SMA is above the slow SMA, else flat (short with allow_short). Warm-up bars are flat."""

    default_params = {"fast_window": 10, "slow_window": 50}
    default_space = {"fast_window": [5, 10, 15, 20, 30, 40, 50],
                     "slow_window": [20, 50, 100, 150, 200]}

    def __init__(self, name: str = "ma_crossover", params: Optional[Dict[str, Any]] = None,
                 parameter_space: Optional[Dict[str, List[Any]]] = None, allow_short: bool = False,
                 weight: float = 1.0, **kwargs: Any) -> None:
        self.allow_short = allow_short
        super().__init__(name, {**(params or {}), **kwargs}, parameter_space, weight)

    def _check(self, p: Dict[str, Any]) -> Optional[str]:
        fast, slow = p["fast_window"], p["slow_window"]
        if int(fast) != fast or int(slow) != slow or fast < 1:
            return f"fast_window must be an integer >= 1 and slow_window an integer, got {fast} and {slow}"
        return None if fast < slow else f"fast_window ({fast}) must be less than slow_window ({slow})"

    def generate_positions(self, close: np.ndarray) -> np.ndarray:
        sums = prefix_sums(close)
        fast = rolling_mean(close, int(self.params["fast_window"]), sums)
        slow = rolling_mean(close, int(self.params["slow_window"]), sums)
        with np.errstate(invalid="ignore"):
            pos = (fast > slow).astype(float)
            if self.allow_short:
                pos -= fast < slow
        return pos


def rsi(close: np.ndarray, period: int) -> np.ndarray:
    """Wilder's RSI (J. W. Wilder, New Concepts in Technical Trading Systems, 1978): smoothed with alpha = 1/period,
    seeded by the simple mean of the first ``period`` changes; NaN before bar ``period``."""
    out = np.full(len(close), np.nan)
    if len(close) <= period:
        return out
    change = np.diff(close)
    gain, loss = np.clip(change, 0, None), np.clip(-change, 0, None)
    avg_gain = _wilder(gain, period)
    avg_loss = _wilder(loss, period)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(avg_loss == 0, np.where(avg_gain == 0, 50.0, 100.0), 100 - 100 / (1 + avg_gain / avg_loss))
    out[period:] = value[period - 1:]
    return out


def _wilder(x: np.ndarray, period: int) -> np.ndarray:
    """s[period-1] = mean(x[:period]); s[t] = s[t-1] + (x[t] - s[t-1]) / period, computed block by block in closed
    form (s[t0 + j] = d^j s[t0] + a sum_k d^(j-k) x[t0+k]) so no Python loop runs per bar; blocks keep d^-j finite."""
    a = 1.0 / period
    s = np.full(len(x), np.nan)
    s[period - 1] = x[:period].mean()
    powers, inverse = _decay(period, len(x))
    block = len(powers)
    t = period
    while t < len(x):
        chunk = x[t:t + block]
        n = len(chunk)
        acc = np.cumsum(a * chunk * inverse[:n])
        s[t:t + n] = powers[:n] * (s[t - 1] + acc)
        t += n
    return s


@functools.lru_cache(maxsize=64)
def _decay(period: int, n: int) -> Tuple[np.ndarray, np.ndarray]:
    """d^1..d^block and their inverses for d = 1 - 1/period; block keeps d^-block below 1e300. Cached: an
    optimisation evaluates the same period many times."""
    d = 1.0 - 1.0 / period
    block = max(1, min(n, int(300 / -np.log10(d))))
    powers = np.exp(np.arange(1, block + 1) * np.log(d))
    return powers, 1.0 / powers


class RSIRule(Rule):
    """RSI mean reversion: long when the RSI falls below ``oversold``, held until it rises above ``overbought``,
    then flat (short with allow_short, held until the RSI falls below ``oversold``)."""

    default_params = {"period": 14, "oversold": 30.0, "overbought": 70.0}
    default_space = {"period": [7, 14, 21, 28], "oversold": [20.0, 25.0, 30.0, 35.0],
                     "overbought": [65.0, 70.0, 75.0, 80.0]}

    def __init__(self, name: str = "rsi", params: Optional[Dict[str, Any]] = None,
                 parameter_space: Optional[Dict[str, List[Any]]] = None, allow_short: bool = False,
                 weight: float = 1.0, **kwargs: Any) -> None:
        self.allow_short = allow_short
        super().__init__(name, {**(params or {}), **kwargs}, parameter_space, weight)

    def _check(self, p: Dict[str, Any]) -> Optional[str]:
        if int(p["period"]) != p["period"] or p["period"] < 2:
            return f"period must be an integer >= 2, got {p['period']}"
        if not 0 <= p["oversold"] < p["overbought"] <= 100:
            return f"need 0 <= oversold < overbought <= 100, got {p['oversold']} and {p['overbought']}"
        return None

    def generate_positions(self, close: np.ndarray) -> np.ndarray:
        r = rsi(close, int(self.params["period"]))
        events = np.full(len(close), np.nan)
        with np.errstate(invalid="ignore"):
            events[r > self.params["overbought"]] = -1.0 if self.allow_short else 0.0
            events[r < self.params["oversold"]] = 1.0
        return _hold(events)


class BollingerBandsRule(Rule):
    """Bollinger-band mean reversion, long only: enter when the close falls below the lower band (SMA minus
    ``num_std`` population standard deviations over ``window``), exit when it returns to the middle band."""

    default_params = {"window": 20, "num_std": 2.0}
    default_space = {"window": [10, 20, 30, 50], "num_std": [1.5, 2.0, 2.5, 3.0]}

    def __init__(self, name: str = "bollinger_bands", params: Optional[Dict[str, Any]] = None,
                 parameter_space: Optional[Dict[str, List[Any]]] = None, weight: float = 1.0, **kwargs: Any) -> None:
        super().__init__(name, {**(params or {}), **kwargs}, parameter_space, weight)

    def _check(self, p: Dict[str, Any]) -> Optional[str]:
        if int(p["window"]) != p["window"] or p["window"] < 2:
            return f"window must be an integer >= 2, got {p['window']}"
        return None if p["num_std"] > 0 else f"num_std must be > 0, got {p['num_std']}"

    def generate_positions(self, close: np.ndarray) -> np.ndarray:
        window = int(self.params["window"])
        middle = rolling_mean(close, window)
        lower = middle - self.params["num_std"] * rolling_std(close, window)
        events = np.full(len(close), np.nan)
        with np.errstate(invalid="ignore"):
            events[close >= middle] = 0.0
            events[close < lower] = 1.0
        return _hold(events)
