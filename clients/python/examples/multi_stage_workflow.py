#!/usr/bin/env python3
"""The spec's "Comprehensive Multi-Stage Optimization", run against an OptimizerGrpc server as three linked studies.

    /usr/bin/python3 clients/python/examples/multi_stage_workflow.py                 # starts a local server
    /usr/bin/python3 clients/python/examples/multi_stage_workflow.py --server 127.0.0.1:5000

Stage 1 grid-searches the trend/volatility regime detector on the NYSE Composite (1966-2002) by its own metric,
classification_accuracy (computed by this client and sent beside the backtest record: the server's catalog has no
such metric); the manager applies the winner to the detector. Stage 2 labels the bars with the tuned detector and grid-searches the MA crossover and RSI
parameters per regime. Stage 3 searches the rule weights per regime with a genetic algorithm, each regime's trials
trading that regime's stage-2 parameters. Grids and the genetic budget are small so the example runs in seconds.
"""
import argparse
import logging
import sys
import time
from pathlib import Path
from typing import Any, Dict, List

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))  # run from a checkout without installing

from optimizer_grpc import (  # noqa: E402
    Backtester, CSVDataHandler, CustomMetric, GeneticMethod, GridSearchMethod, LocalServer, MovingAverageCrossoverRule,
    OptimizationManager, RegimeDetectorTarget, RegimeSpecificOptimization, RSIRule, RuleParametersTarget,
    RuleWeightsTarget, SequentialOptimization, SharpeRatioMetric, TrendVolatilityRegimeDetector,
)
from optimizer_grpc.trading.regime import REGIMES  # noqa: E402

DATA = Path(__file__).resolve().parents[3] / "samples" / "data" / "nyse_composite_daily_1966_2002.csv"


def classification_accuracy(equity_curve: Any, trades: List[Dict[str, Any]], **_: Any) -> float:
    """Share of the labelled bars the detector called right. Its backtest is long through each bull stint and short
    through each bear stint, one trade per stint, so a stint's trend call was right when its trade made money; each
    stint counts with its length in bars. (It scores the trend call: the volatility half of a label has no
    direction to check.)"""
    bars = np.array([t["exit_bar"] - t["entry_bar"] for t in trades], dtype=float)
    right = np.array([t["return"] > 0 for t in trades], dtype=bool)
    return 0.0 if bars.sum() == 0 else float(bars[right].sum() / bars.sum())


