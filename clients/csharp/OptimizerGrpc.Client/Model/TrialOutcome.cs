namespace OptimizerGrpc.Client;

/// <summary>
/// What a worker reports for a trial: client-computed values, a backtest record, or an error. Use the factory
/// methods; <see cref="Duration"/> is filled in by the worker when left null.
/// </summary>
public sealed record TrialOutcome
{
    private TrialOutcome()
    {
    }

    /// <summary>Client-computed objective or metric values ("sharpe_ratio" → 1.3).</summary>
    public IReadOnlyDictionary<string, double> Values { get; init; } = new Dictionary<string, double>();

    /// <summary>A backtest record, when reported.</summary>
    public BacktestData? Backtest { get; init; }

    /// <summary>The error message of a failed evaluation; null on success.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>The error type (exception type name) of a failed evaluation.</summary>
    public string? ErrorType { get; init; }

    /// <summary>The evaluation was stopped early.</summary>
    public bool Pruned { get; init; }

    /// <summary>
    /// Set when the client refused the assignment without evaluating it (a rule's own parameter check): the server
    /// records the trial INFEASIBLE with this reason, the method learns it, and a discrete stage never evaluates it again.
    /// </summary>
    public string? InfeasibleReason { get; init; }

    /// <summary>How long the evaluation took.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>True when this outcome reports an error.</summary>
    public bool IsFailure => ErrorMessage is not null;

    /// <summary>Outcome with client-computed values, e.g. <c>FromValues(("sharpe_ratio", 1.3))</c>.</summary>
    public static TrialOutcome FromValues(params (string Name, double Value)[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var map = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            ArgumentException.ThrowIfNullOrEmpty(name, nameof(values));
            if (!map.TryAdd(name, value))
            {
                throw new ArgumentException($"Value '{name}' is given twice.", nameof(values));
            }
        }

        return new TrialOutcome { Values = map };
    }

    /// <summary>Outcome with client-computed values from a dictionary.</summary>
    public static TrialOutcome FromValues(IReadOnlyDictionary<string, double> values) =>
        new() { Values = new Dictionary<string, double>(values, StringComparer.Ordinal) };

    /// <summary>
    /// Outcome carrying a backtest record; the server computes the study's metrics from it. (The trading toolkit's
    /// <c>BacktestResult</c> is reported with <c>TrialOutcome.FromBacktest(result)</c> from OptimizerGrpc.Optimization.)
    /// </summary>
    public static TrialOutcome FromBacktest(
        IReadOnlyList<double> equity, IReadOnlyList<BacktestTrade> trades, IReadOnlyList<long>? timestampsUnixMs = null, long startBar = 0)
    {
        ArgumentNullException.ThrowIfNull(equity);
        ArgumentNullException.ThrowIfNull(trades);
        if (timestampsUnixMs is not null && timestampsUnixMs.Count != equity.Count)
        {
            throw new ArgumentException(
                $"timestampsUnixMs has {timestampsUnixMs.Count} entries but equity has {equity.Count}; they must be equal.", nameof(timestampsUnixMs));
        }

        return new TrialOutcome { Backtest = new BacktestData(equity, trades, timestampsUnixMs, startBar) };
    }

    /// <summary>A failed evaluation; the trial becomes FAILED with this message.</summary>
    public static TrialOutcome Failure(string message, string? type = null) =>
        new() { ErrorMessage = string.IsNullOrEmpty(message) ? "evaluation failed" : message, ErrorType = type ?? string.Empty };

    /// <summary>A failed evaluation from an exception (message and type name).</summary>
    public static TrialOutcome Failure(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return Failure(exception.Message, exception.GetType().FullName);
    }

    /// <summary>A refused assignment (see <see cref="InfeasibleReason"/>): INFEASIBLE with this reason, not FAILED.</summary>
    public static TrialOutcome Infeasible(string reason) =>
        new() { InfeasibleReason = string.IsNullOrEmpty(reason) ? "refused" : reason };

    /// <summary>An evaluation stopped early, with the values reached so far.</summary>
    public static TrialOutcome PrunedWith(params (string Name, double Value)[] values) => FromValues(values) with { Pruned = true };
}
