using System.Text.RegularExpressions;
using Grpc.Core;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Core.Constraints;
using OptimizerGrpc.Core.Methods;
using BayesianSettings = OptimizerGrpc.Core.Methods.BayesianSettings;
using Nsga2Settings = OptimizerGrpc.Core.Methods.MultiObjective.Nsga2Settings;
using GeneticSettings = OptimizerGrpc.Core.Methods.Genetic.GeneticSettings;
using ParticleSwarmSettings = OptimizerGrpc.Core.Methods.Swarm.ParticleSwarmSettings;
using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Server.Engine;

namespace OptimizerGrpc.Server.Services;

/// <summary>
/// Validates a wire <see cref="StudySpec"/> and compiles it into a <see cref="StudyPlan"/>. Every mistake is
/// reported as a field violation with the path of the offending field; a feature the server does not
/// implement yet is refused with UNIMPLEMENTED rather than ignored.
/// </summary>
internal static partial class StudySpecCompiler
{
    public const int DefaultMaxAttempts = 3;
    public const int DefaultGridFloatPoints = 10;
    public static readonly TimeSpan DefaultLeaseDuration = TimeSpan.FromSeconds(60);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex IdentifierPattern();

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex StudyIdPattern();

    public static void ValidateStudyId(string studyId, string field)
    {
        if (!StudyIdPattern().IsMatch(studyId))
        {
            throw FieldViolations.Single(field, "must be 1-64 characters of letters, digits, '_', '.' or '-'");
        }
    }

    /// <param name="seed">The seed to use when the spec has none (creation draws one and stores it in the spec).</param>
    public static StudyPlan Compile(StudySpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var v = new FieldViolations();
        var parameters = CompileTargets(spec, v);
        ValidateObjectives(spec, v);
        var method = CompileMethod(spec.Method, v);
        ValidateLimits(spec, method, v);
        v.ThrowIfAny("invalid study spec");

        var space = new SearchSpace(parameters);
        if (method is GridSettings g && space.GridSize(g.FloatPoints) is null)
        {
            throw FieldViolations.Single("spec.method.grid", "the grid has more than 2^63 points; give float ranges a step or fewer float_points");
        }

        var feasible = CompileConstraints(spec, space);
        var (objectives, weights, scorer) = CompileScoring(spec, method);
        var stages = CompileStages(spec, space, method, objectives, weights);
        return new StudyPlan(
            space,
            method,
            spec.Method.Seed,
            objectives,
            feasible,
            spec.MaxTrials,
            spec.HasMaxAttempts ? spec.MaxAttempts : DefaultMaxAttempts,
            spec.LeaseDuration is null ? DefaultLeaseDuration : spec.LeaseDuration.ToTimeSpan())
        {
            Weights = weights,
            Scorer = scorer,
            Stages = stages,
            Defaults = Defaults(spec, space),
        };
    }

    // A parameter not searched in a stage takes its target's default_value, else the middle of its domain.
    private static ParamValue[] Defaults(StudySpec spec, SearchSpace space)
    {
        var result = new ParamValue[space.Count];
        for (int i = 0; i < space.Count; i++)
        {
            result[i] = space.Parameters[i].Domain.FromUnit(0.5);
        }

        foreach (var target in spec.Targets)
        {
            foreach (var p in target.Parameters)
            {
                int index = space.IndexOf(target.Name + "." + p.Name);
                if (index >= 0 && p.DefaultValue is { KindCase: not ParameterValue.KindOneofCase.None } d
                    && space.Parameters[index].Domain.Contains(ProtoMapper.ToDomain(d)))
                {
                    result[index] = ProtoMapper.ToDomain(d);
                }
            }
        }

        return result;
    }

