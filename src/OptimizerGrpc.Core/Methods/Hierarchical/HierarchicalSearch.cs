using OptimizerGrpc.Core.Methods.Grid;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Methods.Hierarchical;

/// <summary>
/// A two-level (bilevel) search: an outer method proposes values of the outer parameters, and every outer candidate
/// is scored by an inner optimisation of the remaining parameters with the outer values fixed; the candidate's score
/// is the best inner score (the optimistic bilevel formulation, Colson, Marcotte and Savard, "An overview of bilevel
/// optimization", Annals of Operations Research 153, 2007). <paramref name="OuterPositions"/> are the positions of the
/// outer parameters in the combined assignment; the others are inner. Budgets count proposals: at most
/// <paramref name="OuterBudget"/> outer candidates and <paramref name="InnerBudget"/> inner trials per candidate
/// (0: until that level's method is exhausted).
/// </summary>
public sealed record HierarchicalSettings(
    MethodSettings Outer, long OuterBudget, int[] OuterPositions, MethodSettings Inner, long InnerBudget) : MethodSettings
{
    /// <summary>Outer candidates searched at once: enough to keep workers busy, few enough that the outer method learns.</summary>
    public int MaxOpenCandidates { get; init; } = 64;
}

/// <summary>
/// Runs <see cref="HierarchicalSettings"/>: one outer method, one inner method per outer candidate. Several candidates
/// are open at once when workers ask for more than one candidate's inner method can give. An outer proposal equal to
/// a candidate already scored is told that score at once; one equal to an open candidate waits for it.
/// Expects scalar scores (one objective or a weighted sum): the inner winner must be well defined.
/// </summary>
public sealed class HierarchicalSearch : ISearchMethod
{
    // An outer point is kept only when some inner completion meets the relationship constraints; small inner grids are
    // scanned, larger spaces sampled. A miss in the sample only drops that outer point.
    private const long InnerGridScan = 4_096;
    private const int InnerRandomProbes = 512;

    private readonly SearchSpace _space;
    private readonly HierarchicalSettings _settings;
    private readonly Predicate<ParamValue[]>? _feasible;
    private readonly ulong _seed;
    private readonly int[] _outer;
    private readonly int[] _inner;
    private readonly SearchSpace _innerSpace;
    private readonly ISearchMethod _outerMethod;
    private readonly List<Candidate> _candidates = [];
    private readonly Dictionary<ParamValue[], int> _byOuter = new(Assignments.ByValue);
    private readonly List<ParamValue[]> _buffer = [];
    private readonly ParamValue[] _compose;
    private List<ParamValue[]>? _innerProbes;
    private long _outerProposals;

    public HierarchicalSearch(SearchSpace space, HierarchicalSettings settings, Predicate<ParamValue[]>? feasible, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(settings);
        _space = space;
        _settings = settings;
        _feasible = feasible;
        _seed = seed;
        var outerSet = settings.OuterPositions.ToHashSet();
        if (outerSet.Count == 0 || outerSet.Count == space.Count || outerSet.Any(i => i < 0 || i >= space.Count))
        {
            throw new ArgumentException("outer positions must name some, not all, of the space's parameters", nameof(settings));
        }

        _outer = [.. settings.OuterPositions.Order()];
        _inner = [.. Enumerable.Range(0, space.Count).Where(i => !outerSet.Contains(i))];
        _innerSpace = new SearchSpace([.. _inner.Select(i => space.Parameters[i])]);
        _compose = new ParamValue[space.Count];
        var outerSpace = new SearchSpace([.. _outer.Select(i => space.Parameters[i])]);
        _outerMethod = SearchMethods.Create(settings.Outer, outerSpace, feasible is null ? null : OuterFeasible, seed);
    }

    /// <summary>The outer candidates in the order they were opened.</summary>
    public IReadOnlyList<HierarchicalCandidate> Candidates =>
        [.. _candidates.Select(c => new HierarchicalCandidate(c.Outer, c.Created, c.Told, c.Closed, c.Best, c.BestInner))];

    public bool IsExhausted => OuterDone && _candidates.All(c => c.Closed);

    public bool Starved { get; private set; }

