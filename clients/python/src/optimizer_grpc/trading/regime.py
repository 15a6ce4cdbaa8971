"""TrendVolatilityRegimeDetector: labels each bar by trend (close vs its SMA) and volatility (annualised rolling
volatility of returns vs a threshold)."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

import numpy as np

from optimizer_grpc.trading.rules import rolling_mean, rolling_std

REGIMES = ("bull_low_vol", "bull_high_vol", "bear_low_vol", "bear_high_vol")


class TrendVolatilityRegimeDetector:
    """Regimes: bull/bear (close above/below its ``trend_window`` SMA) x low/high volatility (annualised std of
    the last ``volatility_window`` daily returns below/above ``volatility_threshold``). Warm-up bars get no regime."""

    def __init__(self, trend_window: int = 200, volatility_window: int = 20, volatility_threshold: float = 0.15,
                 annualization_factor: float = 252, parameter_space: Optional[Dict[str, List[Any]]] = None,
                 name: str = "trend_volatility") -> None:
        self.name = name
        self.annualization_factor = annualization_factor
        self.parameter_space = dict(parameter_space or {
            "trend_window": [50, 100, 150, 200], "volatility_window": [10, 20, 40],
            "volatility_threshold": [0.10, 0.15, 0.20]})
        self.params: Dict[str, Any] = {}
        self.set_parameters({"trend_window": trend_window, "volatility_window": volatility_window,
                             "volatility_threshold": volatility_threshold})

    def get_parameters(self) -> Dict[str, Any]:
        return dict(self.params)

    def set_parameters(self, params: Dict[str, Any]) -> None:
        ok, error = self.validate_parameters(params)
        if not ok:
            raise ValueError(f"{self.name}: {error}")
        self.params.update(params)

    def validate_parameters(self, params: Dict[str, Any]) -> Tuple[bool, Optional[str]]:
        p = {**self.params, **params}
        unknown = set(params) - {"trend_window", "volatility_window", "volatility_threshold"}
        if unknown:
            return False, f"unknown parameters {sorted(unknown)}"
        if p["trend_window"] < 2 or p["volatility_window"] < 2:
            return False, f"windows must be >= 2, got {p['trend_window']} and {p['volatility_window']}"
        if p["volatility_threshold"] <= 0:
            return False, f"volatility_threshold must be > 0, got {p['volatility_threshold']}"
        return True, None

    def labels(self, close: np.ndarray) -> np.ndarray:
        """One label per bar: an index into REGIMES, or -1 during warm-up."""
        close = np.asarray(close, dtype=float)
        trend = rolling_mean(close, int(self.params["trend_window"]))
        returns = np.concatenate(([np.nan], close[1:] / close[:-1] - 1))
        vol = rolling_std(np.nan_to_num(returns), int(self.params["volatility_window"])) * np.sqrt(self.annualization_factor)
        vol[: int(self.params["volatility_window"])] = np.nan
        with np.errstate(invalid="ignore"):
            label = np.where(close >= trend, 0, 2) + np.where(vol > self.params["volatility_threshold"], 1, 0)
        label[np.isnan(trend) | np.isnan(vol)] = -1
        return label.astype(np.int32)

    def identify_regimes(self, data_handler: Any) -> Dict[str, np.ndarray]:
        """Regime name -> bar indices (into the handler) carrying that regime; regimes with no bars are left out."""
        labels = self.labels(data_handler.close)
        return {name: np.flatnonzero(labels == i) for i, name in enumerate(REGIMES) if np.any(labels == i)}
