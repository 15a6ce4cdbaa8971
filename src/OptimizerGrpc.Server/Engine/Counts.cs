using OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Server.Engine;

/// <summary>Trial counts by state; a mutable value kept under the study's gate.</summary>
internal struct Counts
{
    public long Pending;
    public long Running;
    public long Completed;
    public long Infeasible;
    public long Failed;
    public long Pruned;

    public readonly long Finished => Completed + Infeasible + Failed + Pruned;

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

    public readonly TrialCounts ToProto() => new()
    {
        Pending = Pending,
        Running = Running,
        Completed = Completed,
        Infeasible = Infeasible,
        Failed = Failed,
        Pruned = Pruned,
    };

    public readonly void Write(BinaryWriter w)
    {
        w.Write(Pending);
        w.Write(Running);
        w.Write(Completed);
        w.Write(Infeasible);
        w.Write(Failed);
        w.Write(Pruned);
    }

    public static Counts Read(BinaryReader r) => new()
    {
        Pending = r.ReadInt64(),
        Running = r.ReadInt64(),
        Completed = r.ReadInt64(),
        Infeasible = r.ReadInt64(),
        Failed = r.ReadInt64(),
        Pruned = r.ReadInt64(),
    };
}
