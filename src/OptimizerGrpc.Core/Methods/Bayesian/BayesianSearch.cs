using OptimizerGrpc.Core.Randomness;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Methods.Bayesian;

/// <summary>
/// Gaussian-process Bayesian optimisation (Snoek, Larochelle and Adams, "Practical Bayesian optimization of
/// machine learning algorithms", NIPS 2012), as an ask/tell state machine.
/// <list type="bullet">
/// <item>The first <see cref="BayesianSettings.InitialTrials"/> proposals are a Latin hypercube design.</item>
/// <item>Then each proposal maximises the acquisition function of a Matérn 5/2 ARD GP (<see cref="GaussianProcess"/>)
/// over random and local candidates (<see cref="CandidateSearch"/>), snapped to the encodable grid before they
/// are scored (<see cref="UnitCubeEncoding"/>). A model proposal does not repeat an observed or pending point
/// unless no new feasible candidate is left (a small discrete space, enumerated); every proposal, design points
/// included, passes the feasibility predicate.</item>
/// <item>Infeasible, failed and pruned trials enter the GP with the worst completed score so far (0 before any
/// completed trial), which pushes the search away from them without a second model.</item>
/// <item>Pending trials (asked, not told) enter as kriging-believer fantasies, so a batch spreads out.</item>
/// <item>Hyperparameters are refitted when <see cref="BayesianSettings.RefitEvery"/> observations arrived since the
/// last fit, on at most 150 points chosen like the training set; in between, the GP is re-conditioned on all data
/// (one Cholesky factorisation per Ask) with the stored hyperparameters.</item>
/// <item>The training set holds at most <see cref="BayesianSettings.MaxTrainingPoints"/> observations: the best
/// half by score, and the most recent for the rest.</item>
/// </list>
/// </summary>
public sealed class BayesianSearch : ISearchMethod
{
    private const int MaxFitPoints = 150;
    private const int FitEvaluations = 300;

    // Like random search: give up on one point after this many infeasible draws, and report Starved.
    private const int MaxRejections = 10_000;
    private const byte SnapshotVersion = 1;

    private readonly SearchSpace _space;
    private readonly BayesianSettings _settings;
    private readonly Predicate<ParamValue[]>? _feasible;
    private readonly UnitCubeEncoding _encoding;
    private readonly GaussianProcess _gp;
    private readonly int _dims;
    private readonly List<ObservedPoint> _observed = [];
    private readonly List<double[]> _pending = [];
    private Xoshiro256StarStar _rng;
    private double[] _design;
    private int _designCount;
    private int _designNext;
    private double[]? _theta;
    private int _observedAtFit;

    // Per-Ask working state, rebuilt from the fields above; never snapshotted.
    private readonly TrainingSet _training;
    private readonly CandidateSearch _candidates;
    private readonly double[] _proposal;

    public BayesianSearch(SearchSpace space, BayesianSettings settings, Predicate<ParamValue[]>? feasible, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(space);
        var violations = BayesianSettings.Validate(settings);
        if (violations.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", violations.Select(v => $"{v.Field}: {v.Message}")), nameof(settings));
        }

        _space = space;
        _settings = settings;
        _feasible = feasible;
        _encoding = new UnitCubeEncoding(space);
        _dims = _encoding.Dimensions;
        _gp = new GaussianProcess(_dims);
        _rng = new Xoshiro256StarStar(seed);
        _designCount = settings.InitialTrials;
        _design = LatinHypercube.Sample(_designCount, space.Count, _rng);
        _training = new TrainingSet(_dims);
        _candidates = new CandidateSearch(_encoding, _gp, feasible, settings, space.Count);
        _proposal = new double[_dims];
    }

    public bool IsExhausted => false;

    /// <summary>True when the last Ask returned fewer points because no feasible point was found in many draws.</summary>
    public bool Starved { get; private set; }

    /// <summary>Proposals asked and not yet told.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>Observations told so far.</summary>
    public int ObservationCount => _observed.Count;

    public int Ask(int count, List<ParamValue[]> output)
    {
        Starved = false;
        int produced = 0;
        while (produced < count && _designNext < _designCount)
        {
            var point = DesignPoint(_designNext++);
            if (_feasible is not null && !_feasible(point) && !TryRandomFeasible(out point))
            {
                Starved = true;
                return produced;
            }

            var encoded = new double[_dims];
            _encoding.Encode(point, encoded);
            _pending.Add(encoded);
            output.Add(point);
            produced++;
        }

        if (produced < count)
        {
            PrepareModel(count - produced);
        }

        for (; produced < count; produced++)
        {
            ParamValue[] point;
            if (_candidates.TryMaximize(_rng, _training, _proposal))
            {
                point = _encoding.Decode(_proposal);
            }
            else if (!TryRandomFeasible(out point))
            {
                Starved = true;
                break;
            }

            // Stored as the encoding of the decoded point, which is exactly what Tell will compute for it.
            var encoded = new double[_dims];
            _encoding.Encode(point, encoded);
            _pending.Add(encoded);
            _gp.AppendFantasy(encoded);
            _candidates.AddSeen(encoded);
            output.Add(point);
        }

        return produced;
    }

