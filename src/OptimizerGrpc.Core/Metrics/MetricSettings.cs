namespace OptimizerGrpc.Core.Metrics;

/// <summary>How metrics are annualised and what the risk-free rate is.</summary>
/// <param name="RiskFreeRate">Annual risk-free rate as a fraction (0.02 = 2%), &gt; -1. Default 0. Converted to a
/// per-bar rate geometrically: (1 + rf)^(1 / periods per year) - 1.</param>
/// <param name="AnnualizationFactor">Bars per year. When null it is inferred from the timestamps, or 252 without
/// them; see <see cref="AnnualizationSource"/>.</param>
public sealed record MetricSettings(double RiskFreeRate = 0, double? AnnualizationFactor = null)
{
    private readonly double _riskFreeRate = CheckRiskFreeRate(RiskFreeRate);
    private readonly double? _annualizationFactor = CheckAnnualizationFactor(AnnualizationFactor);

    public static MetricSettings Default { get; } = new();

    public double RiskFreeRate
    {
        get => _riskFreeRate;
        init => _riskFreeRate = CheckRiskFreeRate(value);
    }

    public double? AnnualizationFactor
    {
        get => _annualizationFactor;
        init => _annualizationFactor = CheckAnnualizationFactor(value);
    }

    private static double CheckRiskFreeRate(double riskFreeRate) =>
        double.IsFinite(riskFreeRate) && riskFreeRate > -1
            ? riskFreeRate
            : throw new ArgumentOutOfRangeException(nameof(riskFreeRate), riskFreeRate, "The risk-free rate must be finite and > -1.");

    private static double? CheckAnnualizationFactor(double? annualizationFactor) =>
        annualizationFactor is not { } factor || (double.IsFinite(factor) && factor > 0)
            ? annualizationFactor
            : throw new ArgumentOutOfRangeException(nameof(annualizationFactor), annualizationFactor, "The annualization factor must be finite and > 0.");
}
