"""The spec's optimization metrics. A metric with a ``server_name`` is computed by the server from each trial's
backtest record (``calculate`` gives the same value locally, for ``create_objective_function`` and checks); one
without (``CustomMetric``) is computed by the worker and sent as a value beside the record."""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Callable, Dict, List, Optional

from optimizer_grpc.trading import metrics as stats

#: The server's metric catalog (src/OptimizerGrpc.Core/Metrics/MetricCatalog.cs).
SERVER_METRICS = ("total_return", "annualized_return", "annualized_volatility", "max_drawdown", "max_drawdown_duration",
                  "sharpe_ratio", "sortino_ratio", "calmar_ratio", "win_rate", "profit_factor", "expectancy", "trades",
                  "exposure")


class OptimizationMetric(ABC):
    """Base interface for optimization metrics."""

    #: The server's catalog name of the same metric, or None for a metric only the client can compute.
    server_name: Optional[str] = None

    @abstractmethod
    def calculate(self, equity_curve: Any, trades: List[Dict[str, Any]], **kwargs: Any) -> float:
        """The metric's value."""

    @property
    def higher_is_better(self) -> bool:
        return True

    def get_metadata(self) -> Dict[str, Any]:
        return {"name": self.__class__.__name__, "description": self.__doc__ or "No description available",
                "higher_is_better": self.higher_is_better}


class _AnnualizedMetric(OptimizationMetric):
    def __init__(self, risk_free_rate: float = 0.0, annualization_factor: float = 252) -> None:
        if annualization_factor <= 0:
            raise ValueError(f"annualization_factor must be > 0, got {annualization_factor}")
        self.risk_free_rate, self.annualization_factor = risk_free_rate, annualization_factor

    def _settings(self, kwargs: Dict[str, Any]) -> Dict[str, float]:
        return {"risk_free_rate": kwargs.get("risk_free_rate", self.risk_free_rate),
                "annualization_factor": kwargs.get("annualization_factor", self.annualization_factor)}


class SharpeRatioMetric(_AnnualizedMetric):
    """Annualised Sharpe ratio of per-bar returns (Sharpe 1994)."""

    server_name = "sharpe_ratio"

    def calculate(self, equity_curve: Any, trades: List[Dict[str, Any]], **kwargs: Any) -> float:
        return stats.sharpe_ratio(equity_curve, **self._settings(kwargs))


class SortinoRatioMetric(_AnnualizedMetric):
    """Annualised Sortino ratio (Sortino & Price 1994)."""

    server_name = "sortino_ratio"

    def calculate(self, equity_curve: Any, trades: List[Dict[str, Any]], **kwargs: Any) -> float:
        return stats.sortino_ratio(equity_curve, **self._settings(kwargs))


class TotalReturnMetric(OptimizationMetric):
    """Final equity over initial equity minus 1."""

    server_name = "total_return"

    def __init__(self, **_: Any) -> None:
        pass

    def calculate(self, equity_curve: Any, trades: List[Dict[str, Any]], **kwargs: Any) -> float:
        return stats.total_return(equity_curve)


class AnnualizedReturnMetric(_AnnualizedMetric):
    """Compound annual growth rate."""

    server_name = "annualized_return"

    def calculate(self, equity_curve: Any, trades: List[Dict[str, Any]], **kwargs: Any) -> float:
        return stats.annualized_return(equity_curve, self._settings(kwargs)["annualization_factor"])


class VolatilityMetric(_AnnualizedMetric):
    """Annualised volatility of per-bar returns (lower is better)."""

    server_name = "annualized_volatility"

    @property
    def higher_is_better(self) -> bool:
        return False

    def calculate(self, equity_curve: Any, trades: List[Dict[str, Any]], **kwargs: Any) -> float:
        return stats.annualized_volatility(equity_curve, self._settings(kwargs)["annualization_factor"])


class MaxDrawdownMetric(OptimizationMetric):
    """Largest fall from a running peak, as a positive fraction (lower is better)."""

    server_name = "max_drawdown"

    @property
    def higher_is_better(self) -> bool:
        return False

    def calculate(self, equity_curve: Any, trades: List[Dict[str, Any]], **kwargs: Any) -> float:
        return stats.max_drawdown(equity_curve)


class CalmarRatioMetric(_AnnualizedMetric):
    """Annualised return over max drawdown."""

    server_name = "calmar_ratio"

    def calculate(self, equity_curve: Any, trades: List[Dict[str, Any]], **kwargs: Any) -> float:
        return stats.calmar_ratio(equity_curve, self._settings(kwargs)["annualization_factor"])


class WinRateMetric(OptimizationMetric):
    """Share of trades with positive pnl."""

    server_name = "win_rate"

    def calculate(self, equity_curve: Any, trades: List[Dict[str, Any]], **kwargs: Any) -> float:
        return stats.win_rate(trades)


class ProfitFactorMetric(OptimizationMetric):
    """Gross profit over gross loss."""

    server_name = "profit_factor"

    def calculate(self, equity_curve: Any, trades: List[Dict[str, Any]], **kwargs: Any) -> float:
        return stats.profit_factor(trades)


class ExpectancyMetric(OptimizationMetric):
    """Mean trade return."""

    server_name = "expectancy"

    def calculate(self, equity_curve: Any, trades: List[Dict[str, Any]], **kwargs: Any) -> float:
        return stats.expectancy(trades)


class CustomMetric(OptimizationMetric):
    """A metric from a function ``fn(equity_curve, trades, **kwargs) -> float``."""

    def __init__(self, fn: Callable[..., float], higher_is_better: bool = True) -> None:
        self.fn, self._higher = fn, higher_is_better

    @property
    def higher_is_better(self) -> bool:
        return self._higher

    def calculate(self, equity_curve: Any, trades: List[Dict[str, Any]], **kwargs: Any) -> float:
        return float(self.fn(equity_curve, trades, **kwargs))
