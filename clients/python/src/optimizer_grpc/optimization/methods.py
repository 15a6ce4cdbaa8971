"""The spec's optimization methods. The search runs on the server: each method is its MethodSpec, and
``optimize`` runs a study on a server with a local objective function (ask the server, evaluate, tell)."""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Callable, Dict, List, Optional

from optimizer_grpc._pb import pb


class OptimizationMethod(ABC):
    """Base interface for optimization methods. ``max_trials`` is the trial budget per stage (0: until exhausted)."""

    max_trials: int = 0
    seed: Optional[int] = None

    @abstractmethod
    def to_proto(self) -> Any:
        """The MethodSpec message."""

    def _method(self, **kind: Any) -> Any:
        m = pb.MethodSpec(**kind)
        if self.seed is not None:
            m.seed = self.seed
        return m

    def optimize(self, parameter_space: Dict[str, List[Any]], objective_function: Callable[[Dict[str, Any]], float],
                 constraints: Optional[List[Callable[[Dict[str, Any]], bool]]] = None, **kwargs: Any) -> Dict[str, Any]:
        """Searches ``parameter_space`` for the largest ``objective_function(params)`` on a server.

        kwargs: ``client`` (a Client) or ``address`` (with ``api_key`` or ``token`` and ``root_certificates``, as
        ``Client`` takes them); without either a LocalServer is started. ``capacity`` sets
        concurrent evaluations (default 1). Parameter sets rejected by a constraint are reported as failed trials
        (not evaluated). Returns {"best_params", "best_score", "study_id", "trials"}.
        """
        from optimizer_grpc.optimization._objective import optimize_function
        result = optimize_function(self, parameter_space, objective_function, constraints or [], **kwargs)
        self._best = result
        return result

    def get_best_result(self) -> Optional[Dict[str, Any]]:
        return getattr(self, "_best", None)

    def get_metadata(self) -> Dict[str, Any]:
        return {"name": self.__class__.__name__, "description": self.__doc__ or "No description available"}


def _set(message: Any, **values: Any) -> Any:
    for name, value in values.items():
        if value is not None:
            setattr(message, name, value)
    return message


class GridSearchMethod(OptimizationMethod):
    """Exhaustive grid search; ``verbose`` logs each finished trial on the client."""

    def __init__(self, verbose: bool = False, float_points: Optional[int] = None, shuffle: bool = False,
                 max_trials: int = 0, seed: Optional[int] = None) -> None:
        self.verbose, self.float_points, self.shuffle = verbose, float_points, shuffle
        self.max_trials, self.seed = max_trials, seed

    def to_proto(self) -> Any:
        return self._method(grid=_set(pb.GridSearchSettings(shuffle=self.shuffle, verbose=self.verbose),
                                      float_points=self.float_points))


class RandomSearchMethod(OptimizationMethod):
    """Uniform random search over the space (the baseline); ``n_trials`` is the budget."""

    def __init__(self, n_trials: int = 100, seed: Optional[int] = None) -> None:
        self.max_trials, self.seed = n_trials, seed

    def to_proto(self) -> Any:
        return self._method(random=pb.RandomSearchSettings())


class GeneticMethod(OptimizationMethod):
    """Genetic algorithm: tournament selection, crossover, mutation, elitism."""

    def __init__(self, population_size: Optional[int] = None, generations: Optional[int] = None,
                 mutation_rate: Optional[float] = None, crossover_rate: Optional[float] = None,
                 elite_count: Optional[int] = None, tournament_size: Optional[int] = None,
                 seed: Optional[int] = None, max_trials: int = 0) -> None:
        self.settings = dict(population_size=population_size, generations=generations, mutation_rate=mutation_rate,
                             crossover_rate=crossover_rate, elite_count=elite_count, tournament_size=tournament_size)
        self.seed, self.max_trials = seed, max_trials

    def to_proto(self) -> Any:
        return self._method(genetic=_set(pb.GeneticSettings(), **self.settings))


