using OptimizerGrpc.Core.Methods.Bayesian;
using OptimizerGrpc.Core.Methods.Grid;
using System.Text.RegularExpressions;
using Google.Protobuf;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Sequences;
using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Core.Studies;
using OptimizerGrpc.Server.Engine;
using static OptimizerGrpc.Core.Studies.UserText;

namespace OptimizerGrpc.Server.Api.Mapping;

/// <summary>
/// Validates a wire <see cref="StudySpec"/> and compiles it into a <see cref="StudyPlan"/>: the space
/// (<see cref="SpaceMapper"/>), the method (<see cref="MethodMapper"/>), constraints (<see cref="ConstraintMapper"/>),
/// scoring (<see cref="ScoringMapper"/>) and the stages its sequence plans (Core's <see cref="SequencePlanner"/>). Every
/// mistake is reported as a field violation with the path of the offending field; a feature the server does not
/// implement is refused with UNIMPLEMENTED rather than ignored. Also the engine's <see cref="ISpecCompiler"/>: the spec
/// document a study stores is this message's bytes.
/// </summary>
internal sealed partial class StudySpecMapper : ISpecCompiler
{
    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex StudyIdPattern();

    /// <summary>
    /// Compiles a stored spec (at every restart). The rules of <see cref="WireChecks"/> and <see cref="SpecRules"/> are
    /// checked at creation only, so a study stored before one of them existed still loads; the domains' own limits
    /// (<see cref="IntDomain.Problem"/>, <see cref="FloatDomain.Problem"/>) hold here too, since a study beyond them
    /// cannot run at all.
    /// </summary>
    public StudyPlan Compile(byte[] specDocument) => Compile(StudySpec.Parser.ParseFrom(specDocument), isNew: false);

    public static void ValidateStudyId(string studyId, string field)
    {
        if (!StudyIdPattern().IsMatch(studyId))
        {
            throw SpecViolations.Single(field, "must be 1-64 characters of letters, digits, '_', '.' or '-'");
        }
    }

    /// <summary>The largest failure budget a spec may give.</summary>
    public const int MaxFailureBudget = 1_000_000;

    /// <summary>The most display prices a spec may carry (160 KB).</summary>
    public const int MaxPrices = 20_000;

    /// <summary>
    /// The spec as stored: a method that is unset or names no kind becomes auto (<see cref="Core.Methods.Auto.AutoChoice"/>;
    /// random search, as before, when there are several objectives without weights),
    /// and an unseeded study still gets a seed, drawn here and stored with it, so a restart continues the same trajectory.
    /// Specs stored before auto existed hold random search (or no kind, which compiles to random search), so they resume
    /// with what they were created with. A regime study's cross-regime validation is stored
    /// as resolved (default on), so studies stored before the option existed (unset: off) keep the stages they had.
    /// The failure budget is stored resolved too (default <see cref="StudyPlan.DefaultFailureBudget"/>): a stored spec
    /// without it was written before it existed, and its study keeps running without the check.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5394", Justification = "Picks the seed of a study that gave none; it is stored with the spec so the study replays, and protects nothing.")]
    public static StudySpec Normalize(StudySpec spec)
    {
        var stored = spec.Clone();
        stored.Method ??= new MethodSpec();
        if (stored.Method.KindCase == MethodSpec.KindOneofCase.None)
        {
            // Several objectives without weights have no single score for auto's methods to climb: such a study keeps
            // the default it always had, random search (grid, random and NSGA-II are the methods allowed there).
            if (stored.Objectives.Count > 1 && !stored.Objectives.Any(o => o.HasWeight))
            {
                stored.Method.Random = new RandomSearchSettings();
            }
            else
            {
                stored.Method.Auto = new AutoSettings();
            }
        }

        if (!stored.Method.HasSeed)
        {
            stored.Method.Seed = (ulong)Random.Shared.NextInt64();
        }

        return WithResolvedDefaults(stored);
    }

    // The defaults stored resolved with a new spec (see Normalize).
    private static StudySpec WithResolvedDefaults(StudySpec spec)
    {
        spec = WithCrossRegimeValidation(spec);
        if (spec.HasFailureBudget)
        {
            return spec;
        }

        var resolved = spec.Clone();
        resolved.FailureBudget = StudyPlan.DefaultFailureBudget;
        return resolved;
    }

    // A regime sequence that leaves cross_regime_validation unset gets its default (on).
    private static StudySpec WithCrossRegimeValidation(StudySpec spec)
    {
        if (spec.Sequence?.RegimeSpecific is not { HasCrossRegimeValidation: false })
        {
            return spec;
        }

        var resolved = spec.Clone();
        resolved.Sequence.RegimeSpecific.CrossRegimeValidation = true;
        return resolved;
    }