    private bool OuterDone => _outerMethod.IsExhausted || (_settings.OuterBudget > 0 && _outerProposals >= _settings.OuterBudget);

    /// <summary>The outer part of a combined assignment.</summary>
    public ParamValue[] OuterOf(ParamValue[] assignment) => [.. _outer.Select(i => assignment[i])];

    public int Ask(int count, List<ParamValue[]> output)
    {
        Starved = false;
        int produced = 0;
        while (produced < count)
        {
            foreach (var candidate in _candidates)
            {
                if (produced < count && !candidate.Closed)
                {
                    produced += AskInner(candidate, count - produced, output);
                }
            }

            if (produced >= count || !OpenCandidate())
            {
                break;
            }
        }

        Starved = produced < count && _outerMethod.Starved && _candidates.All(c => c.Closed);
        return produced;
    }

    public void Tell(in Observation observation)
    {
        var outer = OuterOf(observation.Params);
        if (!_byOuter.TryGetValue(outer, out int index))
        {
            throw new InvalidOperationException("a told assignment belongs to no open outer candidate");
        }

        var candidate = _candidates[index];
        var inner = new ParamValue[_inner.Length];
        for (int i = 0; i < inner.Length; i++)
        {
            inner[i] = observation.Params[_inner[i]];
        }

        candidate.Method.Tell(new Observation(inner, observation.Scores, observation.Kind));
        candidate.Told++;
        if (observation.Kind == ObservationKind.Completed && observation.Scores.Length > 0 && observation.Scores[0] > candidate.Best)
        {
            candidate.Best = observation.Scores[0];
            candidate.BestInner = inner;
        }

        candidate.AnyInfeasible |= observation.Kind == ObservationKind.Infeasible;
        if (candidate.Told == candidate.Created && InnerDone(candidate))
        {
            Close(candidate);
        }
    }

    public void WriteSnapshot(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _outerMethod.WriteSnapshot(writer);
        writer.Write(_outerProposals);
        writer.Write(_candidates.Count);
        foreach (var c in _candidates)
        {
            Assignments.Write(writer, c.Outer);
            writer.Write(c.Created);
            writer.Write(c.Told);
            writer.Write(c.Closed);
            writer.Write(c.Twins);
            writer.Write(c.Best);
            writer.Write(c.AnyInfeasible);
            writer.Write(c.BestInner is not null);
            if (c.BestInner is not null)
            {
                Assignments.Write(writer, c.BestInner);
            }

            c.Method.WriteSnapshot(writer);
        }
    }

    public void ReadSnapshot(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _outerMethod.ReadSnapshot(reader);
        _outerProposals = reader.ReadInt64();
        _candidates.Clear();
        _byOuter.Clear();
        int count = reader.ReadInt32();
        for (int i = 0; i < count; i++)
        {
            var candidate = NewCandidate(Assignments.Read(reader));
            candidate.Created = reader.ReadInt64();
            candidate.Told = reader.ReadInt64();
            candidate.Closed = reader.ReadBoolean();
            candidate.Twins = reader.ReadInt32();
            candidate.Best = reader.ReadDouble();
            candidate.AnyInfeasible = reader.ReadBoolean();
            candidate.BestInner = reader.ReadBoolean() ? Assignments.Read(reader) : null;
            candidate.Method.ReadSnapshot(reader);
        }
    }

    private int AskInner(Candidate candidate, int want, List<ParamValue[]> output)
    {
        if (_settings.InnerBudget > 0)
        {
            want = (int)Math.Min(want, _settings.InnerBudget - candidate.Created);
        }

        int got = 0;
        if (want > 0 && !candidate.Method.IsExhausted)
        {
            _buffer.Clear();
            got = candidate.Method.Ask(want, _buffer);
            foreach (var inner in _buffer)
            {
                var full = new ParamValue[_space.Count];
                Fill(full, candidate.Outer, inner);
                output.Add(full);
            }

            candidate.Created += got;
        }

        // Nothing in flight and nothing more to give (budget spent, exhausted, or no feasible inner point): score it now.
        if (got == 0 && candidate.Told == candidate.Created && (InnerDone(candidate) || candidate.Method.Starved))
        {
            Close(candidate);
        }

        return got;
    }

