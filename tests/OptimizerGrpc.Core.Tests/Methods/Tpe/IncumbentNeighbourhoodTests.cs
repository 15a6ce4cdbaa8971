using OptimizerGrpc.Core.Methods.Tpe;
using OptimizerGrpc.Core.Randomness;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Tests.Methods.Tpe;

public sealed class IncumbentNeighbourhoodTests
{
    private static readonly TpeCoding Coding = TpeTestCodings.WindowThresholdSide;

    private static readonly double[][] Below = [[2, 2.0, 0], [6, 6.0, 1], [7, 6.5, 2]];

    [Fact]
    public void Width_IsTheIncumbentsNeighbourGapBandwidthInItsOwnParameter()
    {
        // Incumbent kernel 1 (w = 6, t = 6), four kernels with the prior's. w: sorted with the prior (10) and the ends:
        // -0.5 | 2 6 7 10 | 20.5; 6 takes max(6 - 2, 7 - 6) = 4, clipped up to the range 21 / (1 + 4) = 4.2.
        // t: 0 | 2 5 6 6.5 | 10; 6 takes max(6 - 5, 6.5 - 6) = 1, clipped up to 10 / (1 + 4) = 2.
        var neighbourhood = new IncumbentNeighbourhood(Coding, Below, [1.0, 1.0, 1.0], incumbent: 1, priorWeight: 1.0);

        Assert.Equal(4.2, neighbourhood.Width(0), 12);
        Assert.Equal(2.0, neighbourhood.Width(1), 12);
        Assert.Equal(0.0, neighbourhood.Width(2));
    }

    [Fact]
    public void Sample_MovesAtLeastOneParameterAndStaysOnTheGridAndInRange()
    {
        var neighbourhood = new IncumbentNeighbourhood(Coding, Below, [1.0, 1.0, 1.0], incumbent: 1, priorWeight: 1.0);
        var rng = new Xoshiro256StarStar(11);
        var x = new double[3];
        int moved = 0, choiceMoves = 0;
        const int Draws = 4000;
        for (int i = 0; i < Draws; i++)
        {
            neighbourhood.Sample(rng, x);
            int changes = 0;
            for (int d = 0; d < 3; d++)
            {
                changes += x[d] != Below[1][d] ? 1 : 0;
            }

            Assert.InRange(changes, 1, 3);
            Assert.Equal(Math.Round(x[0]), x[0]);
            Assert.InRange(x[0], 0, 20);
            Assert.InRange(x[1], 0, 10);
            Assert.Contains(x[2], new[] { 0.0, 2.0, 1.0 });
            moved += changes;
            choiceMoves += x[2] != 1 ? 1 : 0;
        }

        // One parameter always moves, each of the other two with probability 1/3: 1 + 2/3 on average. The choice moves when
        // it is the first (1/3) or joins (2/3 * 1/3): 5/9 of the draws.
        Assert.InRange(moved / (double)Draws, 1.6, 1.73);
        Assert.InRange(choiceMoves / (double)Draws, 0.52, 0.59);
    }
}
