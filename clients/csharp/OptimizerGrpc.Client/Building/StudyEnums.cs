namespace OptimizerGrpc.Client;

// These enums share numeric values with their proto counterparts by design (see ProtoMapper), so they convert by cast.

/// <summary>Whether an objective or a custom metric is maximised or minimised.</summary>
public enum ObjectiveDirection
{
    /// <summary>The metric's own direction (higher is better for most server metrics).</summary>
    Default = 0,

    /// <summary>Larger is better.</summary>
    Maximize = 1,

    /// <summary>Smaller is better.</summary>
    Minimize = 2,
}

/// <summary>The acquisition function of Bayesian optimisation.</summary>
public enum AcquisitionFunction
{
    /// <summary>The server's default, log expected improvement.</summary>
    Default = 0,

    /// <summary>Log expected improvement (numerically stable EI).</summary>
    LogExpectedImprovement = 1,

    /// <summary>Expected improvement.</summary>
    ExpectedImprovement = 2,

    /// <summary>Upper confidence bound, weighted by the UCB beta.</summary>
    UpperConfidenceBound = 3,
}

/// <summary>Which of the spec's target classes a target is.</summary>
public enum TargetCategory
{
    /// <summary>Not said.</summary>
    Unspecified = 0,

    /// <summary>A trading rule's parameters.</summary>
    RuleParameters = 1,

    /// <summary>The weights that combine several rules.</summary>
    RuleWeights = 2,

    /// <summary>A regime detector's settings.</summary>
    RegimeDetector = 3,

    /// <summary>Position sizing.</summary>
    PositionSizing = 4,

    /// <summary>Anything else.</summary>
    Custom = 5,
}

/// <summary>How the trials of a regime-specific or walk-forward stage are evaluated.</summary>
public enum StageEvaluation
{
    /// <summary>The server's default, <see cref="Segment"/>.</summary>
    Default = 0,

    /// <summary>The client evaluates only the bars of the trial's data context.</summary>
    Segment = 1,

    /// <summary>The client backtests the whole series and the server scores the context's bars.</summary>
    Attribution = 2,
}

/// <summary>How walk-forward in-sample windows move.</summary>
public enum WindowMovement
{
    /// <summary>The server's default, <see cref="Rolling"/>.</summary>
    Default = 0,

    /// <summary>Each window has the same length and moves by the step.</summary>
    Rolling = 1,

    /// <summary>Every window starts at bar 0 and grows by the step.</summary>
    Anchored = 2,
}
