using OptimizerGrpc.Core.Randomness;

namespace OptimizerGrpc.Core.Methods.Tpe;

/// <summary>
/// Neighbours of the best trial so far, for TPE's local proposals (<see cref="TpeSettings.LocalFraction"/>).
/// <list type="bullet">
/// <item>Each neighbour moves one parameter chosen uniformly, and every other parameter with probability 1/D: the
/// one-exchange neighbourhood SMAC's local search walks (Hutter, Hoos and Leyton-Brown, "Sequential model-based
/// optimization for general algorithm configuration", LION 2011, section 4.3), widened now and then so that two
/// interacting windows can move together.</item>
/// <item>A numeric parameter moves by a normal step whose width is the incumbent's own kernel bandwidth in that
/// parameter's good density l (neighbour gaps with the magic clip, <see cref="ParzenEstimator"/>): wide while the good
/// trials are spread out, a few grid steps once they crowd around the incumbent. An ordered grid value moves at least
/// one step; a float stays inside its range.</item>
/// <item>An int range on a log scale (<see cref="TpeSettings.LogScaleRatio"/>) moves on its grid like any ordered grid
/// value, by the bandwidth l has on the grid: the model sees a window of 60 and one of 66 as 10% apart, but the
/// neighbourhood walks bar by bar, as finely at 60 as at 6.</item>
/// <item>A choice moves to another choice, uniformly.</item>
/// </list>
/// Trading objectives are rugged plateaus of integer windows: the best value is often a near neighbour of a good one
/// that a draw from l, with its wider kernels, rarely hits exactly (with the trend filter off, the benchmark's Donchian
/// breakout peaks at entry 67, exit 65..68; entries 60..64 sit a step lower, 65 and 66 two steps).
/// </summary>
internal sealed class IncumbentNeighbourhood
{
    private readonly TpeCoding _coding;
    private readonly double[] _incumbent;
    private readonly double[] _width;

    /// <param name="coding">The space's coding.</param>
    /// <param name="below">The good trials, coded, in the order l is built from.</param>
    /// <param name="weights">Their kernel weights.</param>
    /// <param name="incumbent">The index in <paramref name="below"/> of the best trial.</param>
    /// <param name="priorWeight">l's prior weight (the bandwidths depend on the prior kernel's place among the others).</param>
    public IncumbentNeighbourhood(TpeCoding coding, IReadOnlyList<double[]> below, ReadOnlySpan<double> weights, int incumbent, double priorWeight)
    {
        _coding = coding;
        _incumbent = below[incumbent];
        _width = new double[coding.Count];
        var grid = below.Select(coding.ToGrid).ToList();
        for (int d = 0; d < coding.Count; d++)
        {
            if (coding[d].Kind != TpeKind.Choice)
            {
                var l = new ParzenEstimator(coding.Grid, [d], grid, weights, priorWeight, multivariate: false);
                _width[d] = l.Kernel(0, incumbent).Sigma;
            }
        }
    }

    /// <summary>The bandwidth a numeric parameter <paramref name="d"/> moves by (0 for a choice).</summary>
    public double Width(int d) => _width[d];

    /// <summary>Writes one neighbour of the incumbent, in coded units, into <paramref name="x"/>.</summary>
    public void Sample(Xoshiro256StarStar rng, double[] x)
    {
        int count = _coding.Count;
        _incumbent.CopyTo(x, 0);
        int first = Math.Min((int)(rng.NextDouble() * count), count - 1);
        for (int d = 0; d < count; d++)
        {
            if (d != first && rng.NextDouble() >= 1.0 / count)
            {
                continue;
            }

            var dim = _coding[d];
            switch (dim.Kind)
            {
                case TpeKind.Choice:
                    if (dim.Levels > 1)
                    {
                        x[d] = (x[d] + 1 + Math.Min((long)(rng.NextDouble() * (dim.Levels - 1)), dim.Levels - 2)) % dim.Levels;
                    }

                    break;
                case TpeKind.Discrete:
                    x[d] = GridStep(rng, (long)x[d], _width[d], dim.Levels);
                    break;
                case TpeKind.LogInteger:
                    x[d] = TpeCoding.LogValue(GridStep(rng, TpeCoding.LogIndex(x[d], dim), _width[d], dim.Levels), dim);
                    break;
                default:
                    x[d] = TruncatedNormal.Sample(rng, x[d], _width[d], dim.Low, dim.High);
                    break;
            }
        }
    }

    // Index `from` of a grid of `levels` values moved by a normal step of `width` values, at least one, inside the grid.
    private static long GridStep(Xoshiro256StarStar rng, long from, double width, long levels)
    {
        double step = TruncatedNormal.Sample(rng, 0, width, -levels, levels);
        long moved = (long)Math.Round(step, MidpointRounding.AwayFromZero);
        return Math.Clamp(from + (moved != 0 ? moved : step >= 0 ? 1 : -1), 0, levels - 1);
    }
}
