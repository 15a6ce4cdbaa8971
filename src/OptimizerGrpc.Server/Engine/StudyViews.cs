using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Core.Studies;

namespace OptimizerGrpc.Server.Engine;

/// <summary>Immutable pictures of a study and its stages, taken under the study's gate.</summary>
internal static class StudyViews
{
    private const string SkippedForNoWinner = "the in-sample stage found no feasible winner";

    public static StudyView Of(StudyBook book) => new(
        book.StudyId,
        book.State,
        book.StateReason,
        DateTimeOffset.FromUnixTimeMilliseconds(book.CreateMs),
        DateTimeOffset.FromUnixTimeMilliseconds(book.UpdateMs),
        book.Counts,
        book.Best,
        [.. book.Stages.Select(s => Of(book, s))],
        book.LastSequence)
    {
        FailureReasons = book.Failures.Top(StudyBook.ShownFailureReasons),
    };

    public static StageView Of(StudyBook book, StageRuntime stage)
    {
        var d = stage.Definition;
        var fixedParams = new List<KeyValuePair<string, ParamValue>>();
        if (stage.State != StageState.Pending)
        {
            for (int i = 0; i < stage.Fixed.Length; i++)
            {
                if (!d.FreeIndices.Contains(i))
                {
                    fixedParams.Add(KeyValuePair.Create(book.Plan.Space.Parameters[i].Name, stage.Fixed[i]));
                }
            }
        }

        string skipReason = stage.State == StageState.Skipped && d.SkipReason.Length == 0 ? SkippedForNoWinner : d.SkipReason;
        return new StageView(d, stage.State, stage.Best, stage.Counts, fixedParams, d.MethodOverride ?? book.Plan.Method, book.Plan.Seed, book.Plan.AllowRepeats, skipReason);
    }
}
