"""A small, fast numpy trading toolkit: data, rules, regimes, sizing, backtesting, statistics."""
from optimizer_grpc.trading.backtest import Backtester, combine_positions, find_trades
from optimizer_grpc.trading.data import CSVDataHandler
from optimizer_grpc.trading.regime import REGIMES, TrendVolatilityRegimeDetector
from optimizer_grpc.trading.rules import BollingerBandsRule, MovingAverageCrossoverRule, RSIRule, Rule, rsi
from optimizer_grpc.trading.sizing import FixedFractionSizer

__all__ = ["Backtester", "combine_positions", "find_trades", "CSVDataHandler", "REGIMES",
           "TrendVolatilityRegimeDetector", "BollingerBandsRule", "MovingAverageCrossoverRule", "RSIRule", "Rule", "rsi",
           "FixedFractionSizer"]
