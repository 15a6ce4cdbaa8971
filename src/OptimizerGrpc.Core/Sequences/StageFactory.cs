using OptimizerGrpc.Core.Methods.Auto;
using OptimizerGrpc.Core.Methods.Bayesian;
using OptimizerGrpc.Core.Methods.Tpe;
using OptimizerGrpc.Core.Methods.Grid;
using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Methods.Genetic;
using OptimizerGrpc.Core.Methods.MultiObjective;
using OptimizerGrpc.Core.Methods.Swarm;
using OptimizerGrpc.Core.Metrics;
using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Core.Studies;
using static OptimizerGrpc.Core.Studies.UserText;

namespace OptimizerGrpc.Core.Sequences;

/// <summary>Turns one written stage into a planned stage: free parameters, method, objectives, budget and seed.</summary>
public static class StageFactory
{
    // Stage seeds are spread by the golden-ratio increment so that stages of one study draw independent streams.
    private const ulong SeedSpread = 0x9E3779B97F4A7C15UL;

    /// <returns>The stage, or null when the template is invalid (the reasons are added to <paramref name="v"/>).</returns>
    public static StageDefinition? Create(int index, StageTemplate s, DataContext context, PlanningContext study, SpecViolations v)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(v);
        var known = study.Targets.ToHashSet(StringComparer.Ordinal);
        if (s.Targets.Count == 0)
        {
            v.Add(s.Path + ".targets", "a stage needs at least one target");
            return null;
        }

        foreach (var t in s.Targets.Where(t => !known.Contains(t)))
        {
            v.Add(s.Path + ".targets", $"unknown target {Quote(t)}");
            return null;
        }

        var space = study.Space;
        int[] free = [.. Enumerable.Range(0, space.Count)
            .Where(i => s.Targets.Any(t => space.Parameters[i].Name.StartsWith(t + ".", StringComparison.Ordinal)))];
        var method = s.Method ?? study.Method;
        var objectives = study.Objectives;
        var weights = study.Weights;
        if (s.Objectives.Count > 0)
        {
            objectives = [.. s.Objectives.Select(o => new ObjectiveDefinition(o.Metric, o.Direction switch
            {
                ObjectiveDirection.Maximize => true,
                ObjectiveDirection.Minimize => false,
                _ => MetricCatalog.DefaultMaximize(o.Metric),
            }))];
            weights = s.Objectives.Any(o => o.Weight is not null) ? [.. s.Objectives.Select(o => o.Weight ?? 1.0)] : null;
        }

        long maxTrials = s.MaxTrials ?? study.MaxTrials;
        if (maxTrials < 0 || (maxTrials == 0 && method is RandomSettings or BayesianSettings or TpeSettings or AutoSettings))
        {
            v.Add(s.Path + ".max_trials", "random, Bayesian, TPE and auto stages need max_trials > 0");
        }

        // Auto chooses by the stage's budget, which only the stage knows.
        if (method is AutoSettings { Budget: 0 } auto)
        {
            method = auto with { Budget = maxTrials };
        }

        ulong seed = study.Seed + ((ulong)index * SeedSpread);
        return new StageDefinition(
            index,
            string.IsNullOrEmpty(s.Name) ? string.Join("+", s.Targets) : s.Name,
            [.. s.Targets],
            free,
            new SearchSpace([.. free.Select(i => space.Parameters[i])]),
            method,
            seed,
            objectives,
            weights,
            maxTrials,
            context)
        {
            MethodOverride = s.Method,
            PlannedTrials = PlannedTrials(method, space, free, maxTrials),
        };
    }

    /// <summary>The trials a stage will issue at most: its budget, capped by what the method implies when that is finite.</summary>
    public static long PlannedTrials(MethodSettings method, SearchSpace space, int[] free, long maxTrials)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(free);
        long natural = method switch
        {
            GridSettings g => new SearchSpace([.. free.Select(i => space.Parameters[i])]).GridSize(g.FloatPoints) ?? 0,
            GeneticSettings g => (long)g.PopulationSize * g.Generations,
            ParticleSwarmSettings p => (long)p.SwarmSize * p.Iterations,
            Nsga2Settings n => (long)n.PopulationSize * n.Generations,
            _ => 0,
        };
        return free.Length == 0 ? 1 : maxTrials > 0 && natural > 0 ? Math.Min(maxTrials, natural) : Math.Max(maxTrials, natural);
    }
}
