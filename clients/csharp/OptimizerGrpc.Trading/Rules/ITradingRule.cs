namespace OptimizerGrpc.Trading;

/// <summary>
/// A trading rule turns closing prices into a position series: +1 long, -1 short, 0 flat. The position at
/// bar t is decided with closes up to and including t only; the backtester applies it to the return from
/// t to t + 1.
/// </summary>
public interface ITradingRule
{
    /// <summary>The rule's name, used as the target name in a study (for example "ma_crossover").</summary>
    string Name { get; }

    /// <summary>The rule's tunable parameters and their search ranges.</summary>
    IReadOnlyList<RuleParameter> ParameterSpace { get; }

    /// <summary>The current parameter values by name.</summary>
    IReadOnlyDictionary<string, double> GetParameters();

    /// <summary>Sets the parameters named in <paramref name="parameters"/> (others keep their value); throws <see cref="ArgumentException"/> when invalid.</summary>
    void SetParameters(IReadOnlyDictionary<string, double> parameters);

    /// <summary>Checks a full or partial assignment merged over the current values, without changing the rule.</summary>
    (bool IsValid, string? Error) ValidateParameters(IReadOnlyDictionary<string, double> parameters);

    /// <summary>
    /// An independent copy with the same parameters: changing either one's parameters leaves the other alone. The
    /// optimisation manager gives each concurrent evaluation its own copies.
    /// </summary>
    ITradingRule Clone();

    /// <summary>Writes one position per bar into <paramref name="positions"/> (same length as <paramref name="close"/>).</summary>
    void ComputePositions(ReadOnlySpan<double> close, Span<double> positions);
}
