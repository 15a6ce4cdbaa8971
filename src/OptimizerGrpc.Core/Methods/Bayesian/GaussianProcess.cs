namespace OptimizerGrpc.Core.Methods.Bayesian;

/// <summary>
/// A zero-mean Gaussian process with a Matérn 5/2 ARD kernel and Gaussian noise, conditioned on standardised
/// targets (Rasmussen and Williams 2006, algorithm 2.1). Hyperparameters are
/// theta = [log l_1 .. log l_D, log signal variance, log noise variance]. Buffers are kept and grown, never
/// shrunk, so re-conditioning on every Ask does not allocate once the sizes are reached.
/// </summary>
internal sealed partial class GaussianProcess
{
    /// <summary>Candidates are predicted in blocks of this many; a multiple of every Vector&lt;double&gt; width.</summary>
    public const int Block = 128;

    private const double LogTwoPi = 1.8378770664093454836;

    private readonly int _dims;
    private readonly double[] _invLength;
    private readonly double[] _zt;
    private readonly double[] _meanBlock = new double[Block];
    private readonly double[] _sqBlock = new double[Block];
    private readonly double[] _nearBlock = new double[Block];
    private double _signal;
    private double _noise;
    private double _jitter;
    private double[] _x = [];
    private double[] _y = [];
    private double[] _alpha = [];
    private double[] _l = [];
    private double[] _v = [];

    // Per row of L: 1 / (signal + noise + jitter), the inverse prior variance of that observation, or 0 for a
    // fantasy whose pivot had to be clamped (its row no longer matches that variance); see PredictBound.
    private double[] _invDiag = [];
    private int _stride;
    private int _n;

    public GaussianProcess(int dims)
    {
        _dims = dims;
        _invLength = new double[dims];
        _zt = new double[dims * Block];
    }

    public int Count => _n;

    public int Dimensions => _dims;

    public double SignalVariance => _signal;

    /// <summary>
    /// Conditions on <paramref name="n"/> points (row-major in <paramref name="x"/>) with targets <paramref name="y"/>,
    /// leaving room for <paramref name="capacity"/> points in all (fantasies are appended later). When the kernel
    /// matrix is not positive definite, jitter of 1e-8, 1e-6, then 1e-4 times the signal variance is added to its
    /// diagonal; returns false if even that fails.
    /// </summary>
    public bool Condition(ReadOnlySpan<double> theta, ReadOnlySpan<double> x, ReadOnlySpan<double> y, int n, int capacity)
    {
        SetHyperparameters(theta);
        EnsureCapacity(Math.Max(capacity, n));
        for (int i = 0; i < n; i++)
        {
            for (int d = 0; d < _dims; d++)
            {
                _x[(i * _dims) + d] = x[(i * _dims) + d] * _invLength[d];
            }

            _y[i] = y[i];
        }

        _n = n;
        foreach (double jitter in (ReadOnlySpan<double>)[0, 1e-8, 1e-6, 1e-4])
        {
            _jitter = jitter * _signal;
            FillKernelMatrix();
            if (DenseCholesky.Factor(_l, _n, _stride))
            {
                _invDiag.AsSpan(0, _n).Fill(1 / (_signal + _noise + _jitter));
                SolveAlpha();
                return true;
            }
        }

        _n = 0;
        return false;
    }

    /// <summary>log p(y | X, theta) = -y^T alpha / 2 - sum log L_ii - n log(2 pi) / 2 (R&amp;W eq. 2.30).</summary>
    public double LogMarginalLikelihood()
    {
        double fit = DenseCholesky.Dot(_y.AsSpan(0, _n), _alpha.AsSpan(0, _n));
        double logDet = 0;
        for (int i = 0; i < _n; i++)
        {
            logDet += Math.Log(_l[(i * _stride) + i]);
        }

        return (-0.5 * fit) - logDet - (0.5 * _n * LogTwoPi);
    }

    /// <summary>
    /// Adds <paramref name="x"/> with its posterior mean as the observed value: the kriging believer
    /// (Ginsbourger, Le Riche and Carraro, "Kriging is well-suited to parallelize optimization", 2010). The mean
    /// is unchanged everywhere; the variance shrinks around x, so the next point of a batch goes elsewhere.
    /// One row is appended to the Cholesky factor, O(n^2).
    /// </summary>
    public void AppendFantasy(ReadOnlySpan<double> x)
    {
        if (_n + 1 > _stride)
        {
            throw new InvalidOperationException("GP capacity exceeded; condition with a larger capacity");
        }

        var row = _x.AsSpan(_n * _dims, _dims);
        for (int d = 0; d < _dims; d++)
        {
            row[d] = x[d] * _invLength[d];
        }

        var lRow = _l.AsSpan(_n * _stride, _n + 1);
        double mean = 0;
        for (int i = 0; i < _n; i++)
        {
            lRow[i] = MaternKernel.FromSquaredDistance(MaternKernel.SquaredDistance(row, _x.AsSpan(i * _dims, _dims)), _signal);
            mean += lRow[i] * _alpha[i];
        }

        DenseCholesky.SolveLower(_l, _n, _stride, lRow[.._n]);
        double d2 = _signal + _noise + _jitter - DenseCholesky.Dot(lRow[.._n], lRow[.._n]);
        lRow[_n] = Math.Sqrt(Math.Max(d2, 1e-12 * _signal));
        _invDiag[_n] = d2 >= 1e-12 * _signal ? 1 / (_signal + _noise + _jitter) : 0;
        _y[_n] = mean;
        _n++;
        SolveAlpha();
    }

    private void SetHyperparameters(ReadOnlySpan<double> theta)
    {
        if (theta.Length != _dims + 2)
        {
            throw new ArgumentException($"expected {_dims + 2} hyperparameters, got {theta.Length}", nameof(theta));
        }

        for (int d = 0; d < _dims; d++)
        {
            _invLength[d] = Math.Exp(-theta[d]);
        }

        _signal = Math.Exp(theta[_dims]);
        _noise = Math.Exp(theta[_dims + 1]);
    }

    private void EnsureCapacity(int capacity)
    {
        if (capacity <= _stride)
        {
            return;
        }

        // Grow by half again so a slowly growing training set does not reallocate on every Ask.
        int size = Math.Max(capacity, _stride + (_stride / 2));
        _stride = size;
        _x = new double[size * _dims];
        _y = new double[size];
        _alpha = new double[size];
        _l = new double[size * size];
        _v = new double[size * Block];
        _invDiag = new double[size];
    }

    private void FillKernelMatrix()
    {
        for (int i = 0; i < _n; i++)
        {
            var xi = _x.AsSpan(i * _dims, _dims);
            var row = _l.AsSpan(i * _stride, i + 1);
            for (int j = 0; j < i; j++)
            {
                row[j] = MaternKernel.FromSquaredDistance(MaternKernel.SquaredDistance(xi, _x.AsSpan(j * _dims, _dims)), _signal);
            }

            row[i] = _signal + _noise + _jitter;
        }
    }

    private void SolveAlpha()
    {
        var alpha = _alpha.AsSpan(0, _n);
        _y.AsSpan(0, _n).CopyTo(alpha);
        DenseCholesky.SolveLower(_l, _n, _stride, alpha);
        DenseCholesky.SolveLowerTransposed(_l, _n, _stride, alpha);
    }
}
