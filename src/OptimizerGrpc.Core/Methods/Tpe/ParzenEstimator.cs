using OptimizerGrpc.Core.Randomness;

namespace OptimizerGrpc.Core.Methods.Tpe;

/// <summary>
/// A Parzen (kernel density) estimator over some of the coded dimensions, one kernel per observation plus a prior
/// kernel (Bergstra et al. 2011, section 4; the choices below are those Optuna 3 makes, described by Watanabe 2023):
/// <list type="bullet">
/// <item>Numeric dimensions: a normal kernel at each observation, truncated to the dimension's bounds; the prior kernel
/// sits at the centre with the range as its width. Bandwidth: jointly (multivariate, Falkner et al. 2018) Scott's rule
/// 0.2 · n^(-1/(D+4)) · range; per dimension (univariate), the larger gap to the neighbouring kernels (the outermost
/// kernels use their inner gap). Either is clipped to [range / min(100, 1 + kernels), range] ("magic clip").</item>
/// <item>Discrete dimensions: the same kernels integrated over the value's rounding cell [k - 0.5, k + 0.5].</item>
/// <item>Choice dimensions: each kernel puts mass 1 on its observed choice plus priorWeight / kernels on every choice,
/// normalised; the prior kernel is uniform.</item>
/// <item>Kernel weights: the given observation weights and the prior weight, normalised.</item>
/// </list>
/// </summary>
internal sealed class ParzenEstimator
{
    private const double Sigma0 = 0.2;

    private readonly TpeCoding _coding;
    private readonly int[] _dims;
    private readonly int _kernels;
    private readonly double[] _cumulative;
    private readonly double[] _logWeights;

    // Per own dimension j, per kernel c: [j][c].
    private readonly double[][] _mu;
    private readonly double[][] _sigma;
    private readonly double[][] _logNormaliser;
    private readonly double[][] _logSigma;
    private readonly double[][][] _choiceLog;
    private readonly double[][][] _choiceCumulative;

    /// <param name="coding">The space's coding.</param>
    /// <param name="dims">The dimensions this estimator covers (all of them when multivariate, one otherwise).</param>
    /// <param name="points">Coded observations (full-length vectors).</param>
    /// <param name="weights">One non-negative weight per observation.</param>
    /// <param name="priorWeight">The prior kernel's weight; a prior is always used when there are no observations.</param>
    /// <param name="multivariate">Scott's-rule bandwidth over the joint dimensions instead of neighbour gaps.</param>
    public ParzenEstimator(TpeCoding coding, int[] dims, IReadOnlyList<double[]> points, ReadOnlySpan<double> weights, double priorWeight, bool multivariate)
    {
        _coding = coding;
        _dims = dims;
        int n = points.Count;
        bool prior = priorWeight > 0 || n == 0;
        _kernels = n + (prior ? 1 : 0);

        var w = new double[_kernels];
        double total = 0;
        for (int c = 0; c < n; c++)
        {
            w[c] = weights[c];
            total += w[c];
        }

        if (prior)
        {
            w[n] = priorWeight > 0 ? priorWeight : 1;
            total += w[n];
        }

        _logWeights = new double[_kernels];
        _cumulative = new double[_kernels];
        double running = 0;
        for (int c = 0; c < _kernels; c++)
        {
            _logWeights[c] = Math.Log(w[c] / total);
            running += w[c] / total;
            _cumulative[c] = running;
        }

        _mu = new double[dims.Length][];
        _sigma = new double[dims.Length][];
        _logNormaliser = new double[dims.Length][];
        _logSigma = new double[dims.Length][];
        _choiceLog = new double[dims.Length][][];
        _choiceCumulative = new double[dims.Length][][];
        for (int j = 0; j < dims.Length; j++)
        {
            var dim = coding[dims[j]];
            if (dim.Kind == TpeKind.Choice)
            {
                BuildChoice(j, dim, points, prior, priorWeight);
            }
            else
            {
                BuildNumeric(j, dim, points, prior, multivariate ? Math.Pow(Math.Max(n, 1), -1.0 / (dims.Length + 4)) * Sigma0 : null);
            }
        }
    }

    /// <summary>Number of kernels (observations, plus the prior when used).</summary>
    public int Kernels => _kernels;

