using OptimizerGrpc.Core.Metrics;

namespace OptimizerGrpc.Core.Tests.Metrics;

public sealed class AnnualizationTests
{
    private static readonly DateTimeOffset Monday = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Compute_WeekdayDailyBars_252()
    {
        // Weekends make a 3-day gap every fifth interval; the median interval is still one day.
        var days = Enumerable.Range(0, 42).Select(i => Monday.AddDays(i)).Where(d => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday));

        var values = Score(days);

        Assert.Equal(252, values.AnnualizationFactorUsed);
        Assert.Equal(AnnualizationSource.Timestamps, values.AnnualizationSource);
    }

    [Fact]
    public void Compute_WeeklyBars_52()
    {
        Assert.Equal(52, Score(Enumerable.Range(0, 20).Select(i => Monday.AddDays(7 * i))).AnnualizationFactorUsed);
    }

    [Fact]
    public void Compute_MonthStartBars_12()
    {
        // Intervals of 28 to 31 days.
        Assert.Equal(12, Score(Enumerable.Range(0, 24).Select(i => Monday.AddMonths(i))).AnnualizationFactorUsed);
    }

    [Fact]
    public void Compute_ThirtyMinuteFxBarsRoundTheClock_252Times48()
    {
        // Like the USD/CHF sample: 48 bars every weekday, none at weekends.
        var bars = Enumerable.Range(0, 14)
            .Select(i => Monday.AddDays(i))
            .Where(d => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            .SelectMany(d => Enumerable.Range(0, 48).Select(k => d.AddMinutes(30 * k)));

        Assert.Equal(252 * 48, Score(bars).AnnualizationFactorUsed);
    }

    [Fact]
    public void Compute_ThirtyMinuteStockSession_252Times13()
    {
        // 09:30 to 16:00 UTC-stamped session, 13 bars per day, long overnight gaps.
        var bars = Enumerable.Range(0, 5)
            .SelectMany(i => Enumerable.Range(0, 13).Select(k => Monday.AddDays(i).AddHours(9.5).AddMinutes(30 * k)));

        Assert.Equal(252 * 13, Score(bars).AnnualizationFactorUsed);
    }

    [Fact]
    public void Compute_ManyDistinctIntervals_MedianStillExact()
    {
        // 100 intervals of 60,000 + i ms (more distinct values than the counter holds), all on one day: 101 bars/day.
        var t = Monday;
        var stamps = new List<DateTimeOffset> { t };
        for (var i = 0; i < 100; i++)
        {
            t = t.AddMilliseconds(60_000 + i);
            stamps.Add(t);
        }

        Assert.Equal(252 * 101, Score(stamps).AnnualizationFactorUsed);
    }

    [Fact]
    public void Compute_ExplicitFactor_WinsOverTimestamps()
    {
        var values = Score(Enumerable.Range(0, 10).Select(i => Monday.AddDays(i)), new MetricSettings(AnnualizationFactor: 365));

        Assert.Equal(365, values.AnnualizationFactorUsed);
        Assert.Equal(AnnualizationSource.Explicit, values.AnnualizationSource);
        Assert.False(values.AnnualizationInferred);
    }

    private static MetricValues Score(IEnumerable<DateTimeOffset> times, MetricSettings? settings = null)
    {
        var stamps = times.Select(d => d.ToUnixTimeMilliseconds()).ToArray();
        var equity = stamps.Select((_, i) => 100.0 + (i % 3)).ToArray();
        return MetricCalculator.Compute(new BacktestSeries(equity, [], stamps), settings ?? MetricSettings.Default);
    }
}
