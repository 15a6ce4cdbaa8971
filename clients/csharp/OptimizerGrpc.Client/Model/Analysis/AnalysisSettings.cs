namespace OptimizerGrpc.Client;

/// <summary>
/// Tunes a study's analysis (the contract's <c>AnalysisOptions</c>). Settings left null take the server's documented
/// defaults. The server checks the ranges (INVALID_ARGUMENT naming the field, e.g. <c>options.pbo_blocks</c>);
/// <see cref="Validate"/> checks the same ranges here, for a caller that wants to fail before a long run.
/// </summary>
public sealed record AnalysisSettings
{
    /// <summary>The server's defaults for every setting.</summary>
    public static AnalysisSettings Default { get; } = new();

    /// <summary>Share of the best trials that count as good for importance and modes, in (0, 1]. Default 0.1.</summary>
    public double? TopFraction { get; init; }

    /// <summary>
    /// Bins of a continuous parameter (and of a discrete one with more than 50 values) for sensitivity, surfaces and
    /// neighbourhoods, 2..1000. Default 10.
    /// </summary>
    public int? Bins { get; init; }

    /// <summary>How many of the best trials get a neighbourhood score, 1..1000. Default 10.</summary>
    public int? RobustTop { get; init; }

    /// <summary>Blocks S of the combinatorially symmetric cross-validation (PBO): 2, 4, 8 or 16. Default 16 (12,870 combinations).</summary>
    public int? PboBlocks { get; init; }

    /// <summary>Parameters whose pairs get a surface (the most important first), 0..10. Default 4.</summary>
    public int? SurfaceParameters { get; init; }

    /// <summary>Trials entering the cross-validation (every k-th trial plus the winner), 2..10000. Default 1000.</summary>
    public int? PboMaxTrials { get; init; }

    /// <summary>Clustering radius of modes on the unit scale, per parameter, 0.001..1. Default 0.1.</summary>
    public double? ModeRadius { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting outside its documented range.</summary>
    public void Validate()
    {
        if (TopFraction is { } top && !(top > 0 && top <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(TopFraction), top, "TopFraction must be greater than 0 and at most 1.");
        }

        Between(Bins, 2, 1000, nameof(Bins));
        Between(RobustTop, 1, 1000, nameof(RobustTop));
        if (PboBlocks is { } blocks && blocks is not (2 or 4 or 8 or 16))
        {
            throw new ArgumentOutOfRangeException(nameof(PboBlocks), blocks, "PboBlocks must be 2, 4, 8 or 16.");
        }

        Between(SurfaceParameters, 0, 10, nameof(SurfaceParameters));
        Between(PboMaxTrials, 2, 10_000, nameof(PboMaxTrials));
        if (ModeRadius is { } radius && !(radius >= 0.001 && radius <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ModeRadius), radius, "ModeRadius must be between 0.001 and 1.");
        }
    }

    private static void Between(int? value, int min, int max, string name)
    {
        if (value is { } v && (v < min || v > max))
        {
            throw new ArgumentOutOfRangeException(name, v, $"{name} must be between {min} and {max}.");
        }
    }
}
