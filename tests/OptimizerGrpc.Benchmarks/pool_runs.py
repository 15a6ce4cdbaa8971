#!/usr/bin/env python3
"""Pools the per-seed results of several `quality --runs-out FILE` runs (different --first-seed, the same methods) and
prints, per problem and budget, every method's median over all the seeds, and for one method (auto by default) the share
of bootstrap resamples (Efron 1979; each side's seeds resampled on its own, as QualityReport.cs does) in which its median
is at least the best other method's and at least Optuna TPE's. Each problem's orientation (minimised or maximised)
comes from the files, as the benchmark wrote it. The last line counts, per budget, the problems where the method's
pooled median is at least the best other method's and at least Optuna TPE's:
`RESULT method=auto seeds=N at_least_best_single_100=k/n ... at_least_optuna_100=k/n ...`.

    /usr/bin/python3 tests/OptimizerGrpc.Benchmarks/pool_runs.py runs-0.json runs-100.json runs-200.json [--method auto]

Twenty seeds decide a median on a plateaued objective by which plateau the tenth and eleventh runs end on; pooling seed
sets run with the same code gives the firmer comparison.
"""
import argparse
import json

import numpy as np

OPTUNA = "tpe (optuna)"


def at_least(ours, theirs, minimize):
    """Whether ours is at least as good as theirs (a tie counts, as in QualityReport.AtLeast); elementwise on arrays."""
    return ours <= theirs if minimize else ours >= theirs


def share(ours, theirs, minimize, rng, resamples):
    a = np.median(ours[rng.integers(0, len(ours), (resamples, len(ours)))], axis=1)
    b = np.median(theirs[rng.integers(0, len(theirs), (resamples, len(theirs)))], axis=1)
    return float(np.mean(at_least(a, b, minimize)))


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
    # counts[(kind, budget)] = [problems where the method's median is at least the other's, problems compared]
    counts = {(kind, b): [0, 0] for kind in ("best_single", "optuna") for b in budgets}
    seeds = 0
    for problem in [p for p in runs[0]["results"] if all(p in r["results"] for r in runs)]:
        methods = [m for m in runs[0]["results"][problem] if all(m in r["results"].get(problem, {}) for r in runs)]
        pooled = {m: np.concatenate([np.array(r["results"][problem][m]) for r in runs]) for m in methods}
        minimize = runs[0]["minimize"][problem]
        seeds = max(seeds, len(pooled[methods[0]]))
        for j, budget in enumerate(budgets):
            medians = {m: float(np.median(pooled[m][:, j])) for m in methods}
            line = " ".join(f"{m}={medians[m]:.4f}" for m in methods)
            print(f"{problem} @{budget} ({len(pooled[methods[0]])} seeds): {line}")
            if args.method not in pooled:
                continue
            others = [m for m in methods if m not in (args.method, OPTUNA)]
            ours = pooled[args.method][:, j]
            compared = []
            if others:
                best = (min if minimize else max)(others, key=lambda m: medians[m])
                compared.append(("best_single", f"best other ({best})", best))
            if OPTUNA in pooled:
                compared.append(("optuna", "Optuna TPE", OPTUNA))
            for kind, label, other in compared:
                ok = at_least(medians[args.method], medians[other], minimize)
                counts[(kind, budget)][0] += ok
                counts[(kind, budget)][1] += 1
                below = "" if ok else " (below)"
                print(f"  {args.method} vs {label}{below}: share {share(ours, pooled[other][:, j], minimize, rng, args.resamples):.2f}")
    result = " ".join(f"at_least_{kind}_{b}={f'{k}/{n}' if n else 'na'}" for (kind, b), (k, n) in counts.items())
    print(f"RESULT method={args.method} seeds={seeds} {result}")


if __name__ == "__main__":
    main()
