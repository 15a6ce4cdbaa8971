using OptimizerGrpc.Core.Pareto;
using OptimizerGrpc.Core.Randomness;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Methods.MultiObjective;

/// <summary>
/// NSGA-II (Deb, Pratap, Agarwal and Meyarivan, "A fast and elitist multiobjective genetic algorithm: NSGA-II",
/// IEEE Transactions on Evolutionary Computation 6(2), 2002) over every objective of
/// <see cref="Observation.Scores"/>, all maximised.
/// <para>
/// Generation 0 is drawn uniformly. Once a generation is told, parents and children together are sorted into
/// fronts under constraint domination (Deb 2000) and the next parents are the first fronts that fit, the last one
/// cut by crowding distance ((mu + lambda) survival, ties kept in order of birth). Children are bred from parents
/// chosen by binary tournament on rank, then crowding distance, then a coin. Parents survive with their scores and are
/// never evaluated again, so every generation costs <see cref="Nsga2Settings.PopulationSize"/> trials.
/// </para>
/// <para>
/// Genes of int and float ranges live in the unit cube (see <see cref="UnitCoding"/>): crossover is bounded SBX and
/// mutation bounded polynomial mutation (see <see cref="RealVariation"/>), both with distribution index 20 as in
/// Deb et al. 2002. Choice genes swap between the two children with probability 1/2 and mutate
/// by a uniform reset. Both children of a pair are used: the second is the next child handed out.
/// </para>
/// <para>
/// A completed trial is feasible (violation 0); an infeasible one is dominated by every feasible trial (violation 1,
/// the engine reports no amount); failed, pruned and NaN-scored trials rank below all of them (violation +infinity).
/// As in <see cref="Genetic.GeneticAlgorithm"/>, Ask hands out a generation on demand and returns 0 until all of it is
/// told; children that break the relationship constraints, or equal a parent or a member of their generation, are bred
/// again a bounded number of times.
/// </para>
/// </summary>
public sealed class Nsga2 : ISearchMethod
{
    // Distribution indices of SBX and polynomial mutation: larger keeps children closer to their parents.
    private const double CrossoverEta = 20;
    private const double MutationEta = 20;

    private const double InfeasibleViolation = 1;

    private const byte SnapshotVersion = 1;

    private readonly SearchSpace _space;
    private readonly Nsga2Settings _settings;
    private readonly Predicate<ParamValue[]>? _feasible;
    private readonly bool[] _isRange;
    private readonly PendingProposals _pending = new();
    private HashSet<ParamValue[]> _members = new(Assignments.ByValue);
    private List<Individual> _parents = [];
    private List<Individual> _population = [];
    private ParamValue[]? _spare;
    private Xoshiro256StarStar _rng;
    private int _generation;
    private int _objectives; // 0 until the first feasible trial is told

    public Nsga2(SearchSpace space, Nsga2Settings settings, Predicate<ParamValue[]>? feasible, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(space);
        SettingsRules.ThrowIfAny(Nsga2Settings.Validate(settings), nameof(settings));
        _space = space;
        _settings = settings;
        _feasible = feasible;
        _isRange = space.Parameters.Select(p => UnitCoding.IsRange(p.Domain)).ToArray();
        _rng = new Xoshiro256StarStar(seed);
    }

    /// <summary>The 0-based generation being evaluated; equals <see cref="Nsga2Settings.Generations"/> once exhausted.</summary>
    public int Generation => _generation;

    public bool IsExhausted => _generation >= _settings.Generations;

    /// <summary>The parents the current generation is bred from, best first, with their rank (0 = first front) and
    /// crowding distance; empty during generation 0.</summary>
    internal IEnumerable<(ParamValue[] Genes, double[] Scores, double Violation, int Rank, double Crowding)> Parents =>
        _parents.Select(i => (i.Genes, i.Scores, i.Violation, i.Rank, i.Crowding));

    /// <summary>True when the last Ask stopped because no feasible child was found in many draws.</summary>
    public bool Starved { get; private set; }

    public int Ask(int count, List<ParamValue[]> output)
    {
        Starved = false;
        int produced = 0;
        while (produced < count && !IsExhausted && _population.Count < _settings.PopulationSize)
        {
            var child = NextChild();
            if (child is null)
            {
                Starved = true;
                break;
            }

            _pending.Add(child, _population.Count);
            _population.Add(new Individual(child, [], double.PositiveInfinity, Evaluated: false));
            _members.Add(child);
            output.Add(child);
            produced++;
        }

        return produced;
    }

