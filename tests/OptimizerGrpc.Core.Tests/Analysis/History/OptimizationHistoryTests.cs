using OptimizerGrpc.Core.Analysis.History;

namespace OptimizerGrpc.Core.Tests.Analysis.History;

public sealed class OptimizationHistoryTests
{
    [Fact]
    public void Downsample_FewerTrialsThanPoints_EveryTrialAndTheStepCurve()
    {
        HistoryPoint[] trials = [new(2, 1), new(0, 3), new(1, 2), new(3, 5), new(4, double.NaN)];

        var view = OptimizationHistory.Downsample(trials, 10);

        Assert.Equal(4, view.Completed); // the NaN score is not a completed score
        Assert.Equal([0L, 1, 2, 3], view.Points.Select(p => p.Number));
        // Best so far: 3 at trial 0, 5 at trial 3 (trial 3 is the last, so no closing point).
        Assert.Equal([new HistoryPoint(0, 3), new HistoryPoint(3, 5)], view.Best);
    }

    [Fact]
    public void Downsample_ManyTrials_BoundedKeepsEachBucketsExtremesAndEveryImprovement()
    {
        // 10,000 trials: a slow rise with a sawtooth, a spike at 5,000 and a dip at 7,777.
        var trials = Enumerable.Range(0, 10_000).Select(i => new HistoryPoint(i, (i * 1e-4) + ((i % 7) * 0.01))).ToList();
        trials[5000] = new HistoryPoint(5000, 50);
        trials[7777] = new HistoryPoint(7777, -50);

        var view = OptimizationHistory.Downsample(trials, 200);

        Assert.True(view.Points.Count <= 200, $"{view.Points.Count} points");
        Assert.Contains(view.Points, p => p.Number == 5000);
        Assert.Contains(view.Points, p => p.Number == 7777);
        Assert.Equal(view.Points.OrderBy(p => p.Number), view.Points);
        Assert.Equal(new HistoryPoint(5000, 50), view.Best[^2]); // the spike is the last improvement
        Assert.Equal(new HistoryPoint(9999, 50), view.Best[^1]); // then flat to the last trial
        Assert.Equal(view.Best.Select(b => b.Score).Order(), view.Best.Select(b => b.Score)); // never decreases
    }

    [Fact]
    public void Downsample_ImprovesEveryTrial_BestCurveAlsoBounded()
    {
        var trials = Enumerable.Range(0, 100_000).Select(i => new HistoryPoint(i, i)).ToList();

        var view = OptimizationHistory.Downsample(trials, 1000);

        Assert.True(view.Best.Count <= 500, $"{view.Best.Count} best points");
        Assert.True(view.Points.Count <= 1000, $"{view.Points.Count} points");
        Assert.Equal(new HistoryPoint(99_999, 99_999), view.Best[^1]);
        Assert.True(view.Best[0].Number < 200); // the last improvement of the first bucket
    }
}
