"""The spec's optimization targets: the objects whose parameters an optimization changes."""
from __future__ import annotations

import copy
from abc import ABC, abstractmethod
from typing import Any, Dict, List, Optional, Tuple

import numpy as np


class OptimizationTarget(ABC):
    """Base interface for any component that can be optimized."""

    #: TargetKind on the wire ("rule_parameters", "rule_weights", "regime_detector", "position_sizing", "custom").
    kind: str = "custom"

    @abstractmethod
    def get_parameter_space(self) -> Dict[str, List[Any]]:
        """Parameter name -> list of possible values (or a builder domain such as IntRange)."""

    @abstractmethod
    def get_parameters(self) -> Dict[str, Any]:
        """Parameter name -> current value."""

    @abstractmethod
    def set_parameters(self, params: Dict[str, Any]) -> None:
        """Sets the given parameters; others keep their values."""

    @abstractmethod
    def validate_parameters(self, params: Dict[str, Any]) -> Tuple[bool, Optional[str]]:
        """(is_valid, error_message)."""

    def reset(self) -> None:
        """Reset target to initial state (the parameters it had when created)."""

    def get_metadata(self) -> Dict[str, Any]:
        return {"type": self.__class__.__name__, "description": self.__doc__ or "No description available"}


def _group(params: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    grouped: Dict[str, Dict[str, Any]] = {}
    for full_name, value in params.items():
        if "." in full_name:
            rule_name, param_name = full_name.split(".", 1)
            grouped.setdefault(rule_name, {})[param_name] = value
    return grouped


class RuleParametersTarget(OptimizationTarget):
    """Optimization target for trading rule parameters ("rule.param" names)."""

    kind = "rule_parameters"

    def __init__(self, rules: Optional[List[Any]] = None, parameter_space: Optional[Dict[str, List[Any]]] = None) -> None:
        self.rules = list(rules or [])
        self._parameter_space = parameter_space or self._build_parameter_space()
        self._initial = self.get_parameters()

    def get_parameter_space(self) -> Dict[str, List[Any]]:
        return self._parameter_space

    def get_parameters(self) -> Dict[str, Any]:
        return {f"{rule.name}.{name}": value for rule in self.rules for name, value in rule.get_parameters().items()}

    def set_parameters(self, params: Dict[str, Any]) -> None:
        grouped = _group(params)
        for rule in self.rules:
            if rule.name in grouped:
                rule.set_parameters(grouped[rule.name])

    def validate_parameters(self, params: Dict[str, Any]) -> Tuple[bool, Optional[str]]:
        grouped = _group(params)
        for rule in self.rules:
            if rule.name in grouped:
                valid, error = rule.validate_parameters(grouped[rule.name])
                if not valid:
                    return False, f"Invalid parameters for rule {rule.name}: {error}"
        return True, None

    def reset(self) -> None:
        self.set_parameters(self._initial)

    def _build_parameter_space(self) -> Dict[str, List[Any]]:
        return {f"{rule.name}.{name}": values for rule in self.rules
                for name, values in getattr(rule, "parameter_space", {}).items()}


class RuleWeightsTarget(OptimizationTarget):
    """Optimization target for trading rule weights ("rule.weight" names); the backtester averages the rules'
    positions with these weights."""

    kind = "rule_weights"

    def __init__(self, rules: Optional[List[Any]] = None, weight_range: Tuple[float, float] = (0.0, 1.0),
                 weight_step: float = 0.1) -> None:
        self.rules = list(rules or [])
        self.weight_range = weight_range
        self.weight_step = weight_step
        self._parameter_space = self._build_parameter_space()
        self._initial = self.get_parameters()

    def get_parameter_space(self) -> Dict[str, List[Any]]:
        return self._parameter_space

    def get_parameters(self) -> Dict[str, Any]:
        return {f"{rule.name}.weight": getattr(rule, "weight", 1.0) for rule in self.rules}

    def set_parameters(self, params: Dict[str, Any]) -> None:
        weights = {name[: -len(".weight")]: value for name, value in params.items() if name.endswith(".weight")}
        for rule in self.rules:
            if rule.name in weights:
                rule.weight = weights[rule.name]

    def validate_parameters(self, params: Dict[str, Any]) -> Tuple[bool, Optional[str]]:
        for name, value in params.items():
            if name.endswith(".weight") and not self.weight_range[0] <= value <= self.weight_range[1]:
                return False, f"Weight {name} out of range: {value}"
        return True, None

    def reset(self) -> None:
        self.set_parameters(self._initial)

    def _build_parameter_space(self) -> Dict[str, List[Any]]:
        values = [round(v, 10) for v in np.arange(self.weight_range[0], self.weight_range[1] + self.weight_step / 2,
                                                  self.weight_step).tolist()]
        return {f"{rule.name}.weight": values for rule in self.rules}


class _DelegatingTarget(OptimizationTarget):
    """A target over one component that already has parameter_space / get/set/validate_parameters."""

    def __init__(self, component: Any, parameter_space: Optional[Dict[str, List[Any]]] = None) -> None:
        self._component = component
        self._parameter_space = parameter_space or dict(getattr(component, "parameter_space", {}))
        self._initial = copy.deepcopy(component.get_parameters())

    def get_parameter_space(self) -> Dict[str, List[Any]]:
        return self._parameter_space

    def get_parameters(self) -> Dict[str, Any]:
        return self._component.get_parameters()

    def set_parameters(self, params: Dict[str, Any]) -> None:
        self._component.set_parameters(params)

    def validate_parameters(self, params: Dict[str, Any]) -> Tuple[bool, Optional[str]]:
        return self._component.validate_parameters(params)

    def reset(self) -> None:
        self._component.set_parameters(self._initial)


class RegimeDetectorTarget(_DelegatingTarget):
    """Optimization target for a regime detector's parameters; also identifies regimes (for regime sequences)."""

    kind = "regime_detector"

    def __init__(self, detector: Any, parameter_space: Optional[Dict[str, List[Any]]] = None) -> None:
        super().__init__(detector, parameter_space)
        self.detector = detector

    def identify_regimes(self, data_handler: Any) -> Dict[str, Any]:
        return self.detector.identify_regimes(data_handler)

    def labels(self, close: Any) -> Any:
        return self.detector.labels(close)


class PositionSizingTarget(_DelegatingTarget):
    """Optimization target for a position sizer's parameters; the backtester scales positions with ``sizer``."""

    kind = "position_sizing"

    def __init__(self, sizer: Any, parameter_space: Optional[Dict[str, List[Any]]] = None) -> None:
        super().__init__(sizer, parameter_space)
        self.sizer = sizer


class TargetGroup(tuple):
    """What ``run_backtest`` (and a ``backtester``'s ``run``) receives when a run searches several targets: a tuple of
    the targets (this trial's private copies, in the order the run named them), so code written for a list keeps
    working, that also reads like one target: ``rules`` (every target's rules, each once, in order), ``sizer`` (the
    first PositionSizingTarget's sizer, or None), ``group["name"]`` (a target by its registered name) and
    ``get_parameters()`` (``"target.param"`` names)."""

    names: Tuple[str, ...]

    def __new__(cls, targets: Dict[str, OptimizationTarget]) -> "TargetGroup":
        group = super().__new__(cls, targets.values())
        group.names = tuple(targets)
        return group

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        if isinstance(key, str):
            try:
                return super().__getitem__(self.names.index(key))
            except ValueError:
                raise KeyError(key) from None
        return super().__getitem__(key)

    @property
    def rules(self) -> List[Any]:
        rules: List[Any] = []
        for target in self:
            rules.extend(r for r in getattr(target, "rules", ()) if r not in rules)
        return rules

    @property
    def sizer(self) -> Any:
        return next((t.sizer for t in self if isinstance(t, PositionSizingTarget)), None)

    def get_parameters(self) -> Dict[str, Any]:
        return {f"{name}.{k}": v for name, target in zip(self.names, self) for k, v in target.get_parameters().items()}
