using OptimizerGrpc.Core.Analysis.Landscape;
using OptimizerGrpc.Core.Randomness;
using OptimizerGrpc.Core.Spaces;
using static OptimizerGrpc.Core.Tests.Analysis.Landscape.LandscapeStudy;

namespace OptimizerGrpc.Core.Tests.Analysis.Landscape;

public sealed class PedAnovaTests
{
    private static readonly LandscapeOptions HalfTop = new() { Importance = new ImportanceOptions(TopFraction: 0.5) };

    [Fact]
    public void Importance_ScoreDependsOnOneParameter_RanksItFirstAndTheNoiseNearZero()
    {
        var unit = new FloatDomain(0, 1, null, false);
        var stage = Stage(Space(("x0", unit), ("x1", unit), ("x2", unit)));
        var rng = new Xoshiro256StarStar(42);
        var trials = Enumerable.Range(0, 2000).Select(_ =>
        {
            double x0 = rng.NextDouble();
            return (-(x0 - 0.3) * (x0 - 0.3), new[] { F(x0), F(rng.NextDouble()), F(rng.NextDouble()) });
        }).ToList();

        var importance = Analyze(stage, trials).Importance;

        Assert.Equal("x0", importance[0].Parameter);
        Assert.True(importance[0].Normalized > 0.8, $"x0: {importance[0].Normalized}");
        Assert.All(importance.Skip(1), p => Assert.True(p.Normalized < 0.1, $"{p.Parameter}: {p.Normalized}"));
        Assert.Equal(1.0, importance.Sum(p => p.Normalized), 12);
    }

    [Fact]
    public void Importance_Categoricals_AreThePearsonDivergenceOfTheirFrequencies()
    {
        // Top 3 of 6 (γ = 0.5): a is {a, b, a} among top vs {a, b, c} equally among all:
        // D = 1/3 (2 - 1)² + 1/3 (1 - 1)² + 1/3 (0 - 1)² = 2/3.
        // b is {x, y, x} vs half x, half y: D = 1/2 (4/3 - 1)² + 1/2 (2/3 - 1)² = 1/9. Shares 6/7 and 1/7.
        var stage = Stage(Space(("a", new CategoricalDomain(["a", "b", "c"])), ("b", new CategoricalDomain(["x", "y"]))));
        var trials = new[]
        {
            (6.0, new[] { S("a"), S("x") }),
            (5.0, new[] { S("b"), S("y") }),
            (4.0, new[] { S("a"), S("x") }),
            (3.0, new[] { S("c"), S("y") }),
            (2.0, new[] { S("b"), S("x") }),
            (1.0, new[] { S("c"), S("y") }),
        };

        var importance = Analyze(stage, trials, HalfTop).Importance;

        Assert.Equal("a", importance[0].Parameter);
        Assert.Equal(2.0 / 3, importance[0].Divergence, 12);
        Assert.Equal(6.0 / 7, importance[0].Normalized, 12);
        Assert.Equal("b", importance[1].Parameter);
        Assert.Equal(1.0 / 9, importance[1].Divergence, 12);
        Assert.Equal(1.0 / 7, importance[1].Normalized, 12);
    }

    [Fact]
    public void Importance_TiesAtTheCutoff_JoinTheTopSet()
    {
        // γ = 0.25 of 4 is 1 trial, raised to the minimum of 2; the score 2 of the second is shared by the third, so the
        // top set is {a, a, b}: D = 1/2 (4/3 - 1)² + 1/2 (2/3 - 1)² = 1/9 (the first two alone would give 1).
        var stage = Stage(Space(("c", new CategoricalDomain(["a", "b"]))));
        var trials = new[] { (3.0, new[] { S("a") }), (2.0, new[] { S("a") }), (2.0, new[] { S("b") }), (1.0, new[] { S("b") }) };

        var importance = Analyze(stage, trials, new LandscapeOptions { Importance = new ImportanceOptions(TopFraction: 0.25) }).Importance;

        Assert.Equal(1.0 / 9, Assert.Single(importance).Divergence, 12);
    }

    [Fact]
    public void Importance_EveryTrialInTheTopSet_GivesEqualShares()
    {
        var stage = Stage(Space(("a", new CategoricalDomain(["a", "b"])), ("x", new FloatDomain(0, 1, null, false))));

        var importance = Analyze(stage, [(2.0, [S("a"), F(0.1)]), (1.0, [S("b"), F(0.9)])]).Importance;

        Assert.All(importance, p => Assert.Equal(0, p.Divergence));
        Assert.All(importance, p => Assert.Equal(0.5, p.Normalized));
    }

    [Fact]
    public void PearsonDivergence_EqualDensities_IsZero()
    {
        Assert.Equal(0, PedAnova.PearsonDivergence([0.2, 0.3, 0.5], [0.2, 0.3, 0.5]));
        Assert.Equal(1.0, PedAnova.PearsonDivergence([1.0, 0.0], [0.5, 0.5]), 12);
    }

    [Fact]
    public void ScottParzenDensity_NoObservations_IsTheSymmetricPrior()
    {
        var density = ScottParzenDensity.Estimate([0, 0, 0, 0, 0]);

        Assert.Equal(1.0, density.Sum(), 12);
        Assert.Equal(density[0], density[4], 12);
        Assert.Equal(density[1], density[3], 12);
        Assert.True(density[2] > density[1] && density[1] > density[0]);
    }

    [Fact]
    public void ScottParzenDensity_OneObservation_KeepsNinetyPercentOfItsKernelOnItsPoint()
    {
        // One trial: σ and the IQR are 0, so the bandwidth is the floor 0.5 / 1.64 and the kernel's mass within half a
        // step is 2Φ(1.64) - 1 = 0.899 (before truncation); the prior, weighted as one trial, takes half the density.
        var counts = new long[50];
        counts[10] = 1;

        var density = ScottParzenDensity.Estimate(counts);

        Assert.Equal(1.0, density.Sum(), 12);
        Assert.InRange(density[10], (0.899 / 2) + 0.005, (0.9 / 2) + 0.02);
        Assert.Equal(density[9], density[11], 3);
    }
}