    /// <exception cref="ArgumentException">A completed trial has a different number of scores than earlier ones.</exception>
    public void Tell(in Observation observation)
    {
        var (scores, violation) = Judge(observation);
        if (violation == 0 && _objectives != 0 && scores.Length != _objectives)
        {
            throw new ArgumentException($"a trial has {scores.Length} scores, earlier trials {_objectives}", nameof(observation));
        }

        if (!_pending.TryTake(observation.Params, out int slot))
        {
            return; // not ours, or told twice
        }

        if (violation == 0)
        {
            _objectives = scores.Length;
        }

        _population[slot] = _population[slot] with { Scores = scores, Violation = violation, Evaluated = true };
        if (_pending.Count == 0 && _population.Count == _settings.PopulationSize)
        {
            Advance();
        }
    }

    public void WriteSnapshot(BinaryWriter writer)
    {
        writer.Write(SnapshotVersion);
        writer.Write(_space.Count);
        writer.Write(_settings.PopulationSize);
        _rng.Write(writer);
        writer.Write(_generation);
        writer.Write(_objectives);
        writer.Write(_spare is not null);
        if (_spare is not null)
        {
            Assignments.Write(writer, _spare);
        }

        WriteIndividuals(writer, _parents);
        WriteIndividuals(writer, _population);
    }

    public void ReadSnapshot(BinaryReader reader)
    {
        byte version = reader.ReadByte();
        int dimensions = reader.ReadInt32();
        int populationSize = reader.ReadInt32();
        if (version != SnapshotVersion || dimensions != _space.Count || populationSize != _settings.PopulationSize)
        {
            throw new InvalidDataException(
                $"NSGA-II snapshot v{version} for {dimensions} parameters and population {populationSize} does not fit " +
                $"v{SnapshotVersion}, {_space.Count} parameters and population {_settings.PopulationSize}");
        }

        _rng = Xoshiro256StarStar.Read(reader);
        _generation = reader.ReadInt32();
        _objectives = reader.ReadInt32();
        _spare = reader.ReadBoolean() ? Assignments.Read(reader) : null;
        _parents = ReadIndividuals(reader);
        _population = ReadIndividuals(reader);
        _members = new HashSet<ParamValue[]>(_parents.Concat(_population).Select(i => i.Genes), Assignments.ByValue);
        _pending.Clear();
        for (int slot = 0; slot < _population.Count; slot++)
        {
            if (!_population[slot].Evaluated)
            {
                _pending.Add(_population[slot].Genes, slot);
            }
        }
    }

    private static (double[] Scores, double Violation) Judge(in Observation observation) => observation.Kind switch
    {
        ObservationKind.Completed when observation.Scores.Length > 0 && !Array.Exists(observation.Scores, double.IsNaN) =>
            ((double[])observation.Scores.Clone(), 0),
        ObservationKind.Infeasible => ([], InfeasibleViolation),
        _ => ([], double.PositiveInfinity),
    };

    /// <summary>The generation is fully told: parents and children compete for the next parents.</summary>
    private void Advance()
    {
        _generation++;
        _parents = Survivors([.. _parents, .. _population]);
        _population = [];
        _spare = null;
        _members = new HashSet<ParamValue[]>(_parents.Select(i => i.Genes), Assignments.ByValue);
    }

    /// <summary>The best <see cref="Nsga2Settings.PopulationSize"/> of the pool, front by front, the last front cut by crowding.</summary>
    private List<Individual> Survivors(List<Individual> pool)
    {
        var scores = pool.Select(i => i.Scores).ToList();
        var fronts = Dominance.NonDominatedSort(scores, pool.Select(i => i.Violation).ToList());
        var survivors = new List<Individual>(_settings.PopulationSize);
        for (int rank = 0; rank < fronts.Count && survivors.Count < _settings.PopulationSize; rank++)
        {
            var front = fronts[rank];
            var crowding = Crowding.Distances(scores, front);
            var taken = Enumerable.Range(0, front.Length);
            if (survivors.Count + front.Length > _settings.PopulationSize)
            {
                // OrderByDescending is stable: equally crowded members keep their order of birth.
                taken = taken.OrderByDescending(k => crowding[k]).Take(_settings.PopulationSize - survivors.Count);
            }

            survivors.AddRange(taken.Select(k => pool[front[k]] with { Rank = rank, Crowding = crowding[k] }));
        }

        return survivors;
    }

