using OptimizerGrpc.Core.Randomness;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Methods.Tpe;

/// <summary>
/// The tree-structured Parzen estimator as an ask/tell state machine (Bergstra et al., NIPS 2011; see
/// <see cref="TpeSettings"/> and <see cref="ParzenEstimator"/>).
/// <list type="bullet">
/// <item>The first <see cref="TpeSettings.StartupTrials"/> completed trials are uniform random draws (log-uniform on the
/// int ranges <see cref="TpeSettings.LogScaleRatio"/> puts on a log scale).</item>
/// <item>Then the completed trials are split: the best γ(n) = min(⌈0.1 n⌉, 25) form l(x), everything else forms g(x)
/// (Optuna's default γ). g's kernels are weighted 1 for the 25 most recent and linearly less for older ones
/// (Optuna's default weights), l's all 1.</item>
/// <item>Infeasible, failed and pruned trials, and trials asked but not told (a constant liar, so a batch spreads out),
/// join g: regions to move away from.</item>
/// <item>Each proposal is the draw among <see cref="TpeSettings.Candidates"/> from l that maximises log l(x) - log g(x),
/// jointly (multivariate) or per parameter. A candidate that repeats an observed or pending assignment, or fails the
/// constraints, is passed over while another is left; on an integer space full of plateaus a repeat would spend a
/// trial on a known answer.</item>
/// </list>
/// All state is the generator and the told and pending trials, so a snapshot restores the exact trajectory.
/// (Past 300 lines because the state machine, its snapshot and its three kinds of proposal share that state; the
/// estimators, the neighbourhood and the second basin are their own files.)
/// </summary>
public sealed class TpeSearch : ISearchMethod
{
    // Rounds of candidates drawn from l before a proposal falls back to a random feasible point.
    private const int CandidateRounds = 50;
    private const int MaxBelow = 25;
    private const int FlatWeights = 25;
    private const byte SnapshotVersion = 1;

    private readonly TpeSettings _settings;
    private readonly Predicate<ParamValue[]>? _feasible;
    private readonly TpeCoding _coding;
    private readonly List<Told> _told = [];
    private readonly List<double[]> _pending = [];
    private readonly HashSet<double[]> _seen = new(CodedVectorComparer.Instance);
    private Xoshiro256StarStar _rng;

    public TpeSearch(SearchSpace space, TpeSettings settings, Predicate<ParamValue[]>? feasible, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(space);
        SettingsRules.ThrowIfAny(TpeSettings.Validate(settings), nameof(settings));
        _settings = settings;
        _feasible = feasible;
        _coding = new TpeCoding(space, settings.LogScaleRatio);
        _rng = new Xoshiro256StarStar(seed);
    }

    public bool IsExhausted => false;

    /// <summary>True when the last Ask returned fewer points because no feasible point was found in many draws.</summary>
    public bool Starved { get; private set; }

    /// <summary>Proposals asked and not yet told.</summary>
    public int PendingCount => _pending.Count;

    public int Ask(int count, List<ParamValue[]> output)
    {
        Starved = false;
        for (int produced = 0; produced < count; produced++)
        {
            int completed = _told.Count(t => t.Kind == ObservationKind.Completed);
            ParamValue[]? point = completed >= _settings.StartupTrials ? Propose(completed) : null;
            if (point is null && !UniformDraw.TryFeasible(_coding.UniformPoint, _feasible, _rng, out point))
            {
                Starved = true;
                return produced;
            }

            var x = _coding.Encode(point);
            _pending.Add(x);
            _seen.Add(x);
            output.Add(point);
        }

        return count;
    }

