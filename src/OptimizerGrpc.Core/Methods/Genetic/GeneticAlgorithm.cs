using OptimizerGrpc.Core.Randomness;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Methods.Genetic;

/// <summary>
/// A generational genetic algorithm (Holland, "Adaptation in Natural and Artificial Systems", 1975; Goldberg,
/// "Genetic Algorithms in Search, Optimization and Machine Learning", 1989) with tournament selection and elitism.
/// <para>
/// Genes of int and float ranges live in the unit cube (see <see cref="UnitCoding"/>): crossover is BLX-0.5
/// (Eshelman and Schaffer, "Real-coded genetic algorithms and interval-schemata", FOGA 2, 1993), mutation adds
/// N(0, 0.1) and decoding snaps to the domain's grid. Choice genes (categoricals, value lists) have no order to
/// blend: crossover takes either parent's value with probability 1/2 and mutation resets to a uniform choice.
/// </para>
/// <para>
/// Ask hands out the current generation's children one by one, bred on demand, so many workers stay busy; once
/// the whole generation is out it returns 0 until every child is told, then the next generation is bred from it.
/// Elites are carried over with their fitness and not evaluated again. Failed, infeasible, pruned and
/// non-numeric results get the worst fitness, so they lose every tournament against a completed trial and are
/// never elites. Children that violate the relationship constraints are bred again, and children equal to a
/// member of their generation are bred again a bounded number of times.
/// </para>
/// <para>
/// On a small discrete space the population is capped and children evaluated in an earlier generation are bred again
/// too (<see cref="SmallSpaceSizing"/>). Snapshots of version 1 were written before that: such a study resumes with the
/// settings as given and no memory of earlier generations, exactly as it ran.
/// </para>
/// </summary>
public sealed class GeneticAlgorithm : ISearchMethod
{
    private const double BlendAlpha = 0.5;
    private const double MutationSigma = 0.1;

    private const byte SnapshotVersion = 2;

    private readonly SearchSpace _space;
    private readonly GeneticSettings _given;
    private GeneticSettings _settings;
    private bool _remembers;
    private HashSet<ParamValue[]> _evaluated = new(Assignments.ByValue);
    private HashSet<ParamValue[]> _seen = new(Assignments.ByValue);
    private readonly Predicate<ParamValue[]>? _feasible;
    private readonly bool[] _isRange;
    private readonly PendingProposals _pending = new();
    private HashSet<ParamValue[]> _members = new(Assignments.ByValue);
    private List<Individual> _parents = [];
    private List<Individual> _population = [];
    private Xoshiro256StarStar _rng;
    private int _generation;

    public GeneticAlgorithm(SearchSpace space, GeneticSettings settings, Predicate<ParamValue[]>? feasible, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(space);
        SettingsRules.ThrowIfAny(GeneticSettings.Validate(settings), nameof(settings));
        _space = space;
        _given = settings;
        _settings = SmallSpaceSizing.Effective(settings, space);
        _remembers = SmallSpaceSizing.RemembersEvaluated(space);
        _feasible = feasible;
        _isRange = space.Parameters.Select(p => UnitCoding.IsRange(p.Domain)).ToArray();
        _rng = new Xoshiro256StarStar(seed);
    }

    /// <summary>The 0-based generation being evaluated; equals <see cref="GeneticSettings.Generations"/> once exhausted.</summary>
    public int Generation => _generation;

