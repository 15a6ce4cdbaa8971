using OptimizerGrpc.Client;
using OptimizerGrpc.Trading;

namespace OptimizerGrpc.Optimization;

/// <summary>
/// Evaluates a regime-detector trial: labels the series with a copy of the detector holding the trial's parameters
/// (the registered detector is not touched, so trials can run concurrently) and reports the classification accuracy
/// of the labels as the trial's value.
/// </summary>
internal sealed class DetectorEvaluator
{
    private readonly string _targetName;
    private readonly RegimeDetectorTarget _target;
    private readonly RegimeClassificationAccuracyMetric _metric;
    private readonly PriceSeries _series;

    public DetectorEvaluator(string targetName, RegimeDetectorTarget target, RegimeClassificationAccuracyMetric metric, PriceSeries series)
    {
        (_targetName, _target, _metric, _series) = (targetName, target, metric, series);
    }

    public TrialOutcome Evaluate(TrialInfo trial)
    {
        var values = StrategyEvaluator.ValuesFor(trial, _targetName);
        var (ok, error) = _target.ValidateParameters(values);
        if (!ok)
        {
            return TrialOutcome.Infeasible($"{_targetName}: {error}");
        }

        var detector = _target.Detector.With(values);
        var labels = detector.Detect(_series.Close);
        return TrialOutcome.FromValues((_metric.ServerName, _metric.Score(_series.Close, labels, detector.WarmupBars, detector)));
    }
}
