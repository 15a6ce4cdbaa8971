using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Methods;

/// <summary>What became of a trial, as a method sees it.</summary>
public enum ObservationKind
{
    Completed = 1,
    Infeasible = 2,
    Failed = 3,
    Pruned = 4,
}

/// <summary>
/// A finished trial fed back to a method. <see cref="Scores"/> are oriented so that higher is better
/// (minimised objectives are negated by the engine), one per objective; empty unless Completed.
/// </summary>
public readonly record struct Observation(ParamValue[] Params, double[] Scores, ObservationKind Kind);

/// <summary>
/// A search method as an ask/tell state machine. Implementations are single-threaded (the engine calls
/// them from one study at a time) and deterministic given their seed and the sequence of calls, and
/// <see cref="WriteSnapshot"/>/<see cref="ReadSnapshot"/> round-trip their full state so a restarted study
/// continues on exactly the trajectory it would have taken.
/// </summary>
public interface ISearchMethod
{
    /// <summary>Appends up to <paramref name="count"/> new assignments to <paramref name="output"/> and returns how many.
    /// Fewer means the method must wait for results (a generation is out) or is exhausted.</summary>
    int Ask(int count, List<ParamValue[]> output);

    /// <summary>Feeds back one finished trial that this method proposed.</summary>
    void Tell(in Observation observation);

    /// <summary>True when the method will never propose again (the grid is enumerated, the last generation or iteration is told).</summary>
    bool IsExhausted { get; }

    /// <summary>True when the last Ask returned fewer than asked because no assignment meeting the constraints was found.</summary>
    bool Starved { get; }

    void WriteSnapshot(BinaryWriter writer);

    void ReadSnapshot(BinaryReader reader);
}
