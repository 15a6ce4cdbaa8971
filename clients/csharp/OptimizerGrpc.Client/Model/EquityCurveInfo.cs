namespace OptimizerGrpc.Client;

/// <summary>
/// The equity curve of one of a stage's best trials as the server kept it: <see cref="Equity"/>[i] is the equity at
/// series bar <see cref="StartBar"/> + i × <see cref="Stride"/> of a record of <see cref="BarCount"/> values.
/// </summary>
/// <param name="Score">The trial's rank score (higher is better).</param>
public sealed record EquityCurveInfo(long TrialNumber, string StageId, double Score, long StartBar, int Stride, long BarCount, IReadOnlyList<double> Equity);