    public void Tell(in Observation observation)
    {
        var x = _coding.Encode(observation.Params);

        // By value, first match: after a restore the engine hands back equal arrays, not the same instances.
        int at = _pending.FindIndex(p => p.AsSpan().SequenceEqual(x));
        if (at >= 0)
        {
            _pending.RemoveAt(at);
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

        _told.Add(new Told(x, score, kind));
        _seen.Add(x);
    }

    public void WriteSnapshot(BinaryWriter writer)
    {
        writer.Write(SnapshotVersion);
        writer.Write(_coding.Count);
        _rng.Write(writer);
        writer.Write(_told.Count);
        foreach (var t in _told)
        {
            Assignments.WriteVector(writer, t.X);
            writer.Write(t.Score);
            writer.Write((byte)t.Kind);
        }

        writer.Write(_pending.Count);
        foreach (var p in _pending)
        {
            Assignments.WriteVector(writer, p);
        }
    }

    public void ReadSnapshot(BinaryReader reader)
    {
        if (reader.ReadByte() != SnapshotVersion)
        {
            throw new InvalidDataException("unknown TPE snapshot version");
        }

        if (reader.ReadInt32() != _coding.Count)
        {
            throw new InvalidDataException("the snapshot was taken for a different search space");
        }

        _rng = Xoshiro256StarStar.Read(reader);
        _told.Clear();
        _pending.Clear();
        _seen.Clear();
        int told = reader.ReadInt32();
        for (int i = 0; i < told; i++)
        {
            var x = Assignments.ReadVector(reader);
            double score = reader.ReadDouble();
            _told.Add(new Told(x, score, (ObservationKind)reader.ReadByte()));
            _seen.Add(x);
        }

        int pending = reader.ReadInt32();
        for (int i = 0; i < pending; i++)
        {
            var x = Assignments.ReadVector(reader);
            _pending.Add(x);
            _seen.Add(x);
        }
    }

    /// <summary>γ(n) = min(⌈0.1 n⌉, 25): how many of n completed trials form the good density l (Optuna's default).</summary>
    internal static int Gamma(int completed) => Math.Min((int)Math.Ceiling(0.1 * completed), MaxBelow);

    /// <summary>Kernel weights of n trials, oldest first: 1 for the 25 most recent, a ramp from 1/n up to 1 for the
    /// n - 25 older ones (Optuna's default_weights, numpy's linspace(1/n, 1, n - 25)).</summary>
    internal static double[] RecencyWeights(int n)
    {
        var w = new double[n];
        Array.Fill(w, 1.0);
        int ramp = n - FlatWeights;
        for (int i = 0; i < ramp; i++)
        {
            w[i] = ramp == 1 ? 1.0 / n : (1.0 / n) + (i * (1 - (1.0 / n)) / (ramp - 1));
        }

        return w;
    }

    private ParamValue[]? Propose(int completed)
    {
        // Completed trials by score, best first (ties: earlier first), the best γ(n) below; the rest in trial order.
        var order = Enumerable.Range(0, _told.Count).Where(i => _told[i].Kind == ObservationKind.Completed)
            .OrderByDescending(i => _told[i].Score).ThenBy(i => i).ToArray();
        int nBelow = Gamma(completed);
        var isBelow = new bool[_told.Count];
        var below = new List<double[]>(nBelow);
        var belowScores = new List<double>(nBelow);
        int incumbent = 0;
        foreach (int i in order.Take(nBelow).Order())
        {
            isBelow[i] = true;
            incumbent = i == order[0] ? below.Count : incumbent;
            below.Add(_told[i].X);
            belowScores.Add(_told[i].Score);
        }

        var above = new List<double[]>(_told.Count - nBelow + _pending.Count);
        for (int i = 0; i < _told.Count; i++)
        {
            if (!isBelow[i])
            {
                above.Add(_told[i].X);
            }
        }

        above.AddRange(_pending);
        var belowWeights = RecencyWeights(below.Count);
        var aboveWeights = RecencyWeights(above.Count);
        double localFraction = _settings.LocalFractionAt(completed);
        if (localFraction > 0 && _rng.NextDouble() < localFraction)
        {
            // The generator is drawn for the second basin only when it is on, so a study without it keeps its trajectory.
            int centre = incumbent;
            if (_settings.SecondBasinFraction > 0 && _rng.NextDouble() < _settings.SecondBasinFraction
                && SecondBasin.Find(_coding, below, belowScores, incumbent) is >= 0 and var second)
            {
                centre = second;
            }

            return ProposeLocal(centre, below, belowWeights, above, aboveWeights);
        }

        return _settings.Multivariate
            ? ProposeJoint(below, belowWeights, above, aboveWeights)
            : ProposeIndependent(below, belowWeights, above, aboveWeights);
    }

    private ParamValue[]? ProposeJoint(List<double[]> below, double[] wb, List<double[]> above, double[] wa)
    {
        int[] all = [.. Enumerable.Range(0, _coding.Count)];
        var l = new ParzenEstimator(_coding, all, below, wb, _settings.PriorWeight, multivariate: true);
        var g = new ParzenEstimator(_coding, all, above, wa, _settings.PriorWeight, multivariate: true);
        ParamValue[]? bestSeen = null;
        for (int round = 0; round < CandidateRounds; round++)
        {
            ParamValue[]? best = null;
            double bestScore = double.NegativeInfinity, bestSeenScore = double.NegativeInfinity;
            for (int k = 0; k < _settings.Candidates; k++)
            {
                var x = new double[_coding.Count];
                l.Sample(_rng, x);
                var point = _coding.Decode(x);
                if (_feasible is not null && !_feasible(point))
                {
                    continue;
                }

                // Score the decoded point's own coding (a float clamped into its range codes back to itself).
                x = _coding.Encode(point);
                double score = l.LogPdf(x) - g.LogPdf(x);
                if (_seen.Contains(x))
                {
                    if (bestSeen is null || score > bestSeenScore)
                    {
                        (bestSeen, bestSeenScore) = (point, score);
                    }
                }
                else if (best is null || score > bestScore)
                {
                    (best, bestScore) = (point, score);
                }
            }

            if (best is not null)
            {
                return best;
            }
        }

        return bestSeen;
    }

    // A local proposal: the best unseen feasible neighbour of the centre (the best trial, or the second basin's) by the
    // joint l(x)/g(x); when every draw of every round was seen or infeasible, the usual proposal instead.
    private ParamValue[]? ProposeLocal(int centre, List<double[]> below, double[] wb, List<double[]> above, double[] wa)
    {
        int[] all = [.. Enumerable.Range(0, _coding.Count)];
        var l = new ParzenEstimator(_coding, all, below, wb, _settings.PriorWeight, multivariate: true);
        var g = new ParzenEstimator(_coding, all, above, wa, _settings.PriorWeight, multivariate: true);
        var neighbourhood = new IncumbentNeighbourhood(_coding, below, wb, centre, _settings.PriorWeight);
        var x = new double[_coding.Count];
        for (int round = 0; round < CandidateRounds; round++)
        {
            ParamValue[]? best = null;
            double bestScore = double.NegativeInfinity;
            for (int k = 0; k < _settings.Candidates; k++)
            {
                neighbourhood.Sample(_rng, x);
                var point = _coding.Decode(x);
                if (_feasible is not null && !_feasible(point))
                {
                    continue;
                }

                var coded = _coding.Encode(point);
                if (_seen.Contains(coded))
                {
                    continue;
                }

                double score = l.LogPdf(coded) - g.LogPdf(coded);
                if (best is null || score > bestScore)
                {
                    (best, bestScore) = (point, score);
                }
            }

            if (best is not null)
            {
                return best;
            }
        }

        return _settings.Multivariate ? ProposeJoint(below, wb, above, wa) : ProposeIndependent(below, wb, above, wa);
    }

    private ParamValue[]? ProposeIndependent(List<double[]> below, double[] wb, List<double[]> above, double[] wa)
    {
        var estimators = new (ParzenEstimator L, ParzenEstimator G)[_coding.Count];
        for (int d = 0; d < _coding.Count; d++)
        {
            estimators[d] = (new ParzenEstimator(_coding, [d], below, wb, _settings.PriorWeight, multivariate: false),
                new ParzenEstimator(_coding, [d], above, wa, _settings.PriorWeight, multivariate: false));
        }

        ParamValue[]? seen = null;
        var x = new double[_coding.Count];
        var candidate = new double[_coding.Count];
        for (int round = 0; round < CandidateRounds; round++)
        {
            for (int d = 0; d < _coding.Count; d++)
            {
                var (l, g) = estimators[d];
                double bestScore = double.NegativeInfinity;
                for (int k = 0; k < _settings.Candidates; k++)
                {
                    l.Sample(_rng, candidate);
                    double score = l.LogPdf(candidate) - g.LogPdf(candidate);
                    if (k == 0 || score > bestScore)
                    {
                        bestScore = score;
                        x[d] = candidate[d];
                    }
                }
            }

            var point = _coding.Decode(x);
            if (_feasible is null || _feasible(point))
            {
                if (!_seen.Contains(_coding.Encode(point)))
                {
                    return point;
                }

                seen ??= point;
            }
        }

        return seen;
    }


    private readonly record struct Told(double[] X, double Score, ObservationKind Kind);
}