    private static List<SearchParameter> CompileTargets(StudySpec spec, FieldViolations v)
    {
        var result = new List<SearchParameter>();
        var targetNames = new HashSet<string>(StringComparer.Ordinal);
        if (spec.Targets.Count == 0)
        {
            v.Add("spec.targets", "a study needs at least one target");
        }

        for (int t = 0; t < spec.Targets.Count; t++)
        {
            var target = spec.Targets[t];
            string path = $"spec.targets[{t}]";
            if (!IdentifierPattern().IsMatch(target.Name))
            {
                v.Add(path + ".name", $"'{target.Name}' is not a name: use letters, digits and '_', not starting with a digit");
            }
            else if (!targetNames.Add(target.Name))
            {
                v.Add(path + ".name", $"duplicate target name '{target.Name}'");
            }

            if (target.Parameters.Count == 0)
            {
                v.Add(path + ".parameters", "a target needs at least one parameter");
            }

            var names = new HashSet<string>(StringComparer.Ordinal);
            for (int p = 0; p < target.Parameters.Count; p++)
            {
                var parameter = target.Parameters[p];
                string ppath = $"{path}.parameters[{p}]";
                if (!IdentifierPattern().IsMatch(parameter.Name))
                {
                    v.Add(ppath + ".name", $"'{parameter.Name}' is not a name: use letters, digits and '_', not starting with a digit");
                    continue;
                }

                if (!names.Add(parameter.Name))
                {
                    v.Add(ppath + ".name", $"duplicate parameter name '{parameter.Name}' in target '{target.Name}'");
                    continue;
                }

                var domain = CompileDomain(parameter, ppath, v);
                if (domain is not null && parameter.DefaultValue is { KindCase: not ParameterValue.KindOneofCase.None } d && !domain.Contains(ProtoMapper.ToDomain(d)))
                {
                    v.Add(ppath + ".default_value", $"{ProtoMapper.ToDomain(d)} is not a value of the parameter's domain");
                }
                else if (domain is not null)
                {
                    result.Add(new SearchParameter(target.Name + "." + parameter.Name, domain));
                }
            }
        }

        return result;
    }

    private static ParameterDomain? CompileDomain(Parameter p, string path, FieldViolations v)
    {
        switch (p.DomainCase)
        {
            case Parameter.DomainOneofCase.IntRange:
                {
                    var r = p.IntRange;
                    long step = r.HasStep ? r.Step : 1;
                    bool ok = true;
                    if (r.Low > r.High)
                    {
                        v.Add(path + ".int_range.low", $"low ({r.Low}) must be <= high ({r.High})");
                        ok = false;
                    }

                    if (step <= 0)
                    {
                        v.Add(path + ".int_range.step", $"step must be > 0, got {step}");
                        ok = false;
                    }

                    return ok ? new IntDomain(r.Low, r.High, step) : null;
                }

            case Parameter.DomainOneofCase.FloatRange:
                {
                    var r = p.FloatRange;
                    bool ok = true;
                    if (!double.IsFinite(r.Low) || !double.IsFinite(r.High))
                    {
                        v.Add(path + ".float_range", "low and high must be finite numbers");
                        return null;
                    }

                    if (r.Low > r.High)
                    {
                        v.Add(path + ".float_range.low", $"low ({r.Low}) must be <= high ({r.High})");
                        ok = false;
                    }

                    if (r.HasStep && !(r.Step > 0 && double.IsFinite(r.Step)))
                    {
                        v.Add(path + ".float_range.step", $"step must be a finite number > 0, got {r.Step}");
                        ok = false;
                    }

                    if (r.Log && r.Low <= 0)
                    {
                        v.Add(path + ".float_range.low", $"a log-scale range needs low > 0, got {r.Low}");
                        ok = false;
                    }

                    if (r.Log && r.HasStep)
                    {
                        v.Add(path + ".float_range.step", "a log-scale range cannot have a step");
                        ok = false;
                    }

                    return ok ? new FloatDomain(r.Low, r.High, r.HasStep ? r.Step : null, r.Log) : null;
                }

            case Parameter.DomainOneofCase.Categorical:
                {
                    var choices = p.Categorical.Choices;
                    if (choices.Count == 0)
                    {
                        v.Add(path + ".categorical.choices", "a categorical parameter needs at least one choice");
                        return null;
                    }

                    if (choices.Distinct(StringComparer.Ordinal).Count() != choices.Count)
                    {
                        v.Add(path + ".categorical.choices", "choices must be distinct");
                        return null;
                    }

                    return new CategoricalDomain(choices.ToArray());
                }

            case Parameter.DomainOneofCase.Values:
                {
                    var values = p.Values.Values;
                    if (values.Count == 0)
                    {
                        v.Add(path + ".values.values", "a value list needs at least one value");
                        return null;
                    }

                    var mapped = new List<ParamValue>(values.Count);
                    for (int i = 0; i < values.Count; i++)
                    {
                        if (values[i].KindCase == ParameterValue.KindOneofCase.None)
                        {
                            v.Add($"{path}.values.values[{i}]", "value has no kind set");
                            return null;
                        }

                        if (values[i].KindCase == ParameterValue.KindOneofCase.FloatValue && !double.IsFinite(values[i].FloatValue))
                        {
                            v.Add($"{path}.values.values[{i}]", "values must be finite numbers");
                            return null;
                        }

                        mapped.Add(ProtoMapper.ToDomain(values[i]));
                    }

                    if (mapped.Distinct().Count() != mapped.Count)
                    {
                        v.Add(path + ".values.values", "values must be distinct");
                        return null;
                    }

                    return new ValueListDomain(mapped);
                }

            default:
                v.Add(path, "a parameter needs a domain: int_range, float_range, categorical or values");
                return null;
        }
    }

