using OptimizerGrpc.Core.Methods.Bayesian;
using OptimizerGrpc.Core.Methods.Grid;
using OptimizerGrpc.Core.Methods.Tpe;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Methods.Auto;

/// <summary>The method <see cref="AutoSearch"/> runs.</summary>
public enum AutoMethod : byte
{
    /// <summary>Every assignment fits in the budget: enumerate them all (shuffled, so a study stopped early is still a fair sample).</summary>
    Grid = 1,

    /// <summary>A small, mostly continuous space and a small budget: the Gaussian process.</summary>
    Bayesian = 2,

    /// <summary>Large or long mostly-continuous problems: the tree-structured Parzen estimator with its defaults.</summary>
    Tpe = 3,

    /// <summary>Trading spaces as auto chose for them before <see cref="TpeLocalLogScale"/>: per-parameter TPE with a share of
    /// local proposals around the best trial (<see cref="TpeSettings.LocalFraction"/>). Studies stored with this choice keep
    /// it, as studies stored before it keep <see cref="Tpe"/>.</summary>
    TpeLocal = 4,

    /// <summary>Trading spaces as auto chose for them before <see cref="TpeLocalLogScaleLate"/>: <see cref="TpeLocal"/>, with
    /// every int range that spans an order of magnitude searched on a log scale (<see cref="TpeSettings.LogScaleRatio"/>).
    /// Studies stored with this choice keep it.</summary>
    TpeLocalLogScale = 5,

    /// <summary>Trading spaces as auto chose for them before <see cref="TpeLocalLogScaleLateSecondBasin"/>:
    /// <see cref="TpeLocalLogScale"/>, with the share of local proposals raised to <see cref="AutoChoice.LateLocalFraction"/>
    /// once <see cref="AutoChoice.LateAfter"/> trials have completed (<see cref="TpeSettings.LateLocalFraction"/>). Studies
    /// stored with this choice keep it.</summary>
    TpeLocalLogScaleLate = 6,

    /// <summary>Everything else (trading spaces: integer windows, steps, choices): <see cref="TpeLocalLogScaleLate"/>, with
    /// <see cref="AutoChoice.SecondBasinFraction"/> of the local proposals centred on the best good trial in another basin
    /// than the best trial (<see cref="TpeSettings.SecondBasinFraction"/>).</summary>
    TpeLocalLogScaleLateSecondBasin = 7,
}

/// <summary>
/// How <c>auto</c> chooses, from the space and the budget only (so a stored study always resolves the same way):
/// <list type="number">
/// <item>Grid, when no parameter is a float range without step and the whole grid fits in the budget: nothing can beat
/// trying every assignment.</item>
/// <item>Bayesian (GP), when at least half of the parameters are float ranges without step, there are at most
/// <see cref="MaxGpParameters"/> parameters and the budget is known and at most <see cref="MaxGpBudget"/>: smooth,
/// low-dimensional, expensive-per-trial problems are where a GP's model of the surface pays for its cost (the
/// quality benchmark's synthetic functions).</item>
/// <item>Otherwise, when at least half of the parameters are float ranges without step (too many of them, or too long a
/// budget, for the GP): TPE with its defaults (its ask cost grows linearly with the trials, a GP's cubically).</item>
/// <item>Otherwise, the trading spaces: integer windows and thresholds, steps and choices, plateaus and jumps (the
/// benchmark's real objectives): TPE with per-parameter estimators, <see cref="LocalFraction"/> of the proposals in
/// the neighbourhood of the best trial, and every int range whose high is at least <see cref="LogScaleRatio"/> times its
/// low on a log scale (a lookback window matters by its ratio: 10 bars against 20 is as big a change as 200 against
/// 400); after <see cref="LateAfter"/> completed trials, <see cref="LateLocalFraction"/> of the proposals are local:
/// the top of a trading rule's surface is a patchwork of small plateaus a step or two apart (the benchmark's breakout
/// peaks at entry 67 with entries 60..64 a step lower), which neighbours of the best trial reach and draws from l(x)
/// rarely hit; <see cref="SecondBasinFraction"/> of the local proposals search around the best good trial in another basin
/// than the best trial's, so a run that settled on one region early still climbs a second (<see cref="SecondBasin"/>).
/// On 240 seeds other than the benchmark's, the log scale lifted the Bollinger rule's median Sharpe at 100
/// evaluations from 1.11 to 1.64, and the late local share lifted the breakout's and MA + RSI's medians at 200
/// (the Bollinger rule's fell 1-3% and stays far above Optuna's); with both, auto is at least Optuna's TPE median at
/// 100 and 200 evaluations on each of the three rules, on those seeds and on the benchmark's; the second basin lifted the
/// Bollinger rule's medians on the benchmark's seeds above the GP's, and auto is at least the best other method's median
/// in 37 of 42 cells over seven seed sets, the five others breakout's (docs/methods.md).</item>
/// </list>
/// </summary>
public static class AutoChoice
{
    /// <summary>The most parameters for which auto picks the GP.</summary>
    public const int MaxGpParameters = 10;

