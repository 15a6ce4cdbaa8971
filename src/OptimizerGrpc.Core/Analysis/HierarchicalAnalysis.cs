using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Core.Studies;

namespace OptimizerGrpc.Core.Analysis;

/// <summary>One outer candidate of a hierarchical study: its outer values, its inner winner and how many trials it took.</summary>
public sealed record HierarchicalCandidateResult(
    IReadOnlyList<KeyValuePair<string, ParamValue>> OuterParams,
    IReadOnlyList<KeyValuePair<string, ParamValue>> InnerBestParams,
    double BestScore,
    long BestTrialNumber,
    long Trials,
    long CompletedTrials);

/// <summary>The result of a hierarchical study: every candidate, in the order the outer method proposed them, and the best pair.</summary>
public sealed record HierarchicalSummary(
    IReadOnlyList<string> OuterTargets, IReadOnlyList<string> InnerTargets, IReadOnlyList<HierarchicalCandidateResult> Candidates, HierarchicalCandidateResult? Best);

/// <summary>
/// Groups a hierarchical stage's trials by their outer values (the search never opens two candidates with the same
/// outer values, so a group is one candidate) and finds each group's inner winner by the stage's rank; a candidate's
/// score is its winner's first objective (the weighted rank when the stage has weights). Candidates keep the order of
/// their first trial. Ties keep the earlier trial; the best pair is the highest rank, then the lowest trial number.
/// </summary>
public sealed class HierarchicalAnalysis(StageDefinition stage, SearchSpace studySpace)
{
    private readonly HierarchyPlan _plan = stage.Hierarchy ?? throw new ArgumentException("not a hierarchical stage", nameof(stage));
    private readonly Dictionary<string, Group> _groups = new(StringComparer.Ordinal);
    private readonly List<Group> _order = [];

    /// <summary>Offers one trial of the stage, in number order.</summary>
    public void Offer(TrialRecord trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var outer = _plan.OuterIndices.Order().Select(i => KeyValuePair.Create(studySpace.Parameters[i].Name, trial.Params[i])).ToList();
        string key = string.Join('\u001f', outer.Select(p => $"{p.Key}={(int)p.Value.Kind}:{p.Value}"));
        if (!_groups.TryGetValue(key, out var group))
        {
            _groups[key] = group = new Group(outer);
            _order.Add(group);
        }

        group.Trials++;
        if (trial.State == TrialState.Completed && trial.ObjectiveValues.Count == stage.Objectives.Count)
        {
            group.Completed++;
            double rank = stage.Rank(stage.Orient(trial.ObjectiveValues));
            if (rank > group.Rank)
            {
                group.Rank = rank;
                group.Score = stage.Weights is null ? trial.ObjectiveValues[0] : rank;
                group.BestNumber = trial.Number;
                // The inner targets' values only: parameters of targets outside both levels sit at their defaults.
                group.Inner = [.. trial.NamedParams().Where(p => _plan.InnerTargets.Any(t => p.Key.StartsWith(t + ".", StringComparison.Ordinal)))];
            }
        }
    }

    public HierarchicalSummary Summarize()
    {
        var candidates = _order.Select(g => g.ToResult()).ToList();
        var best = _order.Where(g => g.BestNumber >= 0).OrderByDescending(g => g.Rank).ThenBy(g => g.BestNumber).FirstOrDefault();
        return new HierarchicalSummary(_plan.OuterTargets, _plan.InnerTargets, candidates, best?.ToResult());
    }

    private sealed class Group(List<KeyValuePair<string, ParamValue>> outer)
    {
        public long Trials;
        public long Completed;
        public double Rank = double.NegativeInfinity;
        public double Score = double.NaN;
        public long BestNumber = -1;
        public List<KeyValuePair<string, ParamValue>> Inner = [];

        public HierarchicalCandidateResult ToResult() => new(outer, Inner, Score, BestNumber, Trials, Completed);
    }
}
