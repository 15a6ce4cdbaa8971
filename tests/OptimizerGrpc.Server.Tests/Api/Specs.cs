using Google.Protobuf.WellKnownTypes;
using OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Server.Tests.Api;

/// <summary>Small study specs the integration tests build on.</summary>
internal static class Specs
{
    public const string Metric = "sharpe_ratio";

    public static Parameter Int(string name, long low, long high, long? step = null)
    {
        var range = new IntRange { Low = low, High = high };
        if (step is { } s)
        {
            range.Step = s;
        }

        return new Parameter { Name = name, IntRange = range };
    }

    public static Parameter Float(string name, double low, double high, double? step = null, bool log = false)
    {
        var range = new FloatRange { Low = low, High = high, Log = log };
        if (step is { } s)
        {
            range.Step = s;
        }

        return new Parameter { Name = name, FloatRange = range };
    }

    public static Target Target(string name, params Parameter[] parameters)
    {
        var target = new Target { Name = name, Kind = TargetKind.RuleParameters };
        target.Parameters.AddRange(parameters);
        return target;
    }

    /// <summary>A seeded random search over ma.fast in [1, 50] and ma.slow in [10, 100].</summary>
    public static StudySpec Random(long maxTrials, ulong seed = 42) => new()
    {
        DisplayName = "random",
        Targets = { Target("ma", Int("fast", 1, 50), Int("slow", 10, 100)) },
        Objectives = { new Objective { Metric = Metric, Direction = Direction.Maximize } },
        Method = new MethodSpec { Random = new RandomSearchSettings(), Seed = seed },
        MaxTrials = maxTrials,
    };

    /// <summary>A grid over ma.fast in [1, 4] and ma.slow in [1, 4] with ma.fast &lt; ma.slow: 6 feasible points of 16.</summary>
    public static StudySpec ConstrainedGrid() => new()
    {
        DisplayName = "grid",
        Targets = { Target("ma", Int("fast", 1, 4), Int("slow", 1, 4)) },
        Objectives = { new Objective { Metric = Metric, Direction = Direction.Maximize } },
        Method = new MethodSpec { Grid = new GridSearchSettings(), Seed = 7 },
        Constraints = { new Constraint { Name = "fast_below_slow", Relationship = new RelationshipConstraint { Expression = "ma.fast < ma.slow" } } },
    };

    /// <summary>A grid of exactly <paramref name="points"/> int points over one parameter.</summary>
    public static StudySpec Grid(long points, int? maxAttempts = null, TimeSpan? lease = null)
    {
        var spec = new StudySpec
        {
            DisplayName = "grid",
            Targets = { Target("ma", Int("fast", 1, points)) },
            Objectives = { new Objective { Metric = Metric, Direction = Direction.Maximize } },
            Method = new MethodSpec { Grid = new GridSearchSettings(), Seed = 1 },
        };
        if (maxAttempts is { } m)
        {
            spec.MaxAttempts = m;
        }

        if (lease is { } l)
        {
            spec.LeaseDuration = Duration.FromTimeSpan(l);
        }

        return spec;
    }

    public static TrialOutcome Value(double value) => new() { Values = { [Metric] = value } };

    public static long Int(this Trial trial, string name) => trial.Params[name].IntValue;
}
