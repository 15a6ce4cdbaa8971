using OptimizerGrpc.Core.Studies;

namespace OptimizerGrpc.Core.Analysis;

/// <summary>A target's winner read off a stage's best trial.</summary>
public static class TargetWinners
{
    /// <summary>The best trial's values of <paramref name="target"/>'s parameters, named without the target prefix, and the
    /// stage's first objective as the score.</summary>
    public static TargetWinner Of(string target, TrialRecord best, StageDefinition stage)
    {
        ArgumentNullException.ThrowIfNull(best);
        ArgumentNullException.ThrowIfNull(stage);
        string prefix = target + ".";
        var parameters = best.NamedParams()
            .Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal))
            .Select(p => KeyValuePair.Create(p.Key[prefix.Length..], p.Value))
            .ToList();
        return new TargetWinner(
            target,
            stage.StageId,
            best.Number,
            stage.Objectives.Count > 0 ? stage.Objectives[0].Metric : "",
            best.ObjectiveValues.Count > 0 ? best.ObjectiveValues[0] : double.NaN,
            parameters);
    }
}
