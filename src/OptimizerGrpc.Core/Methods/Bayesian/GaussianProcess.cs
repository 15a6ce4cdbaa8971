using System.Numerics;
using System.Runtime.InteropServices;

namespace OptimizerGrpc.Core.Methods.Bayesian;

/// <summary>
/// A zero-mean Gaussian process with a Matérn 5/2 ARD kernel and Gaussian noise, conditioned on standardised
/// targets (Rasmussen and Williams 2006, algorithm 2.1). Hyperparameters are
/// theta = [log l_1 .. log l_D, log signal variance, log noise variance]. Buffers are kept and grown, never
/// shrunk, so re-conditioning on every Ask does not allocate once the sizes are reached.
/// </summary>
internal sealed class GaussianProcess
{
    /// <summary>Candidates are predicted in blocks of this many; a multiple of every Vector&lt;double&gt; width.</summary>
    public const int Block = 128;

    private const double LogTwoPi = 1.8378770664093454836;

    private readonly int _dims;
    private readonly double[] _invLength;
    private readonly double[] _zt;
    private readonly double[] _meanBlock = new double[Block];
    private readonly double[] _sqBlock = new double[Block];
    private double _signal;
    private double _noise;
    private double _jitter;
    private double[] _x = [];
    private double[] _y = [];
    private double[] _alpha = [];
    private double[] _l = [];
    private double[] _v = [];
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
        _y[_n] = mean;
        _n++;
        SolveAlpha();
    }

    /// <summary>
    /// Posterior mean and latent variance (noise excluded) of <paramref name="m"/> candidates given row-major in
    /// <paramref name="candidates"/>. Per block of candidates: one pass over the training points computes the
    /// cross-kernel row, accumulates the mean, and forward-substitutes L v = k for the whole block at once,
    /// vectorised across candidates.
    /// </summary>
    public void Predict(ReadOnlySpan<double> candidates, int m, Span<double> mean, Span<double> variance)
    {
        for (int start = 0; start < m; start += Block)
        {
            int count = Math.Min(Block, m - start);
            PredictBlock(candidates.Slice(start * _dims, count * _dims), count);
            _meanBlock.AsSpan(0, count).CopyTo(mean.Slice(start, count));
            for (int c = 0; c < count; c++)
            {
                variance[start + c] = Math.Max(_signal - _sqBlock[c], 1e-12 * _signal);
            }
        }
    }

    private void PredictBlock(ReadOnlySpan<double> candidates, int count)
    {
        int width = Vector<double>.Count;
        int vecs = Block / width;
        var zt = _zt.AsSpan();
        for (int d = 0; d < _dims; d++)
        {
            var column = zt.Slice(d * Block, Block);
            for (int c = 0; c < count; c++)
            {
                column[c] = candidates[(c * _dims) + d] * _invLength[d];
            }

            column[count..].Clear();
        }

        var ztv = MemoryMarshal.Cast<double, Vector<double>>(zt);
        var v = MemoryMarshal.Cast<double, Vector<double>>(_v.AsSpan(0, _n * Block));
        var meanv = MemoryMarshal.Cast<double, Vector<double>>(_meanBlock.AsSpan());
        var sqv = MemoryMarshal.Cast<double, Vector<double>>(_sqBlock.AsSpan());
        meanv.Clear();
        sqv.Clear();
        var signal = new Vector<double>(_signal);
        var sqrt5 = new Vector<double>(MaternKernel.Sqrt5);
        var fiveThirds = new Vector<double>(5.0 / 3.0);

        // Cross-kernel rows k(x_i, candidates) and the mean sum_i alpha_i k_i.
        for (int i = 0; i < _n; i++)
        {
            var vi = v.Slice(i * vecs, vecs);
            var alpha = new Vector<double>(_alpha[i]);
            for (int q = 0; q < vecs; q++)
            {
                var r2 = Vector<double>.Zero;
                for (int d = 0; d < _dims; d++)
                {
                    var t = ztv[(d * vecs) + q] - new Vector<double>(_x[(i * _dims) + d]);
                    r2 += t * t;
                }

                var s = sqrt5 * Vector.SquareRoot(r2);
                vi[q] = signal * (Vector<double>.One + s + (fiveThirds * r2)) * Vector.Exp(-s);
                meanv[q] += alpha * vi[q];
            }
        }

        // Forward substitution L V = K for the whole block in place, in tiles of 4 rows x 2 vectors held in
        // registers: each loaded pair of v_j vectors feeds 8 multiply-adds, instead of 1 in a row-by-row sweep.
        int i0 = 0;
        for (; i0 + 4 <= _n; i0 += 4)
        {
            SolveTile(v, vecs, i0);
        }

        for (int i = i0; i < _n; i++)
        {
            SolveRow(v, vecs, i);
        }

        for (int i = 0; i < _n; i++)
        {
            var vi = v.Slice(i * vecs, vecs);
            for (int q = 0; q < vecs; q++)
            {
                sqv[q] += vi[q] * vi[q];
            }
        }
    }

    private void SolveTile(Span<Vector<double>> v, int vecs, int i0)
    {
        var l0 = _l.AsSpan(i0 * _stride, i0 + 1);
        var l1 = _l.AsSpan((i0 + 1) * _stride, i0 + 2);
        var l2 = _l.AsSpan((i0 + 2) * _stride, i0 + 3);
        var l3 = _l.AsSpan((i0 + 3) * _stride, i0 + 4);
        for (int q = 0; q < vecs; q += 2)
        {
            var a00 = v[(i0 * vecs) + q];
            var a01 = v[(i0 * vecs) + q + 1];
            var a10 = v[((i0 + 1) * vecs) + q];
            var a11 = v[((i0 + 1) * vecs) + q + 1];
            var a20 = v[((i0 + 2) * vecs) + q];
            var a21 = v[((i0 + 2) * vecs) + q + 1];
            var a30 = v[((i0 + 3) * vecs) + q];
            var a31 = v[((i0 + 3) * vecs) + q + 1];
            for (int j = 0; j < i0; j++)
            {
                var b0 = v[(j * vecs) + q];
                var b1 = v[(j * vecs) + q + 1];
                var c0 = new Vector<double>(l0[j]);
                var c1 = new Vector<double>(l1[j]);
                var c2 = new Vector<double>(l2[j]);
                var c3 = new Vector<double>(l3[j]);
                a00 -= c0 * b0;
                a01 -= c0 * b1;
                a10 -= c1 * b0;
                a11 -= c1 * b1;
                a20 -= c2 * b0;
                a21 -= c2 * b1;
                a30 -= c3 * b0;
                a31 -= c3 * b1;
            }

            // The 4 x 4 triangle on the diagonal.
            a00 /= new Vector<double>(l0[i0]);
            a01 /= new Vector<double>(l0[i0]);
            a10 = (a10 - (new Vector<double>(l1[i0]) * a00)) / new Vector<double>(l1[i0 + 1]);
            a11 = (a11 - (new Vector<double>(l1[i0]) * a01)) / new Vector<double>(l1[i0 + 1]);
            a20 = (a20 - (new Vector<double>(l2[i0]) * a00) - (new Vector<double>(l2[i0 + 1]) * a10)) / new Vector<double>(l2[i0 + 2]);
            a21 = (a21 - (new Vector<double>(l2[i0]) * a01) - (new Vector<double>(l2[i0 + 1]) * a11)) / new Vector<double>(l2[i0 + 2]);
            a30 = (a30 - (new Vector<double>(l3[i0]) * a00) - (new Vector<double>(l3[i0 + 1]) * a10) - (new Vector<double>(l3[i0 + 2]) * a20)) / new Vector<double>(l3[i0 + 3]);
            a31 = (a31 - (new Vector<double>(l3[i0]) * a01) - (new Vector<double>(l3[i0 + 1]) * a11) - (new Vector<double>(l3[i0 + 2]) * a21)) / new Vector<double>(l3[i0 + 3]);
            v[(i0 * vecs) + q] = a00;
            v[(i0 * vecs) + q + 1] = a01;
            v[((i0 + 1) * vecs) + q] = a10;
            v[((i0 + 1) * vecs) + q + 1] = a11;
            v[((i0 + 2) * vecs) + q] = a20;
            v[((i0 + 2) * vecs) + q + 1] = a21;
            v[((i0 + 3) * vecs) + q] = a30;
            v[((i0 + 3) * vecs) + q + 1] = a31;
        }
    }

    private void SolveRow(Span<Vector<double>> v, int vecs, int i)
    {
        var lRow = _l.AsSpan(i * _stride, i + 1);
        var vi = v.Slice(i * vecs, vecs);
        for (int j = 0; j < i; j++)
        {
            var lj = new Vector<double>(lRow[j]);
            var vj = v.Slice(j * vecs, vecs);
            for (int q = 0; q < vecs; q++)
            {
                vi[q] -= lj * vj[q];
            }
        }

        var inv = new Vector<double>(lRow[i]);
        for (int q = 0; q < vecs; q++)
        {
            vi[q] /= inv;
        }
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
