using OptimizerGrpc.Core.Studies;
using OptimizerGrpc.Server.Engine.Store;

namespace OptimizerGrpc.Server.Engine;

/// <summary>
/// Keeps the equity curves of each stage's <see cref="KeptPerStage"/> best trials for the dashboard and the report:
/// a completed trial whose rank score enters the stage's top list has its record sampled to at most
/// <see cref="MaxPoints"/> values (16 KB) and written beside it; once as many curves have dropped out of the list as it
/// holds, the stage's rows outside the list are deleted. So a stage keeps at most 2 × 5 curves (160 KB) and the write
/// happens only on the rare results that enter the top list. Used under the study's gate.
/// </summary>
internal static class EquityKeeper
{
    public const int KeptPerStage = 5;

    public const int MaxPoints = 2000;

    public static void Offer(StudyBook book, StageRuntime stage, TrialRecord trial, double score, IReadOnlyList<double> equity, long startBar, WriteBatch batch)
    {
        if (equity.Count < 2 || !double.IsFinite(score))
        {
            return;
        }

        var top = stage.TopEquity;
        if (top.Count == KeptPerStage && score <= top[^1].Score)
        {
            return;
        }

        int at = top.FindIndex(e => score > e.Score);
        top.Insert(at < 0 ? top.Count : at, (score, trial.Number));
        if (top.Count > KeptPerStage)
        {
            top.RemoveAt(top.Count - 1);
            stage.DroppedEquity++;
        }

        int stride = (equity.Count + MaxPoints - 1) / MaxPoints;
        var sampled = new double[((equity.Count - 1) / stride) + 1];
        for (int i = 0; i < sampled.Length; i++)
        {
            sampled[i] = equity[i * stride];
        }

        batch.Add(new KeepEquity(book.Key, new KeptEquity(trial.Number, stage.Definition.Index, score, startBar, stride, equity.Count, sampled)));
        if (stage.DroppedEquity >= KeptPerStage)
        {
            batch.Add(new PruneEquity(book.Key, stage.Definition.Index, [.. top.Select(e => e.Number)]));
            stage.DroppedEquity = 0;
        }
    }

    /// <summary>Restores a stage's top list from the curves the store kept (after a restart).</summary>
    public static void Restore(StageRuntime stage, IEnumerable<KeptEquity> kept)
    {
        stage.TopEquity.Clear();
        stage.TopEquity.AddRange(kept.OrderByDescending(k => k.Score).Take(KeptPerStage).Select(k => (k.Score, k.Number)));
        stage.DroppedEquity = KeptPerStage; // prune whatever else the store holds at the next new entry
    }
}
