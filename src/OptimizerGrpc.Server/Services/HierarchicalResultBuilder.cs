using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Server.Engine;

namespace OptimizerGrpc.Server.Services;

/// <summary>
/// The result of a hierarchical study, read from the store: the stage's trials grouped by their outer values (the
/// search never opens two candidates with the same outer values, so a group is one candidate), each group's inner
/// winner, and the best pair. Candidates keep the order of their first trial, which is the order the outer method
/// proposed them.
/// </summary>
internal static class HierarchicalResultBuilder
{
    private const int PageSize = 10_000;

    public static async Task<HierarchicalResult?> BuildAsync(StudyRuntime runtime, StudyRegistry registry, CancellationToken ct)
    {
        if (runtime.Plan.Stages.FirstOrDefault(s => s.Hierarchy is not null) is not { Hierarchy: { } hierarchy } stage)
        {
            return null;
        }

        var outerNames = hierarchy.OuterIndices.Select(i => runtime.Plan.Space.Parameters[i].Name).ToHashSet(StringComparer.Ordinal);
        var result = new HierarchicalResult { OuterTargets = { hierarchy.OuterTargets }, InnerTargets = { hierarchy.InnerTargets } };
        var byOuter = new Dictionary<string, (HierarchicalCandidate Candidate, double Rank)>(StringComparer.Ordinal);
        long afterNumber = -1;
        while (true)
        {
            var page = await registry.Reader.ListTrialsAsync(runtime.Key, afterNumber, PageSize, stage.Index, [], 0, ct);
            foreach (var trial in page)
            {
                string key = string.Join('\u001f', trial.Params.Where(p => outerNames.Contains(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
                if (!byOuter.TryGetValue(key, out var entry))
                {
                    var candidate = new HierarchicalCandidate { BestScore = double.NaN, BestTrialNumber = -1 };
                    foreach (var (name, value) in trial.Params.Where(p => outerNames.Contains(p.Key)))
                    {
                        candidate.OuterParams[name] = value;
                    }

                    entry = (candidate, double.NegativeInfinity);
                    result.Candidates.Add(candidate);
                }

                entry.Candidate.Trials++;
                if (trial.State == TrialState.Completed && trial.ObjectiveValues.Count == stage.Objectives.Count)
                {
                    entry.Candidate.CompletedTrials++;
                    double[] oriented = [.. trial.ObjectiveValues.Select((v, i) => stage.Objectives[i].Maximize ? v : -v)];
                    double rank = stage.Rank(oriented);
                    if (rank > entry.Rank)
                    {
                        entry.Rank = rank;
                        entry.Candidate.BestScore = stage.Weights is null ? trial.ObjectiveValues[0] : rank;
                        entry.Candidate.BestTrialNumber = trial.Number;
                        entry.Candidate.InnerBestParams.Clear();
                        foreach (var (name, value) in trial.Params.Where(p => !outerNames.Contains(p.Key)))
                        {
                            entry.Candidate.InnerBestParams[name] = value;
                        }
                    }
                }

                byOuter[key] = entry;
            }

            if (page.Count < PageSize)
            {
                break;
            }

            afterNumber = page[^1].Number;
        }

        var best = byOuter.Values.Where(e => e.Candidate.BestTrialNumber >= 0).OrderByDescending(e => e.Rank).ThenBy(e => e.Candidate.BestTrialNumber).FirstOrDefault();
        result.Best = best.Candidate;
        return result;
    }
}
