using OptimizerGrpc.Core.Randomness;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Methods.Swarm;

/// <summary>
/// Global-best particle swarm optimisation (Kennedy and Eberhart, "Particle swarm optimization", ICNN 1995) with the
/// constriction-equivalent coefficients of Clerc and Kennedy 2002 (see <see cref="ParticleSwarmSettings"/>).
/// <para>
/// Particles move in the unit cube (see <see cref="UnitCoding"/>). Positions stay continuous; a position is snapped
/// to the domain's grid only when decoded into a proposal, so small steps accumulate instead of being rounded away.
/// A choice parameter (categorical or value list) is the position of its index, decoded to choice floor(u * n):
/// fine for an ordered value list, but a categorical's choices get an arbitrary order and neighbourhood, a known
/// weakness of continuous PSO on unordered variables (Kennedy and Eberhart, "A discrete binary version of the
/// particle swarm algorithm", 1997; Strasser et al., "A new discrete particle swarm optimization algorithm", GECCO 2016).
/// </para>
/// <para>
/// Velocities are clamped to <see cref="ParticleSwarmSettings.MaxVelocityFraction"/> of the range. A particle that
/// would leave [0, 1] stops on the wall and loses that velocity component ("absorbing walls", Robinson and
/// Rahmat-Samii, IEEE Trans. Antennas and Propagation 52(2), 2004). A move whose decoded proposal breaks the
/// relationship constraints is halved towards the particle's current, feasible position until it is feasible.
/// </para>
/// <para>
/// Iterations are synchronous: an iteration's particles are asked as a batch, Ask returns 0 until all are told,
/// then the global best is updated (scanning particles in order, so the result does not depend on the order of
/// Tells) and the swarm moves. Failed, infeasible, pruned and non-numeric results never become a personal or
/// global best, so particles are not attracted back to them.
/// </para>
/// </summary>
public sealed class ParticleSwarm : ISearchMethod
{
    // Rejection sampling of an initial position gives up after this many draws; Ask then reports a starved search.
    private const int MaxInitialDraws = 10_000;

    // An infeasible move is halved this often; past it the particle stays where it is (its last proposal was feasible).
    private const int MaxStepHalvings = 20;

    private const byte SnapshotVersion = 1;

    private readonly SearchSpace _space;
    private readonly ParticleSwarmSettings _settings;
    private readonly Predicate<ParamValue[]>? _feasible;
    private readonly Particle[] _particles;
    private readonly PendingProposals _pending = new();
    private Xoshiro256StarStar _rng;
    private double[]? _globalBest;
    private double _globalBestFitness = double.NegativeInfinity;
    private int _iteration;
    private int _asked;
    private int _told;

    public ParticleSwarm(SearchSpace space, ParticleSwarmSettings settings, Predicate<ParamValue[]>? feasible, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(space);
        SettingsRules.ThrowIfAny(ParticleSwarmSettings.Validate(settings), nameof(settings));
        _space = space;
        _settings = settings;
        _feasible = feasible;
        _rng = new Xoshiro256StarStar(seed);
        _particles = new Particle[settings.SwarmSize];
        for (int i = 0; i < _particles.Length; i++)
        {
            _particles[i] = new Particle(space.Count);
        }
    }

    /// <summary>The 0-based iteration being evaluated; equals <see cref="ParticleSwarmSettings.Iterations"/> once exhausted.</summary>
    public int Iteration => _iteration;

    public bool IsExhausted => _iteration >= _settings.Iterations;

    /// <summary>True when the last Ask stopped because no feasible initial position was found in many draws.</summary>
    public bool Starved { get; private set; }

    /// <summary>The best completed fitness seen by the swarm as of the last finished iteration, or -infinity.</summary>
    public double GlobalBestFitness => _globalBestFitness;

    public int Ask(int count, List<ParamValue[]> output)
    {
        Starved = false;
        int produced = 0;
        while (produced < count && !IsExhausted && _asked < _particles.Length)
        {
            var particle = _particles[_asked];
            var proposal = _iteration == 0 ? Initialise(particle) : Move(particle);
            if (proposal is null)
            {
                Starved = true;
                break;
            }

            particle.Proposal = proposal;
            _pending.Add(proposal, _asked);
            _asked++;
            output.Add(proposal);
            produced++;
        }

        return produced;
    }

    public void Tell(in Observation observation)
    {
        if (!_pending.TryTake(observation.Params, out int index))
        {
            return; // not ours, or told twice
        }

        var particle = _particles[index];
        double fitness = observation.Kind == ObservationKind.Completed && observation.Scores.Length > 0 && !double.IsNaN(observation.Scores[0])
            ? observation.Scores[0]
            : double.NegativeInfinity;
        if (fitness > particle.BestFitness)
        {
            particle.BestFitness = fitness;
            particle.Best = (double[])particle.Position.Clone();
        }

        if (++_told == _particles.Length)
        {
            FinishIteration();
        }
    }

    public void WriteSnapshot(BinaryWriter writer)
    {
        writer.Write(SnapshotVersion);
        writer.Write(_space.Count);
        writer.Write(_particles.Length);
        _rng.Write(writer);
        writer.Write(_iteration);
        writer.Write(_asked);
        writer.Write(_told);
        WriteOptionalVector(writer, _globalBest);
        writer.Write(_globalBestFitness);
        foreach (var particle in _particles)
        {
            Assignments.WriteVector(writer, particle.Position);
            Assignments.WriteVector(writer, particle.Velocity);
            WriteOptionalVector(writer, particle.Best);
            writer.Write(particle.BestFitness);
            writer.Write(particle.Proposal is not null);
            if (particle.Proposal is not null)
            {
                Assignments.Write(writer, particle.Proposal);
            }
        }

        // Which of this iteration's proposals are still out; the rest of the first _asked particles are told.
        var pending = Enumerable.Range(0, _asked).Where(_pending.IsPending).ToList();
        writer.Write(pending.Count);
        pending.ForEach(writer.Write);
    }

