using System.Globalization;

namespace OptimizerGrpc.Optimization;

/// <summary>
/// Fixed-fraction position sizing: the strategy holds <see cref="Fraction"/> of equity in the direction of the
/// combined signal (1 = fully invested). Parameter "fraction", default 1, searched over [0.1, 1] step 0.1.
/// </summary>
public sealed class PositionSizer
{
    /// <summary>Parameter name of the invested fraction.</summary>
    public const string FractionName = "fraction";

    /// <summary>Creates a sizer.</summary>
    /// <param name="fraction">Invested fraction of equity, in (0, <paramref name="maxFraction"/>]. Default 1.</param>
    /// <param name="maxFraction">Largest fraction allowed (leverage cap). Default 1.</param>
    public PositionSizer(double fraction = 1.0, double maxFraction = 1.0)
    {
        if (!(maxFraction > 0) || !double.IsFinite(maxFraction))
        {
            throw new ArgumentOutOfRangeException(nameof(maxFraction), maxFraction, "The largest fraction must be a finite number > 0.");
        }

        MaxFraction = maxFraction;
        Fraction = fraction;
        if (Check(fraction) is { } error)
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, error);
        }
    }

    /// <summary>Invested fraction of equity.</summary>
    public double Fraction { get; set; }

    /// <summary>Largest fraction allowed.</summary>
    public double MaxFraction { get; }

    /// <summary>Why <paramref name="fraction"/> is not allowed, or null.</summary>
    public string? Check(double fraction) => fraction > 0 && fraction <= MaxFraction
        ? null
        : string.Create(CultureInfo.InvariantCulture, $"{FractionName} must be in (0, {MaxFraction}], got {fraction}.");

    /// <summary>Scales a signal in [-1, 1] to a position.</summary>
    public void Apply(Span<double> positions)
    {
        foreach (ref var p in positions)
        {
            p *= Fraction;
        }
    }
}
