namespace OptimizerGrpc.Optimization;

/// <summary>
/// A metric to optimise (the spec's <c>OptimizationMetric</c>). The server computes it from each trial's backtest
/// record; <see cref="ServerName"/> is its name there.
/// </summary>
public abstract record OptimizationMetric
{
    /// <summary>The server's metric name.</summary>
    public abstract string ServerName { get; }

    /// <summary>True when larger is better.</summary>
    public abstract bool HigherIsBetter { get; }

    /// <summary>Adds the metric's settings to the study (risk-free rate, annualisation, a custom definition).</summary>
    internal virtual void Configure(MetricSettingsPlan settings)
    {
    }
}

/// <summary>Annualised Sharpe ratio. <see cref="AnnualizationFactor"/> null lets the server infer it from the bar times.</summary>
public sealed record SharpeRatioMetric : OptimizationMetric
{
    /// <summary>Creates the options.</summary>
    public SharpeRatioMetric(double riskFreeRate = 0.0, double? annualizationFactor = 252)
    {
        RiskFreeRate = riskFreeRate;
        AnnualizationFactor = annualizationFactor;
    }

    /// <summary>Annual risk-free rate subtracted from returns (0.02 = 2%). Default 0.</summary>
    public double RiskFreeRate { get; init; }

    /// <summary>Bars per year (252 for daily bars); null lets the server infer it from the bar times. Default 252.</summary>
    public double? AnnualizationFactor { get; init; }

    /// <inheritdoc />
    public override string ServerName => "sharpe_ratio";

    /// <inheritdoc />
    public override bool HigherIsBetter => true;

    internal override void Configure(MetricSettingsPlan settings) => settings.SetRates(RiskFreeRate, AnnualizationFactor);
}

/// <summary>Annualised Sortino ratio.</summary>
public sealed record SortinoRatioMetric : OptimizationMetric
{
    /// <summary>Creates the options.</summary>
    public SortinoRatioMetric(double riskFreeRate = 0.0, double? annualizationFactor = 252)
    {
        RiskFreeRate = riskFreeRate;
        AnnualizationFactor = annualizationFactor;
    }

    /// <summary>Annual risk-free rate subtracted from returns (0.02 = 2%). Default 0.</summary>
    public double RiskFreeRate { get; init; }

    /// <summary>Bars per year (252 for daily bars); null lets the server infer it from the bar times. Default 252.</summary>
    public double? AnnualizationFactor { get; init; }

    /// <inheritdoc />
    public override string ServerName => "sortino_ratio";

    /// <inheritdoc />
    public override bool HigherIsBetter => true;

    internal override void Configure(MetricSettingsPlan settings) => settings.SetRates(RiskFreeRate, AnnualizationFactor);
}

/// <summary>Annualised return over maximum drawdown.</summary>
public sealed record CalmarRatioMetric : OptimizationMetric
{
    /// <summary>Creates the options.</summary>
    public CalmarRatioMetric(double? annualizationFactor = 252)
    {
        AnnualizationFactor = annualizationFactor;
    }

    /// <summary>Bars per year (252 for daily bars); null lets the server infer it from the bar times. Default 252.</summary>
    public double? AnnualizationFactor { get; init; }

    /// <inheritdoc />
    public override string ServerName => "calmar_ratio";

    /// <inheritdoc />
    public override bool HigherIsBetter => true;

    internal override void Configure(MetricSettingsPlan settings) => settings.SetRates(settings.RiskFreeRate, AnnualizationFactor);
}

/// <summary>Final equity over initial equity minus one.</summary>
public sealed record TotalReturnMetric : OptimizationMetric
{
    /// <inheritdoc />
    public override string ServerName => "total_return";

    /// <inheritdoc />
    public override bool HigherIsBetter => true;
}

/// <summary>Largest peak-to-trough fall as a fraction of the peak; minimised.</summary>
public sealed record MaxDrawdownMetric : OptimizationMetric
{
    /// <inheritdoc />
    public override string ServerName => "max_drawdown";

    /// <inheritdoc />
    public override bool HigherIsBetter => false;
}

/// <summary>Share of trades with positive profit.</summary>
public sealed record WinRateMetric : OptimizationMetric
{
    /// <inheritdoc />
    public override string ServerName => "win_rate";

    /// <inheritdoc />
    public override bool HigherIsBetter => true;
}

/// <summary>Gross profit over gross loss of the trades.</summary>
public sealed record ProfitFactorMetric : OptimizationMetric
{
    /// <inheritdoc />
    public override string ServerName => "profit_factor";

    /// <inheritdoc />
    public override bool HigherIsBetter => true;
}

/// <summary>
/// A metric defined by an expression over the server's metrics, e.g. "sharpe_ratio - 0.5 * max_drawdown", under
/// <see cref="Name"/> (letters, digits, '_').
/// </summary>
public sealed record CustomMetric : OptimizationMetric
{
    /// <summary>Creates the options.</summary>
    public CustomMetric(string name, string expression, bool maximize = true)
    {
        Name = name;
        Expression = expression;
        Maximize = maximize;
    }

    /// <summary>The metric's name in the study (letters, digits, '_').</summary>
    public string Name { get; init; }

    /// <summary>The formula over the server's metrics.</summary>
    public string Expression { get; init; }

    /// <summary>True when larger is better. Default true.</summary>
    public bool Maximize { get; init; }

    /// <inheritdoc />
    public override string ServerName => Name;

    /// <inheritdoc />
    public override bool HigherIsBetter => Maximize;

    internal override void Configure(MetricSettingsPlan settings) => settings.AddCustomMetric(this);
}
