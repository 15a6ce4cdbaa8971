"""OptimizationMethod.optimize: a study over a plain parameter space with a local objective function."""
from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional

from optimizer_grpc._connection import RootCertificates
from optimizer_grpc._pb import pb
from optimizer_grpc.builder import parameter_proto
from optimizer_grpc.client import Client
from optimizer_grpc.local_server import LocalServer
from optimizer_grpc.model import Trial, TrialOutcome
from optimizer_grpc.optimization._spec import ParameterNames
from optimizer_grpc.worker import Worker

_TARGET = "params"
_OBJECTIVE = "objective"


class _Objective:
    def __init__(self, names: ParameterNames, fn: Callable[[Dict[str, Any]], float],
                 constraints: List[Callable[[Dict[str, Any]], bool]]) -> None:
        self.names, self.fn, self.constraints = names, fn, constraints

    def __call__(self, trial: Trial) -> TrialOutcome:
        params = self.names.spec_params(trial.target_params(_TARGET))
        for i, constraint in enumerate(self.constraints):
            if not constraint(params):
                return TrialOutcome.failure(f"constraint {getattr(constraint, '__name__', i)} is not satisfied",
                                            "ConstraintViolated")
        return TrialOutcome.of({_OBJECTIVE: float(self.fn(params))})


def optimize_function(method: Any, parameter_space: Dict[str, List[Any]], objective_function: Callable[..., float],
                      constraints: List[Callable[[Dict[str, Any]], bool]], client: Optional[Client] = None,
                      address: Optional[str] = None, capacity: int = 1, study_id: Optional[str] = None,
                      api_key: Optional[str] = None, token: Optional[str] = None,
                      root_certificates: RootCertificates = None, **_: Any) -> Dict[str, Any]:
    names = ParameterNames(parameter_space)
    spec = pb.StudySpec(
        display_name=f"{type(method).__name__}.optimize",
        targets=[pb.Target(name=_TARGET, kind=pb.TARGET_KIND_CUSTOM,
                           parameters=[parameter_proto(names.to_wire[n], d, description=n)
                                       for n, d in parameter_space.items()])],
        objectives=[pb.Objective(metric=_OBJECTIVE, direction=pb.DIRECTION_MAXIMIZE)],
        method=method.to_proto(), max_trials=method.max_trials)
    server, owned = None, client is None
    if client is None:
        if address is None:
            server = LocalServer()
            address = server.start()
        client = Client(address, api_key=api_key, token=token, root_certificates=root_certificates)
    try:
        study = client.create_study(spec, study_id=study_id)
        Worker(client, study.study_id, _Objective(names, objective_function, constraints), capacity=capacity).run()
        result = client.get_result(study.study_id)
        best = result.target_results.get(_TARGET)
        return {"best_params": names.spec_params(best.best_params) if best else {},
                "best_score": best.best_score if best else None, "study_id": study.study_id,
                "trials": result.study.counts.finished}
    finally:
        if owned:
            client.close()
        if server is not None:
            server.stop()
