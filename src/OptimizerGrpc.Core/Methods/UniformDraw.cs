using OptimizerGrpc.Core.Randomness;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Methods;

/// <summary>
/// Uniform random assignments by rejection sampling against the constraints: every proposal of random search, and the
/// start-up trials of TPE. Each parameter takes one draw in space order, so a seeded generator gives the same points
/// whichever method asks.
/// </summary>
internal static class UniformDraw
{
    /// <summary>Draws for one point before giving up; the method then reports itself starved instead of spinning.</summary>
    public const int MaxDraws = 10_000;

    /// <summary>One uniform assignment, constraints ignored.</summary>
    public static ParamValue[] Point(SearchSpace space, Xoshiro256StarStar rng)
    {
        var values = new ParamValue[space.Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = space.Parameters[i].Domain.FromUnit(rng.NextDouble());
        }

        return values;
    }

    /// <summary>The first of at most <see cref="MaxDraws"/> uniform assignments that <paramref name="feasible"/> accepts.</summary>
    public static bool TryFeasible(SearchSpace space, Predicate<ParamValue[]>? feasible, Xoshiro256StarStar rng, out ParamValue[] point)
    {
        for (int draw = 0; draw < MaxDraws; draw++)
        {
            point = Point(space, rng);
            if (feasible is null || feasible(point))
            {
                return true;
            }
        }

        point = [];
        return false;
    }
}
