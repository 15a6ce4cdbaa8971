using FsCheck;
using FsCheck.Fluent;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Core.Studies;
using OptimizerGrpc.Server.Api.Mapping;

namespace OptimizerGrpc.Server.Tests.Api.Mapping;

/// <summary>
/// Spec validation on arbitrary specs: <see cref="StudySpecMapper.Normalize"/> then <see cref="StudySpecMapper.Compile(StudySpec)"/>
/// either compile or throw <see cref="SpecValidationException"/>, never anything else (which the server would answer
/// with INTERNAL). FsCheck draws the spec's raw material (numbers at the extremes, NaN, huge and control-character
/// strings, enum numbers outside the enums, every oneof case and unknown ones); <see cref="SpecFromKnobs"/> shapes it.
/// </summary>
public sealed class StudySpecMapperPropertyTests
{
    // Wall-clock guard against a hang, not a performance assertion.
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(120);

    private static readonly string Huge = new('n', 100_000);

    private static readonly Gen<double> Doubles = Gen.Frequency(
        (4, Gen.Elements(0.0, -0.0, 1, -1, 0.5, 2, 10, 100, 1e-300, 1e300, -1e308, 1e308, double.Epsilon)),
        (2, ArbMap.Default.GeneratorFor<double>()),
        (1, Gen.Elements(double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.MaxValue, double.MinValue)));

    private static readonly Gen<long> Longs = Gen.Frequency(
        (4, Gen.Elements(0L, 1, -1, 2, 5, 10, 100, 1L << 53, (1L << 53) + 1, 1L << 11, long.MinValue, long.MaxValue, long.MaxValue - (1L << 53))),
        (2, ArbMap.Default.GeneratorFor<long>()));

    private static readonly Gen<string> Strings = Gen.Frequency(
        (6, Gen.Elements("", "ma", "fast", "slow", "x", "sharpe_ratio", "total_return", "max_drawdown", "trades", "ma.fast", "ma.slow", "a.b")),
        (3, Gen.Elements("ma.fast < ma.slow", "sharpe_ratio > 1", "x +", "a + b", "ma.fast * 2 > 3 and trades >= 1", "(((", "max(ma.fast, 1) < 4")),
        (1, Gen.Elements(Huge, "a\u0000b", "tab\tname", "é", "\ud800", " ")),
        (2, ArbMap.Default.GeneratorFor<string>().Select(s => s ?? "")));

    private static readonly Gen<Knobs> Cases =
        from doubles in Gen.ArrayOf(Doubles, 24)
        from longs in Gen.ArrayOf(Longs, 24)
        from strings in Gen.ArrayOf(Strings, 24)
        from choices in Gen.ArrayOf(Gen.Choose(-1, 12), 64)
        select new Knobs(doubles, longs, strings, choices);

