using System.Globalization;
using OptimizerGrpc.Client;

namespace OptimizerGrpc.Optimization;

/// <summary>
/// The study's metric settings as a run's metrics ask for them: the one place they are merged. A study has one
/// risk-free rate and one annualization factor, so two metrics that disagree on them cannot share a study.
/// </summary>
internal sealed class MetricSettingsPlan
{
    private readonly List<CustomMetric> _customMetrics = [];

    /// <summary>Annual risk-free rate (0.02 = 2%); 0 until a metric sets one.</summary>
    public double RiskFreeRate { get; private set; }

    /// <summary>Bars per year; null lets the server infer it from the bar times.</summary>
    public double? AnnualizationFactor { get; private set; }

    public void SetRates(double riskFreeRate, double? factor)
    {
        if (RiskFreeRate != 0 && RiskFreeRate != riskFreeRate)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"metrics disagree on the risk-free rate ({RiskFreeRate} and {riskFreeRate}); one study has one."));
        }

        RiskFreeRate = riskFreeRate;
        if (factor is { } f)
        {
            if (AnnualizationFactor is { } current && current != f)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"metrics disagree on the annualization factor ({current} and {f}); one study has one."));
            }

            AnnualizationFactor = f;
        }
    }

    /// <summary>Defines a custom metric in the study, once per name.</summary>
    public void AddCustomMetric(CustomMetric metric)
    {
        if (_customMetrics.All(m => m.Name != metric.Name))
        {
            _customMetrics.Add(metric);
        }
    }

    public void ApplyTo(StudyBuilder builder)
    {
        builder.Metrics(RiskFreeRate, AnnualizationFactor);
        foreach (var metric in _customMetrics)
        {
            builder.CustomMetric(metric.Name, metric.Expression, metric.Maximize ? ObjectiveDirection.Maximize : ObjectiveDirection.Minimize);
        }
    }
}
