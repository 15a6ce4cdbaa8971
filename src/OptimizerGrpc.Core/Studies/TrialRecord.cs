using OptimizerGrpc.Core.Analysis.Overfitting;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Studies;

/// <summary>
/// One trial as the engine and the analysis see it: an immutable record, replaced (with <c>with</c>) at each state
/// change, so a copy handed out never changes under its reader. <see cref="Params"/> assigns every parameter of the
/// study's space (<see cref="Space"/>), in space order: a stage's fixed parameters are included.
/// </summary>
public sealed record TrialRecord
{
    public required string StudyId { get; init; }

    public required int StageIndex { get; init; }

    /// <summary>Unique and increasing within the study.</summary>
    public required long Number { get; init; }

    /// <summary>Starts at 1; grows each time an expired lease returns the trial to the queue.</summary>
    public int Attempt { get; init; } = 1;

    public TrialState State { get; init; } = TrialState.Pending;

    public required SearchSpace Space { get; init; }

    public required IReadOnlyList<ParamValue> Params { get; init; }

    public required DataContext Context { get; init; }

    /// <summary>Objective and metric values of a finished trial.</summary>
    public IReadOnlyDictionary<string, double> Values { get; init; } = EmptyValues;

    /// <summary>The stage's objectives' values, in objective order (raw, not oriented).</summary>
    public IReadOnlyList<double> ObjectiveValues { get; init; } = [];

    /// <summary>Why the trial is infeasible, failed or pruned.</summary>
    public string Reason { get; init; } = "";

    /// <summary>
    /// Set when the server closed the trial without a worker's result (its leases expired too often, or the study
    /// stopped first): a late result for it is answered EXPIRED rather than DUPLICATE.
    /// </summary>
    public bool ClosedWithoutResult { get; init; }

    public string WorkerId { get; init; } = "";

    public DateTimeOffset CreateTime { get; init; }

    public DateTimeOffset? StartTime { get; init; }

    public DateTimeOffset? EndTime { get; init; }

    public DateTimeOffset? LeaseExpireTime { get; init; }

    /// <summary>The study's change sequence number of the trial's last change (delta sync, event replay).</summary>
    public long Sequence { get; init; }

    /// <summary>Out-of-sample validation trials of walk-forward studies: the equity over the scored bars, from 1.</summary>
    public IReadOnlyList<double> WindowEquity { get; init; } = [];

    /// <summary>
    /// A summary of the per-period returns the trial was scored on (backtest records only): what the overfitting
    /// statistics need. Stored beside the trial, not on the wire; read back only when the analysis asks for it.
    /// </summary>
    public TrialReturns? Returns { get; init; }

    public string StageId => StageIds.Of(StageIndex);

    /// <summary>The value of a parameter by its full name (<c>target.name</c>).</summary>
    public bool TryGetParam(string name, out ParamValue value)
    {
        int i = Space.IndexOf(name);
        value = i >= 0 && i < Params.Count ? Params[i] : default;
        return i >= 0 && i < Params.Count;
    }

    /// <summary>Parameters with their full names, in space order.</summary>
    public IEnumerable<KeyValuePair<string, ParamValue>> NamedParams()
    {
        for (int i = 0; i < Params.Count; i++)
        {
            yield return new(Space.Parameters[i].Name, Params[i]);
        }
    }

    private static readonly IReadOnlyDictionary<string, double> EmptyValues = new Dictionary<string, double>(StringComparer.Ordinal);
}

/// <summary>Stage ids as clients see them: <c>stage-{index}</c>.</summary>
public static class StageIds
{
    private const string Prefix = "stage-";

    public static string Of(int index) => Prefix + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Parses a stage id; false when it is not of the form <c>stage-N</c>.</summary>
    public static bool TryParse(string id, out int index)
    {
        index = -1;
        return id is not null && id.StartsWith(Prefix, StringComparison.Ordinal)
            && int.TryParse(id.AsSpan(Prefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out index);
    }
}
