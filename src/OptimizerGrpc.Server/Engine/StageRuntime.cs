using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Core.Studies;
using OptimizerGrpc.Server.Engine.Store;

namespace OptimizerGrpc.Server.Engine;

/// <summary>
/// One stage's live state, owned by its <see cref="StudyRuntime"/> and used under the study's gate: the method
/// (created when the stage starts, once its fixed values are known), counters and best trial.
/// </summary>
internal sealed class StageRuntime(StageDefinition definition)
{
    private ParamValue[]? _composeBuffer;

    public StageDefinition Definition { get; } = definition;

    public string StageId => Definition.StageId;

    public StageState State { get; set; } = StageState.Pending;

    public ISearchMethod? Method { get; private set; }

    /// <summary>Values of every parameter of the study's space; the free ones are overwritten per trial.</summary>
    public ParamValue[] Fixed { get; private set; } = [];

    public long Created { get; set; }

    public bool Starved { get; set; }

    public TrialCounts Counts;

    public TrialRecord? Best { get; set; }

    public double BestScore { get; set; } = double.NegativeInfinity;

    /// <summary>The best trials whose equity curves are kept, best first (see <see cref="EquityKeeper"/>).</summary>
    public List<(double Score, long Number)> TopEquity { get; } = [];

    /// <summary>Kept curves that left <see cref="TopEquity"/> since the stage's rows were last pruned.</summary>
    public int DroppedEquity { get; set; }

    public bool BudgetSpent => Definition.MaxTrials > 0 && Created >= Definition.MaxTrials;

    /// <summary>
    /// Results of finished assignments (completed or infeasible), reused when the method proposes one again, so a
    /// backtest is never repeated unless the study allows repeats. Kept for fully discrete spaces only: there a
    /// repeat is likely and the set is bounded by the grid; on continuous ranges a repeat has probability zero.
    /// Rebuilt from the store on restart.
    /// </summary>
    public Dictionary<string, Observation>? Evaluated { get; private set; }

    public void EnableReuse()
    {
        Evaluated = [];
        InFlight = [];
        Waiting = [];
    }

    /// <summary>Keys of assignments with a trial not finished yet (reuse only). Rebuilt from the unfinished trials on restart.</summary>
    public HashSet<string>? InFlight { get; private set; }

    /// <summary>
    /// Proposals that repeat an assignment still in flight, by key (reuse only): they wait for that trial's result
    /// instead of running the same backtest twice, and are told it when it arrives. Part of the stage snapshot, since
    /// the method counts them as outstanding.
    /// </summary>
    public Dictionary<string, List<ParamValue[]>>? Waiting { get; private set; }

    /// <summary>Set when many rounds of proposals only repeated evaluated assignments: the space is treated as exhausted.</summary>
    public bool Saturated { get; private set; }

    /// <summary>Proposals in a row that repeated an evaluated or in-flight assignment (reset by a new trial).</summary>
    public long RepeatRun { get; set; }

    /// <summary>
    /// Counts one repeated proposal; after <see cref="SaturationRepeats"/> in a row the space is treated as exhausted.
    /// Counting proposals, not rounds of asks, makes the end independent of how many trials workers asked for at once.
    /// </summary>
    public void CountRepeat()
    {
        if (++RepeatRun >= SaturationRepeats)
        {
            Saturated = true;
        }
    }

    public const long SaturationRepeats = 256;

    public static string KeyOf(ParamValue[] assignment) => string.Join('\u001f', assignment.Select(v => $"{(int)v.Kind}:{v}"));

    /// <summary>Starts the stage with the given values for the parameters it does not search.</summary>
    public void Start(ParamValue[] fixedValues, Predicate<ParamValue[]>? fullFeasible)
    {
        Fixed = fixedValues;
        State = StageState.Running;
        Method = CreateMethod(fullFeasible);
    }

    /// <summary>The full assignment (study space order) for a free assignment of this stage.</summary>
    public ParamValue[] Compose(ParamValue[] free)
    {
        var full = (ParamValue[])Fixed.Clone();
        for (int i = 0; i < free.Length; i++)
        {
            full[Definition.FreeIndices[i]] = free[i];
        }

        return full;
    }

