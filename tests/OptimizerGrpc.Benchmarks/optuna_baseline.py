#!/usr/bin/env python3
"""Optuna TPE baseline for the `quality` and `suggest` benchmark suites (QualityBenchmark.cs, SuggestBenchmark.cs).

Runs Optuna's TPESampler(seed=s) on the same problems, domains, budgets and seeds as the C# suite and prints one
JSON object on stdout. The functions and the real objective here must match QualityBenchmark.cs: the C# suite
checks the real objective on a few points against `--check` before it trusts the baseline.

Modes:
  quality:  [--first-seed K] --seeds N --budgets 50,100,200 --data DIR [--problems a,b]  -> {"results": {problem: [[best@b ...] per seed]}}
  check:    --data DIR --check-problem NAME --check "v1,v2,...;..."      -> {"check": [sharpe, ...]}
  suggest:  --suggest-trials 1000 --dims 8                              -> per-trial ask timings
All "best" values are in the problem's natural orientation: the minimum for the synthetic functions, the maximum
Sharpe ratio for the real objective.
"""
import argparse
import csv
import json
import math
import sys
import time

import numpy as np

try:
    import optuna
except ImportError:  # the C# suite prints a clear message when this happens
    print(json.dumps({"error": "optuna not installed"}))
    sys.exit(3)

optuna.logging.set_verbosity(optuna.logging.WARNING)

# ---------------------------------------------------------------- synthetic functions (minimised)


def branin(x):
    x1, x2 = x
    b = 5.1 / (4 * math.pi ** 2)
    c = 5 / math.pi
    t = 1 / (8 * math.pi)
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10


H6_ALPHA = [1.0, 1.2, 3.0, 3.2]
H6_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
H6_P = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
        [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]


def hartmann6(x):
    total = 0.0
    for i in range(4):
        inner = 0.0
        for j in range(6):
            d = x[j] - H6_P[i][j] * 1e-4
            inner += H6_A[i][j] * d * d
        total += H6_ALPHA[i] * math.exp(-inner)
    return -total


def rosenbrock(x):
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(len(x) - 1))


def rastrigin(x):
    return 10 * len(x) + sum(v * v - 10 * math.cos(2 * math.pi * v) for v in x)


def ackley(x):
    d = len(x)
    s1 = sum(v * v for v in x) / d
    s2 = sum(math.cos(2 * math.pi * v) for v in x) / d
    return -20 * math.exp(-0.2 * math.sqrt(s1)) - math.exp(s2) + 20 + math.e


# name -> (function, [(low, high)] per dimension)
SYNTHETIC = {
    "branin": (branin, [(-5.0, 10.0), (0.0, 15.0)]),
    "hartmann6": (hartmann6, [(0.0, 1.0)] * 6),
    "rosenbrock5": (rosenbrock, [(-2.048, 2.048)] * 5),
    "rastrigin5": (rastrigin, [(-5.12, 5.12)] * 5),
    "ackley5": (ackley, [(-32.768, 32.768)] * 5),
}

# ---------------------------------------------------------------- real objective (maximised)
# Long (1) on bar t when (fast SMA > slow SMA and RSI < overbought) or RSI < oversold, else flat (0).
# SMA as in MovingAverageCrossoverRule (prefix sums, flat before slow - 1), Wilder RSI as in RelativeStrengthIndex
# (NaN, so never below a threshold, before bar `period`), Backtester with 5 bp per unit of position change,
# annualised Sharpe (252) of the equity curve's simple returns.
COMMISSION = 0.0005


