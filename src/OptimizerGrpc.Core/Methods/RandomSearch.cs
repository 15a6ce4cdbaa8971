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
    // Rejection sampling gives up on one Ask after this many infeasible draws in a row; the engine
    // reports a starved search instead of spinning.
    private const int MaxRejectionsPerPoint = 10_000;

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
            var point = Draw();
            int rejections = 0;
            while (_feasible is not null && !_feasible(point))
            {
                if (++rejections >= MaxRejectionsPerPoint)
                {
                    Starved = true;
                    return produced;
                }

                point = Draw();
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

    private ParamValue[] Draw()
    {
        var values = new ParamValue[_space.Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = _space.Parameters[i].Domain.FromUnit(_rng.NextDouble());
        }

        return values;
    }
}
