"""The spec's optimization API over the server."""
from optimizer_grpc.optimization.constraints import ParameterConstraint, PerformanceConstraint, RelationshipConstraint
from optimizer_grpc.optimization.events import (Event, EventBus, EventType, NewBestEvent, OptimizationCompletedEvent,
                                                OptimizationEvent, OptimizationEventHandler, OptimizationRequestEvent,
                                                OptimizationResultEvent, OptimizationStartedEvent, StageCompletedEvent,
                                                TrialCompletedEvent)
from optimizer_grpc.optimization.manager import OptimizationManager
from optimizer_grpc.optimization.methods import (AutoMethod, BayesianMethod, GeneticMethod, GridSearchMethod,
                                                 OptimizationMethod, ParticleSwarmMethod, RandomSearchMethod, TpeMethod)
from optimizer_grpc.optimization.metrics import (AnnualizedReturnMetric, CalmarRatioMetric, CustomMetric,
                                                 ExpectancyMetric, MaxDrawdownMetric, OptimizationMetric,
                                                 ProfitFactorMetric, SharpeRatioMetric, SortinoRatioMetric,
                                                 TotalReturnMetric, VolatilityMetric, WinRateMetric)
from optimizer_grpc.optimization.protocols import DataHandler, RunBacktest
from optimizer_grpc.optimization.result_analysis import summarize_analysis
from optimizer_grpc.optimization.results import OptimizationResult, RunData
from optimizer_grpc.optimization.sequences import (HierarchicalOptimization, OptimizationSequence, ParallelOptimization,
                                                   RegimeSpecificOptimization, SequentialOptimization,
                                                   SingleOptimization, WalkForwardOptimization)
from optimizer_grpc.optimization.targets import (OptimizationTarget, PositionSizingTarget, RegimeDetectorTarget,
                                                 RuleParametersTarget, RuleWeightsTarget, TargetGroup)
from optimizer_grpc.optimization.visualization import (plot_equity, plot_heatmap, plot_history, plot_importance,
                                                       plot_pbo_logits, plot_regimes, plot_sensitivity_surface,
                                                       plot_walk_forward)

__all__ = [name for name in dir() if not name.startswith("_")]
