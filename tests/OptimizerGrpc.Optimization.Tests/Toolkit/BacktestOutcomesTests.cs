using OptimizerGrpc.Client;
using OptimizerGrpc.Trading;
using V1 = OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Optimization.Tests.Toolkit;

/// <summary>The toolkit's backtest reported as a trial outcome (moved here from the client's tests with the bridge).</summary>
public sealed class BacktestOutcomesTests
{
    [Fact]
    public void Outcome_FromBacktest_MapsRecordAndRoundTrips()
    {
        var result = new Backtester().Run([1, 2, 3, 4, 3, 2, 1], [0, 0, 1, 1, 1, 0, 0]);
        var outcome = TrialOutcome.FromBacktest(result, [10, 20, 30, 40, 50, 60, 70], startBar: 100) with { Duration = TimeSpan.FromSeconds(2) };

        var proto = ProtoMapper.ToProto(outcome);
        var back = ProtoMapper.ToOutcome(proto);

        Assert.Equal(result.Equity, proto.Record.Equity);
        Assert.Equal(100, proto.Record.StartBar);
        Assert.Equal(V1.TradeSide.Long, Assert.Single(proto.Record.Trades).Side);
        Assert.Equal(
            result.Trades.Select(t => ((long)t.EntryBar, (long)t.ExitBar, t.Side == TradeSide.Long, t.Size, t.EntryPrice, t.ExitPrice, t.Return, t.Pnl)),
            back.Backtest!.Trades.Select(t => (t.EntryBar, t.ExitBar, t.Side == TradeDirection.Long, t.Size, t.EntryPrice, t.ExitPrice, t.Return, t.Pnl)));
        Assert.Equal(result.Position, back.Backtest.Position);
        Assert.Equal([10L, 20, 30, 40, 50, 60, 70], back.Backtest.TimestampsUnixMs);
        Assert.Equal(TimeSpan.FromSeconds(2), back.Duration);
        Assert.Null(proto.Error);
    }

    [Fact]
    public void ToBacktestTrade_ShortTrade_CopiesEveryField() =>
        Assert.Equal(
            new BacktestTrade(3, 7, TradeDirection.Short, 0.5, 10, 8, 0.2, 12.5),
            new Trade(3, 7, TradeSide.Short, 0.5, 10, 8, 0.2, 12.5).ToBacktestTrade());

    [Fact]
    public void FromBacktest_OlderCallerSpelling_IsTheSameOutcome()
    {
        var result = new Backtester().Run([1, 2, 3, 2], [0, 1, 1, 0]);

        var extension = TrialOutcome.FromBacktest(result, startBar: 4);
        var plain = BacktestOutcomes.FromBacktest(result, startBar: 4);

        Assert.Equal(extension.Backtest!.Equity, plain.Backtest!.Equity);
        Assert.Equal(extension.Backtest.Trades, plain.Backtest.Trades);
        Assert.Equal((4L, result.Position), (plain.Backtest.StartBar, plain.Backtest.Position));
    }
}