    public void Write(BinaryWriter w, ISnapshotCodec codec)
    {
        w.Write((int)State);
        w.Write(Created);
        w.Write(Starved);
        Counts.Write(w);
        w.Write(BestScore);
        byte[] best = Best is null ? [] : codec.EncodeTrial(Best);
        w.Write(best.Length);
        w.Write(best);
        w.Write(Fixed.Length);
        foreach (var value in Fixed)
        {
            WriteValue(w, codec, value);
        }

        w.Write(Method is not null);
        Method?.WriteSnapshot(w);
        w.Write(RepeatRun);
        w.Write(Saturated);
        var waiting = Waiting?.SelectMany(kv => kv.Value).ToList() ?? [];
        w.Write(waiting.Count);
        foreach (var assignment in waiting)
        {
            w.Write(assignment.Length);
            foreach (var value in assignment)
            {
                WriteValue(w, codec, value);
            }
        }
    }

    /// <param name="version">The study snapshot's version: 2 has no waiting proposals.</param>
    public void Read(BinaryReader r, Predicate<ParamValue[]>? fullFeasible, int version, ISnapshotCodec codec, SearchSpace studySpace)
    {
        State = (StageState)r.ReadInt32();
        Created = r.ReadInt64();
        Starved = r.ReadBoolean();
        Counts = TrialCounts.Read(r);
        BestScore = r.ReadDouble();
        int bestLength = r.ReadInt32();
        Best = bestLength > 0 ? codec.DecodeTrial(r.ReadBytes(bestLength), studySpace) : null;
        Fixed = new ParamValue[r.ReadInt32()];
        for (int i = 0; i < Fixed.Length; i++)
        {
            Fixed[i] = codec.DecodeValue(r.ReadBytes(r.ReadInt32()));
        }

        if (r.ReadBoolean())
        {
            Method = CreateMethod(fullFeasible);
            Method.ReadSnapshot(r);
        }

        if (version >= 3)
        {
            RepeatRun = r.ReadInt64();
            Saturated = r.ReadBoolean();
        }

        int waiting = version >= 3 ? r.ReadInt32() : 0;
        for (int i = 0; i < waiting; i++)
        {
            var assignment = new ParamValue[r.ReadInt32()];
            for (int j = 0; j < assignment.Length; j++)
            {
                assignment[j] = codec.DecodeValue(r.ReadBytes(r.ReadInt32()));
            }

            AddWaiting(KeyOf(assignment), assignment);
        }
    }

    private static void WriteValue(BinaryWriter w, ISnapshotCodec codec, ParamValue value)
    {
        byte[] bytes = codec.EncodeValue(value);
        w.Write(bytes.Length);
        w.Write(bytes);
    }

    /// <summary>This stage's free values of a full assignment (study space order).</summary>
    public ParamValue[] FreeAssignment(IReadOnlyList<ParamValue> full) => [.. Definition.FreeIndices.Select(i => full[i])];

    /// <summary>At restore: a finished trial's result becomes reusable again, exactly as when it finished.</summary>
    public void RememberEvaluated(TrialRecord trial)
    {
        if (Evaluated is null || trial.State is not (TrialState.Completed or TrialState.Infeasible)
            || trial.ObjectiveValues.Count != Definition.Objectives.Count)
        {
            return;
        }

        var assignment = FreeAssignment(trial.Params);
        var kind = trial.State == TrialState.Completed ? ObservationKind.Completed : ObservationKind.Infeasible;
        double[] scores = kind == ObservationKind.Completed ? Definition.Orient(trial.ObjectiveValues) : [];
        Evaluated.TryAdd(KeyOf(assignment), new Observation(assignment, Definition.Weights is null || scores.Length == 0 ? scores : [Definition.Rank(scores)], kind));
    }

    public void AddWaiting(string key, ParamValue[] assignment)
    {
        Waiting ??= [];
        if (!Waiting.TryGetValue(key, out var list))
        {
            Waiting[key] = list = [];
        }

        list.Add(assignment);
    }

    // Relationship constraints are written over the whole space: check each free proposal with the fixed values around it.
    private ISearchMethod CreateMethod(Predicate<ParamValue[]>? fullFeasible)
    {
        Predicate<ParamValue[]>? feasible = null;
        if (fullFeasible is not null)
        {
            feasible = free =>
            {
                _composeBuffer ??= new ParamValue[Fixed.Length];
                Fixed.CopyTo(_composeBuffer, 0);
                for (int i = 0; i < free.Length; i++)
                {
                    _composeBuffer[Definition.FreeIndices[i]] = free[i];
                }

                return fullFeasible(_composeBuffer);
            };
        }

        return SearchMethods.Create(Definition.Method, Definition.Space, feasible, Definition.Seed);
    }
}