    private bool InnerDone(Candidate c) => c.Method.IsExhausted || (_settings.InnerBudget > 0 && c.Created >= _settings.InnerBudget);

    // Asks the outer method for one proposal. Returns false when no candidate can be opened now.
    private bool OpenCandidate()
    {
        if (OuterDone || _candidates.Count(c => !c.Closed) >= _settings.MaxOpenCandidates)
        {
            return false;
        }

        _buffer.Clear();
        if (_outerMethod.Ask(1, _buffer) == 0)
        {
            return false;
        }

        _outerProposals++;
        var outer = _buffer[0];
        if (_byOuter.TryGetValue(outer, out int known))
        {
            var twin = _candidates[known];
            if (twin.Closed)
            {
                _outerMethod.Tell(OuterObservation(twin, outer));
            }
            else
            {
                twin.Twins++;
            }

            return true;
        }

        NewCandidate(outer);
        return true;
    }

    private Candidate NewCandidate(ParamValue[] outer)
    {
        int index = _candidates.Count;
        ulong seed = _seed ^ ((ulong)(index + 1) * 0x9E3779B97F4A7C15UL);
        Candidate? candidate = null;
        Predicate<ParamValue[]>? innerFeasible = _feasible is null ? null : inner =>
        {
            Fill(_compose, candidate!.Outer, inner);
            return _feasible(_compose);
        };
        candidate = new Candidate(outer, SearchMethods.Create(_settings.Inner, _innerSpace, innerFeasible, seed));
        _candidates.Add(candidate);
        _byOuter[outer] = index;
        return candidate;
    }

    private void Close(Candidate candidate)
    {
        candidate.Closed = true;
        var observation = OuterObservation(candidate, candidate.Outer);
        for (int i = 0; i <= candidate.Twins; i++)
        {
            _outerMethod.Tell(observation);
        }

        candidate.Twins = 0;
    }

    private static Observation OuterObservation(Candidate c, ParamValue[] outer) =>
        c.BestInner is not null
            ? new Observation(outer, [c.Best], ObservationKind.Completed)
            : new Observation(outer, [], c.AnyInfeasible || c.Created == 0 ? ObservationKind.Infeasible : ObservationKind.Failed);

    private void Fill(ParamValue[] full, ParamValue[] outer, ParamValue[] inner)
    {
        for (int i = 0; i < _outer.Length; i++)
        {
            full[_outer[i]] = outer[i];
        }

        for (int i = 0; i < _inner.Length; i++)
        {
            full[_inner[i]] = inner[i];
        }
    }

    private bool OuterFeasible(ParamValue[] outer)
    {
        _innerProbes ??= InnerProbes();
        foreach (var inner in _innerProbes)
        {
            Fill(_compose, outer, inner);
            if (_feasible!(_compose))
            {
                return true;
            }
        }

        return false;
    }

    private List<ParamValue[]> InnerProbes()
    {
        var probes = new List<ParamValue[]>();
        if (_innerSpace.GridSize(10) is { } size && size <= InnerGridScan)
        {
            var grid = new GridSearch(_innerSpace, new GridSettings(), null, 0);
            for (long k = 0; k < size; k++)
            {
                probes.Add(grid.Decode(k));
            }

            return probes;
        }

        new RandomSearch(_innerSpace, null, _seed ^ 0x5EED).Ask(InnerRandomProbes, probes);
        return probes;
    }

    private sealed class Candidate(ParamValue[] outer, ISearchMethod method)
    {
        public ParamValue[] Outer { get; } = outer;

        public ISearchMethod Method { get; } = method;

        public long Created { get; set; }

        public long Told { get; set; }

        public bool Closed { get; set; }

        public int Twins { get; set; }

        public double Best { get; set; } = double.NegativeInfinity;

        public ParamValue[]? BestInner { get; set; }

        public bool AnyInfeasible { get; set; }
    }
}

/// <summary>One outer candidate of a <see cref="HierarchicalSearch"/>: its values, inner trials and inner winner.</summary>
public sealed record HierarchicalCandidate(ParamValue[] Outer, long InnerCreated, long InnerTold, bool Closed, double BestScore, ParamValue[]? BestInner);
