using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Methods;

/// <summary>
/// The proposals a method has handed out and not yet heard back about, each tied to a slot (an individual,
/// a particle). A told trial is matched by reference first (the engine passes back the array it was given),
/// then by value, because after a restart the engine rebuilds the array from storage. Among equal-valued
/// pending proposals the lowest slot is taken, so matching is deterministic.
/// </summary>
internal sealed class PendingProposals
{
    private readonly Dictionary<ParamValue[], int> _byReference = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<ParamValue[], SortedSet<int>> _byValue = new(Assignments.ByValue);
    private readonly Dictionary<int, ParamValue[]> _bySlot = [];

    public int Count => _bySlot.Count;

    public bool IsPending(int slot) => _bySlot.ContainsKey(slot);

    public void Add(ParamValue[] assignment, int slot)
    {
        _byReference.Add(assignment, slot);
        _bySlot.Add(slot, assignment);
        if (!_byValue.TryGetValue(assignment, out var slots))
        {
            slots = [];
            _byValue.Add(assignment, slots);
        }

        slots.Add(slot);
    }

    /// <summary>Removes and returns the slot of a told assignment; false when it is not pending (unknown or told twice).</summary>
    public bool TryTake(ParamValue[] told, out int slot)
    {
        if (!_byReference.TryGetValue(told, out slot))
        {
            if (!_byValue.TryGetValue(told, out var candidates))
            {
                return false;
            }

            slot = candidates.Min;
        }

        var assignment = _bySlot[slot];
        _bySlot.Remove(slot);
        _byReference.Remove(assignment);
        var slots = _byValue[assignment];
        slots.Remove(slot);
        if (slots.Count == 0)
        {
            _byValue.Remove(assignment);
        }

        return true;
    }

    public void Clear()
    {
        _byReference.Clear();
        _byValue.Clear();
        _bySlot.Clear();
    }
}