    private static void ValidateObjectives(StudySpec spec, FieldViolations v)
    {
        if (spec.Objectives.Count == 0)
        {
            v.Add("spec.objectives", "a study needs at least one objective");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < spec.Objectives.Count; i++)
        {
            string metric = spec.Objectives[i].Metric;
            if (string.IsNullOrWhiteSpace(metric))
            {
                v.Add($"spec.objectives[{i}].metric", "metric name is empty");
            }
            else if (!seen.Add(metric))
            {
                v.Add($"spec.objectives[{i}].metric", $"duplicate objective '{metric}'");
            }
        }
    }

    private static MethodSettings CompileMethod(MethodSpec? method, FieldViolations v, string path = "spec.method")
    {
        switch (method?.KindCase ?? MethodSpec.KindOneofCase.None)
        {
            case MethodSpec.KindOneofCase.Grid:
                int points = method!.Grid.HasFloatPoints ? method.Grid.FloatPoints : DefaultGridFloatPoints;
                if (points is < 2 or > 1_000_000)
                {
                    v.Add(path + ".grid.float_points", $"must be between 2 and 1000000, got {points}");
                }

                return new GridSettings(points, method.Grid.Shuffle);
            case MethodSpec.KindOneofCase.Genetic:
                {
                    var g = method!.Genetic;
                    var d = new GeneticSettings();
                    var settings = new GeneticSettings(
                        g.HasPopulationSize ? g.PopulationSize : d.PopulationSize,
                        g.HasGenerations ? g.Generations : d.Generations,
                        g.HasMutationRate ? g.MutationRate : d.MutationRate,
                        g.HasCrossoverRate ? g.CrossoverRate : d.CrossoverRate,
                        g.HasEliteCount ? g.EliteCount : d.EliteCount,
                        g.HasTournamentSize ? g.TournamentSize : d.TournamentSize);
                    AddAll(v, path + ".genetic.", GeneticSettings.Validate(settings));
                    return settings;
                }

            case MethodSpec.KindOneofCase.ParticleSwarm:
                {
                    var p = method!.ParticleSwarm;
                    var d = new ParticleSwarmSettings();
                    var settings = new ParticleSwarmSettings(
                        p.HasSwarmSize ? p.SwarmSize : d.SwarmSize,
                        p.HasIterations ? p.Iterations : d.Iterations,
                        p.HasInertia ? p.Inertia : d.Inertia,
                        p.HasCognitive ? p.Cognitive : d.Cognitive,
                        p.HasSocial ? p.Social : d.Social,
                        p.HasMaxVelocityFraction ? p.MaxVelocityFraction : d.MaxVelocityFraction);
                    AddAll(v, path + ".particle_swarm.", ParticleSwarmSettings.Validate(settings));
                    return settings;
                }

            case MethodSpec.KindOneofCase.Nsga2:
                {
                    var n = method!.Nsga2;
                    var d = new Nsga2Settings();
                    var settings = new Nsga2Settings(
                        n.HasPopulationSize ? n.PopulationSize : d.PopulationSize,
                        n.HasGenerations ? n.Generations : d.Generations,
                        n.HasMutationRate ? n.MutationRate : d.MutationRate,
                        n.HasCrossoverRate ? n.CrossoverRate : d.CrossoverRate);
                    AddAll(v, path + ".nsga2.", Nsga2Settings.Validate(settings));
                    return settings;
                }

            case MethodSpec.KindOneofCase.Bayesian:
                {
                    var b = method!.Bayesian;
                    var d = new BayesianSettings();
                    var settings = d with
                    {
                        InitialTrials = b.HasNInitial ? b.NInitial : d.InitialTrials,
                        Acquisition = b.Acquisition switch
                        {
                            Acquisition.Unspecified => d.Acquisition,
                            var a => (BayesianAcquisition)(int)a,
                        },
                        UcbBeta = b.HasUcbBeta ? b.UcbBeta : d.UcbBeta,
                    };
                    AddAll(v, path + ".bayesian.", BayesianSettings.Validate(settings).Select(x => new SettingsViolation(x.Field, x.Message)).ToArray());
                    return settings;
                }

            default:
                // Unset means random search, the baseline.
                return new RandomSettings();
        }
    }