class RealObjective:
    def __init__(self, path):
        closes = []
        with open(path, newline="") as f:
            reader = csv.reader(f)
            next(reader)
            for row in reader:
                if row:
                    closes.append(float(row[1]))
        self.close = np.array(closes, dtype=np.float64)
        self.sums = np.concatenate(([0.0], np.cumsum(self.close)))  # sequential, like PrefixSums.Compute
        self.price_return = self.close[1:] / self.close[:-1] - 1
        self._rsi = {}

    def sma(self, window, start):
        t = np.arange(start, len(self.close))
        return (self.sums[t + 1] - self.sums[t + 1 - window]) * (1.0 / window)

    def rsi(self, period):
        cached = self._rsi.get(period)
        if cached is not None:
            return cached
        close = self.close
        n = len(close)
        out = np.full(n, np.nan)
        if n > period:
            def value(g, l):
                return (50.0 if g == 0 else 100.0) if l == 0 else 100.0 - 100.0 / (1.0 + g / l)

            gain = loss = 0.0
            for t in range(1, period + 1):
                ch = close[t] - close[t - 1]
                gain += max(ch, 0.0)
                loss += max(-ch, 0.0)
            gain /= period
            loss /= period
            out[period] = value(gain, loss)
            for t in range(period + 1, n):
                ch = close[t] - close[t - 1]
                gain = (gain * (period - 1) + max(ch, 0.0)) / period
                loss = (loss * (period - 1) + max(-ch, 0.0)) / period
                out[t] = value(gain, loss)
        self._rsi[period] = out
        return out

    def positions(self, fast, slow, period, oversold, overbought):
        n = len(self.close)
        trend = np.zeros(n, dtype=bool)
        start = min(slow - 1, n)
        trend[start:] = self.sma(fast, start) > self.sma(slow, start)
        rsi = self.rsi(period)
        with np.errstate(invalid="ignore"):
            long = (trend & (rsi < overbought)) | (rsi < oversold)
        return long.astype(np.float64)

    def sharpe(self, fast, slow, period, oversold, overbought):
        p = self.positions(fast, slow, period, oversold, overbought)[:-1]
        previous = np.concatenate(([0.0], p[:-1]))
        factor = (1 - COMMISSION * np.abs(p - previous)) * (1 + p * self.price_return)
        equity = np.concatenate(([1.0], np.cumprod(factor)))
        r = equity[1:] / equity[:-1] - 1
        if len(r) < 2:
            return 0.0
        std = r.std(ddof=1)
        return 0.0 if std == 0 else r.mean() / std * math.sqrt(252)


def positions_sharpe(close, price_return, p, commission, bars_per_year):
    """Backtester.Run and PerformanceStats.SharpeRatio on a position series (one entry per bar)."""
    p = p[:-1]
    previous = np.concatenate(([0.0], p[:-1]))
    factor = (1 - commission * np.abs(p - previous)) * (1 + p * price_return)
    equity = np.concatenate(([1.0], np.cumprod(factor)))
    r = equity[1:] / equity[:-1] - 1
    if len(r) < 2:
        return 0.0
    std = r.std(ddof=1)
    return 0.0 if std == 0 else r.mean() / std * math.sqrt(bars_per_year)


def load_column(path, column):
    with open(path, newline="") as f:
        reader = csv.reader(f)
        header = [h.strip().lower() for h in next(reader)]
        k = header.index(column.lower())
        return np.array([float(row[k]) for row in reader if row], dtype=np.float64)


