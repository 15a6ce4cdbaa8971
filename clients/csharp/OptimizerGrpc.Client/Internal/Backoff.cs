namespace OptimizerGrpc.Client;

/// <summary>Capped exponential backoff with full jitter, so many workers reconnecting at once spread out.</summary>
internal sealed class Backoff(TimeSpan initial, TimeSpan max)
{
    private int _attempt;

    /// <summary>The next delay: random in [0, min(max, initial × 2^attempt)].</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5394", Justification = "Jitter only spreads reconnecting workers apart; it protects nothing.")]
    public TimeSpan Next()
    {
        var ceiling = Math.Min(max.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, Math.Min(_attempt, 30)));
        _attempt++;
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + (Random.Shared.NextDouble() * 0.5)));
    }

    /// <summary>Starts over after a successful connection.</summary>
    public void Reset() => _attempt = 0;
}
