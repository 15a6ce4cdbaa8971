using System.Numerics;
using System.Runtime.InteropServices;

namespace OptimizerGrpc.Core.Methods.Bayesian;

/// <summary>
/// Cholesky factorisation and triangular solves on a dense row-major matrix with a row stride, in place and
/// without allocating. Only the lower triangle is read or written. Rows are contiguous, so the factorisation
/// is the row-by-row (Cholesky-Banachiewicz) order, whose inner loops are dot products of row prefixes.
/// </summary>
internal static class DenseCholesky
{
    /// <summary>Overwrites the lower triangle of the symmetric n x n matrix <paramref name="a"/> with L, A = L L^T.
    /// Returns false when A is not (numerically) positive definite. Rows go four at a time through the columns
    /// left of them (<see cref="Dot4"/>), so each earlier row of L is read once per four rows instead of once per
    /// row; every entry is computed with the same arithmetic as one row at a time.</summary>
    public static bool Factor(Span<double> a, int n, int stride)
    {
        int i0 = 0;
        for (; i0 + 4 <= n; i0 += 4)
        {
            var r0 = a.Slice(i0 * stride, i0 + 1);
            var r1 = a.Slice((i0 + 1) * stride, i0 + 2);
            var r2 = a.Slice((i0 + 2) * stride, i0 + 3);
            var r3 = a.Slice((i0 + 3) * stride, i0 + 4);
            for (int j = 0; j < i0; j++)
            {
                var (d0, d1, d2, d3) = Dot4(r0[..j], r1[..j], r2[..j], r3[..j], a.Slice(j * stride, j));
                double ljj = a[(j * stride) + j];
                r0[j] = (r0[j] - d0) / ljj;
                r1[j] = (r1[j] - d1) / ljj;
                r2[j] = (r2[j] - d2) / ljj;
                r3[j] = (r3[j] - d3) / ljj;
            }

            for (int i = i0; i < i0 + 4; i++)
            {
                if (!FactorRow(a, stride, i, i0))
                {
                    return false;
                }
            }
        }

        for (int i = i0; i < n; i++)
        {
            if (!FactorRow(a, stride, i, 0))
            {
                return false;
            }
        }

        return true;
    }

    // Row i of L from column `from` on (the columns before it are done): the Cholesky-Banachiewicz step.
    private static bool FactorRow(Span<double> a, int stride, int i, int from)
    {
        var rowI = a.Slice(i * stride, i + 1);
        for (int j = from; j < i; j++)
        {
            rowI[j] = (rowI[j] - Dot(rowI[..j], a.Slice(j * stride, j))) / a[(j * stride) + j];
        }

        double d = rowI[i] - Dot(rowI[..i], rowI[..i]);
        if (!(d > 0) || double.IsInfinity(d))
        {
            return false;
        }

        rowI[i] = Math.Sqrt(d);
        return true;
    }

    /// <summary>Solves L x = b in place (b becomes x).</summary>
    public static void SolveLower(ReadOnlySpan<double> l, int n, int stride, Span<double> b)
    {
        for (int i = 0; i < n; i++)
        {
            b[i] = (b[i] - Dot(l.Slice(i * stride, i), b[..i])) / l[(i * stride) + i];
        }
    }

    /// <summary>Solves L^T x = b in place. Column-oriented so the inner loop runs along a row of L.</summary>
    public static void SolveLowerTransposed(ReadOnlySpan<double> l, int n, int stride, Span<double> b)
    {
        for (int i = n - 1; i >= 0; i--)
        {
            double x = b[i] / l[(i * stride) + i];
            b[i] = x;
            var row = l.Slice(i * stride, i);
            for (int j = 0; j < i; j++)
            {
                b[j] -= row[j] * x;
            }
        }
    }

    /// <summary>A dot product, vectorised. The summation order depends only on the length, so it is reproducible.</summary>
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        int n = x.Length;
        int i = 0;
        double sum = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count * 2)
        {
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x);
            var vy = MemoryMarshal.Cast<double, Vector<double>>(y[..x.Length]);
            var acc0 = Vector<double>.Zero;
            var acc1 = Vector<double>.Zero;
            int k = 0;
            for (; k + 1 < vx.Length; k += 2)
            {
                acc0 += vx[k] * vy[k];
                acc1 += vx[k + 1] * vy[k + 1];
            }

            if (k < vx.Length)
            {
                acc0 += vx[k] * vy[k];
            }

            sum = Vector.Sum(acc0 + acc1);
            i = vx.Length * Vector<double>.Count;
        }

        for (; i < n; i++)
        {
            sum += x[i] * y[i];
        }

        return sum;
    }

    /// <summary>Four dot products of equal length against one shared vector, each bit-identical to
    /// <see cref="Dot"/> (the same accumulators in the same order), with each load of y used four times.</summary>
    public static (double, double, double, double) Dot4(ReadOnlySpan<double> x0, ReadOnlySpan<double> x1, ReadOnlySpan<double> x2, ReadOnlySpan<double> x3, ReadOnlySpan<double> y)
    {
        int n = y.Length;
        int i = 0;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count * 2)
        {
            var vy = MemoryMarshal.Cast<double, Vector<double>>(y);
            var v0 = MemoryMarshal.Cast<double, Vector<double>>(x0[..n]);
            var v1 = MemoryMarshal.Cast<double, Vector<double>>(x1[..n]);
            var v2 = MemoryMarshal.Cast<double, Vector<double>>(x2[..n]);
            var v3 = MemoryMarshal.Cast<double, Vector<double>>(x3[..n]);
            Vector<double> a0 = default, b0 = default, a1 = default, b1 = default;
            Vector<double> a2 = default, b2 = default, a3 = default, b3 = default;
            int k = 0;
            for (; k + 1 < vy.Length; k += 2)
            {
                var y0 = vy[k];
                var y1 = vy[k + 1];
                a0 += v0[k] * y0;
                b0 += v0[k + 1] * y1;
                a1 += v1[k] * y0;
                b1 += v1[k + 1] * y1;
                a2 += v2[k] * y0;
                b2 += v2[k + 1] * y1;
                a3 += v3[k] * y0;
                b3 += v3[k + 1] * y1;
            }

            if (k < vy.Length)
            {
                a0 += v0[k] * vy[k];
                a1 += v1[k] * vy[k];
                a2 += v2[k] * vy[k];
                a3 += v3[k] * vy[k];
            }

            s0 = Vector.Sum(a0 + b0);
            s1 = Vector.Sum(a1 + b1);
            s2 = Vector.Sum(a2 + b2);
            s3 = Vector.Sum(a3 + b3);
            i = vy.Length * Vector<double>.Count;
        }

        for (; i < n; i++)
        {
            s0 += x0[i] * y[i];
            s1 += x1[i] * y[i];
            s2 += x2[i] * y[i];
            s3 += x3[i] * y[i];
        }

        return (s0, s1, s2, s3);
    }
}