    /// <summary>The largest budget for which auto picks the GP.</summary>
    public const long MaxGpBudget = 500;

    /// <summary>The share of local proposals in auto's TPE on trading spaces.</summary>
    public const double LocalFraction = 0.35;

    /// <summary>On trading spaces, auto searches an int range on a log scale when its high is at least this many times its
    /// low: when it spans an order of magnitude.</summary>
    public const double LogScaleRatio = 10;

    /// <summary>On trading spaces, the share of local proposals once <see cref="LateAfter"/> trials have completed.</summary>
    public const double LateLocalFraction = 0.8;

    /// <summary>Completed trials after which auto's TPE on trading spaces leans on the best trial's neighbourhood.</summary>
    public const int LateAfter = 50;

    /// <summary>On trading spaces, the share of local proposals centred on a second basin.</summary>
    public const double SecondBasinFraction = 0.25;

    public static AutoMethod Choose(SearchSpace space, long budget)
    {
        ArgumentNullException.ThrowIfNull(space);
        int continuous = space.Parameters.Count(p => p.Domain is FloatDomain { Step: null } f && f.High > f.Low);
        if (continuous == 0 && budget > 0 && space.GridSize(2) is { } size && size <= budget)
        {
            return AutoMethod.Grid;
        }

        if (2 * continuous >= space.Count)
        {
            return budget is > 0 and <= MaxGpBudget && space.Count <= MaxGpParameters ? AutoMethod.Bayesian : AutoMethod.Tpe;
        }

        return AutoMethod.TpeLocalLogScaleLateSecondBasin;
    }

    /// <summary>The settings auto runs for <paramref name="choice"/>: each method's defaults (the grid shuffled), and for
    /// <see cref="AutoMethod.TpeLocal"/> per-parameter TPE with <see cref="LocalFraction"/>; each later trading choice is
    /// the one before it plus one setting (<see cref="LogScaleRatio"/>, then <see cref="LateLocalFraction"/> after
    /// <see cref="LateAfter"/>, then <see cref="SecondBasinFraction"/>).</summary>
    public static MethodSettings Settings(AutoMethod choice) => choice switch
    {
        AutoMethod.Grid => new GridSettings(2, Shuffle: true),
        AutoMethod.Bayesian => new BayesianSettings(),
        AutoMethod.Tpe => new TpeSettings(),
        AutoMethod.TpeLocal => new TpeSettings(Multivariate: false, LocalFraction: LocalFraction),
        AutoMethod.TpeLocalLogScale => (TpeSettings)Settings(AutoMethod.TpeLocal) with { LogScaleRatio = LogScaleRatio },
        AutoMethod.TpeLocalLogScaleLate => (TpeSettings)Settings(AutoMethod.TpeLocalLogScale) with { LateLocalFraction = LateLocalFraction, LateAfter = LateAfter },
        AutoMethod.TpeLocalLogScaleLateSecondBasin => (TpeSettings)Settings(AutoMethod.TpeLocalLogScaleLate) with { SecondBasinFraction = SecondBasinFraction },
        _ => throw new ArgumentOutOfRangeException(nameof(choice), choice, "unknown auto method"),
    };
}
