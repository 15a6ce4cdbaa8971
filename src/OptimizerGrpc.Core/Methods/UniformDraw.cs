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
    public static bool TryFeasible(SearchSpace space, Predicate<ParamValue[]>? feasible, Xoshiro256StarStar rng, out ParamValue[] point) =>
        TryFeasible(r => Point(space, r), feasible, rng, out point);

    /// <summary>The first of at most <see cref="MaxDraws"/> assignments from <paramref name="draw"/> that
    /// <paramref name="feasible"/> accepts (a method with its own prior, such as TPE's log scale, draws through this).</summary>
    public static bool TryFeasible(Func<Xoshiro256StarStar, ParamValue[]> draw, Predicate<ParamValue[]>? feasible, Xoshiro256StarStar rng, out ParamValue[] point)
    {
        for (int attempt = 0; attempt < MaxDraws; attempt++)
        {
            point = draw(rng);
            if (feasible is null || feasible(point))
            {
                return true;
            }
        }

        point = [];
        return false;
    }
}
