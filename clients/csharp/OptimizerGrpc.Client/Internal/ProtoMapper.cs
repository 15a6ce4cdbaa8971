using Google.Protobuf.Collections;
using Google.Protobuf.WellKnownTypes;
using V1 = OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Client;

/// <summary>
/// The one place that converts between wire messages and the client's records. Enums share numeric values
/// with their proto counterparts by design, so they convert by cast; unknown future values pass through.
/// </summary>
internal static class ProtoMapper
{
    public static V1.ParameterValue ToProto(ParamValue value) => value.Kind switch
    {
        ParamKind.Int => new V1.ParameterValue { IntValue = value.AsInt64() },
        ParamKind.Float => new V1.ParameterValue { FloatValue = value.AsDouble() },
        ParamKind.String => new V1.ParameterValue { StringValue = value.AsString() },
        ParamKind.Bool => new V1.ParameterValue { BoolValue = value.AsBool() },
        _ => throw new ArgumentException("A parameter value must be set.", nameof(value)),
    };

    public static ParamValue ToParamValue(V1.ParameterValue value) => value.KindCase switch
    {
        V1.ParameterValue.KindOneofCase.IntValue => ParamValue.Of(value.IntValue),
        V1.ParameterValue.KindOneofCase.FloatValue => ParamValue.Of(value.FloatValue),
        V1.ParameterValue.KindOneofCase.StringValue => ParamValue.Of(value.StringValue),
        V1.ParameterValue.KindOneofCase.BoolValue => ParamValue.Of(value.BoolValue),
        _ => throw new InvalidOperationException("The server sent a parameter value with no kind set."),
    };

    public static IReadOnlyDictionary<string, ParamValue> ToParams(MapField<string, V1.ParameterValue> map) =>
        map.ToDictionary(p => p.Key, p => ToParamValue(p.Value), StringComparer.Ordinal);

    public static TrialInfo ToTrialInfo(V1.Trial trial) => new()
    {
        StudyId = trial.StudyId,
        StageId = trial.StageId,
        Number = trial.Number,
        Attempt = trial.Attempt,
        State = (TrialState)(int)trial.State,
        Params = ToParams(trial.Params),
        DataContext = ToDataContext(trial.DataContext),
        Values = new Dictionary<string, double>(trial.Values, StringComparer.Ordinal),
        ObjectiveValues = [.. trial.ObjectiveValues],
        Reason = trial.Reason,
        WorkerId = trial.WorkerId,
        CreateTime = trial.CreateTime?.ToDateTimeOffset(),
        StartTime = trial.StartTime?.ToDateTimeOffset(),
        EndTime = trial.EndTime?.ToDateTimeOffset(),
        LeaseExpireTime = trial.LeaseExpireTime?.ToDateTimeOffset(),
        Sequence = trial.Sequence,
    };

    public static V1.Trial ToProto(TrialInfo trial)
    {
        var result = new V1.Trial
        {
            StudyId = trial.StudyId,
            StageId = trial.StageId,
            Number = trial.Number,
            Attempt = trial.Attempt,
            State = (V1.TrialState)(int)trial.State,
            DataContext = ToProto(trial.DataContext),
            Reason = trial.Reason,
            WorkerId = trial.WorkerId,
            CreateTime = ToTimestamp(trial.CreateTime),
            StartTime = ToTimestamp(trial.StartTime),
            EndTime = ToTimestamp(trial.EndTime),
            LeaseExpireTime = ToTimestamp(trial.LeaseExpireTime),
            Sequence = trial.Sequence,
        };
        foreach (var (name, value) in trial.Params)
        {
            result.Params[name] = ToProto(value);
        }

        result.Values.Add(trial.Values.ToDictionary());
        result.ObjectiveValues.AddRange(trial.ObjectiveValues);
        return result;
    }

    public static DataContextInfo ToDataContext(V1.DataContext? context)
    {
        if (context is null)
        {
            return DataContextInfo.Whole;
        }

        return context.KindCase switch
        {
            V1.DataContext.KindOneofCase.Window => new DataContextInfo(
                DataContextKind.Window, [ToRange(context.Window)], null, context.EvaluateWholeSeries, context.Label),
            V1.DataContext.KindOneofCase.Segments => new DataContextInfo(
                DataContextKind.Segments, [.. context.Segments.Segments.Select(ToRange)], context.Segments.Regime,
                context.EvaluateWholeSeries, context.Label),
            _ => new DataContextInfo(DataContextKind.WholeSeries, [], null, context.EvaluateWholeSeries, context.Label),
        };
    }

