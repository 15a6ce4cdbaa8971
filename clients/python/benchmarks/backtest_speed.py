"""How long one moving-average crossover backtest (positions, equity, trades) takes on the 9,311-bar NYSE series.

Best and median of 7 repeats of 50 backtests (the best is the least disturbed by other processes, as timeit advises).
Last line: ``RESULT backtest_us_best=... backtest_us_median=... bars=...``. Run from the repository root:
``/usr/bin/python3 clients/python/benchmarks/backtest_speed.py``.
"""
import sys
import time
from pathlib import Path

here = Path(__file__).resolve()
sys.path.insert(0, str(here.parents[1] / "src"))

from optimizer_grpc import Backtester, CSVDataHandler, MovingAverageCrossoverRule  # noqa: E402


def main() -> None:
    data = CSVDataHandler(here.parents[3] / "samples" / "data" / "nyse_composite_daily_1966_2002.csv")
    backtester, rule = Backtester(commission=0.0005), MovingAverageCrossoverRule(fast_window=10, slow_window=50)
    backtester.run(rule, data)
    n, times = 50, []
    for _ in range(7):
        start = time.perf_counter()
        for _ in range(n):
            backtester.run(rule, data)
        times.append((time.perf_counter() - start) / n)
    best, median = min(times) * 1e6, sorted(times)[3] * 1e6
    print(f"one MA(10, 50) backtest on {len(data)} NYSE bars: best {best:.0f} us, median {median:.0f} us")
    print(f"RESULT backtest_us_best={best:.0f} backtest_us_median={median:.0f} bars={len(data)}")


if __name__ == "__main__":
    main()
