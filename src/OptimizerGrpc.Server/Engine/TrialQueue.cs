using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Core.Studies;

namespace OptimizerGrpc.Server.Engine;

/// <summary>An unfinished trial: its current record (replaced at each change), the stage's free assignment, and the stage.</summary>
internal sealed class ActiveTrial(TrialRecord trial, ParamValue[] assignment, int stage)
{
    public TrialRecord Trial { get; set; } = trial;

    public ParamValue[] Assignment { get; } = assignment;

    public int Stage { get; } = stage;

    /// <summary>The lease length of the running attempt (the study's, or the asker's): a heartbeat renews by it.</summary>
    public TimeSpan LeaseLength { get; set; }
}

/// <summary>
/// A study's unfinished trials: every one by number, and the pending ones in hand-out order (requeued trials first).
/// Also hands out trial numbers, reserved in durable blocks: see <see cref="TakeNumber"/>. Used under the study's gate.
/// </summary>
internal sealed class TrialQueue
{
    /// <summary>Trial numbers reserved per durable commit.</summary>
    public const long NumberBlock = 4096;

    private readonly Dictionary<long, ActiveTrial> _active = [];
    private readonly LinkedList<long> _pending = new();

    /// <summary>The next trial number to hand out.</summary>
    public long NextNumber { get; set; }

    /// <summary>Numbers below this are reserved by a durable commit.</summary>
    public long ReservedNumber { get; set; }

    /// <summary>Set when <see cref="TakeNumber"/> reserved a new block: the batch that records it must be fully durable.</summary>
    public bool ReservedInBatch { get; set; }

    public IEnumerable<ActiveTrial> Active => _active.Values;

    public int PendingCount => _pending.Count;

    /// <summary>
    /// The next trial number. Numbers are reserved in blocks by a fully durable commit before any of them is handed out;
    /// after an unclean stop numbering resumes past the reservation, so a number that a lost relaxed commit may have
    /// handed out is never issued again for another assignment.
    /// </summary>
    public long TakeNumber()
    {
        if (NextNumber >= ReservedNumber)
        {
            ReservedNumber = NextNumber + NumberBlock;
            ReservedInBatch = true;
        }

        return NextNumber++;
    }

    public bool TryGet(long number, out ActiveTrial active) => _active.TryGetValue(number, out active!);

    public void Add(ActiveTrial active) => _active.Add(active.Trial.Number, active);

    public void Remove(long number) => _active.Remove(number);

    /// <summary>Queues a trial at the back (new work) or the front (requeued work: the oldest, maybe blocking a generation).</summary>
    public void Enqueue(long number, bool front)
    {
        if (front)
        {
            _pending.AddFirst(number);
        }
        else
        {
            _pending.AddLast(number);
        }
    }

    public bool TryDequeue(out ActiveTrial active)
    {
        if (_pending.First is { } node)
        {
            _pending.RemoveFirst();
            active = _active[node.Value];
            return true;
        }

        active = null!;
        return false;
    }
}
