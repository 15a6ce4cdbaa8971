namespace OptimizerGrpc.Core.Studies;

/// <summary>Trial counts by state; a mutable value, kept by its owner under the study's gate.</summary>
public struct TrialCounts
{
    public long Pending { get; set; }
    public long Running { get; set; }
    public long Completed { get; set; }
    public long Infeasible { get; set; }
    public long Failed { get; set; }
    public long Pruned { get; set; }

    public readonly long Finished => Completed + Infeasible + Failed + Pruned;

    /// <summary>Counts one trial that reached a final state.</summary>
    public void Add(TrialState state)
    {
        switch (state)
        {
            case TrialState.Completed: Completed++; break;
            case TrialState.Infeasible: Infeasible++; break;
            case TrialState.Failed: Failed++; break;
            case TrialState.Pruned: Pruned++; break;
            default: throw new ArgumentOutOfRangeException(nameof(state), state, "not a final state");
        }
    }

    public readonly void Write(BinaryWriter w)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.Write(Pending);
        w.Write(Running);
        w.Write(Completed);
        w.Write(Infeasible);
        w.Write(Failed);
        w.Write(Pruned);
    }

    public static TrialCounts Read(BinaryReader r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new()
        {
            Pending = r.ReadInt64(),
            Running = r.ReadInt64(),
            Completed = r.ReadInt64(),
            Infeasible = r.ReadInt64(),
            Failed = r.ReadInt64(),
            Pruned = r.ReadInt64(),
        };
    }
}