    public static V1.DataContext ToProto(DataContextInfo context)
    {
        var result = new V1.DataContext { EvaluateWholeSeries = context.EvaluateWholeSeries, Label = context.Label };
        switch (context.Kind)
        {
            case DataContextKind.Window:
                result.Window = ToProto(context.Segments[0]);
                break;
            case DataContextKind.Segments:
                result.Segments = new V1.RegimeSegments { Regime = context.Regime ?? string.Empty };
                result.Segments.Segments.AddRange(context.Segments.Select(ToProto));
                break;
            default:
                result.Whole = new V1.WholeSeries();
                break;
        }

        return result;
    }

    public static V1.TrialOutcome ToProto(TrialOutcome outcome)
    {
        var result = new V1.TrialOutcome { Pruned = outcome.Pruned };
        result.Values.Add(outcome.Values.ToDictionary());
        if (outcome.Duration is { } duration)
        {
            result.Duration = Duration.FromTimeSpan(duration);
        }

        if (outcome.ErrorMessage is not null)
        {
            result.Error = new V1.TrialError { Message = outcome.ErrorMessage, Type = outcome.ErrorType ?? string.Empty };
        }

        if (outcome.Backtest is { } backtest)
        {
            result.Record = ToProto(backtest);
        }

        if (outcome.InfeasibleReason is { } refused)
        {
            result.InfeasibleReason = refused;
        }

        return result;
    }

    public static TrialOutcome ToOutcome(V1.TrialOutcome outcome)
    {
        var result = TrialOutcome.FromValues(outcome.Values) with
        {
            Pruned = outcome.Pruned,
            Duration = outcome.Duration?.ToTimeSpan(),
            ErrorMessage = outcome.Error?.Message,
            ErrorType = outcome.Error?.Type,
            InfeasibleReason = outcome.InfeasibleReason.Length > 0 ? outcome.InfeasibleReason : null,
        };
        if (outcome.Record is { } record)
        {
            result = result with
            {
                Backtest = new BacktestData(
                    [.. record.Equity], [.. record.Trades.Select(ToBacktestTrade)],
                    record.TimestampsUnixMs.Count > 0 ? [.. record.TimestampsUnixMs] : null, record.StartBar,
                    record.Position.Count > 0 ? [.. record.Position] : null,
                    record.RegimeLabels.Count > 0 ? [.. record.RegimeLabels] : null),
            };
        }

        return result;
    }

    public static V1.TrialResult ToResult(TrialRef trial, TrialOutcome outcome) => new()
    {
        StudyId = trial.StudyId,
        TrialNumber = trial.TrialNumber,
        Attempt = trial.Attempt,
        Outcome = ToProto(outcome),
    };

    public static V1.TrialRef ToProto(TrialRef trial) =>
        new() { StudyId = trial.StudyId, TrialNumber = trial.TrialNumber, Attempt = trial.Attempt };

    public static TrialRef ToTrialRef(V1.TrialRef trial) => new(trial.StudyId, trial.TrialNumber, trial.Attempt);

    public static TrialRef RefOf(V1.TrialResult result) => new(result.StudyId, result.TrialNumber, result.Attempt);

    public static TrialRef RefOf(V1.Trial trial) => new(trial.StudyId, trial.Number, trial.Attempt);

    public static StudyInfo ToStudyInfo(V1.Study study) => new(
        study.StudyId,
        study.Spec ?? new V1.StudySpec(),
        (StudyState)(int)study.State,
        study.StateReason,
        study.CreateTime?.ToDateTimeOffset(),
        study.UpdateTime?.ToDateTimeOffset(),
        ToCounts(study.Counts),
        study.BestTrial is null ? null : ToTrialInfo(study.BestTrial),
        [.. study.Stages.Select(ToStageInfo)],
        study.LastSequence)
    {
        FailureReasons = [.. study.FailureReasons.Select(f => new FailureReasonInfo(f.Reason, f.Count))],
        Owner = study.Owner,
    };

    public static StageInfo ToStageInfo(V1.Stage stage) => new(
        stage.StageId,
        stage.Index,
        stage.Name,
        [.. stage.Targets],
        ToParams(stage.FixedParams),
        (StageState)(int)stage.State,
        stage.BestTrial is null ? null : ToTrialInfo(stage.BestTrial),
        ToCounts(stage.Counts),
        stage.MaxTrials,
        string.IsNullOrEmpty(stage.Regime) ? null : stage.Regime,
        stage.HasWindowIndex ? stage.WindowIndex : null,
        stage.SkipReason,
        stage.PlannedTrials)
    {
        WinnerOfRegime = string.IsNullOrEmpty(stage.WinnerOfRegime) ? null : stage.WinnerOfRegime,
    };

    public static TrialCounts ToCounts(V1.TrialCounts? counts) => counts is null
        ? default
        : new TrialCounts(counts.Pending, counts.Running, counts.Completed, counts.Infeasible, counts.Failed, counts.Pruned);

