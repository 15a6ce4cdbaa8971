"""Fluent construction of a StudySpec for the low-level Client (the spec-level API builds one from its objects)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Iterable, List, Mapping, Optional, Sequence, Union

from optimizer_grpc._pb import pb
from optimizer_grpc.values import ParamValue, to_proto


@dataclass(frozen=True)
class IntRange:
    """The integers low, low + step, ... <= high."""

    low: int
    high: int
    step: Optional[int] = None


@dataclass(frozen=True)
class FloatRange:
    """[low, high], optionally on a grid of ``step`` or searched on a log scale."""

    low: float
    high: float
    step: Optional[float] = None
    log: bool = False


@dataclass(frozen=True)
class Categorical:
    choices: Sequence[str]


Domain = Union[IntRange, FloatRange, Categorical, Sequence[ParamValue]]

TARGET_KINDS = {
    "rule_parameters": pb.TARGET_KIND_RULE_PARAMETERS,
    "rule_weights": pb.TARGET_KIND_RULE_WEIGHTS,
    "regime_detector": pb.TARGET_KIND_REGIME_DETECTOR,
    "position_sizing": pb.TARGET_KIND_POSITION_SIZING,
    "custom": pb.TARGET_KIND_CUSTOM,
}


def parameter_proto(name: str, domain: Domain, default: Optional[ParamValue] = None, description: str = "") -> Any:
    """A Parameter message; a plain list becomes an explicit ordered ValueList (the spec's Dict[str, List[Any]])."""
    p = pb.Parameter(name=name, description=description)
    if isinstance(domain, IntRange):
        p.int_range.CopyFrom(pb.IntRange(low=domain.low, high=domain.high))
        if domain.step is not None:
            p.int_range.step = domain.step
    elif isinstance(domain, FloatRange):
        p.float_range.CopyFrom(pb.FloatRange(low=domain.low, high=domain.high, log=domain.log))
        if domain.step is not None:
            p.float_range.step = domain.step
    elif isinstance(domain, Categorical):
        p.categorical.CopyFrom(pb.Categorical(choices=list(domain.choices)))
    else:
        values = list(domain)
        p.values.CopyFrom(pb.ValueList(values=[to_proto(v) for v in values]))
    if default is not None:
        p.default_value.CopyFrom(to_proto(default))
    return p


class StudyBuilder:
    """``StudyBuilder("ma").target("ma", {"fast": IntRange(2, 20)}).maximize("sharpe_ratio").grid().build()``."""

    def __init__(self, display_name: str = "") -> None:
        self._spec = pb.StudySpec(display_name=display_name)

    def target(self, name: str, parameters: Mapping[str, Domain], kind: str = "custom",
               defaults: Optional[Mapping[str, ParamValue]] = None, description: str = "",
               metadata: Optional[Mapping[str, str]] = None) -> "StudyBuilder":
        if not name or "." in name or any(t.name == name for t in self._spec.targets):
            raise ValueError(f"target name {name!r} must be non-empty, unique and contain no '.'")
        if not parameters:
            raise ValueError(f"target {name!r} has no parameters")
        defaults = defaults or {}
        self._spec.targets.append(pb.Target(
            name=name, kind=TARGET_KINDS[kind], description=description, metadata=dict(metadata or {}),
            parameters=[parameter_proto(p, d, defaults.get(p)) for p, d in parameters.items()]))
        return self

    def target_proto(self, target: Any) -> "StudyBuilder":
        self._spec.targets.append(target)
        return self

    def objective(self, metric: str, direction: str = "maximize", weight: Optional[float] = None) -> "StudyBuilder":
        o = pb.Objective(metric=metric, direction=_direction(direction))
        if weight is not None:
            o.weight = weight
        self._spec.objectives.append(o)
        return self

    def maximize(self, metric: str, weight: Optional[float] = None) -> "StudyBuilder":
        return self.objective(metric, "maximize", weight)

    def minimize(self, metric: str, weight: Optional[float] = None) -> "StudyBuilder":
        return self.objective(metric, "minimize", weight)

    def method(self, method: Any) -> "StudyBuilder":
        """Sets a MethodSpec message."""
        self._spec.method.CopyFrom(method)
        return self

    def grid(self, float_points: Optional[int] = None, shuffle: bool = False) -> "StudyBuilder":
        s = pb.GridSearchSettings(shuffle=shuffle)
        if float_points is not None:
            s.float_points = float_points
        self._spec.method.grid.CopyFrom(s)
        return self

    def random(self) -> "StudyBuilder":
        self._spec.method.random.SetInParent()
        return self

    def genetic(self, **settings: Any) -> "StudyBuilder":
        self._spec.method.genetic.CopyFrom(pb.GeneticSettings(**settings))
        return self

    def particle_swarm(self, **settings: Any) -> "StudyBuilder":
        self._spec.method.particle_swarm.CopyFrom(pb.ParticleSwarmSettings(**settings))
        return self

    def bayesian(self, **settings: Any) -> "StudyBuilder":
        """Gaussian-process Bayesian optimisation; settings: n_initial, acquisition, ucb_beta, output_warping."""
        self._spec.method.bayesian.CopyFrom(pb.BayesianSettings(**settings))
        return self

    def tpe(self, **settings: Any) -> "StudyBuilder":
        """Tree-structured Parzen estimator; settings: n_startup_trials, n_ei_candidates, multivariate, prior_weight,
        local_fraction, log_scale_ratio, late_local_fraction, late_after, second_basin_fraction."""
        self._spec.method.tpe.CopyFrom(pb.TpeSettings(**settings))
        return self

    def auto(self) -> "StudyBuilder":
        """The server chooses the method from the space and max_trials (also what a study that names no method gets)."""
        self._spec.method.auto.SetInParent()
        return self

    def seed(self, seed: int) -> "StudyBuilder":
        self._spec.method.seed = seed
        return self

    def max_trials(self, n: int) -> "StudyBuilder":
        self._spec.max_trials = n
        return self

    def max_attempts(self, n: int) -> "StudyBuilder":
        self._spec.max_attempts = n
        return self

    def lease(self, duration: timedelta) -> "StudyBuilder":
        self._spec.lease_duration.FromTimedelta(duration)
        return self

    def relationship(self, name: str, expression: str, target: str = "") -> "StudyBuilder":
        self._spec.constraints.append(pb.Constraint(
            name=name, target=target, relationship=pb.RelationshipConstraint(expression=expression)))
        return self

    def performance(self, name: str, expression: str, target: str = "") -> "StudyBuilder":
        self._spec.constraints.append(pb.Constraint(
            name=name, target=target, performance=pb.PerformanceConstraint(expression=expression)))
        return self

    def parameter_bounds(self, name: str, parameter: str, min: Optional[float] = None, max: Optional[float] = None,
                         allowed: Iterable[ParamValue] = (), target: str = "") -> "StudyBuilder":
        c = pb.ParameterConstraint(parameter=parameter, allowed=[to_proto(v) for v in allowed])
        if min is not None:
            c.min = min
        if max is not None:
            c.max = max
        self._spec.constraints.append(pb.Constraint(name=name, target=target, parameter=c))
        return self

    def sequence(self, sequence: Any) -> "StudyBuilder":
        """Sets a SequenceSpec message (single when never called)."""
        self._spec.sequence.CopyFrom(sequence)
        return self

    def metric_settings(self, risk_free_rate: float = 0.0, annualization_factor: Optional[float] = None,
                        extra_metrics: Sequence[str] = ()) -> "StudyBuilder":
        m = pb.MetricSettings(risk_free_rate=risk_free_rate, extra_metrics=list(extra_metrics))
        if annualization_factor is not None:
            m.annualization_factor = annualization_factor
        self._spec.metric_settings.CopyFrom(m)
        return self

    def data(self, bar_count: int, name: str = "", regime_labels: Sequence[int] = (),
             regime_names: Sequence[str] = ()) -> "StudyBuilder":
        self._spec.data.CopyFrom(pb.DataDescription(name=name, bar_count=bar_count,
                                                    regime_labels=list(regime_labels), regime_names=list(regime_names)))
        return self

    def labels(self, **labels: str) -> "StudyBuilder":
        self._spec.labels.update(labels)
        return self

    def build(self) -> Any:
        """A copy of the StudySpec message."""
        spec = pb.StudySpec()
        spec.CopyFrom(self._spec)
        return spec


def _direction(direction: str) -> int:
    try:
        return {"maximize": pb.DIRECTION_MAXIMIZE, "minimize": pb.DIRECTION_MINIMIZE,
                "": pb.DIRECTION_UNSPECIFIED}[direction]
    except KeyError:
        raise ValueError(f"direction must be 'maximize' or 'minimize', got {direction!r}") from None


def as_spec(spec_or_builder: Union[StudyBuilder, Any]) -> Any:
    return spec_or_builder.build() if isinstance(spec_or_builder, StudyBuilder) else spec_or_builder


__all__: List[str] = ["StudyBuilder", "IntRange", "FloatRange", "Categorical", "parameter_proto", "as_spec"]