    /// <summary>Whether a stored spec is what <paramref name="requested"/> asked for: a seed drawn at creation does not count.</summary>
    public static bool SameSpec(StudySpec stored, StudySpec requested)
    {
        requested = WithResolvedDefaults(requested);
        stored = WithResolvedDefaults(stored);
        if (requested.Method is null || !requested.Method.HasSeed)
        {
            var copy = stored.Clone();
            copy.Method.ClearSeed();

            // A request that names no method matches the default it was stored with: auto, or random before auto existed.
            if ((requested.Method?.KindCase ?? MethodSpec.KindOneofCase.None) == MethodSpec.KindOneofCase.None
                && (copy.Method.KindCase == MethodSpec.KindOneofCase.Auto || copy.Method.Equals(new MethodSpec { Random = new RandomSearchSettings() })))
            {
                copy.Method.ClearKind();
            }

            if (requested.Method is null && copy.Method.Equals(new MethodSpec()))
            {
                copy.Method = null;
            }

            return copy.Equals(requested);
        }

        return stored.Equals(requested);
    }

    /// <summary>Validates a new spec (every rule, each mistake with its field path) and compiles it.</summary>
    public static StudyPlan Compile(StudySpec spec) => Compile(spec, isNew: true);

    private static StudyPlan Compile(StudySpec spec, bool isNew)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var v = new SpecViolations();
        if (isNew)
        {
            // Malformed wire values first: the checks below read them (a Duration that is not normalised cannot be read).
            WireChecks.Check(spec, "spec", WireChecks.Strictness.Spec, v);
            v.ThrowIfAny("invalid study spec");
            SpecRules.Check(spec, v);
        }

        var parameters = SpaceMapper.Compile(spec, v);
        ValidateObjectives(spec, v);
        var method = MethodMapper.ToDomain(spec.Method, v);
        ValidateLimits(spec, method, v);
        var sequence = SequenceMapper.ToDomain(spec.Sequence, v);
        v.ThrowIfAny("invalid study spec");

        var space = new SearchSpace(parameters);
        if (method is GridSettings g && space.GridSize(g.FloatPoints) is null)
        {
            throw SpecViolations.Single("spec.method.grid", "the grid has more than 2^63 points; give float ranges a step or fewer float_points");
        }

        var feasible = ConstraintMapper.Compile(spec, space);
        var (objectives, weights, scorer) = ScoringMapper.Compile(spec, method);
        ulong seed = spec.Method?.Seed ?? 0;
        var data = spec.Data is { } d ? new Core.Sequences.DataDescription(d.BarCount, [.. d.RegimeLabels], [.. d.RegimeNames]) : Core.Sequences.DataDescription.None;
        var context = new PlanningContext(space, [.. spec.Targets.Select(t => t.Name)], method, seed, objectives, weights, spec.MaxTrials, data);
        var stages = SequencePlanner.Plan(sequence, context);
        return new StudyPlan(
            space,
            method,
            seed,
            objectives,
            feasible,
            spec.MaxTrials,
            spec.HasMaxAttempts ? spec.MaxAttempts : StudyPlan.DefaultMaxAttempts,
            spec.LeaseDuration is null ? StudyPlan.DefaultLeaseDuration : spec.LeaseDuration.ToTimeSpan())
        {
            Weights = weights,
            Scorer = scorer,
            Stages = stages,
            Defaults = Defaults(spec, space),
            AllowRepeats = spec.Method?.AllowRepeats ?? false,
            FailureBudget = spec.HasFailureBudget ? spec.FailureBudget : 0,
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
                    && space.Parameters[index].Domain.Contains(ValueMapper.ToDomain(d)))
                {
                    result[index] = ValueMapper.ToDomain(d);
                }
            }
        }

        return result;
    }

    private static void ValidateObjectives(StudySpec spec, SpecViolations v)
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
                v.Add($"spec.objectives[{i}].metric", $"duplicate objective {Quote(metric)}");
            }
        }
    }

    private static void ValidateLimits(StudySpec spec, MethodSettings method, SpecViolations v)
    {
        if (spec.MaxTrials < 0)
        {
            v.Add("spec.max_trials", $"must be >= 0, got {spec.MaxTrials}");
        }
        else if (spec.MaxTrials == 0 && method is RandomSettings or Core.Methods.Bayesian.BayesianSettings or Core.Methods.Tpe.TpeSettings or Core.Methods.Auto.AutoSettings)
        {
            v.Add("spec.max_trials", "must be > 0 for random, Bayesian, TPE and auto search (0 means 'until the method is exhausted', and they never are)");
        }

        if (spec.HasFailureBudget && spec.FailureBudget is < 0 or > MaxFailureBudget)
        {
            v.Add("spec.failure_budget", $"must be between 0 (off) and {MaxFailureBudget}, got {spec.FailureBudget}");
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

            if (data.Prices.Count > MaxPrices || (data.BarCount > 0 && data.Prices.Count > data.BarCount))
            {
                v.Add("spec.data.prices", $"at most one price per bar and at most {MaxPrices} (spread them evenly over the bars), got {data.Prices.Count}");
            }

            int bad = data.Prices.ToList().FindIndex(p => !double.IsFinite(p));
            if (bad >= 0)
            {
                v.Add($"spec.data.prices[{bad}]", "must be a finite number");
            }
        }
    }
}
