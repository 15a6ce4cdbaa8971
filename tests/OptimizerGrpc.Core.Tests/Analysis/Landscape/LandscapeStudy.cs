using OptimizerGrpc.Core.Analysis.Landscape;
using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Core.Studies;

namespace OptimizerGrpc.Core.Tests.Analysis.Landscape;

/// <summary>Builds a stage whose free parameters are its whole space, its trials, and their report.</summary>
internal static class LandscapeStudy
{
    public static SearchSpace Space(params (string Name, ParameterDomain Domain)[] parameters) =>
        new([.. parameters.Select(p => new SearchParameter(p.Name, p.Domain))]);

    public static StageDefinition Stage(SearchSpace space, bool maximize = true, int[]? free = null, SearchSpace? studySpace = null)
    {
        free ??= [.. Enumerable.Range(0, space.Count)];
        var stageSpace = studySpace is null ? space : new SearchSpace([.. free.Select(i => studySpace.Parameters[i])]);
        return new StageDefinition(0, "stage", ["t"], free, stageSpace, new RandomSettings(), 1, [new ObjectiveDefinition("score", maximize)], null, 0, DataContext.Whole);
    }

    public static TrialRecord Trial(StageDefinition stage, long number, double objective, params ParamValue[] values) => new()
    {
        StudyId = "study",
        StageIndex = stage.Index,
        Number = number,
        State = TrialState.Completed,
        Space = stage.Space,
        Params = values,
        Context = DataContext.Whole,
        ObjectiveValues = [objective],
    };

    /// <summary>Trials numbered from 1 in list order.</summary>
    public static LandscapeReport Analyze(StageDefinition stage, IEnumerable<(double Score, ParamValue[] Values)> trials, LandscapeOptions? options = null)
    {
        var analysis = new LandscapeAnalysis(stage);
        long number = 1;
        foreach (var (score, values) in trials)
        {
            analysis.Offer(Trial(stage, number++, score, values));
        }

        return analysis.Analyze(options);
    }

    public static ParamValue I(long value) => ParamValue.Int(value);

    public static ParamValue F(double value) => ParamValue.Float(value);

    public static ParamValue S(string value) => ParamValue.String(value);
}
