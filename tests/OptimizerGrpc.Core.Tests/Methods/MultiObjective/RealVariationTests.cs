using OptimizerGrpc.Core.Methods.MultiObjective;
using OptimizerGrpc.Core.Randomness;

namespace OptimizerGrpc.Core.Tests.Methods.MultiObjective;

public sealed class RealVariationTests
{
    [Theory]
    [InlineData(0.3)]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void PolynomialMutation_ExtremeAndMiddleDraws_LandOnTheWallsOrStay(double y)
    {
        // u = 0: delta = ((1 - y)^21)^(1/21) - 1 = -y; u = 1: delta = 1 - (y^21)^(1/21) = 1 - y; u = 1/2: delta = 0.
        Assert.Equal(0.0, RealVariation.PolynomialMutation(y, 20, 0.0), 12);
        Assert.Equal(y, RealVariation.PolynomialMutation(y, 20, 0.5), 12);
        Assert.Equal(1.0, RealVariation.PolynomialMutation(y, 20, 1.0), 12);
    }

    [Fact]
    public void PolynomialMutation_FromTheMiddle_SmallMoveByTheFormula()
    {
        // u = 0.25 from y = 0.5: delta = (0.5 + 0.5 * 0.5^21)^(1/21) - 1.
        double expected = 0.5 + (Math.Pow(0.5 + (0.5 * Math.Pow(0.5, 21)), 1.0 / 21) - 1);
        Assert.Equal(expected, RealVariation.PolynomialMutation(0.5, 20, 0.25), 15);
        Assert.InRange(expected, 0.46, 0.5);
    }

    [Fact]
    public void SpreadFactor_FarFromTheWalls_IsTheUnboundedSbxQuantile()
    {
        // With the wall at infinity alpha = 2: u <= 1/2 gives (2u)^(1/(eta+1)), above (1/(2 - 2u))^(1/(eta+1)).
        Assert.Equal(1.0, RealVariation.SpreadFactor(double.PositiveInfinity, 20, 0.5), 15);
        Assert.Equal(Math.Pow(0.5, 1.0 / 21), RealVariation.SpreadFactor(double.PositiveInfinity, 20, 0.25), 15);
        Assert.Equal(Math.Pow(2, 1.0 / 21), RealVariation.SpreadFactor(double.PositiveInfinity, 20, 0.75), 15);
    }

    [Fact]
    public void Sbx_ManyDraws_ChildrenInTheCube_SymmetricParentsGiveSymmetricChildren()
    {
        var rng = new Xoshiro256StarStar(1);
        int crossed = 0;
        for (int i = 0; i < 2000; i++)
        {
            double a = rng.NextDouble();
            double b = rng.NextDouble();
            var (c1, c2) = RealVariation.Sbx(a, b, 20, rng);
            Assert.InRange(c1, 0, 1);
            Assert.InRange(c2, 0, 1);

            // Parents equally far from both walls have equal cut-offs, so the children mirror about 1/2.
            var (s1, s2) = RealVariation.Sbx(0.5 - (a / 2), 0.5 + (a / 2), 20, rng);
            Assert.Equal(1.0, s1 + s2, 12);
            crossed += s1 != 0.5 - (a / 2) && s1 != 0.5 + (a / 2) ? 1 : 0;
        }

        // Each gene is crossed with probability 1/2.
        Assert.InRange(crossed, 900, 1100);
    }
}
