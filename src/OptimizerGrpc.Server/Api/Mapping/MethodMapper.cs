using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Core.Methods.Bayesian;
using OptimizerGrpc.Core.Methods.Grid;
using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Studies;
using CoreBayesian = OptimizerGrpc.Core.Methods.Bayesian.BayesianSettings;
using CoreGenetic = OptimizerGrpc.Core.Methods.Genetic.GeneticSettings;
using CoreNsga2 = OptimizerGrpc.Core.Methods.MultiObjective.Nsga2Settings;
using CoreSwarm = OptimizerGrpc.Core.Methods.Swarm.ParticleSwarmSettings;
using CoreTpe = OptimizerGrpc.Core.Methods.Tpe.TpeSettings;
using CoreAuto = OptimizerGrpc.Core.Methods.Auto.AutoSettings;

namespace OptimizerGrpc.Server.Api.Mapping;

/// <summary>Method settings between the wire and the domain: unset fields take the documented defaults.</summary>
internal static class MethodMapper
{
    public const int DefaultGridFloatPoints = 10;

    /// <summary>The settings of a wire method; violations are added under <paramref name="path"/>. A method without a kind is
    /// random search: only stored specs have one, from before auto was the default (a new spec's is resolved to auto by
    /// <see cref="StudySpecMapper.Normalize"/> before it is compiled).</summary>
    public static MethodSettings ToDomain(MethodSpec? method, SpecViolations v, string path = "spec.method")
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
                    var d = new CoreGenetic();
                    var settings = new CoreGenetic(
                        g.HasPopulationSize ? g.PopulationSize : d.PopulationSize,
                        g.HasGenerations ? g.Generations : d.Generations,
                        g.HasMutationRate ? g.MutationRate : d.MutationRate,
                        g.HasCrossoverRate ? g.CrossoverRate : d.CrossoverRate,
                        g.HasEliteCount ? g.EliteCount : d.EliteCount,
                        g.HasTournamentSize ? g.TournamentSize : d.TournamentSize);
                    v.AddAll(path + ".genetic.", CoreGenetic.Validate(settings));
                    return settings;
                }

            case MethodSpec.KindOneofCase.ParticleSwarm:
                {
                    var p = method!.ParticleSwarm;
                    var d = new CoreSwarm();
                    var settings = new CoreSwarm(
                        p.HasSwarmSize ? p.SwarmSize : d.SwarmSize,
                        p.HasIterations ? p.Iterations : d.Iterations,
                        p.HasInertia ? p.Inertia : d.Inertia,
                        p.HasCognitive ? p.Cognitive : d.Cognitive,
                        p.HasSocial ? p.Social : d.Social,
                        p.HasMaxVelocityFraction ? p.MaxVelocityFraction : d.MaxVelocityFraction);
                    v.AddAll(path + ".particle_swarm.", CoreSwarm.Validate(settings));
                    return settings;
                }

            case MethodSpec.KindOneofCase.Nsga2:
                {
                    var n = method!.Nsga2;
                    var d = new CoreNsga2();
                    var settings = new CoreNsga2(
                        n.HasPopulationSize ? n.PopulationSize : d.PopulationSize,
                        n.HasGenerations ? n.Generations : d.Generations,
                        n.HasMutationRate ? n.MutationRate : d.MutationRate,
                        n.HasCrossoverRate ? n.CrossoverRate : d.CrossoverRate);
                    v.AddAll(path + ".nsga2.", CoreNsga2.Validate(settings));
                    return settings;
                }

            case MethodSpec.KindOneofCase.Bayesian:
                {
                    var b = method!.Bayesian;
                    var d = new CoreBayesian();
                    var settings = d with
                    {
                        InitialTrials = b.HasNInitial ? b.NInitial : d.InitialTrials,
                        Acquisition = b.Acquisition switch
                        {
                            Acquisition.Unspecified => d.Acquisition,
                            var a => (BayesianAcquisition)(int)a,
                        },
                        UcbBeta = b.HasUcbBeta ? b.UcbBeta : d.UcbBeta,
                        OutputWarping = b.HasOutputWarping ? b.OutputWarping : d.OutputWarping,
                    };
                    v.AddAll(path + ".bayesian.", CoreBayesian.Validate(settings).Select(x => new SettingsViolation(x.Field, x.Message)));
                    return settings;
                }

            case MethodSpec.KindOneofCase.Tpe:
                {
                    var t = method!.Tpe;
                    var d = new CoreTpe();
                    var settings = new CoreTpe(
                        t.HasNStartupTrials ? t.NStartupTrials : d.StartupTrials,
                        t.HasNEiCandidates ? t.NEiCandidates : d.Candidates,
                        t.HasMultivariate ? t.Multivariate : d.Multivariate,
                        t.HasPriorWeight ? t.PriorWeight : d.PriorWeight,
                        t.HasLocalFraction ? t.LocalFraction : d.LocalFraction,
                        t.HasLogScaleRatio ? t.LogScaleRatio : d.LogScaleRatio,
                        t.HasLateLocalFraction ? t.LateLocalFraction : d.LateLocalFraction,
                        t.HasLateAfter ? t.LateAfter : d.LateAfter,
                        t.HasSecondBasinFraction ? t.SecondBasinFraction : d.SecondBasinFraction);
                    v.AddAll(path + ".tpe.", CoreTpe.Validate(settings));
                    return settings;
                }

            case MethodSpec.KindOneofCase.Auto:
                return new CoreAuto();

            default:
                return new RandomSettings();
        }
    }

    /// <summary>The wire form of settings the server runs, every setting filled in (how a stage shows its method).</summary>
    public static MethodSpec ToProto(MethodSettings settings, ulong seed, bool allowRepeats)
    {
        var spec = new MethodSpec { Seed = seed, AllowRepeats = allowRepeats };
        switch (settings)
        {
            case GridSettings g:
                spec.Grid = new GridSearchSettings { FloatPoints = g.FloatPoints, Shuffle = g.Shuffle };
                break;
            case CoreGenetic g:
                spec.Genetic = new GeneticSettings
                {
                    PopulationSize = g.PopulationSize,
                    Generations = g.Generations,
                    MutationRate = g.MutationRate,
                    CrossoverRate = g.CrossoverRate,
                    EliteCount = g.EliteCount,
                    TournamentSize = g.TournamentSize,
                };
                break;
            case CoreSwarm p:
                spec.ParticleSwarm = new ParticleSwarmSettings
                {
                    SwarmSize = p.SwarmSize,
                    Iterations = p.Iterations,
                    Inertia = p.Inertia,
                    Cognitive = p.Cognitive,
                    Social = p.Social,
                    MaxVelocityFraction = p.MaxVelocityFraction,
                };
                break;
            case CoreNsga2 n:
                spec.Nsga2 = new Nsga2Settings
                {
                    PopulationSize = n.PopulationSize,
                    Generations = n.Generations,
                    MutationRate = n.MutationRate,
                    CrossoverRate = n.CrossoverRate,
                };
                break;
            case CoreBayesian b:
                spec.Bayesian = new Contracts.V1.BayesianSettings { NInitial = b.InitialTrials, Acquisition = (Acquisition)(int)b.Acquisition, UcbBeta = b.UcbBeta };

                // Written only when on, so a study without warping reads exactly as one stored before the field existed.
                if (b.OutputWarping)
                {
                    spec.Bayesian.OutputWarping = true;
                }

                break;
            case CoreTpe t:
                spec.Tpe = new Contracts.V1.TpeSettings
                {
                    NStartupTrials = t.StartupTrials,
                    NEiCandidates = t.Candidates,
                    Multivariate = t.Multivariate,
                    PriorWeight = t.PriorWeight,
                };

                // Written only when set, so a plain TPE study reads exactly as one stored before the field existed.
                if (t.LocalFraction > 0)
                {
                    spec.Tpe.LocalFraction = t.LocalFraction;
                }

                // Likewise: a TPE study without log-scaled ranges reads exactly as one stored before the field existed.
                if (t.LogScaleRatio > 0)
                {
                    spec.Tpe.LogScaleRatio = t.LogScaleRatio;
                }

                // Likewise: a TPE study without a late local share reads exactly as one stored before the fields existed.
                if (t.LateLocalFraction > 0)
                {
                    spec.Tpe.LateLocalFraction = t.LateLocalFraction;
                    spec.Tpe.LateAfter = t.LateAfter;
                }

                // Likewise for the second basin.
                if (t.SecondBasinFraction > 0)
                {
                    spec.Tpe.SecondBasinFraction = t.SecondBasinFraction;
                }

                break;
            case CoreAuto:
                spec.Auto = new Contracts.V1.AutoSettings();
                break;
            default:
                spec.Random = new RandomSearchSettings();
                break;
        }

        return spec;
    }
}
