"""Python client of the OptimizerGrpc server.

Low level: Client, Worker, StudyBuilder, LocalServer and the typed values in ``model`` and ``analysis``.
The spec's API: OptimizationManager with targets, methods, metrics, sequences and constraints.
A numpy trading toolkit: ``optimizer_grpc.trading``.
"""
from optimizer_grpc.analysis import AnalysisOptions, StageAnalysis, StudyAnalysis
from optimizer_grpc.builder import Categorical, FloatRange, IntRange, StudyBuilder
from optimizer_grpc.client import Client
from optimizer_grpc.errors import (AlreadyExistsError, DefaultOutsideDomainWarning, FailedPreconditionError,
                                   FieldViolation, InvalidArgumentError, NotFoundError, OptimizationFailedError,
                                   OptimizerError, PermissionDeniedError, ProtocolError, UnauthenticatedError,
                                   UnimplementedError)
from optimizer_grpc.local_server import LocalServer
from optimizer_grpc.model import (BacktestRecord, DataContext, FailureReason, Stage, StageState, Study, StudyEvent, StudyState,
                                  TellStatus, TradeRecord, Trial, TrialCounts, TrialOutcome, TrialRef, TrialState)
from optimizer_grpc.study_result import EquityCurve, EquityCurves, StudyResult, TargetResult
from optimizer_grpc.optimization import *  # noqa: F401,F403 - the spec's names at the top level
from optimizer_grpc.optimization import __all__ as _optimization_names
from optimizer_grpc.trading import (Backtester, BollingerBandsRule, CSVDataHandler, FixedFractionSizer,
                                    MovingAverageCrossoverRule, RSIRule, TrendVolatilityRegimeDetector)
from optimizer_grpc.progress import ProgressBar
from optimizer_grpc.worker import Worker, WorkerCounters

__version__ = "0.1.0"
__all__ = [
    "Client", "Worker", "WorkerCounters", "StudyBuilder", "IntRange", "FloatRange", "Categorical", "LocalServer",
    "OptimizerError", "InvalidArgumentError", "NotFoundError", "AlreadyExistsError", "FailedPreconditionError",
    "UnimplementedError", "UnauthenticatedError", "PermissionDeniedError", "FieldViolation", "OptimizationFailedError",
    "ProtocolError", "DefaultOutsideDomainWarning",
    "FailureReason", "BacktestRecord", "DataContext", "EquityCurve", "EquityCurves", "Stage", "StageState", "Study",
    "StudyEvent", "StudyResult", "AnalysisOptions", "StudyAnalysis", "StageAnalysis", "StudyState", "TargetResult", "TellStatus", "TradeRecord", "Trial", "TrialCounts",
    "TrialOutcome", "TrialRef", "TrialState", "Backtester", "BollingerBandsRule", "CSVDataHandler",
    "FixedFractionSizer", "MovingAverageCrossoverRule", "RSIRule", "TrendVolatilityRegimeDetector", "ProgressBar",
    *_optimization_names,
]
