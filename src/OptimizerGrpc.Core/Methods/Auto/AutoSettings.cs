namespace OptimizerGrpc.Core.Methods.Auto;

/// <summary>
/// Let the server choose the method from the space and the budget (<see cref="AutoChoice"/>): the default when a study
/// names none.
/// </summary>
/// <param name="Budget">The trials the stage will run (its max_trials), filled in by the planner; 0 when unknown.</param>
public sealed record AutoSettings(long Budget = 0) : MethodSettings;
