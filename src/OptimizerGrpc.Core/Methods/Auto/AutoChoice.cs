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

    /// <summary>Everything else: the tree-structured Parzen estimator.</summary>
    Tpe = 3,
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
/// <item>TPE otherwise: integer windows and thresholds, steps and choices, plateaus and jumps (the benchmark's real
/// trading objectives), conditional effects, long budgets (its ask cost grows linearly, a GP's cubically).</item>
/// </list>
/// </summary>
public static class AutoChoice
{
    /// <summary>The most parameters for which auto picks the GP.</summary>
    public const int MaxGpParameters = 10;

    /// <summary>The largest budget for which auto picks the GP.</summary>
    public const long MaxGpBudget = 500;

    public static AutoMethod Choose(SearchSpace space, long budget)
    {
        ArgumentNullException.ThrowIfNull(space);
        int continuous = space.Parameters.Count(p => p.Domain is FloatDomain { Step: null } f && f.High > f.Low);
        if (continuous == 0 && budget > 0 && space.GridSize(2) is { } size && size <= budget)
        {
            return AutoMethod.Grid;
        }

        if (budget is > 0 and <= MaxGpBudget && space.Count <= MaxGpParameters && 2 * continuous >= space.Count)
        {
            return AutoMethod.Bayesian;
        }

        return AutoMethod.Tpe;
    }

    /// <summary>The settings auto runs for <paramref name="choice"/>: each method's defaults (the grid shuffled).</summary>
    public static MethodSettings Settings(AutoMethod choice) => choice switch
    {
        AutoMethod.Grid => new GridSettings(2, Shuffle: true),
        AutoMethod.Bayesian => new BayesianSettings(),
        AutoMethod.Tpe => new TpeSettings(),
        _ => throw new ArgumentOutOfRangeException(nameof(choice), choice, "unknown auto method"),
    };
}
