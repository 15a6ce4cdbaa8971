using System.Text.RegularExpressions;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Core.Studies;
using static OptimizerGrpc.Core.Studies.UserText;

namespace OptimizerGrpc.Server.Api.Mapping;

/// <summary>A spec's targets and their parameters as the study's search space, every mistake with its field path.</summary>
internal static partial class SpaceMapper
{
    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    public static partial Regex IdentifierPattern();

    public static List<SearchParameter> Compile(StudySpec spec, SpecViolations v)
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
                v.Add(path + ".name", $"{Quote(target.Name)} is not a name: use letters, digits and '_', not starting with a digit");
            }
            else if (!targetNames.Add(target.Name))
            {
                v.Add(path + ".name", $"duplicate target name {Quote(target.Name)}");
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
                    v.Add(ppath + ".name", $"{Quote(parameter.Name)} is not a name: use letters, digits and '_', not starting with a digit");
                    continue;
                }

                if (!names.Add(parameter.Name))
                {
                    v.Add(ppath + ".name", $"duplicate parameter name {Quote(parameter.Name)} in target {Quote(target.Name)}");
                    continue;
                }

                var domain = CompileDomain(parameter, ppath, v);
                if (domain is not null && parameter.DefaultValue is { KindCase: not ParameterValue.KindOneofCase.None } d && !domain.Contains(ValueMapper.ToDomain(d)))
                {
                    v.Add(ppath + ".default_value", $"{Quote(ValueMapper.ToDomain(d).ToString())} is not a value of the parameter's domain");
                }
                else if (domain is not null)
                {
                    result.Add(new SearchParameter(target.Name + "." + parameter.Name, domain));
                }
            }
        }

        return result;
    }

    private static ParameterDomain? CompileDomain(Parameter p, string path, SpecViolations v)
    {
        switch (p.DomainCase)
        {
            case Parameter.DomainOneofCase.IntRange:
                {
                    var r = p.IntRange;
                    long step = r.HasStep ? r.Step : 1;
                    string field = r.Low > r.High ? ".int_range.low" : step <= 0 ? ".int_range.step" : ".int_range";
                    if (IntDomain.Problem(r.Low, r.High, step) is { } problem)
                    {
                        v.Add(path + field, problem);
                        return null;
                    }

                    return new IntDomain(r.Low, r.High, step);
                }

            case Parameter.DomainOneofCase.FloatRange:
                {
                    var r = p.FloatRange;
                    double? step = r.HasStep ? r.Step : null;
                    if (FloatDomain.Problem(r.Low, r.High, step, r.Log) is not { } problem)
                    {
                        return new FloatDomain(r.Low, r.High, step, r.Log);
                    }

                    string field =
                        !double.IsFinite(r.Low) ? ".float_range.low"
                        : !double.IsFinite(r.High) ? ".float_range.high"
                        : r.Low > r.High ? ".float_range.low"
                        : !double.IsFinite(r.High - r.Low) ? ".float_range"
                        : r.Log && r.Low <= 0 ? ".float_range.low"
                        : step is not null ? ".float_range.step"
                        : ".float_range.low";
                    v.Add(path + field, problem);
                    return null;
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

                        mapped.Add(ValueMapper.ToDomain(values[i]));
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
}
