using OptimizerGrpc.Client;

namespace OptimizerGrpc.Optimization;

/// <summary>
/// Renames the parameters of a study's analysis from the wire's "target.rule__parameter" to the spec's
/// "target.rule.parameter", the names the rest of <see cref="OptimizationResult"/> uses (walk-forward windows,
/// hierarchical candidates). Everything else is kept as the server computed it.
/// </summary>
internal static class AnalysisNames
{
    public static StudyAnalysisInfo ToSpecNames(StudyAnalysisInfo analysis) => analysis with
    {
        Stages = [.. analysis.Stages.Select(Stage)],
        WalkForward = analysis.WalkForward is { } w ? w with { ParameterDrift = Rename(w.ParameterDrift) } : null,
    };

    private static StageAnalysisInfo Stage(StageAnalysisInfo s) => s with
    {
        Importance = [.. s.Importance.Select(i => i with { Parameter = Names.FromWire(i.Parameter) })],
        Sensitivity = [.. s.Sensitivity.Select(p => p with { Parameter = Names.FromWire(p.Parameter) })],
        Surfaces = [.. s.Surfaces.Select(p => p with { RowParameter = Names.FromWire(p.RowParameter), ColumnParameter = Names.FromWire(p.ColumnParameter) })],
        Robustness = s.Robustness is { } r
            ? r with { Top = [.. r.Top.Select(Neighbourhood)], Best = NeighbourhoodOrNull(r.Best), RobustPick = NeighbourhoodOrNull(r.RobustPick) }
            : null,
        Modes = [.. s.Modes.Select(m => m with { Centre = Rename(m.Centre) })],
    };

    private static NeighbourhoodScoreInfo? NeighbourhoodOrNull(NeighbourhoodScoreInfo? n) => n is null ? null : Neighbourhood(n);

    private static NeighbourhoodScoreInfo Neighbourhood(NeighbourhoodScoreInfo n) => n with
    {
        Params = Rename(n.Params),
        OnLowEdge = [.. n.OnLowEdge.Select(Names.FromWire)],
        OnHighEdge = [.. n.OnHighEdge.Select(Names.FromWire)],
    };

    private static Dictionary<string, T> Rename<T>(IReadOnlyDictionary<string, T> values) =>
        values.ToDictionary(p => Names.FromWire(p.Key), p => p.Value, StringComparer.Ordinal);
}
