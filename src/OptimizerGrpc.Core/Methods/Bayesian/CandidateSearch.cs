using OptimizerGrpc.Core.Randomness;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Methods.Bayesian;

/// <summary>
/// Maximises the acquisition function over random candidates: 1024 uniform points and 512 Gaussian steps
/// (log-uniform scale 0.005..0.2 of the unit cube) around the 8 best training points, then two rounds of 128
/// steps of scale 0.05 and 0.0125 around the winner. Every candidate is snapped before it is scored, must not
/// repeat an observed or pending point, and must satisfy the feasibility predicate. Candidates whose acquisition
/// provably cannot win are not fully scored (branch and bound on a cheap upper bound; the choice is unchanged).
/// </summary>
internal sealed class CandidateSearch
{
    private const int RandomCandidates = 1024;
    private const int LocalCandidates = 512;
    private const int LocalCenters = 8;
    private const int RefineRounds = 2;
    private const int RefineCandidates = 128;

    // See ScoreBounded: the variance bound's slack (times the signal variance) and the acquisition's margin.
    private const double BoundSlack = 1e-8;
    private const double BoundMargin = 1e-9;

    private readonly UnitCubeEncoding _encoding;
    private readonly GaussianProcess _gp;
    private readonly Predicate<ParamValue[]>? _feasible;
    private readonly BayesianSettings _settings;
    private readonly bool _bounded;
    private readonly int _dims;
    private readonly HashSet<ulong> _seen = [];
    private readonly double[] _candidates;
    private readonly double[] _mean;
    private readonly double[] _variance;
    private readonly double[] _acquisition;
    private readonly double[] _key;
    private readonly int[] _order;
    private readonly int[] _scoredRows;
    private readonly bool[] _evaluated;
    private readonly double[] _block;
    private readonly int[] _blockRows = new int[GaussianProcess.Block];
    private readonly double[] _blockMean = new double[GaussianProcess.Block];
    private readonly double[] _blockVariance = new double[GaussianProcess.Block];
    private readonly ParamValue[] _scratch;

    /// <param name="bounded">Skip candidates that cannot win (the default); false scores every one, for tests.</param>
    public CandidateSearch(UnitCubeEncoding encoding, GaussianProcess gp, Predicate<ParamValue[]>? feasible, BayesianSettings settings, int parameters, bool bounded = true)
    {
        _bounded = bounded;
        _encoding = encoding;
        _gp = gp;
        _feasible = feasible;
        _settings = settings;
        _dims = encoding.Dimensions;
        _candidates = new double[(RandomCandidates + LocalCandidates) * _dims];
        _mean = new double[RandomCandidates + LocalCandidates];
        _variance = new double[RandomCandidates + LocalCandidates];
        _acquisition = new double[RandomCandidates + LocalCandidates];
        _key = new double[RandomCandidates + LocalCandidates];
        _order = new int[RandomCandidates + LocalCandidates];
        _scoredRows = new int[RandomCandidates + LocalCandidates];
        _evaluated = new bool[RandomCandidates + LocalCandidates];
        _block = new double[GaussianProcess.Block * _dims];
        _scratch = new ParamValue[parameters];
    }

    /// <summary>Forgets the points excluded from proposals.</summary>
    public void ClearSeen() => _seen.Clear();

    /// <summary>Excludes <paramref name="point"/> (observed or pending) from future proposals.</summary>
    public void AddSeen(ReadOnlySpan<double> point) => _seen.Add(Hash(point));

    /// <summary>Writes the best candidate found into <paramref name="result"/>; false when no candidate was new and feasible.</summary>
    public bool TryMaximize(Xoshiro256StarStar rng, TrainingSet training, double[] result)
    {
        var centers = training.BestRows(LocalCenters);
        int m = 0;
        for (int r = 0; r < RandomCandidates; r++)
        {
            _encoding.Sample(rng, _candidates.AsSpan(m * _dims, _dims));
            m += Accept(m) ? 1 : 0;
        }

        for (int r = 0; r < LocalCandidates && centers.Length > 0; r++)
        {
            double sigma = 0.005 * Math.Exp(rng.NextDouble() * Math.Log(40));
            _encoding.Perturb(rng, training.X.AsSpan(centers[r % centers.Length] * _dims, _dims), sigma, _candidates.AsSpan(m * _dims, _dims));
            m += Accept(m) ? 1 : 0;
        }

        double bestValue = double.NegativeInfinity;
        bool found = ScoreInto(m, training.Best, result, ref bestValue);
        double step = 0.05;
        for (int round = 0; round < RefineRounds && found; round++, step *= 0.25)
        {
            m = 0;
            for (int r = 0; r < RefineCandidates; r++)
            {
                _encoding.Perturb(rng, result, step, _candidates.AsSpan(m * _dims, _dims));
                m += Accept(m) ? 1 : 0;
            }

            ScoreInto(m, training.Best, result, ref bestValue);
        }

        return found;
    }