    private ParamValue[]? NextChild() =>
        Offspring.Next(_generation > 0, Breed, Draw, _feasible, _members);

    private ParamValue[] Draw() => Offspring.Draw(_space, _rng);

    /// <summary>The spare child of the last pair if there is one, else the first child of a new pair.</summary>
    private ParamValue[] Breed()
    {
        if (_spare is { } spare)
        {
            _spare = null;
            return spare;
        }

        var first = Tournament().Genes;
        var second = Tournament().Genes;
        var a = (ParamValue[])first.Clone();
        var b = (ParamValue[])second.Clone();
        if (_rng.NextDouble() < _settings.CrossoverRate)
        {
            for (int i = 0; i < a.Length; i++)
            {
                if (_isRange[i])
                {
                    Sbx(i, ref a[i], ref b[i]);
                }
                else if (_rng.NextDouble() < 0.5)
                {
                    (a[i], b[i]) = (b[i], a[i]);
                }
            }
        }

        Mutate(a);
        Mutate(b);
        _spare = b;
        return a;
    }

    /// <summary>Binary tournament with the crowded-comparison operator: lower rank wins, then larger crowding distance.</summary>
    private Individual Tournament()
    {
        var a = _parents[(int)_rng.NextInt64(_parents.Count)];
        var b = _parents[(int)_rng.NextInt64(_parents.Count)];
        if (a.Rank != b.Rank)
        {
            return a.Rank < b.Rank ? a : b;
        }

        if (a.Crowding != b.Crowding)
        {
            return a.Crowding > b.Crowding ? a : b;
        }

        return _rng.NextDouble() < 0.5 ? a : b;
    }

    private void Sbx(int gene, ref ParamValue a, ref ParamValue b)
    {
        var domain = _space.Parameters[gene].Domain;
        double ua = UnitCoding.ToUnit(domain, a);
        double ub = UnitCoding.ToUnit(domain, b);
        var (ca, cb) = RealVariation.Sbx(ua, ub, CrossoverEta, _rng);
        if (ca != ua || cb != ub)
        {
            // Only crossed genes are decoded: a log range's round trip through the cube can move a value by an ulp.
            a = UnitCoding.FromUnit(domain, ca);
            b = UnitCoding.FromUnit(domain, cb);
        }
    }

    private void Mutate(ParamValue[] genes)
    {
        for (int i = 0; i < genes.Length; i++)
        {
            if (_rng.NextDouble() >= _settings.MutationRate)
            {
                continue;
            }

            var domain = _space.Parameters[i].Domain;
            genes[i] = _isRange[i]
                ? UnitCoding.FromUnit(domain, RealVariation.PolynomialMutation(UnitCoding.ToUnit(domain, genes[i]), MutationEta, _rng.NextDouble()))
                : UnitCoding.Choice(domain, (int)_rng.NextInt64(UnitCoding.ChoiceCount(domain)));
        }
    }

    private static void WriteIndividuals(BinaryWriter writer, List<Individual> individuals)
    {
        writer.Write(individuals.Count);
        foreach (var individual in individuals)
        {
            Assignments.Write(writer, individual.Genes);
            Assignments.WriteVector(writer, individual.Scores);
            writer.Write(individual.Violation);
            writer.Write(individual.Evaluated);
            writer.Write(individual.Rank);
            writer.Write(individual.Crowding);
        }
    }

    private static List<Individual> ReadIndividuals(BinaryReader reader)
    {
        int count = reader.ReadInt32();
        var individuals = new List<Individual>(count);
        for (int i = 0; i < count; i++)
        {
            individuals.Add(new Individual(
                Assignments.Read(reader), Assignments.ReadVector(reader), reader.ReadDouble(), reader.ReadBoolean(), reader.ReadInt32(), reader.ReadDouble()));
        }

        return individuals;
    }

    /// <summary>
    /// One member of a generation or of the parents. <see cref="Scores"/> (empty unless feasible) and
    /// <see cref="Violation"/> are meaningful once <see cref="Evaluated"/>; <see cref="Rank"/> (0 = first front) and
    /// <see cref="Crowding"/> once it has survived into the parents.
    /// </summary>
    private readonly record struct Individual(ParamValue[] Genes, double[] Scores, double Violation, bool Evaluated, int Rank = 0, double Crowding = 0);
}