    public static StudyEventInfo ToEvent(V1.StudyEvent e)
    {
        var result = new StudyEventInfo { StudyId = e.StudyId, Sequence = e.Sequence, Time = e.Time?.ToDateTimeOffset() };
        return e.KindCase switch
        {
            V1.StudyEvent.KindOneofCase.TrialFinished => result with
            {
                Kind = StudyEventKind.TrialFinished, Trial = ToTrialInfo(e.TrialFinished.Trial ?? new V1.Trial()),
            },
            V1.StudyEvent.KindOneofCase.NewBest => result with
            {
                Kind = StudyEventKind.NewBest, StageId = e.NewBest.StageId, Trial = ToTrialInfo(e.NewBest.Trial ?? new V1.Trial()),
            },
            V1.StudyEvent.KindOneofCase.StageStarted => WithStage(result, StudyEventKind.StageStarted, e.StageStarted.Stage),
            V1.StudyEvent.KindOneofCase.StageCompleted => WithStage(result, StudyEventKind.StageCompleted, e.StageCompleted.Stage),
            V1.StudyEvent.KindOneofCase.StudyStateChanged => result with
            {
                Kind = StudyEventKind.StudyStateChanged,
                State = (StudyState)(int)e.StudyStateChanged.State,
                PreviousState = (StudyState)(int)e.StudyStateChanged.PreviousState,
                Reason = e.StudyStateChanged.Reason,
            },
            V1.StudyEvent.KindOneofCase.TrialRequeued => result with
            {
                Kind = StudyEventKind.TrialRequeued,
                Requeued = new TrialRef(e.TrialRequeued.StudyId, e.TrialRequeued.Number, e.TrialRequeued.Attempt),
                WorkerId = e.TrialRequeued.WorkerId,
            },
            _ => result,
        };
    }

    public static AskResult ToAskResult(V1.AskTrialsResponse response) =>
        new([.. response.Trials.Select(ToTrialInfo)], response.StudyFinished, (StudyState)(int)response.StudyState);

    public static TellResult ToTellResult(V1.TellTrialResponse response) =>
        new((TellStatus)(int)response.Status, response.Trial is null ? null : ToTrialInfo(response.Trial));

    public static TrialPage ToTrialPage(V1.ListTrialsResponse response) =>
        new([.. response.Trials.Select(ToTrialInfo)], response.NextPageToken, response.LastSequence);

    public static StudyResultInfo ToStudyResult(V1.StudyResult result) => new(
        ToStudyInfo(result.Study ?? new V1.Study()),
        result.BestTrial is null ? null : ToTrialInfo(result.BestTrial),
        [.. result.TargetResults.Select(ToTargetResult)],
        result)
    {
        Analysis = result.Analysis is null ? null : AnalysisMapper.ToStudyAnalysis(result.Analysis),
    };

    public static TargetResultInfo ToTargetResult(V1.TargetResult target) => new(
        target.Target, ToParams(target.BestParams), target.BestScore, target.Metric, target.StageId, target.TrialNumber);

    private static StudyEventInfo WithStage(StudyEventInfo e, StudyEventKind kind, V1.Stage? stage) =>
        e with { Kind = kind, Stage = stage is null ? null : ToStageInfo(stage), StageId = stage?.StageId };

    private static V1.BacktestRecord ToProto(BacktestData backtest)
    {
        var record = new V1.BacktestRecord { StartBar = backtest.StartBar };
        record.Equity.AddRange(backtest.Equity);
        record.Trades.AddRange(backtest.Trades.Select(ToProto));
        if (backtest.TimestampsUnixMs is { } times)
        {
            record.TimestampsUnixMs.AddRange(times);
        }

        if (backtest.Position is { } position)
        {
            record.Position.AddRange(position);
        }

        if (backtest.RegimeLabels is { } labels)
        {
            record.RegimeLabels.AddRange(labels);
        }

        return record;
    }

    private static V1.Trade ToProto(BacktestTrade trade) => new()
    {
        EntryBar = trade.EntryBar,
        ExitBar = trade.ExitBar,
        Side = trade.Side == TradeDirection.Long ? V1.TradeSide.Long : V1.TradeSide.Short,
        Size = trade.Size,
        EntryPrice = trade.EntryPrice,
        ExitPrice = trade.ExitPrice,
        Return = trade.Return,
        Pnl = trade.Pnl,
    };

    private static BacktestTrade ToBacktestTrade(V1.Trade trade) => new(
        trade.EntryBar, trade.ExitBar,
        trade.Side == V1.TradeSide.Short ? TradeDirection.Short : TradeDirection.Long,
        trade.Size, trade.EntryPrice, trade.ExitPrice, trade.Return, trade.Pnl);

    private static BarRange ToRange(V1.BarWindow window) => new(window.StartBar, window.EndBar);

    private static V1.BarWindow ToProto(BarRange range) => new() { StartBar = range.StartBar, EndBar = range.EndBar };

    private static Timestamp? ToTimestamp(DateTimeOffset? time) => time is { } t ? Timestamp.FromDateTimeOffset(t) : null;
}