    [Fact]
    public async Task NormalizeAndCompile_ArbitrarySpec_CompilesOrThrowsOnlySpecValidationException()
    {
        var property = Prop.ForAll(Arb.From(Cases), knobs =>
        {
            var spec = SpecFromKnobs.Build(knobs);
            try
            {
                StudySpecMapper.Compile(StudySpecMapper.Normalize(spec));
                return true.Label("compiled");
            }
            catch (SpecValidationException ex)
            {
                return (ex.Violations.Count > 0 && ex.Message.Length < 5_000).Label("refused with a bounded message");
            }
        });

        await Task.Run(() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(600), property)).WaitAsync(HangGuard);
    }

    [Fact]
    public void Compile_DefaultValueOutsideItsDomain_QuotesABoundedPrefix()
    {
        // The case FsCheck found: the server's size limits refuse such a string before compiling, but the mapper's own
        // message must be bounded too, as every other message that echoes input is (UserText.Quote).
        var spec = Specs.Random(10);
        spec.Targets[0].Parameters[0].DefaultValue = new ParameterValue { StringValue = Huge };

        var ex = Assert.Throws<SpecValidationException>(() => StudySpecMapper.Compile(StudySpecMapper.Normalize(spec)));
        var violation = Assert.Single(ex.Violations, x => x.Field == "spec.targets[0].parameters[0].default_value");
        Assert.Equal("'" + new string('n', 64) + "…' is not a value of the parameter's domain", violation.Message);
    }

    internal sealed record Knobs(double[] Doubles, long[] Longs, string[] Strings, int[] Choices);

    /// <summary>Turns knobs into a spec; each read takes the next knob of its kind, wrapping around.</summary>
    private sealed class SpecFromKnobs(Knobs knobs)
    {
        private int _d;
        private int _l;
        private int _s;
        private int _c;

        public static StudySpec Build(Knobs knobs) => new SpecFromKnobs(knobs).Spec();

        private double D() => knobs.Doubles[_d++ % knobs.Doubles.Length];

        private long L() => knobs.Longs[_l++ % knobs.Longs.Length];

        private string S() => knobs.Strings[_s++ % knobs.Strings.Length];

        private int C() => knobs.Choices[_c++ % knobs.Choices.Length];

        private bool B() => C() % 2 == 0;

        // Mostly a defined enum number, sometimes one outside the enum.
        private int Enum() => C() switch { 11 => 99, -1 => -1, var c => Math.Abs(c) % 3 };

        private StudySpec Spec()
        {
            var spec = new StudySpec { DisplayName = S(), MaxTrials = C() == 0 ? L() : Math.Abs(C()) + 1 };
            for (int t = 0, n = Math.Abs(C()) % 3 + (B() ? 1 : 0); t < n; t++)
            {
                spec.Targets.Add(Target(t));
            }

            for (int o = 0, n = Math.Abs(C()) % 3; o < n; o++)
            {
                spec.Objectives.Add(Objective());
            }

            if (B())
            {
                spec.Method = Method();
            }

            if (C() % 3 == 0)
            {
                spec.Sequence = Sequence();
            }

            for (int i = 0, n = Math.Abs(C()) % 3; i < n; i++)
            {
                spec.Constraints.Add(Constraint());
            }

            if (B())
            {
                spec.MetricSettings = new MetricSettings { RiskFreeRate = C() % 3 == 0 ? D() : 0 };
                if (B())
                {
                    spec.MetricSettings.AnnualizationFactor = D();
                }

                spec.MetricSettings.ExtraMetrics.Add(S());
                spec.MetricSettings.CustomMetrics.Add(new CustomMetric { Name = S(), Expression = S(), Direction = (Direction)Enum() });
            }

            if (C() % 4 == 0)
            {
                spec.Data = new DataDescription { BarCount = L() % 1000, BarInterval = Duration() };
                spec.Data.RegimeLabels.AddRange(Enumerable.Range(0, Math.Abs(C())).Select(i => i % 3 - 1));
                spec.Data.Prices.Add(D());
            }

            if (B())
            {
                spec.MaxAttempts = C();
            }

            if (C() % 3 == 0)
            {
                spec.LeaseDuration = Duration();
            }

            return spec;
        }

        private Duration Duration() => new() { Seconds = C() % 4 == 0 ? L() : C() * 10, Nanos = C() % 5 == 0 ? (int)(L() % 3_000_000_000) : C() * 1000 };

        private Target Target(int index)
        {
            var target = new Target { Name = index == 0 && B() ? "ma" : S(), Kind = (TargetKind)Enum() };
            for (int p = 0, n = Math.Abs(C()) % 3 + (B() ? 1 : 0); p < n; p++)
            {
                target.Parameters.Add(Parameter(p));
            }

            return target;
        }

        private Parameter Parameter(int index)
        {
            var p = new Parameter { Name = index switch { 0 when B() => "fast", 1 when B() => "slow", _ => S() } };
            switch (Math.Abs(C()) % 6)
            {
                case 0:
                    p.IntRange = new IntRange { Low = B() ? C() : L(), High = B() ? C() + 20 : L() };
                    if (B())
                    {
                        p.IntRange.Step = B() ? C() : L();
                    }

                    break;
                case 1:
                    p.FloatRange = new FloatRange { Low = B() ? C() : D(), High = B() ? C() + 5 : D(), Log = C() % 4 == 0 };
                    if (B())
                    {
                        p.FloatRange.Step = D();
                    }

                    break;
                case 2:
                    p.Categorical = new Categorical { Choices = { S(), S() } };
                    break;
                case 3:
                    p.Values = new ValueList { Values = { Value(), Value() } };
                    break;
                case 4:
                    break;
                default:
                    // An unknown domain case (field 9), as a newer contract would send.
                    p.MergeFrom(new byte[] { (9 << 3) | 2, 0 });
                    break;
            }

            if (C() % 3 == 0)
            {
                p.DefaultValue = Value();
            }

            return p;
        }

        private ParameterValue Value() => (Math.Abs(C()) % 5) switch
        {
            0 => new ParameterValue { IntValue = L() },
            1 => new ParameterValue { FloatValue = D() },
            2 => new ParameterValue { StringValue = S() },
            3 => new ParameterValue { BoolValue = B() },
            _ => new ParameterValue(),
        };

        private Objective Objective()
        {
            var o = new Objective { Metric = S(), Direction = (Direction)Enum() };
            if (B())
            {
                o.Weight = D();
            }

            return o;
        }

        private MethodSpec Method()
        {
            var m = new MethodSpec();
            switch (Math.Abs(C()) % 8)
            {
                case 0: m.Grid = new GridSearchSettings { Shuffle = B() }; if (B()) { m.Grid.FloatPoints = C(); } break;
                case 1: m.Random = new RandomSearchSettings(); break;
                case 2: m.Genetic = new GeneticSettings { PopulationSize = Math.Abs(C()) + 1, Generations = Math.Abs(C()) + 1, MutationRate = D() }; break;
                case 3: m.Bayesian = new BayesianSettings { NInitial = C(), Acquisition = (Acquisition)Enum(), UcbBeta = D() }; break;
                case 4: m.ParticleSwarm = new ParticleSwarmSettings { SwarmSize = Math.Abs(C()) + 1, Inertia = D() }; break;
                case 5: m.Nsga2 = new Nsga2Settings { PopulationSize = Math.Abs(C()) + 2, Generations = Math.Abs(C()) + 1 }; break;
                case 6: m.MergeFrom(new byte[] { (9 << 3) | 2, 0 }); break;
                default: break;
            }

            if (B())
            {
                m.Seed = (ulong)L();
            }

            return m;
        }

        private StageSpec Stage() => new()
        {
            Name = S(),
            Targets = { B() ? "ma" : S() },
            Method = B() ? Method() : null,
            Objectives = { Enumerable.Range(0, Math.Abs(C()) % 2).Select(_ => Objective()) },
        };

        private SequenceSpec Sequence()
        {
            var s = new SequenceSpec();
            switch (Math.Abs(C()) % 7)
            {
                case 0: s.Single = new SingleSequence(); break;
                case 1: s.Sequential = new SequentialSequence { Stages = { Stage(), Stage() } }; break;
                case 2: s.Parallel = new ParallelSequence { Stages = { Stage() } }; break;
                case 3: s.Hierarchical = new HierarchicalSequence { Outer = Stage(), Inner = Stage() }; break;
                case 4: s.RegimeSpecific = new RegimeSpecificSequence { Stage = Stage(), MinRegimeData = C(), Mode = (EvaluationMode)Enum(), RegimeDetectorTarget = S() }; break;
                case 5: s.WalkForward = new WalkForwardSequence { Stage = Stage(), InSampleBars = L() % 500, OutOfSampleBars = L() % 500, WindowKind = (WindowKind)Enum(), Mode = (EvaluationMode)Enum() }; break;
                default: s.MergeFrom(new byte[] { (12 << 3) | 2, 0 }); break;
            }

            return s;
        }

        private Constraint Constraint()
        {
            var c = new Constraint { Name = S() };
            switch (Math.Abs(C()) % 4)
            {
                case 0: c.Relationship = new RelationshipConstraint { Expression = S() }; break;
                case 1: c.Performance = new PerformanceConstraint { Expression = S() }; break;
                case 2:
                    c.Parameter = new ParameterConstraint { Parameter = S(), Allowed = { Value() } };
                    if (B())
                    {
                        c.Parameter.Min = D();
                    }

                    break;
                default: break;
            }

            return c;
        }
    }
}
