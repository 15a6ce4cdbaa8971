using OptimizerGrpc.Core.Methods.Bayesian;
using OptimizerGrpc.Core.Randomness;

namespace OptimizerGrpc.Core.Tests.Methods.Bayesian;

public sealed class DenseCholeskyTests
{
    [Fact]
    public void Dot4_IsBitIdenticalToFourDots()
    {
        var rng = new Xoshiro256StarStar(3);
        for (int n = 0; n <= 21; n++)
        {
            var x = Enumerable.Range(0, 4).Select(_ => Random(rng, n)).ToArray();
            var y = Random(rng, n);

            var (d0, d1, d2, d3) = DenseCholesky.Dot4(x[0], x[1], x[2], x[3], y);

            Assert.Equal([DenseCholesky.Dot(x[0], y), DenseCholesky.Dot(x[1], y), DenseCholesky.Dot(x[2], y), DenseCholesky.Dot(x[3], y)], [d0, d1, d2, d3]);
        }
    }

    [Theory]
    [InlineData(4)]
    [InlineData(11)]
    [InlineData(37)]
    public void Factor_FourRowsAtATime_IsBitIdenticalToOneRowAtATime(int n)
    {
        // A = B B^T + n I is positive definite; stride n + 3 leaves garbage the factorisation must not read.
        var rng = new Xoshiro256StarStar((ulong)n);
        var b = Random(rng, n * n);
        int stride = n + 3;
        var a = new double[n * stride];
        Array.Fill(a, double.NaN);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                a[(i * stride) + j] = DenseCholesky.Dot(b.AsSpan(i * n, n), b.AsSpan(j * n, n)) + (i == j ? n : 0);
            }
        }

        var reference = (double[])a.Clone();
        var factor = (double[])a.Clone();

        Assert.True(RowByRow(reference, n, stride));
        Assert.True(DenseCholesky.Factor(factor, n, stride));

        for (int i = 0; i < n; i++)
        {
            Assert.Equal(reference.AsSpan(i * stride, i + 1).ToArray(), factor.AsSpan(i * stride, i + 1).ToArray());
            for (int j = 0; j <= i; j++)
            {
                // And it is a factor: (L L^T)_ij = A_ij.
                double lij = DenseCholesky.Dot(factor.AsSpan(i * stride, j + 1), factor.AsSpan(j * stride, j + 1));
                Assert.Equal(a[(i * stride) + j], lij, 9);
            }
        }
    }

    [Fact]
    public void Factor_NotPositiveDefiniteInAFourRowBlock_ReturnsFalse()
    {
        // The identity except a 2 x 2 block [[1, 2], [2, 1]] in rows 5 and 6.
        var a = new double[8 * 8];
        for (int i = 0; i < 8; i++)
        {
            a[(i * 8) + i] = 1;
        }

        a[(6 * 8) + 5] = 2;

        Assert.False(DenseCholesky.Factor(a, 8, 8));
    }

    // The Cholesky-Banachiewicz order one row at a time, as DenseCholesky.Factor did before its four-row blocking.
    private static bool RowByRow(double[] a, int n, int stride)
    {
        for (int i = 0; i < n; i++)
        {
            var rowI = a.AsSpan(i * stride, i + 1);
            for (int j = 0; j < i; j++)
            {
                rowI[j] = (rowI[j] - DenseCholesky.Dot(rowI[..j], a.AsSpan(j * stride, j))) / a[(j * stride) + j];
            }

            double d = rowI[i] - DenseCholesky.Dot(rowI[..i], rowI[..i]);
            if (!(d > 0))
            {
                return false;
            }

            rowI[i] = Math.Sqrt(d);
        }

        return true;
    }

    private static double[] Random(Xoshiro256StarStar rng, int n)
    {
        var v = new double[n];
        for (int i = 0; i < n; i++)
        {
            v[i] = (2 * rng.NextDouble()) - 1;
        }

        return v;
    }
}
