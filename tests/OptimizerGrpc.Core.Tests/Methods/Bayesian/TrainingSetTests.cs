using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Methods.Bayesian;

namespace OptimizerGrpc.Core.Tests.Methods.Bayesian;

public sealed class TrainingSetTests
{
    // One huge score among modest ones: the heavy tail output warping is for.
    private static readonly double[] Scores = [0.1, 0.3, 0.2, 0.25, 9.0, 0.15, 0.35, 0.05];

    private static List<ObservedPoint> Observed() =>
        [.. Scores.Select((s, i) => new ObservedPoint([i / 8.0], s, ObservationKind.Completed))];

    [Fact]
    public void Build_WithoutWarping_StandardisesTheScoresAsTheyAre()
    {
        var set = new TrainingSet(1);
        set.Build(Observed(), 500);

        double mean = Scores.Average(), sd = Math.Sqrt(Scores.Select(s => (s - mean) * (s - mean)).Average());
        Assert.Equal(Scores.Select(s => (s - mean) / sd), set.Y[..set.Count], new Tolerance(1e-12));
        Assert.Equal(1, set.WarpLambda);
    }

    [Fact]
    public void Build_WithWarping_FitsLambdaKeepsTheOrderAndStandardises()
    {
        var set = new TrainingSet(1);
        set.Build(Observed(), 500, warp: true);
        var y = set.Y[..set.Count];

        // λ is the maximum-likelihood fit to the standardised scores, and pulls the outlier in (λ < 1).
        double mean = Scores.Average(), sd = Math.Sqrt(Scores.Select(s => (s - mean) * (s - mean)).Average());
        var z = Scores.Select(s => (s - mean) / sd).ToArray();
        Assert.Equal(YeoJohnson.FitLambda(z), set.WarpLambda, 12);
        Assert.True(set.WarpLambda < 1, $"λ = {set.WarpLambda}");

        Assert.Equal(Enumerable.Range(0, Scores.Length).OrderBy(i => Scores[i]), Enumerable.Range(0, y.Length).OrderBy(i => y[i]));
        Assert.Equal(0, y.Average(), 12);
        Assert.Equal(1, Math.Sqrt(y.Select(v => v * v).Average()), 12);
        Assert.Equal(y.Max(), set.Best);

        // The outlier stands fewer standard deviations above the rest than without warping.
        var plain = new TrainingSet(1);
        plain.Build(Observed(), 500);
        Assert.True(y[4] < plain.Y[4], $"{y[4]} against {plain.Y[4]}");
    }

    private sealed class Tolerance(double eps) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= eps;

        public int GetHashCode(double value) => 0;
    }
}
