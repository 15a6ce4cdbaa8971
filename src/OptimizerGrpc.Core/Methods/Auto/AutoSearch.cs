using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Methods.Auto;

/// <summary>
/// The <c>auto</c> method: runs the method <see cref="AutoChoice"/> picks for the space and budget. The snapshot records
/// the choice before the chosen method's own state, and a restore rebuilds that method, so a stored study continues
/// with the method it started with even if a later release would choose differently.
/// </summary>
public sealed class AutoSearch : ISearchMethod
{
    private const byte SnapshotVersion = 1;

    private readonly SearchSpace _space;
    private readonly Predicate<ParamValue[]>? _feasible;
    private readonly ulong _seed;
    private ISearchMethod _inner;

    public AutoSearch(SearchSpace space, AutoSettings settings, Predicate<ParamValue[]>? feasible, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(settings);
        _space = space;
        _feasible = feasible;
        _seed = seed;
        Choice = AutoChoice.Choose(space, settings.Budget);
        _inner = SearchMethods.Create(AutoChoice.Settings(Choice), space, feasible, seed);
    }

    /// <summary>The method running.</summary>
    public AutoMethod Choice { get; private set; }

    public bool IsExhausted => _inner.IsExhausted;

    public bool Starved => _inner.Starved;

    public int Ask(int count, List<ParamValue[]> output) => _inner.Ask(count, output);

    public void Tell(in Observation observation) => _inner.Tell(observation);

    public void WriteSnapshot(BinaryWriter writer)
    {
        writer.Write(SnapshotVersion);
        writer.Write((byte)Choice);
        _inner.WriteSnapshot(writer);
    }

    public void ReadSnapshot(BinaryReader reader)
    {
        if (reader.ReadByte() != SnapshotVersion)
        {
            throw new InvalidDataException("unknown auto method snapshot version");
        }

        var choice = (AutoMethod)reader.ReadByte();
        if (!Enum.IsDefined(choice))
        {
            throw new InvalidDataException($"the auto snapshot names an unknown method {(byte)choice}");
        }

        if (choice != Choice)
        {
            Choice = choice;
            _inner = SearchMethods.Create(AutoChoice.Settings(choice), _space, _feasible, _seed);
        }

        _inner.ReadSnapshot(reader);
    }
}
