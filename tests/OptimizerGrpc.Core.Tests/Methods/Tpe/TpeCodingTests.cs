using OptimizerGrpc.Core.Methods.Tpe;
using OptimizerGrpc.Core.Randomness;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Tests.Methods.Tpe;

/// <summary>
/// The log scale for wide int ranges (<see cref="TpeSettings.LogScaleRatio"/>): which ranges get it, exact round trips,
/// the rounding cells, the log-uniform start-up draw, and kernel masses computed by hand (Python's math.erfc on the
/// formula in the comment).
/// </summary>
public sealed class TpeCodingTests
{
    private static TpeCoding Coding(double ratio, params ParameterDomain[] domains) =>
        new(new SearchSpace([.. domains.Select((d, i) => new SearchParameter($"p{i}", d))]), ratio);

    [Fact]
    public void Describe_LogScaleOnlyForIntRangesSpanningTheRatioWithLowAboveHalfAStep()
    {
        var coding = Coding(10, new IntDomain(10, 400, 1), new IntDomain(60, 300, 1), new IntDomain(0, 100, 1), new IntDomain(2, 50, 2),
            new FloatDomain(1, 1000, null, false));

        Assert.Equal(new TpeDimension(TpeKind.LogInteger, Math.Log(9.5), Math.Log(400.5), 391, 10, 1), coding[0]);
        Assert.Equal(TpeKind.Discrete, coding[1].Kind); // 300 / 60 = 5 < 10
        Assert.Equal(TpeKind.Discrete, coding[2].Kind); // low 0: no log
        Assert.Equal(new TpeDimension(TpeKind.LogInteger, Math.Log(1), Math.Log(51), 25, 2, 2), coding[3]);
        Assert.Equal(TpeKind.Continuous, coding[4].Kind); // floats keep their own log flag
        Assert.True(coding.HasLogScale);
        Assert.NotSame(coding, coding.Grid);
        Assert.Equal(TpeKind.Discrete, coding.Grid[0].Kind);

        var off = Coding(0, new IntDomain(10, 400, 1));
        Assert.Equal(TpeKind.Discrete, off[0].Kind);
        Assert.False(off.HasLogScale);
        Assert.Same(off, off.Grid);
    }

    [Fact]
    public void EncodeDecode_EveryValueComesBackItself_AndToGridGivesItsIndex()
    {
        var wide = new IntDomain(1000, 1_000_000_000, 997);
        var coding = Coding(10, new IntDomain(10, 400, 1), wide);
        for (long v = 10; v <= 400; v++)
        {
            long w = wide.Low + ((v * 2_503_001) % wide.Count * wide.Step);
            var x = coding.Encode([ParamValue.Int(v), ParamValue.Int(w)]);
            Assert.Equal(Math.Log(v), x[0], 15);
            Assert.Equal([ParamValue.Int(v), ParamValue.Int(w)], coding.Decode(x));
            Assert.Equal([v - 10, wide.IndexOf(w)], coding.ToGrid(x));
        }
    }

    [Fact]
    public void LogCell_IsTheValuesRoundingCellOnTheLogScaleInsideTheBounds()
    {
        var dim = Coding(10, new IntDomain(10, 400, 1))[0];
        Assert.Equal((Math.Log(11.5), Math.Log(12.5)), TpeCoding.LogCell(2, dim));
        Assert.Equal((Math.Log(9.5), Math.Log(10.5)), TpeCoding.LogCell(0, dim));
        Assert.Equal(Math.Log(12), TpeCoding.SnapLog(Math.Log(12.4), dim), 15);
        Assert.Equal(0, TpeCoding.LogIndex(-5, dim));
        Assert.Equal(390, TpeCoding.LogIndex(50, dim));
    }

    [Fact]
    public void UniformPoint_IsLogUniformOnALogScaleRange()
    {
        // P(window <= 23) = (ln 23.5 - ln 9.5) / (ln 400.5 - ln 9.5) = 0.24208; a uniform draw gives 14 / 391 = 0.0358.
        var coding = Coding(10, new IntDomain(10, 400, 1), new IntDomain(60, 300, 1));
        var rng = new Xoshiro256StarStar(3);
        const int Draws = 20_000;
        int small = 0, lowSlow = 0;
        for (int i = 0; i < Draws; i++)
        {
            var point = coding.UniformPoint(rng);
            small += point[0].AsInt <= 23 ? 1 : 0;
            lowSlow += point[1].AsInt < 180 ? 1 : 0;
        }

        Assert.InRange(small / (double)Draws, 0.2321, 0.2521); // about 3 standard deviations
        Assert.InRange(lowSlow / (double)Draws, 0.4879, 0.5079); // the linear range stays uniform: 120 / 241
    }

