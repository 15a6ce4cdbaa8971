using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Tests.Methods;

public sealed class UnitCodingTests
{
    public static TheoryData<ParameterDomain> DiscreteDomains() =>
    [
        new IntDomain(-5, 5, 5),
        new IntDomain(2, 50, 2),
        new FloatDomain(0.1, 0.9, 0.1, false),
        new CategoricalDomain(["sma", "ema", "wma"]),
        new ValueListDomain([ParamValue.Int(3), ParamValue.Float(0.5), ParamValue.String("x")]),
    ];

    [Theory]
    [MemberData(nameof(DiscreteDomains))]
    public void ToUnitThenFromUnit_EveryGridValue_ComesBackFromTheCentreOfItsBin(ParameterDomain domain)
    {
        long n = domain.GridSize(floatPoints: 1);
        for (long k = 0; k < n; k++)
        {
            var value = domain.GridValue(k, floatPoints: 1);
            double u = UnitCoding.ToUnit(domain, value);

            Assert.Equal((k + 0.5) / n, u, 12);
            Assert.Equal(value, UnitCoding.FromUnit(domain, u));
        }
    }

    [Fact]
    public void FromUnit_OutsideTheCube_ClampsToTheBoundsAndNeverLeavesTheRange()
    {
        var log = new FloatDomain(1e-3, 7e-1, null, true);
        var linear = new FloatDomain(0.1, 0.3, null, false);

        Assert.Equal(ParamValue.Float(7e-1), UnitCoding.FromUnit(log, 1.7));
        Assert.Equal(ParamValue.Float(1e-3), UnitCoding.FromUnit(log, -0.2));
        Assert.Equal(ParamValue.Float(0.3), UnitCoding.FromUnit(linear, 1.0));
        Assert.Equal(ParamValue.Int(50), UnitCoding.FromUnit(new IntDomain(2, 50, 2), 1.0));
        Assert.Equal(0.5, UnitCoding.ToUnit(log, ParamValue.Float(Math.Sqrt(1e-3 * 7e-1))), 12);
    }
}
