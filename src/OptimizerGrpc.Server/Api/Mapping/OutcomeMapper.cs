using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Core.Metrics;
using OptimizerGrpc.Core.Studies;
using TrialOutcome = OptimizerGrpc.Core.Studies.TrialOutcome;
using WireOutcome = OptimizerGrpc.Contracts.V1.TrialOutcome;

namespace OptimizerGrpc.Server.Api.Mapping;

/// <summary>
/// Reported outcomes from the wire to the domain, and their shape check. Values that are present but not finite are
/// not an error here: the engine records them as a FAILED trial with the reason, so the study keeps a trace.
/// </summary>
internal static class OutcomeMapper
{
    /// <summary>The most characters of a client's infeasible_reason (4096).</summary>
    public const int MaxInfeasibleReason = 4096;

    /// <summary>What is wrong with an outcome's shape, or null (also for the Work stream, which has no field paths).</summary>
    public static string? Problem(WireOutcome? outcome)
    {
        if (outcome is null)
        {
            return "an outcome is required";
        }

        if (outcome.Record is null && outcome.Error is null && !outcome.Pruned && outcome.Values.Count == 0 && outcome.InfeasibleReason.Length == 0)
        {
            return "an outcome needs values, a record, an error, pruned or an infeasible_reason";
        }

        if (outcome.InfeasibleReason.Length > MaxInfeasibleReason)
        {
            return $"infeasible_reason is {outcome.InfeasibleReason.Length} characters; at most {MaxInfeasibleReason}";
        }

        if (outcome.Duration is { } duration)
        {
            var v = new SpecViolations();
            WireChecks.Check(duration, "duration", WireChecks.Strictness.Request, v);
            return v.Any ? $"{v.Items[0].Field} {v.Items[0].Message}" : null;
        }

        return null;
    }

    public static ReportedOutcome ToDomain(long trialNumber, int attempt, WireOutcome outcome, string workerId) =>
        new(trialNumber, attempt, ToDomain(outcome), workerId);

    public static TrialOutcome ToDomain(WireOutcome outcome) => new(
        outcome.Values,
        outcome.Record is { } record ? ToSeries(record) : null,
        outcome.Record?.StartBar ?? 0,
        outcome.Error is { } error ? new Core.Studies.TrialError(error.Type, error.Message) : null,
        outcome.Pruned)
    {
        InfeasibleReason = outcome.InfeasibleReason.Length > 0 ? outcome.InfeasibleReason : null,
    };

    /// <summary>A wire backtest record as the metric library's series; trade bars become indices into the equity array.</summary>
    public static BacktestSeries ToSeries(BacktestRecord record)
    {
        var trades = new TradeRecord[record.Trades.Count];
        for (int i = 0; i < trades.Length; i++)
        {
            var t = record.Trades[i];
            trades[i] = new TradeRecord(
                t.EntryBar - record.StartBar, t.ExitBar - record.StartBar, (Core.Metrics.TradeSide)(int)t.Side, t.Size, t.EntryPrice, t.ExitPrice, t.Return, t.Pnl);
        }

        return new BacktestSeries(
            [.. record.Equity],
            trades,
            record.TimestampsUnixMs.Count > 0 ? [.. record.TimestampsUnixMs] : null,
            record.Position.Count > 0 ? [.. record.Position] : null);
    }
}
