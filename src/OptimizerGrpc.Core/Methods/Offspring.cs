using OptimizerGrpc.Core.Randomness;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Methods;

/// <summary>How the generational methods (genetic algorithm, NSGA-II) pick each child they hand out.</summary>
internal static class Offspring
{
    // A child is bred again up to this many times to avoid a duplicate; breeding gives way to uniform draws
    // after this many infeasible children in a row.
    public const int MaxBreedAttempts = 100;

    // Draws per child before Ask gives up and reports a starved search, as RandomSearch does.
    public const int MaxDrawsPerChild = 10_000;

    /// <summary>
    /// A child that meets the constraints and is new to its generation: bred while <paramref name="canBreed"/> and
    /// within <see cref="MaxBreedAttempts"/>, drawn uniformly after that. Falls back to a feasible duplicate when no
    /// new child is found, and returns null when nothing feasible turns up (the method is starved).
    /// </summary>
    public static ParamValue[]? Next(
        bool canBreed, Func<ParamValue[]> breed, Func<ParamValue[]> draw, Predicate<ParamValue[]>? feasible, HashSet<ParamValue[]> members)
    {
        ParamValue[]? duplicate = null;
        for (int attempt = 0; attempt < MaxDrawsPerChild; attempt++)
        {
            var child = canBreed && attempt < MaxBreedAttempts ? breed() : draw();
            if (feasible is not null && !feasible(child))
            {
                continue;
            }

            if (!members.Contains(child))
            {
                return child;
            }

            duplicate ??= child;
            if (attempt >= MaxBreedAttempts)
            {
                break;
            }
        }

        return duplicate;
    }

    /// <summary>A uniform draw over the space, gene by gene in the unit cube.</summary>
    public static ParamValue[] Draw(SearchSpace space, Xoshiro256StarStar rng)
    {
        var genes = new ParamValue[space.Count];
        for (int i = 0; i < genes.Length; i++)
        {
            genes[i] = UnitCoding.FromUnit(space.Parameters[i].Domain, rng.NextDouble());
        }

        return genes;
    }
}