class BollingerObjective:
    """BollingerReversionObjective.cs: Bollinger mean reversion on the last 16,000 USD/CHF 30-minute bars."""
    COMMISSION = 0.0001
    BARS_PER_YEAR = 252 * 48
    BARS = 16000

    def __init__(self, path):
        self.close = load_column(path, "Close")[-self.BARS:].copy()
        self.price_return = self.close[1:] / self.close[:-1] - 1
        self._bands = {}

    def bands(self, window):
        cached = self._bands.get(window)
        if cached is not None:
            return cached
        close = self.close.tolist()  # BollingerBands.Compute: running sums shifted by the first close
        n = len(close)
        mean, std = [math.nan] * n, [math.nan] * n
        shift = close[0]
        s = ss = 0.0
        for t in range(n):
            x = close[t] - shift
            s += x
            ss += x * x
            if t >= window:
                old = close[t - window] - shift
                s -= old
                ss -= old * old
            if t < window - 1:
                continue
            m = s / window
            mean[t] = m + shift
            std[t] = math.sqrt(max((ss / window) - (m * m), 0.0))
        self._bands[window] = (mean, std)
        return mean, std

    def sharpe(self, window, entry, exit_, side):
        mean, std = self.bands(window)
        close = self.close.tolist()
        longs, shorts = side != "short", side != "long"
        positions = [0.0] * len(close)
        position = 0.0
        for t in range(len(close)):
            m = mean[t]
            if m != m:
                continue
            sd, price = std[t], close[t]
            if (position > 0 and price >= m + exit_ * sd) or (position < 0 and price <= m - exit_ * sd):
                position = 0.0
            if position == 0 and longs and price < m - entry * sd:
                position = 1.0
            elif position == 0 and shorts and price > m + entry * sd:
                position = -1.0
            positions[t] = position
        return positions_sharpe(self.close, self.price_return, np.array(positions), self.COMMISSION, self.BARS_PER_YEAR)


class BreakoutObjective:
    """BreakoutObjective.cs: Donchian breakout, long only, optional SMA trend filter, on the SWX SPI column."""
    COMMISSION = 0.0005

    def __init__(self, path):
        self.close = load_column(path, "SPI")
        self.price_return = self.close[1:] / self.close[:-1] - 1
        self.sums = np.concatenate(([0.0], np.cumsum(self.close))).tolist()
        self._rolling = {}

    def rolling(self, kind, window):
        """max or min of the `window` closes before each bar (bar t >= window), cached per window."""
        key = (kind, window)
        cached = self._rolling.get(key)
        if cached is None:
            view = np.lib.stride_tricks.sliding_window_view(self.close, window)[:-1]
            cached = ([math.nan] * window) + (view.max(axis=1) if kind == "max" else view.min(axis=1)).tolist()
            self._rolling[key] = cached
        return cached

    def sharpe(self, entry, exit_, filter_, trend_filter):
        close = self.close.tolist()
        highs, lows = self.rolling("max", entry), self.rolling("min", exit_)
        filtered = trend_filter == "on"
        inverse = 1.0 / filter_
        sums = self.sums
        positions = [0.0] * len(close)
        position = 0.0
        for t in range(len(close)):
            price = close[t]
            if position > 0 and t >= exit_ and price < lows[t]:
                position = 0.0
            elif position == 0 and t >= entry and price > highs[t] and (
                    not filtered or (t + 1 >= filter_ and price > (sums[t + 1] - sums[t + 1 - filter_]) * inverse)):
                position = 1.0
            positions[t] = position
        return positions_sharpe(self.close, self.price_return, np.array(positions), self.COMMISSION, 252)


# name -> (data file, objective class, [(name, kind, low, high, step or choices)]); kinds int, float, step, cat.
REAL = {
    "ma_rsi_sharpe": ("nyse_composite_daily_1966_2002.csv", None,
                      [("fast", "int", 2, 50, 1), ("slow", "int", 60, 300, 1), ("period", "int", 2, 30, 1),
                       ("oversold", "float", 10.0, 45.0, None), ("overbought", "float", 55.0, 90.0, None)]),
    "bollinger_usdchf": ("usdchf_30min_1996_2001.csv", BollingerObjective,
                         [("window", "int", 10, 400, 1), ("entry", "step", 0.5, 4.0, 0.05),
                          ("exit", "step", -1.0, 1.0, 0.1), ("side", "cat", None, None, ["long", "short", "both"])]),
    "breakout_swx": ("swx_daily_2000_2007.csv", BreakoutObjective,
                     [("entry", "int", 5, 250, 1), ("exit", "int", 2, 120, 1), ("filter", "int", 20, 250, 1),
                      ("trend_filter", "cat", None, None, ["off", "on"])]),
}


