using System.Buffers;

namespace OptimizerGrpc.Trading;

/// <summary>
/// Bollinger-band mean reversion (see <see cref="BollingerBands"/>): go long when the close falls below the
/// lower band and exit when it returns to the middle band or above; with <see cref="AllowShort"/>, go short
/// above the upper band and cover at the middle band or below. Bars before the window is full are flat.
/// </summary>
public sealed class BollingerBandsRule : ParameterizedRule
{
    /// <summary>Parameter name of the window (bars).</summary>
    public const string Window = "window";

    /// <summary>Parameter name of the band width in standard deviations.</summary>
    public const string NumStd = "num_std";

    private static readonly RuleParameter[] Space =
    [
        new(Window, RuleParameterKind.Integer, 5, 100, 1, 20, "Moving-average window in bars."),
        new(NumStd, RuleParameterKind.Float, 0.5, 4.0, 0.1, 2.0, "Band width in population standard deviations."),
    ];

    /// <summary>Creates the rule with window 20 and 2 standard deviations.</summary>
    public BollingerBandsRule() : base(Space)
    {
    }

    /// <summary>Creates the rule with the given settings.</summary>
    public BollingerBandsRule(int window, double numStd, bool allowShort = false) : base(Space)
    {
        SetParameters(new Dictionary<string, double> { [Window] = window, [NumStd] = numStd });
        AllowShort = allowShort;
    }

    /// <inheritdoc />
    public override string Name => "bollinger_bands";

    /// <summary>Go short above the upper band. Default false.</summary>
    public bool AllowShort { get; init; }

    /// <inheritdoc />
    public override void ComputePositions(ReadOnlySpan<double> close, Span<double> positions)
    {
        RequireSameLength(close, positions);

        // Pooled scratch keeps the rule allocation-free and safe to call from several threads.
        var scratch = ArrayPool<double>.Shared.Rent(2 * close.Length);
        try
        {
            var mean = scratch.AsSpan(0, close.Length);
            var std = scratch.AsSpan(close.Length, close.Length);
            BollingerBands.Compute(close, (int)Value(Window), mean, std);
            Decide(close, mean, std, Value(NumStd), positions);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(scratch);
        }
    }

    private void Decide(ReadOnlySpan<double> close, ReadOnlySpan<double> mean, ReadOnlySpan<double> std, double width, Span<double> positions)
    {
        double position = 0;
        for (var t = 0; t < close.Length; t++)
        {
            double middle = mean[t], band = width * std[t], price = close[t];
            if (double.IsNaN(middle))
            {
                positions[t] = 0;
                continue;
            }

            if (position > 0 && price >= middle || position < 0 && price <= middle)
            {
                position = 0;
            }

            if (position == 0 && price < middle - band)
            {
                position = 1;
            }
            else if (position == 0 && AllowShort && price > middle + band)
            {
                position = -1;
            }

            positions[t] = position;
        }
    }

    /// <inheritdoc />
    protected override string? Check(IReadOnlyDictionary<string, double> values)
    {
        double window = values[Window], numStd = values[NumStd];
        if (window < 2)
        {
            return $"{Window} must be >= 2, got {window}.";
        }

        return numStd > 0 ? null : $"{NumStd} must be > 0, got {numStd}.";
    }
}
