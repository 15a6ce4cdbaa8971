using OptimizerGrpc.Core.Methods.Bayesian;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Tests.Methods.Bayesian;

/// <summary>
/// The GP sees integer, stepped and categorical parameters through the rounding transformation T of Garrido-Merchán and
/// Hernández-Lobato (Neurocomputing 2020): k(x, x') = k(T(x), T(x')), with T = <see cref="UnitCubeEncoding.Snap"/>. So the
/// model, and every acquisition built on it, is constant on each rounding cell and never ranks two raw points that are
/// the same trial differently.
/// </summary>
public sealed class RoundingKernelTests
{
    private static readonly SearchSpace Space = new(
    [
        new SearchParameter("r.window", new IntDomain(1, 11, 1)),
        new SearchParameter("r.band", new FloatDomain(0.5, 2.5, 0.5, false)),
        new SearchParameter("r.kind", new CategoricalDomain(["sma", "ema", "wma"])),
        new SearchParameter("r.x", new FloatDomain(0, 1, null, false)),
    ]);

    [Fact]
    public void Prediction_TwoRawPointsInOneRoundingCell_IsIdentical()
    {
        var encoding = new UnitCubeEncoding(Space);
        int dims = encoding.Dimensions;
        var training = new[]
        {
            new[] { ParamValue.Int(2), ParamValue.Float(1.0), ParamValue.String("ema"), ParamValue.Float(0.2) },
            new[] { ParamValue.Int(7), ParamValue.Float(2.5), ParamValue.String("sma"), ParamValue.Float(0.9) },
            new[] { ParamValue.Int(4), ParamValue.Float(0.5), ParamValue.String("wma"), ParamValue.Float(0.5) },
        };
        var x = new double[training.Length * dims];
        for (int i = 0; i < training.Length; i++)
        {
            encoding.Encode(training[i], x.AsSpan(i * dims, dims));
        }

        var gp = new GaussianProcess(dims);
        Assert.True(gp.Condition(HyperparameterFit.Default(dims), x, [0.5, -1.0, 0.3], training.Length, training.Length));

        // window: levels k/10, so 0.31 and 0.34 both round to level 3 (window 4); band: levels k/4, 0.6 and 0.55 round to
        // level 2 (1.5); kind: the largest coordinate wins, ema in both; x is continuous and kept.
        double[] a = [0.31, 0.6, 0.2, 0.9, 0.1, 0.42];
        double[] b = [0.34, 0.55, 0.1, 0.5, 0.3, 0.42];
        encoding.Snap(a);
        encoding.Snap(b);
        Assert.Equal(a, b);
        Assert.Equal([ParamValue.Int(4), ParamValue.Float(1.5), ParamValue.String("ema"), ParamValue.Float(0.42)], encoding.Decode(a));

        var mean = new double[2];
        var variance = new double[2];
        gp.Predict([.. a, .. b], 2, mean, variance);
        Assert.Equal(mean[0], mean[1]);
        Assert.Equal(variance[0], variance[1]);
    }

    [Fact]
    public void Snap_IsTheEncodingOfTheDecodedTrial()
    {
        var encoding = new UnitCubeEncoding(Space);
        double[] raw = [0.77, 0.12, 0.3, 0.31, 0.29, 0.05];
        var snapped = (double[])raw.Clone();
        encoding.Snap(snapped);
        var reencoded = new double[encoding.Dimensions];
        encoding.Encode(encoding.Decode(raw), reencoded);
        Assert.Equal(reencoded, snapped);
    }
}
