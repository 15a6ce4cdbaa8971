using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Core.Sequences;
using Seq = OptimizerGrpc.Core.Sequences;
using OptimizerGrpc.Core.Studies;

namespace OptimizerGrpc.Server.Api.Mapping;

/// <summary>A spec's sequence as the domain's <see cref="SequenceDefinition"/>; its planners do the rest (Core's Sequences).</summary>
internal static class SequenceMapper
{
    public static SequenceDefinition ToDomain(SequenceSpec? sequence, SpecViolations v)
    {
        switch (sequence?.KindCase ?? SequenceSpec.KindOneofCase.None)
        {
            case SequenceSpec.KindOneofCase.Sequential:
                return new Seq.SequentialSequence(Stages(sequence!.Sequential.Stages, SequentialPlanner.Path, v));
            case SequenceSpec.KindOneofCase.Parallel:
                return new Seq.ParallelSequence(Stages(sequence!.Parallel.Stages, ParallelPlanner.Path, v));
            case SequenceSpec.KindOneofCase.Hierarchical:
                {
                    var h = sequence!.Hierarchical;
                    return new Seq.HierarchicalSequence(
                        h.Outer is null ? null : Stage(h.Outer, HierarchicalPlanner.Path + ".outer", v),
                        h.Inner is null ? null : Stage(h.Inner, HierarchicalPlanner.Path + ".inner", v));
                }

            case SequenceSpec.KindOneofCase.RegimeSpecific:
                {
                    var r = sequence!.RegimeSpecific;
                    return new Seq.RegimeSpecificSequence(
                        r.Stage is null ? null : Stage(r.Stage, RegimePlanner.Path + ".stage", v),
                        r.HasMinRegimeData ? r.MinRegimeData : null,
                        r.RegimeDetectorTarget,
                        r.Mode == EvaluationMode.Attribution,
                        r.HasCrossRegimeValidation && r.CrossRegimeValidation);
                }

            case SequenceSpec.KindOneofCase.WalkForward:
                {
                    var w = sequence!.WalkForward;
                    return new Seq.WalkForwardSequence(
                        w.Stage is null ? null : Stage(w.Stage, WalkForwardPlanner.Path + ".stage", v),
                        w.InSampleBars,
                        w.OutOfSampleBars,
                        w.HasStepBars ? w.StepBars : null,
                        w.WindowKind == WindowKind.Anchored,
                        w.Mode == EvaluationMode.Attribution);
                }

            default:
                return new Seq.SingleSequence();
        }
    }

    private static List<StageTemplate> Stages(IList<StageSpec> stages, string path, SpecViolations v) =>
        [.. stages.Select((s, i) => Stage(s, $"{path}[{i}]", v))];

    private static StageTemplate Stage(StageSpec s, string path, SpecViolations v) => new(
        s.Name,
        [.. s.Targets],
        s.Method is null ? null : MethodMapper.ToDomain(s.Method, v, path + ".method"),
        [.. s.Objectives.Select(o => new ObjectiveSpec(o.Metric, (ObjectiveDirection)(int)o.Direction, o.HasWeight ? o.Weight : null))],
        s.HasMaxTrials ? s.MaxTrials : null,
        path);
}
