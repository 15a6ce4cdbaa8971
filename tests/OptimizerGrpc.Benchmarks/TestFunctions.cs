namespace OptimizerGrpc.Benchmarks;

/// <summary>Standard minimisation test functions (Surjanovic and Bingham, Virtual Library of Simulation Experiments).</summary>
internal static class TestFunctions
{
    private static readonly double[] H6Alpha = [1.0, 1.2, 3.0, 3.2];

    private static readonly double[,] H6A =
    {
        { 10, 3, 17, 3.5, 1.7, 8 }, { 0.05, 10, 17, 0.1, 8, 14 }, { 3, 3.5, 1.7, 10, 17, 8 }, { 17, 8, 0.05, 10, 0.1, 14 },
    };

    private static readonly double[,] H6P =
    {
        { 1312, 1696, 5569, 124, 8283, 5886 }, { 2329, 4135, 8307, 3736, 1004, 9991 },
        { 2348, 1451, 3522, 2883, 3047, 6650 }, { 4047, 8828, 8732, 5743, 1091, 381 },
    };

    public static double Branin(double[] x)
    {
        double x1 = x[0], x2 = x[1];
        const double b = 5.1 / (4 * Math.PI * Math.PI), c = 5 / Math.PI, t = 1 / (8 * Math.PI);
        var a = x2 - (b * x1 * x1) + (c * x1) - 6;
        return (a * a) + (10 * (1 - t) * Math.Cos(x1)) + 10;
    }

    public static double Hartmann6(double[] x)
    {
        var total = 0.0;
        for (var i = 0; i < 4; i++)
        {
            var inner = 0.0;
            for (var j = 0; j < 6; j++)
            {
                var d = x[j] - (H6P[i, j] * 1e-4);
                inner += H6A[i, j] * d * d;
            }

            total += H6Alpha[i] * Math.Exp(-inner);
        }

        return -total;
    }

    public static double Rosenbrock(double[] x)
    {
        var sum = 0.0;
        for (var i = 0; i + 1 < x.Length; i++)
        {
            var a = x[i + 1] - (x[i] * x[i]);
            var b = 1 - x[i];
            sum += (100 * a * a) + (b * b);
        }

        return sum;
    }

    public static double Rastrigin(double[] x)
    {
        var sum = 10.0 * x.Length;
        foreach (var v in x)
        {
            sum += (v * v) - (10 * Math.Cos(2 * Math.PI * v));
        }

        return sum;
    }

    public static double Ackley(double[] x)
    {
        double s1 = 0, s2 = 0;
        foreach (var v in x)
        {
            s1 += v * v;
            s2 += Math.Cos(2 * Math.PI * v);
        }

        return (-20 * Math.Exp(-0.2 * Math.Sqrt(s1 / x.Length))) - Math.Exp(s2 / x.Length) + 20 + Math.E;
    }
}
