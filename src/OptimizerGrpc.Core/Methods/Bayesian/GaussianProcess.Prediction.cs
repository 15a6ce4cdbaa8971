using System.Numerics;
using System.Runtime.InteropServices;

namespace OptimizerGrpc.Core.Methods.Bayesian;

/// <summary>Batched posterior prediction for <see cref="GaussianProcess"/>.</summary>
internal sealed partial class GaussianProcess
{
    /// <summary>
    /// Posterior mean and latent variance (noise excluded) of <paramref name="m"/> candidates given row-major in
    /// <paramref name="candidates"/>. Per block of candidates: one pass over the training points computes the
    /// cross-kernel row, accumulates the mean, and forward-substitutes L v = k for the whole block at once,
    /// vectorised across candidates; a partial block costs in proportion to its size.
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

    /// <summary>
    /// Posterior mean and an upper bound on the latent variance of <paramref name="m"/> candidates, at the cost of
    /// the cross-kernel pass only (no triangular solve). Conditioning on fewer observations never lowers the
    /// posterior variance, so the variance given the single observation i, s - k_i^2 / (s + noise + jitter), bounds
    /// it; the bound is the smallest of these over i. The mean is bit-identical to <see cref="Predict"/>'s.
    /// </summary>
    public void PredictBound(ReadOnlySpan<double> candidates, int m, Span<double> mean, Span<double> varianceBound)
    {
        for (int start = 0; start < m; start += Block)
        {
            int count = Math.Min(Block, m - start);
            KernelRows(candidates.Slice(start * _dims, count * _dims), count, bound: true);
            _meanBlock.AsSpan(0, count).CopyTo(mean.Slice(start, count));
            for (int c = 0; c < count; c++)
            {
                varianceBound[start + c] = Math.Max(_signal - _nearBlock[c], 1e-12 * _signal);
            }

            }
    }

    private void PredictBlock(ReadOnlySpan<double> candidates, int count)
    {
        int vecs = KernelRows(candidates, count, bound: false);
        var v = MemoryMarshal.Cast<double, Vector<double>>(_v.AsSpan(0, _n * vecs * Vector<double>.Count));
        var sqv = MemoryMarshal.Cast<double, Vector<double>>(_sqBlock.AsSpan());
        sqv.Clear();

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

    // Fills rows i of V (n x lanes, lanes = count rounded up to 2 vectors) with k(x_i, candidates) and the block's
    // mean sum_i alpha_i k_i; with bound, also max_i k_i^2 / (s + noise + jitter) per candidate. Each candidate
    // is one lane and its arithmetic does not depend on the others, so a candidate scores the same in any block.
    // Returns the number of vectors per row.
    private int KernelRows(ReadOnlySpan<double> candidates, int count, bool bound)
    {
        int width = Vector<double>.Count;
        int vecs = (count + (2 * width) - 1) / (2 * width) * 2;
        int lanes = vecs * width;
        var zt = _zt.AsSpan(0, _dims * lanes);
        for (int d = 0; d < _dims; d++)
        {
            var column = zt.Slice(d * lanes, lanes);
            for (int c = 0; c < count; c++)
            {
                column[c] = candidates[(c * _dims) + d] * _invLength[d];
            }

            column[count..].Clear();
        }

        var ztv = MemoryMarshal.Cast<double, Vector<double>>(zt);
        var v = MemoryMarshal.Cast<double, Vector<double>>(_v.AsSpan(0, _n * lanes));
        var meanv = MemoryMarshal.Cast<double, Vector<double>>(_meanBlock.AsSpan(0, lanes));
        var nearv = MemoryMarshal.Cast<double, Vector<double>>(_nearBlock.AsSpan(0, lanes));
        meanv.Clear();
        nearv.Clear();
        var signal = new Vector<double>(_signal);
        var sqrt5 = new Vector<double>(MaternKernel.Sqrt5);
        var fiveThirds = new Vector<double>(5.0 / 3.0);
        for (int i = 0; i < _n; i++)
        {
            var vi = v.Slice(i * vecs, vecs);
            var alpha = new Vector<double>(_alpha[i]);
            var invDiag = new Vector<double>(_invDiag[i]);
            for (int q = 0; q < vecs; q++)
            {
                var r2 = Vector<double>.Zero;
                for (int d = 0; d < _dims; d++)
                {
                    var t = ztv[(d * vecs) + q] - new Vector<double>(_x[(i * _dims) + d]);
                    r2 += t * t;
                }

                var s = sqrt5 * Vector.SquareRoot(r2);
                var k = signal * (Vector<double>.One + s + (fiveThirds * r2)) * Vector.Exp(-s);
                vi[q] = k;
                meanv[q] += alpha * k;
                if (bound)
                {
                    nearv[q] = Vector.Max(nearv[q], k * k * invDiag);
                }
            }
        }

        return vecs;
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
}