    [Fact]
    public void ParzenEstimator_LogScale_CellMassesMatchHandValuesAndSumToOne()
    {
        // Int 1..20 on a log scale: bounds ln 0.5, ln 20.5 (range R = ln 41). One observation at ln 4 and the prior at the
        // centre (ln 0.5 + ln 20.5) / 2 with width R; the observation's gap to the prior, 0.2227, is clipped up to R / 3.
        // Mass of v: sum_c 1/2 (Phi((ln(v + 0.5) - mu_c) / s_c) - Phi((ln(v - 0.5) - mu_c) / s_c)) / Z_c.
        var coding = Coding(10, new IntDomain(1, 20, 1));
        var estimator = new ParzenEstimator(coding, [0], [[Math.Log(4)]], [1.0], 1.0, multivariate: false);

        Assert.Equal(1.2378573555681027, estimator.Kernel(0, 0).Sigma, 12);
        Assert.Equal(-2.4987316582749353, estimator.LogPdf([Math.Log(4)]), 12);
        Assert.Equal(-3.5877257710591572, estimator.LogPdf([Math.Log(10)]), 12);
        Assert.Equal(-1.4196333382473636, estimator.LogPdf([Math.Log(1)]), 12);
        Assert.Equal(1.0, Enumerable.Range(1, 20).Sum(v => Math.Exp(estimator.LogPdf([Math.Log(v)]))), 12);

        var rng = new Xoshiro256StarStar(5);
        var x = new double[1];
        for (int i = 0; i < 500; i++)
        {
            estimator.Sample(rng, x);
            double value = Math.Round(Math.Exp(x[0]));
            Assert.InRange(value, 1, 20);
            Assert.Equal(Math.Log(value), x[0]); // a draw is snapped to a value's exact coding
        }
    }

    [Fact]
    public void IncumbentNeighbourhood_LogScale_WalksTheGridByTheGridBandwidth()
    {
        // Entry windows 5..250 on a log scale; the neighbourhood's width is the one the same trials give on the grid, so
        // the incumbent 67 moves by a few bars, not by a few per cent of its logarithm.
        var log = Coding(10, new IntDomain(5, 250, 1));
        var grid = Coding(0, new IntDomain(5, 250, 1));
        long[] windows = [20, 60, 67, 70, 140];
        var belowLog = windows.Select(w => log.Encode([ParamValue.Int(w)])).ToList();
        var belowGrid = windows.Select(w => grid.Encode([ParamValue.Int(w)])).ToList();
        double[] weights = [1, 1, 1, 1, 1];
        var onLog = new IncumbentNeighbourhood(log, belowLog, weights, incumbent: 2, priorWeight: 1.0);
        var onGrid = new IncumbentNeighbourhood(grid, belowGrid, weights, incumbent: 2, priorWeight: 1.0);

        // 67 on the grid (index 62): its gaps to 60 and 70 are 7 and 3, below the clip 246 / (1 + 6 kernels) = 35.14.
        Assert.Equal(246.0 / 7, onLog.Width(0), 12);
        Assert.Equal(onGrid.Width(0), onLog.Width(0), 15);

        var rng = new Xoshiro256StarStar(8);
        var x = new double[1];
        var moves = new List<long>();
        for (int i = 0; i < 2000; i++)
        {
            onLog.Sample(rng, x);
            long value = log.Decode(x)[0].AsInt;
            Assert.Equal(Math.Log(value), x[0], 15);
            Assert.InRange(value, 5, 250);
            Assert.NotEqual(67, value);
            moves.Add(Math.Abs(value - 67));
        }

        // |N(0, 35.14)| has median 0.674 * 35.14 = 23.7 bars; truncation at the range's ends pulls it a little lower.
        moves.Sort();
        Assert.InRange(moves[moves.Count / 2], 19, 26);
    }
}