def real_objective(name, data_dir):
    import os
    file, cls, space = REAL[name]
    path = os.path.join(data_dir, file)
    if cls is None:
        obj = RealObjective(path)
        return obj.sharpe, space
    obj = cls(path)
    return obj.sharpe, space


def suggest_value(trial, pname, kind, lo, hi, extra):
    if kind == "int":
        return trial.suggest_int(pname, lo, hi)
    if kind == "float":
        return trial.suggest_float(pname, lo, hi)
    if kind == "step":
        return trial.suggest_float(pname, lo, hi, step=extra)
    return trial.suggest_categorical(pname, extra)


def parse_value(kind, text):
    return int(text) if kind == "int" else text if kind == "cat" else float(text)


# ---------------------------------------------------------------- runs


def run_study(objective_of_trial, direction, seed, max_budget, budgets):
    sampler = optuna.samplers.TPESampler(seed=seed)
    study = optuna.create_study(direction=direction, sampler=sampler)
    best = math.inf if direction == "minimize" else -math.inf
    at = []
    for k in range(1, max_budget + 1):
        trial = study.ask()
        v = objective_of_trial(trial)
        study.tell(trial, v)
        best = min(best, v) if direction == "minimize" else max(best, v)
        if k in budgets:
            at.append(best)
    return at


def quality(args):
    budgets = [int(b) for b in args.budgets.split(",")]
    max_budget = max(budgets)
    names = args.problems.split(",") if args.problems else list(SYNTHETIC) + list(REAL)
    results, seconds = {}, {}
    for name in names:
        start = time.perf_counter()
        if name in REAL:
            fn, space = real_objective(name, args.data)

            def objective(trial, fn=fn, space=space):
                return fn(*[suggest_value(trial, *p) for p in space])
            direction = "maximize"
        else:
            fn, bounds = SYNTHETIC[name]

            def objective(trial, fn=fn, bounds=bounds):
                return fn([trial.suggest_float(f"x{i}", lo, hi) for i, (lo, hi) in enumerate(bounds)])
            direction = "minimize"
        results[name] = [run_study(objective, direction, s, max_budget, budgets) for s in range(args.first_seed, args.first_seed + args.seeds)]
        seconds[name] = time.perf_counter() - start
    return {"optuna_version": optuna.__version__, "sampler": "TPESampler(seed=s), defaults",
            "budgets": budgets, "first_seed": args.first_seed, "seeds": args.seeds, "results": results, "seconds": seconds}


def check(args):
    fn, space = real_objective(args.check_problem, args.data)
    out = []
    for point in args.check.split(";"):
        fields = point.split(",")
        out.append(fn(*[parse_value(p[1], f) for p, f in zip(space, fields)]))
    return {"check": out}


def suggest(args):
    """Seconds per ask (study.ask plus the suggest calls, where independent TPE samples) over the first N trials."""
    sampler = optuna.samplers.TPESampler(seed=0)
    study = optuna.create_study(direction="minimize", sampler=sampler)
    per_trial = []
    for _ in range(args.suggest_trials):
        start = time.perf_counter()
        trial = study.ask()
        x = [trial.suggest_float(f"x{i}", 0.0, 1.0) for i in range(args.dims)]
        per_trial.append(time.perf_counter() - start)
        study.tell(trial, sum((v - 0.3) ** 2 for v in x))
    return {"optuna_version": optuna.__version__, "dims": args.dims, "seconds_per_trial": per_trial}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--budgets", default="50,100,200")
    parser.add_argument("--data", help="the samples/data folder")
    parser.add_argument("--check-problem", default="ma_rsi_sharpe")
    parser.add_argument("--problems")
    parser.add_argument("--check")
    parser.add_argument("--suggest-trials", type=int)
    parser.add_argument("--dims", type=int, default=8)
    args = parser.parse_args()
    if args.check:
        out = check(args)
    elif args.suggest_trials:
        out = suggest(args)
    else:
        out = quality(args)
    json.dump(out, sys.stdout)
    print()


if __name__ == "__main__":
    main()
