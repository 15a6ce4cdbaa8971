using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Sequences;
using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Core.Studies;

namespace OptimizerGrpc.Core.Tests.Sequences;

/// <summary>
/// The study the planner tests start from. Targets in spec order ma, rsi, stop; parameters (space index: grid size)
/// 0 ma.fast 1..5 (5), 1 ma.slow 10..30 step 10 (3), 2 rsi.period 7..21 step 7 (3), 3 stop.kind atr|pct (2).
/// Seed 42, random search, budget 100, one objective sharpe_ratio (maximised).
/// </summary>
internal static class PlanningFixture
{
    public const ulong Seed = 42;

    public static readonly SearchSpace Space = new([
        new SearchParameter("ma.fast", new IntDomain(1, 5, 1)),
        new SearchParameter("ma.slow", new IntDomain(10, 30, 10)),
        new SearchParameter("rsi.period", new IntDomain(7, 21, 7)),
        new SearchParameter("stop.kind", new CategoricalDomain(["atr", "pct"])),
    ]);

    public static readonly string[] Targets = ["ma", "rsi", "stop"];

    public static readonly ObjectiveDefinition[] Sharpe = [new("sharpe_ratio", true)];

    public static PlanningContext Study(
        MethodSettings? method = null,
        long maxTrials = 100,
        DataDescription? data = null,
        IReadOnlyList<ObjectiveDefinition>? objectives = null,
        double[]? weights = null) =>
        new(Space, Targets, method ?? new RandomSettings(), Seed, objectives ?? Sharpe, weights, maxTrials, data ?? DataDescription.None);

    /// <summary>A written stage with no method, objectives or budget of its own.</summary>
    public static StageTemplate Stage(string name, string path, params string[] targets) => new(name, targets, null, [], null, path);

    /// <summary>Plans and expects the plan to be rejected; returns the violations' field paths in order.</summary>
    public static string[] RejectedFields(SequenceDefinition sequence, PlanningContext study) =>
        [.. Rejected(sequence, study).Violations.Select(v => v.Field)];

    public static SpecValidationException Rejected(SequenceDefinition sequence, PlanningContext study) =>
        Assert.Throws<SpecValidationException>(() => SequencePlanner.Plan(sequence, study));
}