    public bool IsExhausted => _generation >= _settings.Generations;

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
            _population.Add(new Individual(child, double.NegativeInfinity, Evaluated: false));
            _members.Add(child);
            _seen.Add(child);
            output.Add(child);
            produced++;
        }

        return produced;
    }

    public void Tell(in Observation observation)
    {
        if (!_pending.TryTake(observation.Params, out int slot))
        {
            return; // not ours, or told twice
        }

        _population[slot] = _population[slot] with { Fitness = Fitness(observation), Evaluated = true };
        if (_remembers)
        {
            _evaluated.Add(_population[slot].Genes);
            _seen.Add(_population[slot].Genes);
        }

        if (_pending.Count == 0 && _population.Count == _settings.PopulationSize)
        {
            Advance();
        }
    }

    public void WriteSnapshot(BinaryWriter writer)
    {
        writer.Write(_legacy ? (byte)1 : SnapshotVersion);
        writer.Write(_space.Count);
        writer.Write(_settings.PopulationSize);
        _rng.Write(writer);
        writer.Write(_generation);
        WriteIndividuals(writer, _parents);
        WriteIndividuals(writer, _population);
        if (!_legacy)
        {
            writer.Write(_remembers);
            writer.Write(_evaluated.Count);
            foreach (var genes in _evaluated)
            {
                Assignments.Write(writer, genes);
            }
        }
    }

    // Restored from a version 1 snapshot: runs on as it was created (settings as given, no memory across generations).
    private bool _legacy;

    public void ReadSnapshot(BinaryReader reader)
    {
        byte version = reader.ReadByte();
        int dimensions = reader.ReadInt32();
        int populationSize = reader.ReadInt32();
        _legacy = version == 1;
        if (_legacy)
        {
            _settings = _given;
            _remembers = false;
        }

        if (version is not (1 or SnapshotVersion) || dimensions != _space.Count || populationSize != _settings.PopulationSize)
        {
            throw new InvalidDataException(
                $"genetic snapshot v{version} for {dimensions} parameters and population {populationSize} does not fit " +
                $"v{SnapshotVersion}, {_space.Count} parameters and population {_settings.PopulationSize}");
        }

        _rng = Xoshiro256StarStar.Read(reader);
        _generation = reader.ReadInt32();
        _parents = ReadIndividuals(reader);
        _population = ReadIndividuals(reader);
        _evaluated = new HashSet<ParamValue[]>(Assignments.ByValue);
        if (!_legacy)
        {
            _remembers = reader.ReadBoolean();
            int evaluated = reader.ReadInt32();
            for (int i = 0; i < evaluated; i++)
            {
                _evaluated.Add(Assignments.Read(reader));
            }
        }

        _members = new HashSet<ParamValue[]>(_population.Select(i => i.Genes), Assignments.ByValue);
        _seen = Seen(_members);
        _pending.Clear();
        for (int slot = 0; slot < _population.Count; slot++)
        {
            if (!_population[slot].Evaluated)
            {
                _pending.Add(_population[slot].Genes, slot);
            }
        }
    }

    private static double Fitness(in Observation observation) =>
        observation.Kind == ObservationKind.Completed && observation.Scores.Length > 0 && !double.IsNaN(observation.Scores[0])
            ? observation.Scores[0]
            : double.NegativeInfinity;

    /// <summary>The generation is fully evaluated: it becomes the parents, and its best completed individuals the elites.</summary>
    private void Advance()
    {
        _generation++;
        _parents = _population;
        var elites = _parents
            .Where(i => i.Fitness > double.NegativeInfinity)
            .OrderByDescending(i => i.Fitness) // stable: ties keep the order of birth
            .Take(IsExhausted ? 0 : _settings.EliteCount)
            .ToList();
        _population = elites;
        _members = new HashSet<ParamValue[]>(elites.Select(i => i.Genes), Assignments.ByValue);
        _seen = Seen(_members);
    }

    // The generation and, on a small discrete space, every point evaluated before.
    private HashSet<ParamValue[]> Seen(HashSet<ParamValue[]> generation)
    {
        var seen = new HashSet<ParamValue[]>(generation, Assignments.ByValue);
        if (_remembers)
        {
            seen.UnionWith(_evaluated);
        }

        return seen;
    }

    // A child new to the space searched so far; when every candidate repeats an evaluated point (the space is nearly
    // covered), at least one new to its generation.
    private ParamValue[]? NextChild()
    {
        if (!_remembers)
        {
            return Offspring.Next(_generation > 0, Breed, Draw, _feasible, _members);
        }

        var child = Offspring.Next(_generation > 0, Breed, Draw, _feasible, _seen);
        return child is null || !_seen.Contains(child) ? child : Offspring.Next(_generation > 0, Breed, Draw, _feasible, _members) ?? child;
    }

    private ParamValue[] Draw() => Offspring.Draw(_space, _rng);

    private ParamValue[] Breed()
    {
        var first = Tournament().Genes;
        var genes = (ParamValue[])first.Clone();
        if (_rng.NextDouble() < _settings.CrossoverRate)
        {
            var second = Tournament().Genes;
            for (int i = 0; i < genes.Length; i++)
            {
                genes[i] = _isRange[i] ? Blend(i, first[i], second[i]) : (_rng.NextDouble() < 0.5 ? first[i] : second[i]);
            }
        }

        for (int i = 0; i < genes.Length; i++)
        {
            if (_rng.NextDouble() < _settings.MutationRate)
            {
                genes[i] = Mutate(i, genes[i]);
            }
        }

        return genes;
    }

    /// <summary>Tournament selection (Goldberg and Deb, FOGA 1991): the fittest of k parents drawn with replacement.</summary>
    private Individual Tournament()
    {
        var best = _parents[(int)_rng.NextInt64(_parents.Count)];
        for (int k = 1; k < _settings.TournamentSize; k++)
        {
            var rival = _parents[(int)_rng.NextInt64(_parents.Count)];
            if (rival.Fitness > best.Fitness)
            {
                best = rival;
            }
        }

        return best;
    }

    /// <summary>BLX-alpha: uniform on the parents' interval widened by alpha times its length on each side.</summary>
    private ParamValue Blend(int gene, ParamValue a, ParamValue b)
    {
        var domain = _space.Parameters[gene].Domain;
        double ua = UnitCoding.ToUnit(domain, a);
        double ub = UnitCoding.ToUnit(domain, b);
        double low = Math.Min(ua, ub);
        double width = Math.Abs(ua - ub);
        double u = low - (BlendAlpha * width) + (_rng.NextDouble() * (1 + (2 * BlendAlpha)) * width);
        return UnitCoding.FromUnit(domain, u);
    }

    private ParamValue Mutate(int gene, ParamValue value)
    {
        var domain = _space.Parameters[gene].Domain;
        if (_isRange[gene])
        {
            return UnitCoding.FromUnit(domain, UnitCoding.ToUnit(domain, value) + (MutationSigma * _rng.NextGaussian()));
        }

        return UnitCoding.Choice(domain, (int)_rng.NextInt64(UnitCoding.ChoiceCount(domain)));
    }

    private static void WriteIndividuals(BinaryWriter writer, List<Individual> individuals)
    {
        writer.Write(individuals.Count);
        foreach (var individual in individuals)
        {
            Assignments.Write(writer, individual.Genes);
            writer.Write(individual.Fitness);
            writer.Write(individual.Evaluated);
        }
    }

    private static List<Individual> ReadIndividuals(BinaryReader reader)
    {
        int count = reader.ReadInt32();
        var individuals = new List<Individual>(count);
        for (int i = 0; i < count; i++)
        {
            individuals.Add(new Individual(Assignments.Read(reader), reader.ReadDouble(), reader.ReadBoolean()));
        }

        return individuals;
    }

    /// <summary>One member of a generation; <see cref="Fitness"/> is meaningful once <see cref="Evaluated"/>.</summary>
    private readonly record struct Individual(ParamValue[] Genes, double Fitness, bool Evaluated);
}
