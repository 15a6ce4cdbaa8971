namespace OptimizerGrpc.Server.Engine.Store;

/// <summary>
/// The equity curve of one of a stage's best trials, as the server keeps it for displays: sampled every
/// <paramref name="Stride"/> bars from the reported record of <paramref name="BarCount"/> values, starting at series bar
/// <paramref name="StartBar"/>, with the trial's rank score.
/// </summary>
internal sealed record KeptEquity(long Number, int StageIndex, double Score, long StartBar, int Stride, long BarCount, double[] Equity);

/// <summary>Keeps (inserts or replaces) a trial's equity curve.</summary>
internal sealed record KeepEquity(long StudyKey, KeptEquity Equity) : StoreChange;

/// <summary>Drops a stage's kept curves except those of <paramref name="Keep"/>.</summary>
internal sealed record PruneEquity(long StudyKey, int StageIndex, long[] Keep) : StoreChange;
