namespace OptimizerGrpc.Core.Scoring;

/// <summary>The single number that ranks trials: the weighted sum of oriented scores, or the first score without weights.</summary>
public static class Scalarization
{
    /// <param name="weights">One weight per objective; null keeps the objectives apart and ranks by the first.</param>
    /// <param name="orientedScores">Scores oriented so that higher is better (minimised objectives negated).</param>
    public static double Rank(IReadOnlyList<double>? weights, IReadOnlyList<double> orientedScores)
    {
        ArgumentNullException.ThrowIfNull(orientedScores);
        if (weights is null)
        {
            return orientedScores[0];
        }

        double sum = 0;
        for (int i = 0; i < orientedScores.Count; i++)
        {
            sum += weights[i] * orientedScores[i];
        }

        return sum;
    }
}
