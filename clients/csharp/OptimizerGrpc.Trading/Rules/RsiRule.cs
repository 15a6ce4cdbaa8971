namespace OptimizerGrpc.Trading;

/// <summary>
/// RSI mean reversion on Wilder's RSI (Wilder 1978, see <see cref="RelativeStrengthIndex"/>): go long when the
/// RSI falls below <c>oversold</c> and hold until it rises above <c>overbought</c>, then go flat (or short when
/// <see cref="AllowShort"/>, held until the RSI falls below <c>oversold</c> again). Between the thresholds the
/// previous position is kept. Bars without an RSI yet are flat.
/// </summary>
public sealed class RsiRule : ParameterizedRule
{
    /// <summary>Parameter name of the RSI period (bars).</summary>
    public const string Period = "period";

    /// <summary>Parameter name of the oversold threshold (0-100).</summary>
    public const string Oversold = "oversold";

    /// <summary>Parameter name of the overbought threshold (0-100).</summary>
    public const string Overbought = "overbought";

    private static readonly RuleParameter[] Space =
    [
        new(Period, RuleParameterKind.Integer, 2, 50, 1, 14, "RSI smoothing period in bars."),
        new(Oversold, RuleParameterKind.Float, 5, 45, 1, 30, "Enter long below this RSI."),
        new(Overbought, RuleParameterKind.Float, 55, 95, 1, 70, "Exit long (or enter short) above this RSI."),
    ];

    /// <summary>Creates the rule with period 14, oversold 30, overbought 70.</summary>
    public RsiRule() : base(Space)
    {
    }

    /// <summary>Creates the rule with the given settings.</summary>
    public RsiRule(int period, double oversold, double overbought, bool allowShort = false) : base(Space)
    {
        SetParameters(new Dictionary<string, double> { [Period] = period, [Oversold] = oversold, [Overbought] = overbought });
        AllowShort = allowShort;
    }

    /// <inheritdoc />
    public override string Name => "rsi";

    /// <summary>Go short above overbought instead of flat. Default false.</summary>
    public bool AllowShort { get; init; }

    /// <inheritdoc />
    public override void ComputePositions(ReadOnlySpan<double> close, Span<double> positions)
    {
        RequireSameLength(close, positions);

        // The RSI is written into the output span first and replaced bar by bar, so no scratch array is needed.
        RelativeStrengthIndex.Compute(close, (int)Value(Period), positions);
        double oversold = Value(Oversold), overbought = Value(Overbought), position = 0;
        for (var t = 0; t < positions.Length; t++)
        {
            var rsi = positions[t];
            if (rsi < oversold)
            {
                position = 1;
            }
            else if (rsi > overbought)
            {
                position = AllowShort ? -1 : 0;
            }

            // NaN (warm-up) compares false both ways, so the position stays flat until the RSI exists.
            positions[t] = position;
        }
    }

    /// <inheritdoc />
    protected override string? Check(IReadOnlyDictionary<string, double> values)
    {
        double period = values[Period], oversold = values[Oversold], overbought = values[Overbought];
        if (period < 1)
        {
            return $"{Period} must be >= 1, got {period}.";
        }

        return 0 <= oversold && oversold < overbought && overbought <= 100
            ? null
            : $"thresholds must satisfy 0 <= {Oversold} < {Overbought} <= 100, got {oversold} and {overbought}.";
    }
}