    public void ReadSnapshot(BinaryReader reader)
    {
        byte version = reader.ReadByte();
        int dimensions = reader.ReadInt32();
        int swarmSize = reader.ReadInt32();
        if (version != SnapshotVersion || dimensions != _space.Count || swarmSize != _particles.Length)
        {
            throw new InvalidDataException(
                $"swarm snapshot v{version} for {dimensions} parameters and {swarmSize} particles does not fit " +
                $"v{SnapshotVersion}, {_space.Count} parameters and {_particles.Length} particles");
        }

        _rng = Xoshiro256StarStar.Read(reader);
        _iteration = reader.ReadInt32();
        _asked = reader.ReadInt32();
        _told = reader.ReadInt32();
        _globalBest = ReadOptionalVector(reader);
        _globalBestFitness = reader.ReadDouble();
        foreach (var particle in _particles)
        {
            particle.Position = Assignments.ReadVector(reader);
            particle.Velocity = Assignments.ReadVector(reader);
            particle.Best = ReadOptionalVector(reader);
            particle.BestFitness = reader.ReadDouble();
            particle.Proposal = reader.ReadBoolean() ? Assignments.Read(reader) : null;
        }

        _pending.Clear();
        int pendingCount = reader.ReadInt32();
        for (int i = 0; i < pendingCount; i++)
        {
            int index = reader.ReadInt32();
            _pending.Add(_particles[index].Proposal!, index);
        }
    }

    private void FinishIteration()
    {
        foreach (var particle in _particles)
        {
            if (particle.Best is not null && particle.BestFitness > _globalBestFitness)
            {
                _globalBestFitness = particle.BestFitness;
                _globalBest = particle.Best;
            }
        }

        _iteration++;
        _asked = 0;
        _told = 0;
    }

    private ParamValue[]? Initialise(Particle particle)
    {
        double vmax = _settings.MaxVelocityFraction;
        for (int draw = 0; draw < MaxInitialDraws; draw++)
        {
            for (int d = 0; d < particle.Position.Length; d++)
            {
                particle.Position[d] = _rng.NextDouble();
            }

            var proposal = Decode(particle.Position);
            if (_feasible is null || _feasible(proposal))
            {
                for (int d = 0; d < particle.Velocity.Length; d++)
                {
                    particle.Velocity[d] = vmax * ((2 * _rng.NextDouble()) - 1);
                }

                return proposal;
            }
        }

        return null;
    }

    /// <summary>v = w v + c1 r1 (personal best - x) + c2 r2 (global best - x), clamped; then x += v.</summary>
    private ParamValue[] Move(Particle particle)
    {
        double vmax = _settings.MaxVelocityFraction;
        var x = particle.Position;
        var v = particle.Velocity;
        for (int d = 0; d < x.Length; d++)
        {
            double r1 = _rng.NextDouble();
            double r2 = _rng.NextDouble();
            double cognitive = particle.Best is { } p ? _settings.Cognitive * r1 * (p[d] - x[d]) : 0;
            double social = _globalBest is { } g ? _settings.Social * r2 * (g[d] - x[d]) : 0;
            v[d] = Math.Clamp((_settings.Inertia * v[d]) + cognitive + social, -vmax, vmax);
        }

        var target = new double[x.Length];
        for (int halvings = 0; halvings <= MaxStepHalvings; halvings++)
        {
            for (int d = 0; d < x.Length; d++)
            {
                target[d] = x[d] + v[d];
                if (target[d] < 0 || target[d] > 1)
                {
                    target[d] = Math.Clamp(target[d], 0, 1);
                    v[d] = 0;
                }
            }

            var proposal = Decode(target);
            if (_feasible is null || _feasible(proposal))
            {
                Array.Copy(target, x, x.Length);
                return proposal;
            }

            for (int d = 0; d < v.Length; d++)
            {
                v[d] /= 2;
            }
        }

        // Staying put repeats the particle's last proposal, which was feasible.
        Array.Clear(v);
        return Decode(x);
    }

    private ParamValue[] Decode(double[] position)
    {
        var proposal = new ParamValue[position.Length];
        for (int d = 0; d < position.Length; d++)
        {
            proposal[d] = UnitCoding.FromUnit(_space.Parameters[d].Domain, position[d]);
        }

        return proposal;
    }

    private static void WriteOptionalVector(BinaryWriter writer, double[]? vector)
    {
        writer.Write(vector is not null);
        if (vector is not null)
        {
            Assignments.WriteVector(writer, vector);
        }
    }

    private static double[]? ReadOptionalVector(BinaryReader reader) => reader.ReadBoolean() ? Assignments.ReadVector(reader) : null;

    /// <summary>A particle's state in the unit cube; <see cref="Best"/> is null until it has a completed result.</summary>
    private sealed class Particle(int dimensions)
    {
        public double[] Position { get; set; } = new double[dimensions];

        public double[] Velocity { get; set; } = new double[dimensions];

        public double[]? Best { get; set; }

        public double BestFitness { get; set; } = double.NegativeInfinity;

        public ParamValue[]? Proposal { get; set; }
    }
}
