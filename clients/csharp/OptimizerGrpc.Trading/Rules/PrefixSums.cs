namespace OptimizerGrpc.Trading;

/// <summary>
/// Prefix sums of a series: sums[i] = x[0] + ... + x[i-1]. A window mean is then two loads and a subtraction,
/// so any number of windows costs O(n) each with no allocation. Both the crossover rule and the sweep use
/// this exact arithmetic, so their positions agree bit for bit.
/// </summary>
internal static class PrefixSums
{
    public static double[] Compute(ReadOnlySpan<double> values)
    {
        var sums = new double[values.Length + 1];
        var running = 0.0;
        for (var i = 0; i < values.Length; i++)
        {
            running += values[i];
            sums[i + 1] = running;
        }

        return sums;
    }

    /// <summary>Mean of the <paramref name="window"/> values ending at bar <paramref name="t"/> (inclusive).</summary>
    public static double WindowMean(double[] sums, int t, int window, double inverseWindow) =>
        (sums[t + 1] - sums[t + 1 - window]) * inverseWindow;
}