    // Scores the first m candidates; copies the best into result when it beats bestValue. Picks exactly what
    // scoring every candidate would (the first of the best, by index): when there is more than one block, a cheap
    // pass bounds each candidate's acquisition from above (exact mean, variance bound of GaussianProcess.PredictBound;
    // every acquisition grows with sigma), candidates are scored in blocks from the highest bound down, and the
    // rest are skipped once their bound is below the best acquisition found, as they could not have won.
    private bool ScoreInto(int m, double incumbent, double[] result, ref double bestValue)
    {
        if (m == 0)
        {
            return false;
        }

        // The bound pass costs a cross-kernel pass (about 3 dims + 40 operations per training point and candidate);
        // it pays off once the triangular solve it may skip (about n / 2 per point and candidate) is larger.
        bool bounded = _bounded && m > GaussianProcess.Block && _gp.Count >= 2 * ((3 * _dims) + 40);
        int scored = bounded ? ScoreBounded(m, incumbent, bestValue) : ScoreAll(m, incumbent);
        int best = -1;
        for (int k = 0; k < scored; k++)
        {
            int c = _scoredRows[k];
            double a = _acquisition[c];
            if (a > bestValue || (c == 0 && double.IsNegativeInfinity(bestValue)))
            {
                bestValue = a;
                best = c;
            }
        }

        if (best >= 0)
        {
            _candidates.AsSpan(best * _dims, _dims).CopyTo(result);
        }

        return true;
    }

    // Scores all m candidates; _scoredRows lists them in index order.
    private int ScoreAll(int m, double incumbent)
    {
        _gp.Predict(_candidates, m, _mean, _variance);
        for (int c = 0; c < m; c++)
        {
            _acquisition[c] = Acquisition.Evaluate(_settings.Acquisition, _mean[c], Math.Sqrt(_variance[c]), incumbent, _settings.UcbBeta);
            _scoredRows[c] = c;
        }

        return m;
    }

    // Scores the candidates that can still beat max(bestValue, the best scored so far); lists them in _scoredRows
    // in index order and returns how many there are. Candidate 0 is always scored (the tie rule above needs it).
    private int ScoreBounded(int m, double incumbent, double bestValue)
    {
        _gp.PredictBound(_candidates, m, _mean, _variance);

        // The bound's sigma gets slack for the rounding of the exact variance, and the comparison a margin for
        // that of the acquisition, so a candidate is skipped only when it loses by more than rounding.
        double slack = BoundSlack * _gp.SignalVariance;
        for (int c = 0; c < m; c++)
        {
            double upper = Acquisition.Evaluate(_settings.Acquisition, _mean[c], Math.Sqrt(_variance[c] + slack), incumbent, _settings.UcbBeta);
            _order[c] = c;
            _key[c] = double.IsNaN(upper) ? double.NegativeInfinity : -upper;
        }

        Array.Sort(_key, _order, 1, m - 1);
        double threshold = bestValue;
        bool prune = !double.IsNaN(threshold);
        int pos = 0;
        while (pos < m)
        {
            int count = 0;
            for (; pos < m && count < GaussianProcess.Block; pos++, count++)
            {
                if (pos > 0 && prune && -_key[pos] < threshold - (BoundMargin * (1 + Math.Abs(threshold))))
                {
                    // Sorted: every later bound is lower still.
                    pos = m;
                    break;
                }

                _candidates.AsSpan(_order[pos] * _dims, _dims).CopyTo(_block.AsSpan(count * _dims, _dims));
                _blockRows[count] = _order[pos];
            }

            if (count == 0)
            {
                break;
            }

            _gp.Predict(_block, count, _blockMean, _blockVariance);
            for (int k = 0; k < count; k++)
            {
                double a = Acquisition.Evaluate(_settings.Acquisition, _blockMean[k], Math.Sqrt(_blockVariance[k]), incumbent, _settings.UcbBeta);
                _acquisition[_blockRows[k]] = a;
                _evaluated[_blockRows[k]] = true;
                prune &= !double.IsNaN(a);
                threshold = Math.Max(threshold, a);
            }
        }

        int scored = 0;
        for (int c = 0; c < m; c++)
        {
            if (_evaluated[c])
            {
                _scoredRows[scored++] = c;
                _evaluated[c] = false;
            }
        }

        return scored;
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

    // A 64-bit hash of the exact coordinates; a collision only drops one candidate.
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
}
