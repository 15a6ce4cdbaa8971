using V1 = OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Client.Tests.Internal;

public sealed class ProtoMapperTests
{
    [Fact]
    public void Trial_RoundTrip_KeepsEveryField()
    {
        var trial = new TrialInfo
        {
            StudyId = "s1",
            StageId = "stage-0",
            Number = 17,
            Attempt = 2,
            State = TrialState.Completed,
            Params = new Dictionary<string, ParamValue> { ["ma.fast"] = 5, ["ma.kind"] = "ema", ["ma.w"] = 0.5, ["ma.on"] = true },
            DataContext = new DataContextInfo(DataContextKind.Segments, [new BarRange(0, 10), new BarRange(20, 30)], "bull", true, "regime bull"),
            Values = new Dictionary<string, double> { ["sharpe_ratio"] = 1.25 },
            ObjectiveValues = [1.25],
            Reason = "r",
            WorkerId = "w",
            CreateTime = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero),
            Sequence = 99,
        };

        var back = ProtoMapper.ToTrialInfo(ProtoMapper.ToProto(trial));

        Assert.Equal(trial.Params, back.Params);
        Assert.Equal(trial.Values, back.Values);
        Assert.Equal(trial.ObjectiveValues, back.ObjectiveValues);
        Assert.Equal(trial.DataContext.Segments, back.DataContext.Segments);
        Assert.Equal(trial with { Params = back.Params, Values = back.Values, ObjectiveValues = back.ObjectiveValues, DataContext = back.DataContext }, back);
        Assert.Equal(("bull", true, "regime bull"), (back.DataContext.Regime, back.DataContext.EvaluateWholeSeries, back.DataContext.Label));
    }

    [Fact]
    public void DataContext_Missing_IsWholeSeries()
    {
        Assert.Equal(DataContextKind.WholeSeries, ProtoMapper.ToTrialInfo(new V1.Trial { StudyId = "s" }).DataContext.Kind);
    }

    [Fact]
    public void Outcome_FromBacktest_MapsRecordAndRoundTrips()
    {
        BacktestTrade[] trades = [new(2, 4, TradeDirection.Long, 1, 3, 3, 0, 0.5), new(5, 6, TradeDirection.Short, 0.5, 2, 1, 0.5, 0.25)];
        var outcome = TrialOutcome.FromBacktest([1, 1, 1.2, 1.5, 1.5, 1.6, 1.75], trades, [10, 20, 30, 40, 50, 60, 70], startBar: 100)
            with { Duration = TimeSpan.FromSeconds(2) };

        var proto = ProtoMapper.ToProto(outcome);
        var back = ProtoMapper.ToOutcome(proto);

        Assert.Equal([1, 1, 1.2, 1.5, 1.5, 1.6, 1.75], proto.Record.Equity);
        Assert.Equal(100, proto.Record.StartBar);
        Assert.Equal([V1.TradeSide.Long, V1.TradeSide.Short], proto.Record.Trades.Select(t => t.Side));
        Assert.Equal(new V1.Trade { EntryBar = 5, ExitBar = 6, Side = V1.TradeSide.Short, Size = 0.5, EntryPrice = 2, ExitPrice = 1, Return = 0.5, Pnl = 0.25 },
            proto.Record.Trades[1]);
        Assert.Equal(trades, back.Backtest!.Trades);
        Assert.Null(back.Backtest.Position);
        Assert.Equal([10L, 20, 30, 40, 50, 60, 70], back.Backtest.TimestampsUnixMs);
        Assert.Equal(TimeSpan.FromSeconds(2), back.Duration);
        Assert.Null(proto.Error);
    }

    [Fact]
    public void Outcome_FromBacktestTimestampsOfOtherLength_Throws() =>
        Assert.Throws<ArgumentException>(() => TrialOutcome.FromBacktest([1.0, 1.1], [], [10L]));

    [Fact]
    public void Outcome_Failure_MapsToTrialError()
    {
        var proto = ProtoMapper.ToProto(TrialOutcome.Failure(new InvalidOperationException("no data")));

        Assert.Equal("no data", proto.Error.Message);
        Assert.Equal("System.InvalidOperationException", proto.Error.Type);
        Assert.Null(proto.Record);
    }

    [Fact]
    public void Outcome_FromValues_MapsValues()
    {
        var proto = ProtoMapper.ToProto(TrialOutcome.FromValues(("sharpe_ratio", 1.3), ("trades", 40)));

        Assert.Equal(1.3, proto.Values["sharpe_ratio"]);
        Assert.Equal(40, proto.Values["trades"]);
        Assert.Throws<ArgumentException>(() => TrialOutcome.FromValues(("a", 1), ("a", 2)));
    }

    [Fact]
    public void Event_NewBest_MapsKindStageAndTrial()
    {
        var e = new V1.StudyEvent
        {
            StudyId = "s",
            Sequence = 5,
            NewBest = new V1.NewBest { StageId = "st", Trial = new V1.Trial { StudyId = "s", Number = 3, Attempt = 1 } },
        };

        var info = ProtoMapper.ToEvent(e);

        Assert.Equal((StudyEventKind.NewBest, 5L, "st", 3L), (info.Kind, info.Sequence, info.StageId, info.Trial!.Number));
    }

    [Fact]
    public void Event_StateChanged_MapsStates()
    {
        var info = ProtoMapper.ToEvent(new V1.StudyEvent
        {
            StudyId = "s",
            StudyStateChanged = new V1.StudyStateChanged { State = V1.StudyState.Stopped, PreviousState = V1.StudyState.Running, Reason = "user" },
        });

        Assert.Equal((StudyState.Stopped, StudyState.Running, "user"), (info.State, info.PreviousState, info.Reason));
    }

    [Fact]
    public void Enums_MatchProtoNumbering()
    {
        Assert.Equal((int)V1.StudyState.Failed, (int)StudyState.Failed);
        Assert.Equal((int)V1.TrialState.Pruned, (int)TrialState.Pruned);
        Assert.Equal((int)V1.TellStatus.Rejected, (int)TellStatus.Rejected);
        Assert.Equal((int)V1.StageState.Skipped, (int)StageState.Skipped);
    }
}