    /// <summary>Kernel <paramref name="c"/>'s mean and bandwidth on own dimension <paramref name="j"/> (numeric dimensions).</summary>
    public (double Mu, double Sigma) Kernel(int j, int c) => (_mu[j][c], _sigma[j][c]);

    /// <summary>Kernel <paramref name="c"/>'s probabilities on own choice dimension <paramref name="j"/>.</summary>
    public double[] ChoiceProbabilities(int j, int c) => [.. _choiceLog[j][c].Select(v => Math.Exp(v))];

    /// <summary>Draws one point: a kernel by weight, then each own dimension from it; writes only own dimensions of <paramref name="x"/>.</summary>
    public void Sample(Xoshiro256StarStar rng, double[] x)
    {
        int c = Pick(_cumulative, rng.NextDouble());
        for (int j = 0; j < _dims.Length; j++)
        {
            int d = _dims[j];
            var dim = _coding[d];
            switch (dim.Kind)
            {
                case TpeKind.Choice:
                    x[d] = Pick(_choiceCumulative[j][c], rng.NextDouble());
                    break;
                case TpeKind.Discrete:
                    x[d] = TpeCoding.Index(TruncatedNormal.Sample(rng, _mu[j][c], _sigma[j][c], dim.Low, dim.High), dim);
                    break;
                case TpeKind.LogInteger:
                    x[d] = TpeCoding.SnapLog(TruncatedNormal.Sample(rng, _mu[j][c], _sigma[j][c], dim.Low, dim.High), dim);
                    break;
                default:
                    x[d] = TruncatedNormal.Sample(rng, _mu[j][c], _sigma[j][c], dim.Low, dim.High);
                    break;
            }
        }
    }

    /// <summary>log of the mixture density (mass, on discrete and choice dimensions) at the own dimensions of <paramref name="x"/>.</summary>
    public double LogPdf(double[] x)
    {
        // A discrete value's rounding cell is the same for every kernel: find it once (on a log scale it costs an exp and
        // two logs).
        Span<double> cellLow = stackalloc double[_dims.Length];
        Span<double> cellHigh = stackalloc double[_dims.Length];
        for (int j = 0; j < _dims.Length; j++)
        {
            (cellLow[j], cellHigh[j]) = Cell(_coding[_dims[j]], x[_dims[j]]);
        }

        double max = double.NegativeInfinity;
        Span<double> terms = _kernels <= 1024 ? stackalloc double[_kernels] : new double[_kernels];
        for (int c = 0; c < _kernels; c++)
        {
            double t = _logWeights[c];
            for (int j = 0; j < _dims.Length && !double.IsNegativeInfinity(t); j++)
            {
                t += LogKernel(j, c, x[_dims[j]], cellLow[j], cellHigh[j]);
            }

            terms[c] = t;
            max = Math.Max(max, t);
        }

        if (double.IsNegativeInfinity(max))
        {
            return max;
        }

        double sum = 0;
        foreach (double t in terms)
        {
            sum += Math.Exp(t - max);
        }

        return max + Math.Log(sum);
    }

    // The coded rounding cell of a discrete value (an empty one for other kinds, which LogKernel does not read).
    private static (double Low, double High) Cell(TpeDimension dim, double value) => dim.Kind switch
    {
        TpeKind.Discrete => (Math.Max(value - 0.5, dim.Low), Math.Min(value + 0.5, dim.High)),
        TpeKind.LogInteger => TpeCoding.LogCell(TpeCoding.LogIndex(value, dim), dim),
        _ => (0, 0),
    };

    private double LogKernel(int j, int c, double value, double cellLow, double cellHigh)
    {
        var dim = _coding[_dims[j]];
        switch (dim.Kind)
        {
            case TpeKind.Choice:
                return _choiceLog[j][c][(int)TpeCoding.Index(value, dim)];
            case TpeKind.Discrete or TpeKind.LogInteger:
                double mu = _mu[j][c], sigma = _sigma[j][c];
                return TruncatedNormal.LogMass((cellLow - mu) / sigma, (cellHigh - mu) / sigma) - _logNormaliser[j][c];
            default:
                return TruncatedNormal.LogPdfWithMass(value, _mu[j][c], _sigma[j][c], _logSigma[j][c], _logNormaliser[j][c]);
        }
    }