    public void Tell(in Observation observation)
    {
        var encoded = new double[_dims];
        _encoding.Encode(observation.Params, encoded);

        // By value, first match: after a restore the engine hands back equal arrays, not the same instances.
        for (int i = 0; i < _pending.Count; i++)
        {
            if (_pending[i].AsSpan().SequenceEqual(encoded))
            {
                _pending.RemoveAt(i);
                break;
            }
        }

        var kind = observation.Kind;
        double score = double.NaN;
        if (kind == ObservationKind.Completed)
        {
            if (observation.Scores is { Length: > 0 } scores && double.IsFinite(scores[0]))
            {
                score = scores[0];
            }
            else
            {
                kind = ObservationKind.Failed;
            }
        }

        _observed.Add(new ObservedPoint(encoded, score, kind));
    }

    public void WriteSnapshot(BinaryWriter writer)
    {
        writer.Write(SnapshotVersion);
        writer.Write(_dims);
        _rng.Write(writer);
        writer.Write(_designCount);
        writer.Write(_design.Length);
        foreach (double u in _design)
        {
            writer.Write(u);
        }

        writer.Write(_designNext);
        writer.Write(_observed.Count);
        foreach (var o in _observed)
        {
            WriteVector(writer, o.X);
            writer.Write(o.Score);
            writer.Write((byte)o.Kind);
        }

        writer.Write(_pending.Count);
        foreach (var p in _pending)
        {
            WriteVector(writer, p);
        }

        writer.Write(_theta is not null);
        if (_theta is not null)
        {
            WriteVector(writer, _theta);
        }

        writer.Write(_observedAtFit);
    }

    public void ReadSnapshot(BinaryReader reader)
    {
        if (reader.ReadByte() != SnapshotVersion)
        {
            throw new InvalidDataException("unknown Bayesian search snapshot version");
        }

        if (reader.ReadInt32() != _dims)
        {
            throw new InvalidDataException("the snapshot was taken for a different search space");
        }

        _rng = Xoshiro256StarStar.Read(reader);
        _designCount = reader.ReadInt32();
        _design = new double[reader.ReadInt32()];
        for (int i = 0; i < _design.Length; i++)
        {
            _design[i] = reader.ReadDouble();
        }

        _designNext = reader.ReadInt32();
        _observed.Clear();
        int observed = reader.ReadInt32();
        for (int i = 0; i < observed; i++)
        {
            var x = ReadVector(reader, _dims);
            double score = reader.ReadDouble();
            _observed.Add(new ObservedPoint(x, score, (ObservationKind)reader.ReadByte()));
        }

        _pending.Clear();
        int pending = reader.ReadInt32();
        for (int i = 0; i < pending; i++)
        {
            _pending.Add(ReadVector(reader, _dims));
        }

        _theta = reader.ReadBoolean() ? ReadVector(reader, _dims + 2) : null;
        _observedAtFit = reader.ReadInt32();
    }

    private void PrepareModel(int toPropose)
    {
        _training.Build(_observed, _settings.MaxTrainingPoints, _settings.OutputWarping);
        int n = _training.Count;
        if (n >= 2 && (_theta is null || _observed.Count - _observedAtFit >= _settings.RefitEvery))
        {
            var (x, y, m) = n <= MaxFitPoints ? (_training.X, _training.Y, n) : _training.Subset(MaxFitPoints);
            _theta = HyperparameterFit.Fit(_gp, x, y, m, _theta ?? HyperparameterFit.Default(_dims), _rng, FitEvaluations);
            _observedAtFit = _observed.Count;
        }

        var theta = _theta ?? HyperparameterFit.Default(_dims);
        if (!_gp.Condition(theta, _training.X, _training.Y, n, n + _pending.Count + toPropose))
        {
            // Not even jitter made the kernel matrix positive definite: fall back to the prior, which still
            // spreads proposals by its variance.
            _gp.Condition(theta, _training.X, _training.Y, 0, _pending.Count + toPropose);
        }

        _candidates.ClearSeen();
        foreach (var o in _observed)
        {
            _candidates.AddSeen(o.X);
        }

        foreach (var p in _pending)
        {
            _gp.AppendFantasy(p);
            _candidates.AddSeen(p);
        }
    }

    private ParamValue[] DesignPoint(int k)
    {
        var values = new ParamValue[_space.Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = _space.Parameters[i].Domain.FromUnit(_design[(k * _space.Count) + i]);
        }

        return values;
    }

    private bool TryRandomFeasible(out ParamValue[] point)
    {
        for (int attempt = 0; attempt < MaxRejections; attempt++)
        {
            _encoding.Sample(_rng, _proposal);
            point = _encoding.Decode(_proposal);
            if (_feasible is null || _feasible(point))
            {
                return true;
            }
        }

        point = [];
        return false;
    }

    private static void WriteVector(BinaryWriter writer, double[] v)
    {
        foreach (double x in v)
        {
            writer.Write(x);
        }
    }

    private static double[] ReadVector(BinaryReader reader, int length)
    {
        var v = new double[length];
        for (int i = 0; i < length; i++)
        {
            v[i] = reader.ReadDouble();
        }

        return v;
    }
}
