using OptimizerGrpc.Core.Analysis.Landscape;
using OptimizerGrpc.Core.Spaces;
using static OptimizerGrpc.Core.Tests.Analysis.Landscape.LandscapeStudy;

namespace OptimizerGrpc.Core.Tests.Analysis.Landscape;

public sealed class ModeTests
{
    private static readonly FloatDomain ZeroToTen = new(0, 10, null, false);
    private static readonly FloatDomain Unit = new(0, 1, null, false);

    private static LandscapeOptions Modes(double top = 1.0, double radius = 0.1, int minPoints = 5) =>
        new() { Modes = new ModeOptions(TopFraction: top, Radius: radius, MinPoints: minPoints) };

    /// <summary>A square lattice of (2r + 1)² points 0.1 apart around a centre, scored peak − squared distance.</summary>
    private static IEnumerable<(double, ParamValue[])> Blob(double cx, double cy, int r, double peak) =>
        from i in Enumerable.Range(-r, (2 * r) + 1)
        from j in Enumerable.Range(-r, (2 * r) + 1)
        let x = cx + (0.1 * i)
        let y = cy + (0.1 * j)
        select (peak - (((x - cx) * (x - cx)) + ((y - cy) * (y - cy))), new[] { F(x), F(y) });

    [Fact]
    public void Modes_TwoSeparatedBlobs_AreTwoModesWithTheirSizesCentresAndScores()
    {
        // 25 points around (2, 2) peaking at 10 and 9 around (8, 7) peaking at 5; ε = 0.1 × √2 of the unit square = 1.41 real.
        var stage = Stage(Space(("x", ZeroToTen), ("y", ZeroToTen)));
        var blobA = Blob(2, 2, 2, 10).ToList();
        var blobB = Blob(8, 7, 1, 5).ToList();

        var modes = Analyze(stage, blobB.Concat(blobA), Modes()).Modes;

        Assert.Equal(34, modes.Points);
        Assert.Equal(0, modes.Noise);
        Assert.Equal(0.1 * Math.Sqrt(2), modes.Epsilon, 12);
        Assert.Equal(2, modes.Modes.Count);
        var (a, b) = (modes.Modes[0], modes.Modes[1]);
        Assert.Equal((25, 9), (a.Size, b.Size));
        Assert.Equal(0.2, a.CentreUnit[0], 9);
        Assert.Equal(0.2, a.CentreUnit[1], 9);
        Assert.Equal(2, a.Centre[0].AsFloat, 9);
        Assert.Equal(7, b.Centre[1].AsFloat, 9);
        Assert.Equal(0.7, b.CentreUnit[1], 9);
        Assert.Equal(10 + 12, a.BestTrialNumber); // the centre is the 13th of blob A, after blob B's 9
        Assert.Equal(10, a.BestScore);
        Assert.Equal(10 - 0.08, a.MinScore, 9);
        Assert.Equal(10, a.MaxScore);
        var scoresA = blobA.Select(t => t.Item1).ToList();
        Assert.Equal(Math.Sqrt(scoresA.Average(s => (s - scoresA.Average()) * (s - scoresA.Average()))), a.ScoreStd, 9);
        Assert.Equal(5, b.BestScore);
        Assert.Equal(5, b.BestTrialNumber);
    }

    [Fact]
    public void Modes_BorderAndNoise_BorderJoinsTheModeAndTheLoneTrialIsNoise()
    {
        // ε = 0.1 on one axis, MinPts 3: 0.10, 0.12, 0.14 are core; 0.23 is within ε of 0.14 only (border); 0.9 is alone.
        var stage = Stage(Space(("x", Unit)));
        var trials = new[] { 0.10, 0.12, 0.14, 0.23, 0.9 }.Select((x, i) => (10.0 - i, new[] { F(x) }));

        var modes = Analyze(stage, trials, Modes(minPoints: 3)).Modes;

        var mode = Assert.Single(modes.Modes);
        Assert.Equal(4, mode.Size);
        Assert.Equal((0.10 + 0.12 + 0.14 + 0.23) / 4, mode.CentreUnit[0], 12);
        Assert.Equal((10.0, 7.0), (mode.MaxScore, mode.MinScore));
        Assert.Equal(1, modes.Noise);
    }

    [Fact]
    public void Modes_DifferentChoices_NeverShareAMode()
    {
        var stage = Stage(Space(("x", Unit), ("c", new CategoricalDomain(["a", "b"]))));
        var trials = new[] { 0.50, 0.51, 0.52 }.SelectMany((x, i) => new[] { (10.0 - i, new[] { F(x), S("a") }), (5.0 - i, new[] { F(x), S("b") }) });

        var modes = Analyze(stage, trials, Modes(minPoints: 3)).Modes.Modes;

        Assert.Equal(2, modes.Count);
        Assert.Equal([S("a"), S("b")], modes.Select(m => m.Centre[1]));
        Assert.All(modes, m => Assert.Equal(3, m.Size));
        Assert.Equal(0.51, modes[0].CentreUnit[0], 12);
    }

    [Fact]
    public void Modes_TopFraction_ClustersOnlyTheBestTrials()
    {
        var stage = Stage(Space(("x", Unit)));
        var trials = Enumerable.Range(0, 20).Select(i => ((double)i, new[] { F(i / 20.0) }));

        var modes = Analyze(stage, trials, Modes(top: 0.25, minPoints: 1)).Modes;

        Assert.Equal(5, modes.Points);
        var mode = Assert.Single(modes.Modes);
        Assert.Equal(19, mode.BestScore);
        Assert.Equal(15, mode.MinScore);
        Assert.Equal(0.85, mode.CentreUnit[0], 12);
    }

    [Fact]
    public void Modes_DiscreteCentre_SnapsToTheGrid()
    {
        // Values 2, 3, 4 of 0..9 sit at units 0.25, 0.35, 0.45 (ε = 0.2 chains them); the mean 0.35 maps back to 3.
        var stage = Stage(Space(("n", new IntDomain(0, 9, 1))));

        var mode = Assert.Single(Analyze(stage, [(3.0, [I(2)]), (2.0, [I(3)]), (1.0, [I(4)])], Modes(radius: 0.2, minPoints: 2)).Modes.Modes);

        Assert.Equal(0.35, mode.CentreUnit[0], 12);
        Assert.Equal(I(3), mode.Centre[0]);
    }
}