class ParticleSwarmMethod(OptimizationMethod):
    """Particle swarm optimisation."""

    def __init__(self, swarm_size: Optional[int] = None, iterations: Optional[int] = None,
                 inertia: Optional[float] = None, cognitive: Optional[float] = None, social: Optional[float] = None,
                 max_velocity_fraction: Optional[float] = None, seed: Optional[int] = None, max_trials: int = 0) -> None:
        self.settings = dict(swarm_size=swarm_size, iterations=iterations, inertia=inertia, cognitive=cognitive,
                             social=social, max_velocity_fraction=max_velocity_fraction)
        self.seed, self.max_trials = seed, max_trials

    def to_proto(self) -> Any:
        return self._method(particle_swarm=_set(pb.ParticleSwarmSettings(), **self.settings))


class BayesianMethod(OptimizationMethod):
    """Gaussian-process Bayesian optimisation (``acquisition``: "log_ei", "ei" or "ucb"); ``n_trials`` is the budget."""

    _ACQUISITIONS = {None: pb.ACQUISITION_UNSPECIFIED, "log_ei": pb.ACQUISITION_LOG_EXPECTED_IMPROVEMENT,
                     "ei": pb.ACQUISITION_EXPECTED_IMPROVEMENT, "ucb": pb.ACQUISITION_UPPER_CONFIDENCE_BOUND}

    def __init__(self, n_trials: int = 50, n_initial: Optional[int] = None, acquisition: Optional[str] = None,
                 ucb_beta: Optional[float] = None, output_warping: Optional[bool] = None,
                 seed: Optional[int] = None) -> None:
        if acquisition not in self._ACQUISITIONS:
            raise ValueError(f"acquisition must be one of log_ei, ei, ucb; got {acquisition!r}")
        self.max_trials, self.n_initial, self.acquisition, self.ucb_beta, self.seed = (
            n_trials, n_initial, acquisition, ucb_beta, seed)
        self.output_warping = output_warping

    def to_proto(self) -> Any:
        return self._method(bayesian=_set(pb.BayesianSettings(acquisition=self._ACQUISITIONS[self.acquisition]),
                                          n_initial=self.n_initial, ucb_beta=self.ucb_beta,
                                          output_warping=self.output_warping))


class TpeMethod(OptimizationMethod):
    """Tree-structured Parzen estimator (Bergstra et al. 2011; multivariate by default, Falkner et al. 2018);
    ``n_trials`` is the budget."""

    def __init__(self, n_trials: int = 100, n_startup_trials: Optional[int] = None, n_ei_candidates: Optional[int] = None,
                 multivariate: Optional[bool] = None, prior_weight: Optional[float] = None,
                 local_fraction: Optional[float] = None, log_scale_ratio: Optional[float] = None,
                 late_local_fraction: Optional[float] = None, late_after: Optional[int] = None,
                 second_basin_fraction: Optional[float] = None, seed: Optional[int] = None) -> None:
        self.max_trials, self.seed = n_trials, seed
        self.settings = dict(n_startup_trials=n_startup_trials, n_ei_candidates=n_ei_candidates,
                             multivariate=multivariate, prior_weight=prior_weight, local_fraction=local_fraction,
                             log_scale_ratio=log_scale_ratio, late_local_fraction=late_local_fraction,
                             late_after=late_after, second_basin_fraction=second_basin_fraction)

    def to_proto(self) -> Any:
        return self._method(tpe=_set(pb.TpeSettings(), **self.settings))


class AutoMethod(OptimizationMethod):
    """The server chooses from the space and ``n_trials``: grid when the whole grid fits, Bayesian for small
    mostly-continuous spaces and budgets up to 500, TPE otherwise (what a study that names no method gets)."""

    def __init__(self, n_trials: int = 100, seed: Optional[int] = None) -> None:
        self.max_trials, self.seed = n_trials, seed

    def to_proto(self) -> Any:
        return self._method(auto=pb.AutoSettings())
