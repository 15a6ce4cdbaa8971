namespace OptimizerGrpc.Trading;

/// <summary>
/// Moving-average crossover: long while the fast simple moving average is above the slow one, otherwise
/// flat (or short when <see cref="AllowShort"/>). Bars before the slow window is full are flat.
/// </summary>
public sealed class MovingAverageCrossoverRule : ParameterizedRule
{
    /// <summary>Parameter name of the fast window (bars).</summary>
    public const string FastWindow = "fast_window";

    /// <summary>Parameter name of the slow window (bars).</summary>
    public const string SlowWindow = "slow_window";

    private static readonly RuleParameter[] Space =
    [
        new(FastWindow, RuleParameterKind.Integer, 2, 100, 1, 10, "Fast SMA length in bars."),
        new(SlowWindow, RuleParameterKind.Integer, 5, 400, 1, 50, "Slow SMA length in bars; must exceed fast_window."),
    ];

    /// <summary>Creates the rule with fast 10 and slow 50.</summary>
    public MovingAverageCrossoverRule() : base(Space)
    {
    }

    /// <summary>Creates the rule with the given windows.</summary>
    public MovingAverageCrossoverRule(int fastWindow, int slowWindow, bool allowShort = false) : base(Space)
    {
        SetParameters(new Dictionary<string, double> { [FastWindow] = fastWindow, [SlowWindow] = slowWindow });
        AllowShort = allowShort;
    }

    /// <inheritdoc />
    public override string Name => "ma_crossover";

    /// <summary>Go short (-1) when the fast average is below the slow one, instead of flat. Default false.</summary>
    public bool AllowShort { get; init; }

    /// <summary>The current fast window.</summary>
    public int Fast => (int)Value(FastWindow);

    /// <summary>The current slow window.</summary>
    public int Slow => (int)Value(SlowWindow);

    /// <inheritdoc />
    public override void ComputePositions(ReadOnlySpan<double> close, Span<double> positions)
    {
        RequireSameLength(close, positions);
        var sums = PrefixSums.Compute(close);
        int fast = Fast, slow = Slow;
        double inverseFast = 1.0 / fast, inverseSlow = 1.0 / slow;
        var warmup = Math.Min(slow - 1, close.Length);
        positions[..warmup].Clear();
        for (var t = warmup; t < close.Length; t++)
        {
            positions[t] = Signal(
                PrefixSums.WindowMean(sums, t, fast, inverseFast), PrefixSums.WindowMean(sums, t, slow, inverseSlow), AllowShort);
        }
    }

    /// <summary>The crossover decision shared with <see cref="MovingAverageSweep"/>.</summary>
    internal static double Signal(double fastMean, double slowMean, bool allowShort) =>
        fastMean > slowMean ? 1.0 : allowShort && fastMean < slowMean ? -1.0 : 0.0;

    /// <inheritdoc />
    protected override string? Check(IReadOnlyDictionary<string, double> values)
    {
        double fast = values[FastWindow], slow = values[SlowWindow];
        if (fast < 1)
        {
            return $"{FastWindow} must be >= 1, got {fast}.";
        }

        return fast < slow ? null : $"{FastWindow} ({fast}) must be less than {SlowWindow} ({slow}).";
    }
}