    private static void AddAll(FieldViolations v, string prefix, IReadOnlyList<SettingsViolation> violations)
    {
        foreach (var violation in violations)
        {
            v.Add(prefix + violation.Field, violation.Message);
        }
    }

    private static void ValidateLimits(StudySpec spec, MethodSettings method, FieldViolations v)
    {
        if (spec.MaxTrials < 0)
        {
            v.Add("spec.max_trials", $"must be >= 0, got {spec.MaxTrials}");
        }
        else if (spec.MaxTrials == 0 && method is RandomSettings or BayesianSettings)
        {
            v.Add("spec.max_trials", "must be > 0 for random and Bayesian search (0 means 'until the method is exhausted', and they never are)");
        }

        if (spec.HasMaxAttempts && spec.MaxAttempts is < 1 or > 100)
        {
            v.Add("spec.max_attempts", $"must be between 1 and 100, got {spec.MaxAttempts}");
        }

        if (spec.LeaseDuration is { } lease)
        {
            var d = lease.ToTimeSpan();
            if (d < TimeSpan.FromMilliseconds(100) || d > TimeSpan.FromDays(7))
            {
                v.Add("spec.lease_duration", $"must be between 100 ms and 7 days, got {d}");
            }
        }

        if (spec.Data is { } data)
        {
            if (data.BarCount < 0)
            {
                v.Add("spec.data.bar_count", $"must be >= 0, got {data.BarCount}");
            }

            if (data.RegimeLabels.Count > 0 && data.RegimeLabels.Count != data.BarCount)
            {
                v.Add("spec.data.regime_labels", $"must have one label per bar ({data.BarCount}), got {data.RegimeLabels.Count}");
            }
        }
    }

    private static Predicate<ParamValue[]>? CompileConstraints(StudySpec spec, SearchSpace space)
    {
        var v = new FieldViolations();
        var relationships = new List<NamedExpression>();
        var bounds = new List<ParameterBound>();
        for (int i = 0; i < spec.Constraints.Count; i++)
        {
            var c = spec.Constraints[i];
            string path = $"spec.constraints[{i}]";
            string name = string.IsNullOrEmpty(c.Name) ? $"constraint {i}" : c.Name;
            switch (c.KindCase)
            {
                case Constraint.KindOneofCase.Relationship:
                    relationships.Add(new NamedExpression(name, c.Relationship.Expression, path + ".relationship.expression"));
                    break;
                case Constraint.KindOneofCase.Parameter:
                    int index = space.IndexOf(c.Parameter.Parameter);
                    if (index < 0)
                    {
                        v.Add(path + ".parameter.parameter", $"unknown parameter '{c.Parameter.Parameter}' (use 'target.name')");
                        break;
                    }

                    bounds.Add(new ParameterBound(
                        index,
                        c.Parameter.HasMin ? c.Parameter.Min : null,
                        c.Parameter.HasMax ? c.Parameter.Max : null,
                        c.Parameter.Allowed.Select(ProtoMapper.ToDomain).ToArray()));
                    break;
                case Constraint.KindOneofCase.Performance:
                    // Compiled with the metrics (CompileScoring); checked after each trial.
                    break;
                default:
                    v.Add(path, "a constraint needs a kind: parameter, relationship or performance");
                    break;
            }
        }

        v.ThrowIfAny("invalid constraints");
        Predicate<ParamValue[]>? feasible;
        try
        {
            feasible = FeasibilityFilter.Create(space, relationships, bounds);
        }
        catch (ConstraintException ex)
        {
            throw FieldViolations.Single(ex.Field, ex.Message);
        }

        if (feasible is not null)
        {
            int floatPoints = spec.Method?.Grid is { HasFloatPoints: true } grid ? grid.FloatPoints : DefaultGridFloatPoints;
            var (found, checkedPoints) = FeasibilityProbe.FindAny(space, feasible, floatPoints);
            if (!found)
            {
                throw FieldViolations.Single("spec.constraints", $"no assignment satisfies the parameter and relationship constraints ({checkedPoints:N0} points checked); the search space is empty");
            }
        }

        return feasible;
    }
}
