using OptimizerGrpc.Core.Randomness;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Methods;

/// <summary>
/// Gaussian-process Bayesian optimisation (Snoek, Larochelle and Adams, "Practical Bayesian optimization of
/// machine learning algorithms", NIPS 2012), as an ask/tell state machine.
/// <list type="bullet">
/// <item>The first <see cref="BayesianSettings.InitialTrials"/> proposals are a Latin hypercube design.</item>
/// <item>Then each proposal maximises the acquisition function of a Matérn 5/2 ARD GP (<see cref="GaussianProcess"/>)
/// over 1024 uniform random candidates and 512 Gaussian steps around the 8 best observations, refined by two
/// rounds of 128 smaller steps around the winner. Candidates are snapped to the encodable grid before they are
/// scored (<see cref="UnitCubeEncoding"/>), never repeat an observed or pending point, and must pass the
/// feasibility predicate.</item>
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
    private const int RandomCandidates = 1024;
    private const int LocalCandidates = 512;
    private const int LocalCenters = 8;
    private const int RefineRounds = 2;
    private const int RefineCandidates = 128;
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
    private readonly List<Observed> _observed = [];
    private readonly List<double[]> _pending = [];
    private Xoshiro256StarStar _rng;
    private double[] _design;
    private int _designCount;
    private int _designNext;
    private double[]? _theta;
    private int _observedAtFit;

    // Per-Ask working state, rebuilt from the fields above by PrepareModel; never snapshotted.
    private readonly HashSet<ulong> _seen = [];
    private readonly double[] _candidates;
    private readonly double[] _mean;
    private readonly double[] _variance;
    private readonly double[] _incumbent;
    private readonly ParamValue[] _scratch;
    private double[] _trainX = [];
    private double[] _trainY = [];
    private int[] _centers = [];
    private double _best;

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
        _candidates = new double[(RandomCandidates + LocalCandidates) * _dims];
        _mean = new double[RandomCandidates + LocalCandidates];
        _variance = new double[RandomCandidates + LocalCandidates];
        _incumbent = new double[_dims];
        _scratch = new ParamValue[space.Count];
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
            if (TryMaximizeAcquisition())
            {
                point = _encoding.Decode(_incumbent);
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
            _seen.Add(Hash(encoded));
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

        _observed.Add(new Observed(encoded, score, kind));
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
            _observed.Add(new Observed(x, score, (ObservationKind)reader.ReadByte()));
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

    /// <summary>Training-set selection: all when within <paramref name="cap"/>, else the best cap/2 by value and the
    /// most recent for the rest. Returns ascending indices, so the order of the data (and the arithmetic on it)
    /// depends only on the data.</summary>
    internal static int[] Select(double[] values, int count, int cap)
    {
        var keep = new bool[count];
        int kept = 0;
        if (count > cap)
        {
            var order = new int[count];
            for (int i = 0; i < count; i++)
            {
                order[i] = i;
            }

            Array.Sort(order, (a, b) => values[a] != values[b] ? values[b].CompareTo(values[a]) : a.CompareTo(b));
            for (; kept < cap / 2; kept++)
            {
                keep[order[kept]] = true;
            }
        }

        for (int i = count - 1; i >= 0 && kept < cap; i--)
        {
            if (!keep[i])
            {
                keep[i] = true;
                kept++;
            }
        }

        var selected = new int[kept];
        for (int i = 0, k = 0; i < count; i++)
        {
            if (keep[i])
            {
                selected[k++] = i;
            }
        }

        return selected;
    }

    private void PrepareModel(int toPropose)
    {
        int total = _observed.Count;
        double worst = double.PositiveInfinity;
        foreach (var o in _observed)
        {
            if (o.Kind == ObservationKind.Completed)
            {
                worst = Math.Min(worst, o.Score);
            }
        }

        if (double.IsPositiveInfinity(worst))
        {
            worst = 0;
        }

        var values = new double[total];
        for (int i = 0; i < total; i++)
        {
            values[i] = _observed[i].Kind == ObservationKind.Completed ? _observed[i].Score : worst;
        }

        var selected = Select(values, total, _settings.MaxTrainingPoints);
        int n = selected.Length;
        if (_trainX.Length < n * _dims)
        {
            _trainX = new double[n * _dims];
            _trainY = new double[n];
        }

        double sum = 0;
        for (int k = 0; k < n; k++)
        {
            _observed[selected[k]].X.CopyTo(_trainX, k * _dims);
            _trainY[k] = values[selected[k]];
            sum += _trainY[k];
        }

        // Standardise: zero mean, unit variance (a constant target keeps unit scale).
        double mean = n > 0 ? sum / n : 0;
        double ss = 0;
        for (int k = 0; k < n; k++)
        {
            ss += (_trainY[k] - mean) * (_trainY[k] - mean);
        }

        double sd = n > 1 && ss > 0 ? Math.Sqrt(ss / n) : 1;
        _best = n > 0 ? double.NegativeInfinity : 0;
        for (int k = 0; k < n; k++)
        {
            _trainY[k] = (_trainY[k] - mean) / sd;
            _best = Math.Max(_best, _trainY[k]);
        }

        if (n >= 2 && (_theta is null || total - _observedAtFit >= _settings.RefitEvery))
        {
            _theta = FitHyperparameters(n);
            _observedAtFit = total;
        }

        var theta = _theta ?? HyperparameterFit.Default(_dims);
        if (!_gp.Condition(theta, _trainX, _trainY, n, n + _pending.Count + toPropose))
        {
            // Not even jitter made the kernel matrix positive definite: fall back to the prior, which still
            // spreads proposals by its variance.
            _gp.Condition(theta, _trainX, _trainY, 0, _pending.Count + toPropose);
            _best = 0;
        }

        _seen.Clear();
        foreach (var o in _observed)
        {
            _seen.Add(Hash(o.X));
        }

        foreach (var p in _pending)
        {
            _gp.AppendFantasy(p);
            _seen.Add(Hash(p));
        }

        _centers = BestRows(n);
    }

    private int[] BestRows(int n)
    {
        int c = Math.Min(LocalCenters, n);
        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }

        var y = _trainY;
        Array.Sort(order, (a, b) => y[a] != y[b] ? y[b].CompareTo(y[a]) : a.CompareTo(b));
        return order[..c];
    }

    private double[] FitHyperparameters(int n)
    {
        if (n <= MaxFitPoints)
        {
            return HyperparameterFit.Fit(_gp, _trainX, _trainY, n, _theta ?? HyperparameterFit.Default(_dims), _rng, FitEvaluations);
        }

        var rows = Select(_trainY, n, MaxFitPoints);
        var x = new double[rows.Length * _dims];
        var y = new double[rows.Length];
        for (int k = 0; k < rows.Length; k++)
        {
            Array.Copy(_trainX, rows[k] * _dims, x, k * _dims, _dims);
            y[k] = _trainY[rows[k]];
        }

        return HyperparameterFit.Fit(_gp, x, y, rows.Length, _theta ?? HyperparameterFit.Default(_dims), _rng, FitEvaluations);
    }

    // Leaves the best candidate found in _incumbent; false when no candidate was new and feasible.
    private bool TryMaximizeAcquisition()
    {
        int m = 0;
        for (int r = 0; r < RandomCandidates; r++)
        {
            _encoding.Sample(_rng, _candidates.AsSpan(m * _dims, _dims));
            m += Accept(m) ? 1 : 0;
        }

        for (int r = 0; r < LocalCandidates && _centers.Length > 0; r++)
        {
            // Step sizes log-uniform in [0.005, 0.2] of the unit cube.
            double sigma = 0.005 * Math.Exp(_rng.NextDouble() * Math.Log(40));
            _encoding.Perturb(_rng, _trainX.AsSpan(_centers[r % _centers.Length] * _dims, _dims), sigma, _candidates.AsSpan(m * _dims, _dims));
            m += Accept(m) ? 1 : 0;
        }

        double bestValue = double.NegativeInfinity;
        bool found = ScoreInto(m, ref bestValue);
        double step = 0.05;
        for (int round = 0; round < RefineRounds && found; round++, step *= 0.25)
        {
            m = 0;
            for (int r = 0; r < RefineCandidates; r++)
            {
                _encoding.Perturb(_rng, _incumbent, step, _candidates.AsSpan(m * _dims, _dims));
                m += Accept(m) ? 1 : 0;
            }

            ScoreInto(m, ref bestValue);
        }

        return found;
    }

    // Scores the first m candidates; copies the best into _incumbent when it beats bestValue.
    private bool ScoreInto(int m, ref double bestValue)
    {
        if (m == 0)
        {
            return false;
        }

        _gp.Predict(_candidates, m, _mean, _variance);
        int best = -1;
        for (int c = 0; c < m; c++)
        {
            double a = Acquisition.Evaluate(_settings.Acquisition, _mean[c], Math.Sqrt(_variance[c]), _best, _settings.UcbBeta);
            if (a > bestValue || (c == 0 && double.IsNegativeInfinity(bestValue)))
            {
                bestValue = a;
                best = c;
            }
        }

        if (best >= 0)
        {
            _candidates.AsSpan(best * _dims, _dims).CopyTo(_incumbent);
        }

        return true;
    }

    private bool Accept(int slot)
    {
        var u = _candidates.AsSpan(slot * _dims, _dims);
        if (_seen.Contains(Hash(u)))
        {
            return false;
        }

        if (_feasible is null)
        {
            return true;
        }

        _encoding.Decode(u, _scratch);
        return _feasible(_scratch);
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
            _encoding.Sample(_rng, _incumbent);
            point = _encoding.Decode(_incumbent);
            if (_feasible is null || _feasible(point))
            {
                return true;
            }
        }

        point = [];
        return false;
    }

    private static ulong Hash(ReadOnlySpan<double> u)
    {
        ulong h = 0xCBF29CE484222325UL;
        foreach (double v in u)
        {
            // + 0.0 folds -0.0 into 0.0.
            h = (h ^ (ulong)BitConverter.DoubleToInt64Bits(v + 0.0)) * 0x9E3779B97F4A7C15UL;
            h ^= h >> 29;
        }

        return h;
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

    private readonly record struct Observed(double[] X, double Score, ObservationKind Kind);
}