    private void BuildNumeric(int j, TpeDimension dim, IReadOnlyList<double[]> points, bool prior, double? scottFactor)
    {
        int n = points.Count, d = _dims[j];
        double range = dim.High - dim.Low;
        var mu = new double[_kernels];
        for (int c = 0; c < n; c++)
        {
            mu[c] = points[c][d];
        }

        if (prior)
        {
            mu[n] = 0.5 * (dim.Low + dim.High);
        }

        var sigma = new double[_kernels];
        if (scottFactor is { } factor)
        {
            Array.Fill(sigma, factor * range);
        }
        else
        {
            NeighbourGaps(mu, dim.Low, dim.High, sigma);
        }

        double minSigma = range / Math.Min(100.0, 1.0 + _kernels);
        for (int c = 0; c < _kernels; c++)
        {
            sigma[c] = Math.Clamp(sigma[c], minSigma, range);
        }

        if (prior)
        {
            sigma[n] = range;
        }

        // What LogPdf needs that does not depend on the point: log sigma and the truncation's log mass.
        var normaliser = new double[_kernels];
        var logSigma = new double[_kernels];
        for (int c = 0; c < _kernels; c++)
        {
            normaliser[c] = TruncatedNormal.LogMass((dim.Low - mu[c]) / sigma[c], (dim.High - mu[c]) / sigma[c]);
            logSigma[c] = Math.Log(sigma[c]);
        }

        _mu[j] = mu;
        _sigma[j] = sigma;
        _logNormaliser[j] = normaliser;
        _logSigma[j] = logSigma;
    }

    // Each kernel's bandwidth is the larger distance to its sorted neighbours, the range's ends counting as neighbours,
    // except that the first and last kernels take only their inner gap (Optuna's consider_endpoints = false).
    private static void NeighbourGaps(double[] mu, double low, double high, double[] sigma)
    {
        int m = mu.Length;
        var order = new int[m];
        for (int i = 0; i < m; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) => mu[a] != mu[b] ? mu[a].CompareTo(mu[b]) : a.CompareTo(b));
        var sorted = new double[m + 2];
        sorted[0] = low;
        sorted[m + 1] = high;
        for (int i = 0; i < m; i++)
        {
            sorted[i + 1] = mu[order[i]];
        }

        var gaps = new double[m];
        for (int i = 0; i < m; i++)
        {
            gaps[i] = Math.Max(sorted[i + 1] - sorted[i], sorted[i + 2] - sorted[i + 1]);
        }

        if (m + 2 >= 4)
        {
            gaps[0] = sorted[2] - sorted[1];
            gaps[m - 1] = sorted[m] - sorted[m - 1];
        }

        for (int i = 0; i < m; i++)
        {
            sigma[order[i]] = gaps[i];
        }
    }

    private void BuildChoice(int j, TpeDimension dim, IReadOnlyList<double[]> points, bool prior, double priorWeight)
    {
        int n = points.Count, k = (int)dim.Levels, d = _dims[j];
        double fill = priorWeight / _kernels;
        var logs = new double[_kernels][];
        var cumulative = new double[_kernels][];
        for (int c = 0; c < _kernels; c++)
        {
            var p = new double[k];
            if (c == n && prior)
            {
                Array.Fill(p, 1.0 / k);
            }
            else
            {
                Array.Fill(p, fill);
                p[TpeCoding.Index(points[c][d], dim)] += 1;
                double sum = 1 + (fill * k);
                for (int i = 0; i < k; i++)
                {
                    p[i] /= sum;
                }
            }

            logs[c] = [.. p.Select(v => Math.Log(v))];
            cumulative[c] = new double[k];
            double running = 0;
            for (int i = 0; i < k; i++)
            {
                running += p[i];
                cumulative[c][i] = running;
            }
        }

        _choiceLog[j] = logs;
        _choiceCumulative[j] = cumulative;
    }

    // The first index whose cumulative weight exceeds u (the last one when rounding leaves u above them all).
    private static int Pick(double[] cumulative, double u)
    {
        for (int i = 0; i < cumulative.Length; i++)
        {
            if (u < cumulative[i])
            {
                return i;
            }
        }

        return cumulative.Length - 1;
    }
}
