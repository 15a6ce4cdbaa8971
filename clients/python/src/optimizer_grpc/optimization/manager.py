"""OptimizationManager: the spec's facade. It registers components, validates a run, and hands it to the
sequence, which plans one study; the study runs on the server and a local worker backtests its trials."""
from __future__ import annotations

import logging
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple, Union

from optimizer_grpc._connection import RootCertificates
from optimizer_grpc.analysis import AnalysisOptions
from optimizer_grpc.client import Client
from optimizer_grpc.local_server import LocalServer
from optimizer_grpc.optimization._runner import StudyPlan, run_plan
from optimizer_grpc.optimization.events import EventBus
from optimizer_grpc.optimization.metrics import OptimizationMetric
from optimizer_grpc.optimization.methods import OptimizationMethod
from optimizer_grpc.optimization.sequences import OptimizationSequence
from optimizer_grpc.optimization.targets import OptimizationTarget
from optimizer_grpc.trading.backtest import Backtester

logger = logging.getLogger("optimizer_grpc.optimization")


class OptimizationManager:
    """Central manager for coordination of optimization activities.

    ``OptimizationManager(address="host:port")`` uses a running server; ``server=LocalServer()`` (or nothing)
    starts a local one on first use, stopped by ``close()``. ``api_key`` or ``token`` and ``root_certificates``
    (for an ``https://`` address with a private CA) are passed to the ``Client``, with its environment fallbacks
    ($OPTIMIZER_API_KEY, $OPTIMIZER_TOKEN, $OPTIMIZER_TLS_CA). ``capacity`` is how many backtests run at once
    (default: CPU count), in threads, or in processes with ``use_processes=True``. ``progress`` shows a progress
    bar while a study runs (in place on a terminal, a plain line every ``progress_interval`` seconds otherwise) on
    ``progress_stream`` (default stderr); ``progress=False`` turns it off, for the manager or one run.
    With an ``event_bus`` (``optimizer_grpc.EventBus``) each run emits OptimizationStartedEvent, TrialCompletedEvent,
    NewBestEvent, StageCompletedEvent (live, from the server's WatchStudy) and OptimizationCompletedEvent.
    ``analyze`` (default True) adds the server's analysis of the study to each result (``result["analysis"]``,
    ``result.analysis``), tuned by ``analysis_options`` (an ``AnalysisOptions`` or a dict of its fields); both can
    also be given per run.
    """

    def __init__(self, container: Any = None, config: Any = None, address: Optional[str] = None,
                 server: Optional[LocalServer] = None, capacity: Optional[int] = None, use_processes: bool = False,
                 progress: bool = True, progress_stream: Any = None, progress_interval: float = 10.0,
                 event_bus: Optional[EventBus] = None, analyze: bool = True,
                 analysis_options: Union[AnalysisOptions, Mapping[str, Any], None] = None,
                 api_key: Optional[str] = None, token: Optional[str] = None,
                 root_certificates: RootCertificates = None) -> None:
        self.container, self.config = container, config
        self.targets: Dict[str, OptimizationTarget] = {}
        self.methods: Dict[str, OptimizationMethod] = {}
        self.metrics: Dict[str, OptimizationMetric] = {}
        self.sequences: Dict[str, OptimizationSequence] = {}
        self.constraints: Dict[str, Any] = {}
        self.results: Dict[str, Dict[str, Any]] = {}
        self.capacity, self.use_processes = capacity, use_processes
        self.progress, self.progress_stream, self.progress_interval = progress, progress_stream, progress_interval
        self.event_bus = event_bus
        self.analyze, self.analysis_options = analyze, _analysis_options(analysis_options)
        self._address, self._server, self._client = address, server, None
        self._connect = _ClientArguments(api_key, token, root_certificates)

    # Registration (each returns self for chaining)

    def register_target(self, name: str, target: OptimizationTarget) -> "OptimizationManager":
        if not name or "." in name:
            raise ValueError(f"target name {name!r} must be non-empty and contain no '.'")
        self.targets[name] = target
        return self

    def register_method(self, name: str, method: OptimizationMethod) -> "OptimizationManager":
        self.methods[name] = method
        return self

    def register_metric(self, name: str, metric: OptimizationMetric) -> "OptimizationManager":
        self.metrics[name] = metric
        return self

    def register_sequence(self, name: str, sequence: OptimizationSequence) -> "OptimizationManager":
        self.sequences[name] = sequence
        return self

    def register_constraint(self, name: str, constraint: Union[str, Any, Callable[[Dict[str, Any]], bool]]) -> "OptimizationManager":
        """An expression (relationship, checked by the server before a trial is issued), a Relationship/
        Performance/ParameterConstraint, or a callable over the parameters (checked by the worker before the
        backtest; a failing trial is reported FAILED with the constraint's name)."""
        self.constraints[name] = constraint
        return self

    # Running

    @property
    def client(self) -> Client:
        """The client of the manager's server, connecting (or starting the local server) on first use."""
        if self._client is None:
            if self._address is None:
                self._server = self._server or LocalServer()
                self._address = self._server.address or self._server.start()
            self._client = self._connect.client(self._address)
        return self._client

    def run_optimization(self, sequence_name: str, targets: List[str], methods: Optional[Dict[str, str]] = None,
                         metrics: Optional[Dict[str, str]] = None, constraints: Optional[Dict[str, List[str]]] = None,
                         **kwargs: Any) -> Dict[str, Any]:
        """Runs a sequence and returns the spec's result dict (``result['target_results'][name]['best_params']``).

        kwargs: ``data_handler`` (required), ``backtester`` or ``run_backtest(target, data_handler, **params)``,
        ``backtest_params``, ``metric_params``, ``capacity``, ``use_processes``, ``study_id``, ``seed``,
        ``max_trials``, ``result_key``, ``progress``, ``progress_stream``, ``analyze``, ``analysis_options``, and the
        sequence's own (``regime_detector_target``, ``min_regime_data``).

        The result also holds the study's analysis (unless ``analyze=False``): ``result["analysis"]`` as dicts
        (``stages``, ``regimes``, ``walk_forward``, and each stage's analysis under ``target_results[name]``,
        ``regime_results[regime]`` or ``windows[i]``) and ``result.analysis`` (typed).
        """
        if sequence_name not in self.sequences:
            raise ValueError(f"Unknown optimization sequence: {sequence_name}")
        if not targets:
            raise ValueError("give at least one target")
        for target_name in targets:
            if target_name not in self.targets:
                raise ValueError(f"Unknown optimization target: {target_name}")
        if not self.methods or not self.metrics:
            raise ValueError("register at least one method and one metric")
        methods = dict(methods or {})
        metrics = dict(metrics or {})
        for target in targets:
            methods.setdefault(target, next(iter(self.methods)))
            metrics.setdefault(target, next(iter(self.metrics)))
        for method_name in methods.values():
            if method_name not in self.methods:
                raise ValueError(f"Unknown optimization method: {method_name}")
        for metric_name in metrics.values():
            if metric_name not in self.metrics:
                raise ValueError(f"Unknown optimization metric: {metric_name}")
        processed: Dict[str, List[Tuple[str, Any]]] = {}
        for target_name, names in (constraints or {}).items():
            for constraint_name in names:
                if constraint_name not in self.constraints:
                    raise ValueError(f"Unknown constraint: {constraint_name}")
                processed.setdefault(target_name, []).append((constraint_name, self.constraints[constraint_name]))

        result = self.sequences[sequence_name].execute(
            manager=self, targets=list(targets), methods=methods, metrics=metrics, constraints=processed, **kwargs)
        key = f"{sequence_name}_{','.join(targets)}_{kwargs.get('result_key', 'default')}"
        self.results[key] = result
        return result

    def _run_plan(self, plan: StudyPlan, constraints: Optional[Dict[str, List[Tuple[str, Any]]]] = None,
                  data_handler: Any = None, backtester: Any = None, run_backtest: Optional[Callable[..., Any]] = None,
                  backtest_params: Optional[Dict[str, Any]] = None, metric_params: Optional[Dict[str, Any]] = None,
                  capacity: Optional[int] = None, use_processes: Optional[bool] = None, study_id: Optional[str] = None,
                  seed: Optional[int] = None, max_trials: Optional[int] = None, progress: Optional[bool] = None,
                  progress_stream: Any = None, analyze: Optional[bool] = None,
                  analysis_options: Union[AnalysisOptions, Mapping[str, Any], None] = None, **_: Any) -> Dict[str, Any]:
        if backtester is None and run_backtest is None and self.container is not None and hasattr(self.container, "get"):
            backtester = self.container.get("backtester")
        analysis = None
        if self.analyze if analyze is None else analyze:
            analysis = _analysis_options(analysis_options) if analysis_options is not None else self.analysis_options
        return run_plan(self, self.client, plan, constraints or {}, data_handler, backtester, run_backtest,
                        backtest_params, metric_params, capacity if capacity is not None else self.capacity,
                        self.use_processes if use_processes is None else use_processes, study_id, seed, max_trials,
                        self.progress if progress is None else progress, progress_stream or self.progress_stream,
                        self.progress_interval, analysis)

    def get_result(self, key: str) -> Optional[Dict[str, Any]]:
        return self.results.get(key)

    def get_all_results(self) -> Dict[str, Dict[str, Any]]:
        return self.results.copy()

    def create_objective_function(self, target_name: str, metric_name: str, data_handler: Any = None,
                                  **kwargs: Any) -> Callable[[Dict[str, Any]], float]:
        """The spec's local objective: apply params to the target, backtest, return the metric (negated when
        lower is better, so larger is always better). Usable with ``method.optimize``."""
        target, metric = self.targets[target_name], self.metrics[metric_name]
        backtester = kwargs.get("backtester") or Backtester()

        def objective_function(params: Dict[str, Any]) -> float:
            target.set_parameters(params)
            if kwargs.get("run_backtest") is not None:
                equity, trades = kwargs["run_backtest"](target, data_handler, **kwargs.get("backtest_params", {}))
            else:
                equity, trades = backtester.run(target, data_handler, **kwargs.get("backtest_params", {}))
            value = metric.calculate(equity, trades, **kwargs.get("metric_params", {}))
            return value if metric.higher_is_better else -value

        return objective_function

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._server is not None:
            self._server.stop()
            self._address = None

    def __enter__(self) -> "OptimizationManager":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class _ClientArguments:
    """What a manager passes to its Client, kept apart so the secret stays out of the manager's attributes and
    repr."""

    def __init__(self, api_key: Optional[str], token: Optional[str], root_certificates: RootCertificates) -> None:
        self._api_key, self._token, self._root_certificates = api_key, token, root_certificates

    def __repr__(self) -> str:
        return "_ClientArguments(...)"

    def client(self, address: str) -> Client:
        return Client(address, api_key=self._api_key, token=self._token, root_certificates=self._root_certificates)


def _analysis_options(options: Union[AnalysisOptions, Mapping[str, Any], None]) -> AnalysisOptions:
    if options is None or isinstance(options, AnalysisOptions):
        return options or AnalysisOptions()
    return AnalysisOptions(**options)  # a TypeError names an unknown field