class RegimeBacktester:
    """The spec's backtester extension point (``run(subject, data_handler)``), aware of regimes:

    - a regime detector alone is traded as its own call: long while it says bull, short while it says bear;
    - rules are traded with the parameters their regime got in stage 2 (``regime_params``), when given; in the
      regime-specific (segment) studies every trial's data belongs to one regime, found from its bar indices.
    """

    def __init__(self, detector: Any = None, regime_params: Dict[str, Dict[str, Dict[str, Any]]] = None,
                 data_handler: Any = None) -> None:
        self.detector, self.regime_params = detector, regime_params or {}
        # The labels of the whole series: a trial's bars are looked up in it by their bar_index.
        self.labels = detector.labels(data_handler.close) if detector is not None else None
        self.backtester = Backtester(commission=0.0005)

    def run(self, subject: Any, data_handler: Any, **params: Any):
        if isinstance(subject, RegimeDetectorTarget):
            labels = subject.labels(data_handler.close)
            positions = np.where(labels < 0, 0.0, np.where(labels < 2, 1.0, -1.0))  # REGIMES: bull_*, then bear_*
            return self.backtester.run_positions(np.asarray(data_handler.close, dtype=float), positions)
        if self.regime_params:
            for target in subject if isinstance(subject, list) else [subject]:
                self._apply(target, self._regime_of(data_handler))
        return self.backtester.run(subject, data_handler, **params)

    def _regime_of(self, data_handler: Any) -> str:
        labels = self.labels[data_handler.bar_index]
        if len(set(labels.tolist())) != 1:
            raise ValueError("a trial's bars span several regimes; use the regime-specific sequence's segment mode")
        if labels[0] < 0:
            raise ValueError("a trial's bars are in no regime (the detector's warm-up); the server never sends those")
        return REGIMES[labels[0]]

    def _apply(self, target: Any, regime: str) -> None:
        for params in self.regime_params.get(regime, {}).values():
            for rule in getattr(target, "rules", []):
                rule.set_parameters({k.split(".", 1)[1]: v for k, v in params.items() if k.split(".", 1)[0] == rule.name})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", help="address of a running server (default: start a local one)")
    parser.add_argument("--data", default=str(DATA), help="CSV with Date and Close columns")
    parser.add_argument("--population", type=int, default=10, help="stage 3 genetic population size")
    parser.add_argument("--generations", type=int, default=3, help="stage 3 genetic generations")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(message)s")

    data_handler = CSVDataHandler(args.data)
    trend_regime_detector = TrendVolatilityRegimeDetector(
        trend_window=200, volatility_window=20, volatility_threshold=0.15,
        # classification_accuracy scores the trend call, so stage 1 searches the trend window (the volatility
        # settings would only tie); the volatility settings stay as given.
        parameter_space={"trend_window": [20, 50, 100, 150, 200, 250, 300]})
    ma_crossover_rule = MovingAverageCrossoverRule(
        "ma_crossover", fast_window=10, slow_window=50,
        parameter_space={"fast_window": [5, 10, 20], "slow_window": [50, 100, 200]})
    rsi_rule = RSIRule("rsi", period=14, oversold=30.0, overbought=70.0,
                       parameter_space={"period": [7, 14, 21], "oversold": [25.0, 30.0], "overbought": [70.0, 75.0]})

    optimization_manager = OptimizationManager(address=args.server, progress=not args.no_progress) if args.server \
        else OptimizationManager(server=LocalServer(), progress=not args.no_progress)
    with optimization_manager:
        optimization_manager.register_target("regime_detector", RegimeDetectorTarget(detector=trend_regime_detector))
        optimization_manager.register_target("ma_rule_params", RuleParametersTarget(rules=[ma_crossover_rule]))
        optimization_manager.register_target("rsi_rule_params", RuleParametersTarget(rules=[rsi_rule]))
        optimization_manager.register_target("rule_weights", RuleWeightsTarget(rules=[ma_crossover_rule, rsi_rule]))
        optimization_manager.register_method("grid_search", GridSearchMethod())
        optimization_manager.register_method(
            "genetic", GeneticMethod(population_size=args.population, generations=args.generations, seed=5))
        optimization_manager.register_metric("sharpe_ratio", SharpeRatioMetric(risk_free_rate=0.0, annualization_factor=252))
        optimization_manager.register_metric("classification_accuracy", CustomMetric(classification_accuracy))
        optimization_manager.register_sequence("sequential", SequentialOptimization())
        optimization_manager.register_sequence("regime_specific", RegimeSpecificOptimization(min_regime_data=100))
        timings = {}

        # Stage 1: Optimize Regime Detector Parameters
        started = time.perf_counter()
        regime_result = optimization_manager.run_optimization(
            sequence_name="sequential",
            targets=["regime_detector"],
            methods={"regime_detector": "grid_search"},
            metrics={"regime_detector": "classification_accuracy"},
            data_handler=data_handler,
            backtester=RegimeBacktester(),
        )
        timings["stage 1"] = time.perf_counter() - started
        # The manager applied the winner to trend_regime_detector; stage 2 labels the bars with it.

        # Stage 2: Optimize Rule Parameters by Regime
        started = time.perf_counter()
        rule_params_result = optimization_manager.run_optimization(
            sequence_name="regime_specific",
            targets=["ma_rule_params", "rsi_rule_params"],
            methods={
                "ma_rule_params": "grid_search",
                "rsi_rule_params": "grid_search"
            },
            metrics={
                "ma_rule_params": "sharpe_ratio",
                "rsi_rule_params": "sharpe_ratio"
            },
            data_handler=data_handler,
            regime_detector_target="regime_detector",
            backtester=RegimeBacktester(),
        )
        timings["stage 2"] = time.perf_counter() - started

        # Stage 3: Optimize Rule Weights by Regime, each regime trading its stage-2 parameters
        regime_params = {regime: {name: entry["best_params"] for name, entry in r["target_results"].items()}
                         for regime, r in rule_params_result["regime_results"].items()}
        stage3_backtester = RegimeBacktester(trend_regime_detector, regime_params, data_handler)
        started = time.perf_counter()
        rule_weights_result = optimization_manager.run_optimization(
            sequence_name="regime_specific",
            targets=["rule_weights"],
            methods={"rule_weights": "genetic"},
            metrics={"rule_weights": "sharpe_ratio"},
            data_handler=data_handler,
            regime_detector_target="regime_detector",
            backtester=stage3_backtester,
        )
        timings["stage 3"] = time.perf_counter() - started

        # Collect and analyze all results
        comprehensive_result = {
            'regime_detector': regime_result,
            'rule_parameters': rule_params_result,
            'rule_weights': rule_weights_result
        }

        # Print final optimized strategy configuration
        print("\nFinal Optimized Strategy Configuration:")
        print("\nRegime Detector:")
        print(f"  Parameters: {regime_result['target_results']['regime_detector']['best_params']}")

        print("\nRule Parameters by Regime:")
        for regime_type, regime_result in rule_params_result['regime_results'].items():
            print(f"\n  Regime: {regime_type}")
            for target_name, target_result in regime_result['target_results'].items():
                print(f"    {target_name}: {target_result['best_params']}")

        print("\nRule Weights by Regime:")
        for regime_type, regime_result in rule_weights_result['regime_results'].items():
            print(f"\n  Regime: {regime_type}")
            print(f"    Weights: {regime_result['target_results']['rule_weights']['best_params']}")

        print()
        for stage, result in comprehensive_result.items():
            counts = result["trial_counts"]
            print(f"{stage}: study {result['study_id']} {result['state']}, {counts.completed} trials completed, "
                  f"{counts.failed} failed")
        detector = comprehensive_result["regime_detector"]["target_results"]["regime_detector"]
        print(f"regime_detector target_results: {comprehensive_result['regime_detector']['target_results']}")
        print(f"rule_parameters regime_results: {dict(rule_params_result['regime_results'])}")
        print(f"rule_weights regime_results: {dict(rule_weights_result['regime_results'])}")
        print(f"classification_accuracy {detector['best_score']:.4f}; "
              + ", ".join(f"{k} {v:.2f} s" for k, v in timings.items()) + f" on {len(data_handler)} bars")
        if any(not r["regime_results"] for r in (rule_params_result, rule_weights_result)):
            sys.exit("a regime-specific stage produced no regime results")


if __name__ == "__main__":
    main()
