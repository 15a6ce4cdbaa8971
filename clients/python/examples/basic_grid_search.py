#!/usr/bin/env python3
"""The spec's "Basic Rule Parameter Optimization", run against an OptimizerGrpc server.

    /usr/bin/python3 clients/python/examples/basic_grid_search.py                 # starts a local server
    /usr/bin/python3 clients/python/examples/basic_grid_search.py --server 127.0.0.1:5000

Grid-searches a moving-average crossover and a moving-average trend filter on the NYSE Composite (1966-2002),
scored by the Sharpe ratio the server computes from each backtest's record (equity curve and trades); then prints
the server's analysis of the study (parameter importance, best vs robust pick, the winner's PSR and DSR, PBO).
"""
import argparse
import logging
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))  # run from a checkout without installing

from optimizer_grpc import (  # noqa: E402
    Backtester, CSVDataHandler, GridSearchMethod, LocalServer, MovingAverageCrossoverRule, OptimizationManager,
    RuleParametersTarget, SequentialOptimization, SharpeRatioMetric, summarize_analysis,
)

DATA = Path(__file__).resolve().parents[3] / "samples" / "data" / "nyse_composite_daily_1966_2002.csv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", help="address of a running server (default: start a local one)")
    parser.add_argument("--data", default=str(DATA), help="CSV with Date and Close columns")
    parser.add_argument("--verbose", action="store_true", help="log every trial (GridSearchMethod(verbose=True))")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")

    data_handler = CSVDataHandler(args.data)
    ma_crossover_rule = MovingAverageCrossoverRule(
        "ma_crossover", fast_window=10, slow_window=50,
        parameter_space={"fast_window": [5, 10, 20, 30], "slow_window": [50, 100, 150, 200]})
    ma_filter_rule = MovingAverageCrossoverRule(  # long only while the close is above its long moving average
        "ma_filter", fast_window=1, slow_window=200, parameter_space={"slow_window": [100, 150, 200, 250]})

    # Initialize optimizer
    optimization_manager = OptimizationManager(address=args.server, progress=not args.no_progress) if args.server \
        else OptimizationManager(server=LocalServer(), progress=not args.no_progress)

    with optimization_manager:
        # Register components
        optimization_manager.register_target(
            "ma_rule_params",
            RuleParametersTarget(rules=[ma_crossover_rule, ma_filter_rule])
        )
        optimization_manager.register_method(
            "grid_search",
            GridSearchMethod(verbose=True)
        )
        optimization_manager.register_metric(
            "sharpe_ratio",
            SharpeRatioMetric(risk_free_rate=0.0, annualization_factor=252)
        )
        optimization_manager.register_sequence(
            "sequential",
            SequentialOptimization()
        )

        # Run optimization
        started = time.perf_counter()
        result = optimization_manager.run_optimization(
            sequence_name="sequential",
            targets=["ma_rule_params"],
            methods={"ma_rule_params": "grid_search"},
            metrics={"ma_rule_params": "sharpe_ratio"},
            data_handler=data_handler,
            backtester=Backtester(commission=0.0005),
        )
        elapsed = time.perf_counter() - started

        # Print results
        print(f"Best parameters: {result['target_results']['ma_rule_params']['best_params']}")
        print(f"Best score: {result['target_results']['ma_rule_params']['best_score']}")
        counts = result["trial_counts"]
        print(f"Study {result['study_id']}: {result['state']}, {counts.completed} trials completed, "
              f"{counts.failed} failed, in {elapsed:.2f} s on {len(data_handler)} bars")
        # The server's analysis of the study: importance, robust pick vs best, PSR/DSR of the winner, PBO
        print(summarize_analysis(result))


if __name__ == "__main__":
    main()
