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
    /// Returns false when A is not (numerically) positive definite.</summary>
    public static bool Factor(Span<double> a, int n, int stride)
    {
        for (int i = 0; i < n; i++)
        {
            var rowI = a.Slice(i * stride, i + 1);
            for (int j = 0; j < i; j++)
            {
                rowI[j] = (rowI[j] - Dot(rowI[..j], a.Slice(j * stride, j))) / a[(j * stride) + j];
            }

            double d = rowI[i] - Dot(rowI[..i], rowI[..i]);
            if (!(d > 0) || double.IsInfinity(d))
            {
                return false;
            }

            rowI[i] = Math.Sqrt(d);
        }

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
}
