using OptimizerGrpc.Core.Randomness;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Methods;

/// <summary>
/// Uniform random search (Bergstra and Bengio, "Random search for hyper-parameter optimization", JMLR 2012):
/// every parameter drawn independently and uniformly (log-uniformly on log ranges). Relationship constraints
/// are met by rejection sampling.
/// </summary>
public sealed class RandomSearch : ISearchMethod
{
    private readonly SearchSpace _space;
    private readonly Predicate<ParamValue[]>? _feasible;
    private Xoshiro256StarStar _rng;

    public RandomSearch(SearchSpace space, Predicate<ParamValue[]>? feasible, ulong seed)
    {
        _space = space;
        _feasible = feasible;
        _rng = new Xoshiro256StarStar(seed);
    }

    public bool IsExhausted => false;

    /// <summary>True when the last Ask stopped because no feasible point was found in many draws.</summary>
    public bool Starved { get; private set; }

    public int Ask(int count, List<ParamValue[]> output)
    {
        Starved = false;
        for (int produced = 0; produced < count; produced++)
        {
            if (!UniformDraw.TryFeasible(_space, _feasible, _rng, out var point))
            {
                Starved = true;
                return produced;
            }

            output.Add(point);
        }

        return count;
    }

    public void Tell(in Observation observation)
    {
        // Random search ignores results by design: it is the baseline every method must beat.
    }

    public void WriteSnapshot(BinaryWriter writer) => _rng.Write(writer);

    public void ReadSnapshot(BinaryReader reader) => _rng = Xoshiro256StarStar.Read(reader);
}
