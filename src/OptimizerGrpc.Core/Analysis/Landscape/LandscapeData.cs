using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Analysis.Landscape;

/// <summary>
/// The analysed trials in columns, row i = one trial: its score, number, and per free parameter (flat, i * D + d) its
/// value, unit position and cell. <see cref="Ranked"/> lists the rows best first (ties: lower trial number first).
/// </summary>
internal sealed class LandscapeData
{
    public LandscapeData(IReadOnlyList<LandscapeAxis> axes, double[] scores, long[] numbers, double[] units, ParamValue[] values)
    {
        Axes = axes;
        D = axes.Count;
        N = scores.Length;
        Scores = scores;
        Numbers = numbers;
        Units = units;
        Values = values;
        Cells = new int[units.Length];
        for (int i = 0; i < N; i++)
        {
            for (int d = 0; d < D; d++)
            {
                Cells[(i * D) + d] = axes[d].CellOf(units[(i * D) + d]);
            }
        }

        Ranked = new int[N];
        for (int i = 0; i < N; i++)
        {
            Ranked[i] = i;
        }

        Array.Sort(Ranked, (a, b) => scores[a] != scores[b] ? scores[b].CompareTo(scores[a]) : numbers[a].CompareTo(numbers[b]));
    }

    public IReadOnlyList<LandscapeAxis> Axes { get; }

    public int N { get; }

    public int D { get; }

    public double[] Scores { get; }

    public long[] Numbers { get; }

    public double[] Units { get; }

    public ParamValue[] Values { get; }

    public int[] Cells { get; }

    public int[] Ranked { get; }

    public ReadOnlySpan<int> CellsOf(int row) => Cells.AsSpan(row * D, D);

    public ReadOnlySpan<double> UnitsOf(int row) => Units.AsSpan(row * D, D);

    public ParamValue[] ValuesOf(int row) => Values.AsSpan(row * D, D).ToArray();

    /// <summary>The median score (the mean of the middle two for an even count); NaN without trials.</summary>
    public double MedianScore()
    {
        if (N == 0)
        {
            return double.NaN;
        }

        double upper = Scores[Ranked[(N - 1) / 2]];
        double lower = Scores[Ranked[N / 2]];
        return (upper + lower) / 2;
    }

    /// <summary>The rows of the best trials: the top <paramref name="fraction"/>, at least <paramref name="min"/> and at most
    /// <paramref name="max"/> (and at most N).</summary>
    public ReadOnlySpan<int> Top(double fraction, int min, int max)
    {
        // The 1e-9 slack keeps 0.1 * 30 = 3.0000000000000004 from taking a fourth trial.
        long count = Math.Clamp((long)Math.Ceiling((fraction * N) - 1e-9), min, max);
        return Ranked.AsSpan(0, (int)Math.Min(count, N));
    }
}
