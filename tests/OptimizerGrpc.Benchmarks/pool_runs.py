#!/usr/bin/env python3
"""Pools the per-seed results of several `quality --runs-out FILE` runs (different --first-seed, the same methods) and
prints, per problem and budget, every method's median over all the seeds, and for one method (auto by default) the share
of bootstrap resamples (Efron 1979; each side's seeds resampled on its own, as QualityReport.cs does) in which its median
is at least the best other method's and at least Optuna TPE's. Each problem's orientation (minimised or maximised)
comes from the files, as the benchmark wrote it.

    /usr/bin/python3 tests/OptimizerGrpc.Benchmarks/pool_runs.py runs-0.json runs-100.json runs-200.json [--method auto]

Twenty seeds decide a median on a plateaued objective by which plateau the tenth and eleventh runs end on; pooling seed
sets run with the same code gives the firmer comparison.
"""
import argparse
import json

import numpy as np

OPTUNA = "tpe (optuna)"


def share(ours, theirs, minimize, rng, resamples):
    a = np.median(ours[rng.integers(0, len(ours), (resamples, len(ours)))], axis=1)
    b = np.median(theirs[rng.integers(0, len(theirs), (resamples, len(theirs)))], axis=1)
    return float(np.mean(a <= b if minimize else a >= b))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+")
    parser.add_argument("--method", default="auto")
    parser.add_argument("--resamples", type=int, default=4000)
    args = parser.parse_args()
    runs = [json.load(open(f)) for f in args.files]
    for path, run in zip(args.files, runs):
        if "minimize" not in run:
            parser.error(f"{path} has no problem orientations (written by an older benchmark); run the benchmark again")
    budgets = runs[0]["budgets"]
    rng = np.random.default_rng(20261201)
    print(f"seeds from {', '.join(str(r['first_seed']) for r in runs)}; budgets {budgets}")
    for problem in [p for p in runs[0]["results"] if all(p in r["results"] for r in runs)]:
        methods = [m for m in runs[0]["results"][problem] if all(m in r["results"].get(problem, {}) for r in runs)]
        pooled = {m: np.concatenate([np.array(r["results"][problem][m]) for r in runs]) for m in methods}
        minimize = runs[0]["minimize"][problem]
        for j, budget in enumerate(budgets):
            medians = {m: float(np.median(pooled[m][:, j])) for m in methods}
            line = " ".join(f"{m}={medians[m]:.4f}" for m in methods)
            print(f"{problem} @{budget} ({len(pooled[methods[0]])} seeds): {line}")
            if args.method not in pooled:
                continue
            others = [m for m in methods if m not in (args.method, OPTUNA)]
            ours = pooled[args.method][:, j]
            if others:
                best = (min if minimize else max)(others, key=lambda m: medians[m])
                print(f"  {args.method} vs best other ({best}): share {share(ours, pooled[best][:, j], minimize, rng, args.resamples):.2f}")
            if OPTUNA in pooled:
                print(f"  {args.method} vs Optuna TPE: share {share(ours, pooled[OPTUNA][:, j], minimize, rng, args.resamples):.2f}")


if __name__ == "__main__":
    main()
