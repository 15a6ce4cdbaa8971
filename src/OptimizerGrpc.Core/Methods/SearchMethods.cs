using OptimizerGrpc.Core.Methods.Auto;
using OptimizerGrpc.Core.Methods.Bayesian;
using OptimizerGrpc.Core.Methods.Genetic;
using OptimizerGrpc.Core.Methods.Grid;
using OptimizerGrpc.Core.Methods.Hierarchical;
using OptimizerGrpc.Core.Methods.MultiObjective;
using OptimizerGrpc.Core.Methods.Swarm;
using OptimizerGrpc.Core.Methods.Tpe;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Methods;

/// <summary>Builds a method from its settings.</summary>
public static class SearchMethods
{
    /// <param name="feasible">Relationship constraints; a method never proposes an assignment that fails it.</param>
    public static ISearchMethod Create(MethodSettings settings, SearchSpace space, Predicate<ParamValue[]>? feasible, ulong seed) =>
        settings switch
        {
            GridSettings g => new GridSearch(space, g, feasible, seed),
            RandomSettings => new RandomSearch(space, feasible, seed),
            GeneticSettings g => new GeneticAlgorithm(space, g, feasible, seed),
            ParticleSwarmSettings s => new ParticleSwarm(space, s, feasible, seed),
            BayesianSettings b => new BayesianSearch(space, b, feasible, seed),
            TpeSettings t => new TpeSearch(space, t, feasible, seed),
            AutoSettings a => new AutoSearch(space, a, feasible, seed),
            Nsga2Settings n => new Nsga2(space, n, feasible, seed),
            HierarchicalSettings h => new HierarchicalSearch(space, h, feasible, seed),
            _ => throw new NotSupportedException($"method settings {settings.GetType().Name} have no implementation"),
        };
}
