using OptimizerGrpc.Core.Methods.Bayesian;
using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Randomness;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Tests.Methods.Bayesian;

public sealed class BayesianEncodingTests
{
    private static readonly SearchSpace Space = new(
    [
        new SearchParameter("t.i", new IntDomain(-5, 5, 5)),
        new SearchParameter("t.l", new FloatDomain(1e-4, 1e-1, null, true)),
        new SearchParameter("t.s", new FloatDomain(0.5, 2.5, 0.5, false)),
        new SearchParameter("t.c", new CategoricalDomain(["sma", "ema", "wma"])),
        new SearchParameter("t.v", new ValueListDomain([ParamValue.Int(3), ParamValue.Float(0.5), ParamValue.String("x")])),
    ]);

    [Fact]
    public void Dimensions_CategoricalIsOneHot_OthersTakeOne()
    {
        Assert.Equal(1 + 1 + 1 + 3 + 1, new UnitCubeEncoding(Space).Dimensions);
    }

    [Fact]
    public void Encode_KnownValues_GiveLevelPositionsLogScaleAndOneHot()
    {
        var encoding = new UnitCubeEncoding(Space);
        var u = new double[encoding.Dimensions];

        encoding.Encode([ParamValue.Int(0), ParamValue.Float(1e-2), ParamValue.Float(2.0), ParamValue.String("wma"), ParamValue.String("x")], u);

        // Int level 1 of 3; ln 1e-2 is 2/3 of the way from ln 1e-4 to ln 1e-1; step level 3 of 5; one-hot; list index 2 of 3.
        Assert.Equal([0.5, 2.0 / 3.0, 0.75, 0, 0, 1, 1.0], u, new ToleranceComparer(1e-12));
    }

    [Fact]
    public void DecodeOfSnappedPoint_EncodesBackToTheSamePoint()
    {
        var encoding = new UnitCubeEncoding(Space);
        var rng = new Xoshiro256StarStar(4);
        var u = new double[encoding.Dimensions];
        var back = new double[encoding.Dimensions];
        for (int k = 0; k < 200; k++)
        {
            for (int d = 0; d < u.Length; d++)
            {
                u[d] = rng.NextDouble();
            }

            encoding.Snap(u);
            var values = encoding.Decode(u);
            encoding.Encode(values, back);

            for (int i = 0; i < Space.Count; i++)
            {
                Assert.True(Space.Parameters[i].Domain.Contains(values[i]), $"{values[i]} not in {Space.Parameters[i].Domain}");
            }

            Assert.Equal(u, back, new ToleranceComparer(1e-12));
        }
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
