"""The spec's three kinds of constraints. Expressions use the server's expression language; parameters are
written with the spec's names ("ma_crossover.fast_window", or "target.rule.param" fully qualified)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Optional, Sequence


@dataclass(frozen=True)
class ParameterConstraint:
    """Narrows one parameter's domain: ``ParameterConstraint("ma_crossover.fast_window", min=5, max=30)``."""

    parameter: str
    min: Optional[float] = None
    max: Optional[float] = None
    allowed: Sequence[Any] = field(default_factory=tuple)


@dataclass(frozen=True)
class RelationshipConstraint:
    """An expression over parameters checked before a trial is issued: ``"ma_crossover.fast_window <
    ma_crossover.slow_window"``."""

    expression: str


@dataclass(frozen=True)
class PerformanceConstraint:
    """An expression over metrics checked after a trial: ``"max_drawdown <= 0.25 and trades >= 30"``."""

    expression: str


Constraint = Any  # one of the above, or a callable params -> bool checked on the client before backtesting
ParamsPredicate = Callable[[Dict[str, Any]], bool]
