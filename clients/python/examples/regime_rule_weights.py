#!/usr/bin/env python3
"""The spec's "Regime-Specific Rule Weight Optimization", run against an OptimizerGrpc server.

    /usr/bin/python3 clients/python/examples/regime_rule_weights.py                 # starts a local server
    /usr/bin/python3 clients/python/examples/regime_rule_weights.py --server 127.0.0.1:5000

A trend/volatility regime detector labels each NYSE Composite bar (1966-2002); for every regime with at least
min_regime_data bars the server runs a genetic search over the weights of three rules (MA crossover, RSI,
Bollinger bands), scored by the Sharpe ratio the server computes from each backtest record of the regime's bars.
The spec's GeneticMethod(population_size=50, generations=50) is scaled down (--population, --generations) so the
example runs in seconds; the search is the same.
"""
import argparse
import logging
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))  # run from a checkout without installing

from optimizer_grpc import (  # noqa: E402
    BollingerBandsRule, CSVDataHandler, GeneticMethod, GridSearchMethod, LocalServer, MovingAverageCrossoverRule,
    OptimizationManager, RegimeDetectorTarget, RegimeSpecificOptimization, RSIRule, RuleWeightsTarget,
    SharpeRatioMetric, TrendVolatilityRegimeDetector,
)

DATA = Path(__file__).resolve().parents[3] / "samples" / "data" / "nyse_composite_daily_1966_2002.csv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", help="address of a running server (default: start a local one)")
    parser.add_argument("--data", default=str(DATA), help="CSV with Date and Close columns")
    parser.add_argument("--population", type=int, default=12, help="genetic population size (spec: 50)")
    parser.add_argument("--generations", type=int, default=4, help="genetic generations (spec: 50)")
    parser.add_argument("--seed", type=int, default=11, help="seed of the genetic search")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(message)s")

    data_handler = CSVDataHandler(args.data)
    # The rules, with parameters as if already optimized (the spec's "assuming rule parameters already optimized").
    ma_crossover_rule = MovingAverageCrossoverRule("ma_crossover", fast_window=20, slow_window=100)
    rsi_rule = RSIRule("rsi", period=14, oversold=30.0, overbought=70.0)
    bollinger_rule = BollingerBandsRule("bollinger", window=20, num_std=2.0)
    trend_regime_detector = TrendVolatilityRegimeDetector(trend_window=200, volatility_window=20,
                                                          volatility_threshold=0.15)

    # Initialize optimizer
    optimization_manager = OptimizationManager(address=args.server, progress=not args.no_progress) if args.server \
        else OptimizationManager(server=LocalServer(), progress=not args.no_progress)

    with optimization_manager:
        # Register components (assuming rule parameters already optimized)
        optimization_manager.register_target(
            "rule_weights",
            RuleWeightsTarget(rules=[ma_crossover_rule, rsi_rule, bollinger_rule])
        )
        optimization_manager.register_target(
            "regime_detector",
            RegimeDetectorTarget(detector=trend_regime_detector)
        )
        optimization_manager.register_method(
            "genetic",
            GeneticMethod(population_size=args.population, generations=args.generations, seed=args.seed)
        )
        optimization_manager.register_method(
            "grid_search",
            GridSearchMethod(verbose=True)
        )
        optimization_manager.register_metric(
            "sharpe_ratio",
            SharpeRatioMetric()
        )
        optimization_manager.register_sequence(
            "regime_specific",
            RegimeSpecificOptimization()
        )

        # Run optimization
        started = time.perf_counter()
        result = optimization_manager.run_optimization(
            sequence_name="regime_specific",
            targets=["rule_weights"],
            methods={"rule_weights": "genetic", "regime_detector": "grid_search"},
            metrics={"rule_weights": "sharpe_ratio", "regime_detector": "sharpe_ratio"},
            data_handler=data_handler,
            regime_detector_target="regime_detector"
        )
        elapsed = time.perf_counter() - started

        # Print results
        print("Optimization results by regime:")
        for regime_type, regime_result in result['regime_results'].items():
            print(f"\nRegime: {regime_type}")
            rule_weights_result = regime_result['target_results']['rule_weights']
            print(f"Best weights: {rule_weights_result['best_params']}")
            print(f"Best score: {rule_weights_result['best_score']}")

        counts = result["trial_counts"]
        print(f"\nregime_results: {dict(result['regime_results'])}")
        print(f"Study {result['study_id']}: {result['state']}, {counts.completed} trials completed, {counts.failed} "
              f"failed, regimes {result['regimes']}, in {elapsed:.2f} s on {len(data_handler)} bars")
        if not result["regime_results"]:
            sys.exit("no regime had enough bars")


if __name__ == "__main__":
    main()
