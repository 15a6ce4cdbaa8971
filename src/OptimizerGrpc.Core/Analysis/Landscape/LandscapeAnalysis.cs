using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Core.Studies;

namespace OptimizerGrpc.Core.Analysis.Landscape;

/// <summary>
/// The landscape of one stage from its completed trials: parameter importance (<see cref="PedAnova"/>), sensitivity tables
/// and pair surfaces, the robustness of the best trials, and the modes of the good region. Offer the stage's trials (in
/// any order, page by page), then <see cref="Analyze"/>. Only the stage's free parameters are analysed (picked from
/// <see cref="TrialRecord.Params"/> by <see cref="StageDefinition.FreeIndices"/>), and a trial's score is
/// <c>stage.Rank(stage.Orient(objective values))</c>: higher is better, minimised objectives are negated, weighted
/// objectives summed. Memory: a score, a number and, per free parameter, a value and a unit position per trial.
/// </summary>
public sealed class LandscapeAnalysis
{
    private readonly StageDefinition _stage;
    private readonly SearchParameter[] _parameters;
    private readonly List<double> _scores = [];
    private readonly List<long> _numbers = [];
    private readonly List<double> _units = [];
    private readonly List<ParamValue> _values = [];

    public LandscapeAnalysis(StageDefinition stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        if (stage.FreeIndices.Length != stage.Space.Count)
        {
            throw new ArgumentException($"stage {stage.StageId} has {stage.FreeIndices.Length} free indices but {stage.Space.Count} parameters in its space", nameof(stage));
        }

        _stage = stage;
        _parameters = [.. stage.Space.Parameters];
    }

    /// <summary>Trials offered and left out: not completed, of another stage, without every objective, or with a
    /// non-finite score.</summary>
    public long Skipped { get; private set; }

    /// <summary>Trials offered and kept for the analysis.</summary>
    public long Trials => _scores.Count;

    /// <summary>Offers one trial of the stage; its free parameters' values must belong to their domains, as every trial
    /// the engine creates does.</summary>
    public void Offer(TrialRecord trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        if (trial.State != TrialState.Completed || trial.StageIndex != _stage.Index || trial.ObjectiveValues.Count != _stage.Objectives.Count
            || _stage.Objectives.Count == 0)
        {
            Skipped++;
            return;
        }

        double score = _stage.Rank(_stage.Orient(trial.ObjectiveValues));
        if (!double.IsFinite(score))
        {
            Skipped++;
            return;
        }

        _scores.Add(score);
        _numbers.Add(trial.Number);
        for (int a = 0; a < _parameters.Length; a++)
        {
            var value = trial.Params[_stage.FreeIndices[a]];
            _values.Add(value);
            _units.Add(UnitCoding.ToUnit(_parameters[a].Domain, value));
        }
    }

    /// <summary>Analyses the trials offered so far; <paramref name="options"/> defaults to <see cref="LandscapeOptions.Default"/>.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names each and its allowed range.</exception>
    public LandscapeReport Analyze(LandscapeOptions? options = null)
    {
        options ??= LandscapeOptions.Default;
        options.Validate();
        var axes = _parameters.Select(p => LandscapeAxis.For(p, options.Bins, options.MaxLevels)).ToList();
        var data = new LandscapeData(axes, [.. _scores], [.. _numbers], [.. _units], [.. _values]);

        var importance = PedAnova.Evaluate(data, options.Importance);
        var byName = axes.Select((a, i) => (a.Parameter.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        var order = importance.Select(p => byName[p.Parameter]).ToList();
        return new LandscapeReport(
            _stage.StageId,
            [.. _parameters.Select(p => p.Name)],
            data.N,
            Skipped,
            importance,
            SensitivityTables.PerParameter(data),
            SensitivityTables.Pairs(data, order, options.Sensitivity.PairParameters),
            RobustnessAnalysis.Analyze(data, options.Robustness),
            ModeSummaries.Summarize(data, options.Modes));
    }
}
