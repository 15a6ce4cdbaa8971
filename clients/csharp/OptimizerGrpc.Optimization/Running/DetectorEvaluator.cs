using OptimizerGrpc.Client;
using OptimizerGrpc.Trading;

namespace OptimizerGrpc.Optimization;

/// <summary>
/// Evaluates a regime-detector trial: labels the series with a fresh detector holding the trial's lookback and
/// threshold (the registered detector is not touched, so trials can run concurrently) and reports the
/// classification accuracy of the labels as the trial's value.
/// </summary>
internal sealed class DetectorEvaluator(string targetName, RegimeDetectorTarget target, RegimeClassificationAccuracyMetric metric, PriceSeries series)
{
    public TrialOutcome Evaluate(TrialInfo trial)
    {
        var values = StrategyEvaluator.ValuesFor(trial, targetName);
        var (ok, error) = target.ValidateParameters(values);
        if (!ok)
        {
            return TrialOutcome.Failure($"{targetName}: {error}", nameof(ArgumentException));
        }

        var detector = new TrendRegimeDetector
        {
            LookbackBars = (int)values.GetValueOrDefault(TrendRegimeDetector.Lookback, target.Detector.LookbackBars),
            ThresholdFraction = values.GetValueOrDefault(TrendRegimeDetector.Threshold, target.Detector.ThresholdFraction),
        };
        var labels = detector.Detect(series.Close);
        return TrialOutcome.FromValues((metric.ServerName, metric.Score(series.Close, labels, detector.LookbackBars - 1)));
    }
}
