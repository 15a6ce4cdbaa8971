using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Methods.Grid;

/// <summary>
/// Exhaustive grid search, enumerated lazily: point k is decoded from k in mixed radix (the last parameter
/// varies fastest), so a grid of 10^9 points costs nothing up front and its state is one counter.
/// With shuffle, k runs through the affine bijection k -> (a*k + c) mod N with gcd(a, N) = 1
/// (Knuth, TAOCP vol. 2, 3.2.1), which visits every point once in a seeded, scattered order.
/// </summary>
public sealed class GridSearch : ISearchMethod
{
    // A skip of infeasible points stops after this many per Ask, so one call stays fast; the next Ask goes on.
    private const long MaxScanPerAsk = 1_000_000;

    private readonly SearchSpace _space;
    private readonly GridSettings _settings;
    private readonly Predicate<ParamValue[]>? _feasible;
    private readonly long[] _radix;
    private readonly long _size;
    private readonly ulong _multiplier;
    private readonly ulong _offset;
    private long _next;

    public GridSearch(SearchSpace space, GridSettings settings, Predicate<ParamValue[]>? feasible, ulong seed)
    {
        _space = space;
        _settings = settings;
        _feasible = feasible;
        _size = space.GridSize(settings.FloatPoints)
            ?? throw new ArgumentException("the grid has more than 2^63 points; give the float ranges a step or fewer points", nameof(space));
        _radix = space.Parameters.Select(p => p.Domain.GridSize(settings.FloatPoints)).ToArray();
        (_multiplier, _offset) = settings.Shuffle ? ChoosePermutation(_size, seed) : (1UL, 0UL);
    }

    /// <summary>Total number of grid points, feasible or not.</summary>
    public long Size => _size;

    /// <summary>How many grid points have been visited (issued or skipped as infeasible).</summary>
    public long Position => _next;

    public bool IsExhausted => _next >= _size;

    /// <summary>A grid skips infeasible points and goes on; it is never starved, only exhausted.</summary>
    public bool Starved => false;

    public int Ask(int count, List<ParamValue[]> output)
    {
        int produced = 0;
        long scanned = 0;
        while (produced < count && _next < _size && scanned < MaxScanPerAsk)
        {
            var point = Decode(Permute(_next));
            _next++;
            scanned++;
            if (_feasible is null || _feasible(point))
            {
                output.Add(point);
                produced++;
            }
        }

        return produced;
    }

    public void Tell(in Observation observation)
    {
        // A grid's order does not depend on results.
    }

    public void WriteSnapshot(BinaryWriter writer) => writer.Write(_next);

    public void ReadSnapshot(BinaryReader reader) => _next = reader.ReadInt64();

    /// <summary>The parameter values of grid point <paramref name="k"/> (0-based, lexicographic order).</summary>
    public ParamValue[] Decode(long k)
    {
        var values = new ParamValue[_radix.Length];
        for (int i = _radix.Length - 1; i >= 0; i--)
        {
            long digit = k % _radix[i];
            k /= _radix[i];
            values[i] = _space.Parameters[i].Domain.GridValue(digit, _settings.FloatPoints);
        }

        return values;
    }

    private long Permute(long k) =>
        _multiplier == 1 && _offset == 0 ? k : (long)((((UInt128)(ulong)k * _multiplier) + _offset) % (ulong)_size);

    private static (ulong Multiplier, ulong Offset) ChoosePermutation(long size, ulong seed)
    {
        if (size <= 2)
        {
            return (1, 0);
        }

        var rng = new Randomness.Xoshiro256StarStar(seed);
        ulong n = (ulong)size;
        while (true)
        {
            ulong a = (ulong)rng.NextInt64(size - 1) + 1;
            if (Gcd(a, n) == 1)
            {
                return (a, (ulong)rng.NextInt64(size));
            }
        }
    }

    private static ulong Gcd(ulong a, ulong b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
