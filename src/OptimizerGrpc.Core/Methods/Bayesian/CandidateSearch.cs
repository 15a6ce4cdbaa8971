using OptimizerGrpc.Core.Randomness;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Methods.Bayesian;

/// <summary>
/// Maximises the acquisition function over random candidates: 1024 uniform points and 512 Gaussian steps
/// (log-uniform scale 0.005..0.2 of the unit cube) around the 8 best training points, then two rounds of 128
/// steps of scale 0.05 and 0.0125 around the winner. Every candidate is snapped before it is scored, must not
/// repeat an observed or pending point, and must satisfy the feasibility predicate.
/// </summary>
internal sealed class CandidateSearch
{
    private const int RandomCandidates = 1024;
    private const int LocalCandidates = 512;
    private const int LocalCenters = 8;
    private const int RefineRounds = 2;
    private const int RefineCandidates = 128;

    private readonly UnitCubeEncoding _encoding;
    private readonly GaussianProcess _gp;
    private readonly Predicate<ParamValue[]>? _feasible;
    private readonly BayesianSettings _settings;
    private readonly int _dims;
    private readonly HashSet<ulong> _seen = [];
    private readonly double[] _candidates;
    private readonly double[] _mean;
    private readonly double[] _variance;
    private readonly ParamValue[] _scratch;

    public CandidateSearch(UnitCubeEncoding encoding, GaussianProcess gp, Predicate<ParamValue[]>? feasible, BayesianSettings settings, int parameters)
    {
        _encoding = encoding;
        _gp = gp;
        _feasible = feasible;
        _settings = settings;
        _dims = encoding.Dimensions;
        _candidates = new double[(RandomCandidates + LocalCandidates) * _dims];
        _mean = new double[RandomCandidates + LocalCandidates];
        _variance = new double[RandomCandidates + LocalCandidates];
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

    // Scores the first m candidates; copies the best into result when it beats bestValue.
    private bool ScoreInto(int m, double incumbent, double[] result, ref double bestValue)
    {
        if (m == 0)
        {
            return false;
        }

        _gp.Predict(_candidates, m, _mean, _variance);
        int best = -1;
        for (int c = 0; c < m; c++)
        {
            double a = Acquisition.Evaluate(_settings.Acquisition, _mean[c], Math.Sqrt(_variance[c]), incumbent, _settings.UcbBeta);
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
