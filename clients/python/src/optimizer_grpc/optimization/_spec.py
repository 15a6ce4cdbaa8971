"""From the spec's objects (targets, methods, metrics, constraints) to the wire's StudySpec, and back for results.

The server's parameter names are identifiers, while the spec names rule parameters "rule.param"; ParameterNames
keeps the one-to-one mapping of a target's names ("ma_crossover.fast_window" <-> "ma_crossover__fast_window").
"""
from __future__ import annotations

import re
import warnings
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple

from optimizer_grpc._pb import pb
from optimizer_grpc.errors import DefaultOutsideDomainWarning
from optimizer_grpc.builder import TARGET_KINDS, Categorical, FloatRange, IntRange, parameter_proto
from optimizer_grpc.optimization.constraints import (ParameterConstraint, PerformanceConstraint,
                                                     RelationshipConstraint)
from optimizer_grpc.optimization.targets import OptimizationTarget
from optimizer_grpc.values import to_proto


class ParameterNames:
    """A target's spec parameter names <-> wire names (letters, digits and '_')."""

    def __init__(self, spec_names: Iterable[str]) -> None:
        self.to_wire: Dict[str, str] = {}
        used = set()
        for name in spec_names:
            wire = re.sub(r"\W", "_", name.replace(".", "__")) or "p"
            if wire[0].isdigit():
                wire = "p_" + wire
            while wire in used:
                wire += "_"
            used.add(wire)
            self.to_wire[name] = wire
        self.to_spec = {w: s for s, w in self.to_wire.items()}

    def spec_params(self, wire_params: Mapping[str, Any]) -> Dict[str, Any]:
        return {self.to_spec.get(k, k): v for k, v in wire_params.items()}


def target_proto(name: str, target: OptimizationTarget, names: ParameterNames) -> Any:
    space = target.get_parameter_space()
    if not space:
        raise ValueError(f"target {name!r} has an empty parameter space")
    current = target.get_parameters()
    parameters = []
    for spec_name, domain in space.items():
        value = current.get(spec_name)
        default = _in_domain(domain, value)
        if value is not None and default is None:
            warnings.warn(f"target {name!r}: the default {spec_name} = {value!r} is not a value of its domain "
                          f"{_describe(domain)}; stages that do not search it use the middle of the domain instead",
                          DefaultOutsideDomainWarning, stacklevel=4)
        parameters.append(parameter_proto(names.to_wire[spec_name], domain, default, description=spec_name))
    meta = {k: str(v) for k, v in target.get_metadata().items()}
    return pb.Target(name=name, kind=TARGET_KINDS.get(getattr(target, "kind", "custom"), pb.TARGET_KIND_CUSTOM),
                     parameters=parameters, description=meta.get("description", "")[:1000].strip(),
                     metadata={"type": meta.get("type", "")})


def _in_domain(domain: Any, value: Any) -> Any:
    """``value`` as the domain holds it (the server wants defaults inside the domain, of its type: 30.0 is not a value
    of [30, 40]), or None when it is not in the domain."""
    if value is None:
        return None
    if isinstance(domain, (list, tuple)):
        if isinstance(value, bool):
            return value if value in domain else None
        return next((v for v in domain if v == value and type(v) is not bool), None)
    if isinstance(domain, Categorical):
        return value if value in domain.choices else None
    if isinstance(domain, (IntRange, FloatRange)) and isinstance(value, (int, float)) and not isinstance(value, bool):
        if not domain.low <= value <= domain.high:
            return None
        if isinstance(domain, IntRange):
            return int(value) if int(value) == value and (value - domain.low) % (domain.step or 1) == 0 else None
        if domain.step is not None and abs(round((value - domain.low) / domain.step) * domain.step - (value - domain.low)) > 1e-9 * max(1.0, abs(value)):
            return None
        return float(value)
    return value


def _describe(domain: Any) -> str:
    if isinstance(domain, (list, tuple)):
        return "[" + ", ".join(map(repr, domain)) + "]"
    return repr(domain)


def translate_expression(expression: str, names: Mapping[str, ParameterNames], target: Optional[str]) -> str:
    """Rewrites spec parameter names in an expression to "target.wire_name"; unqualified names are looked up in
    ``target`` (the target the constraint is attached to), or in every target when the name is unique."""
    replacements: List[Tuple[str, str]] = []
    for t, n in names.items():
        for spec, wire in n.to_wire.items():
            replacements.append((f"{t}.{spec}", f"{t}.{wire}"))
    bare: Dict[str, List[str]] = {}
    for t, n in names.items():
        for spec, wire in n.to_wire.items():
            bare.setdefault(spec, []).append(f"{t}.{wire}")
    for spec, wires in bare.items():
        if target is not None and target in names and spec in names[target].to_wire:
            replacements.append((spec, f"{target}.{names[target].to_wire[spec]}"))
        elif len(wires) == 1:
            replacements.append((spec, wires[0]))
    # Longest first, in one pass, so "a.b" is never rewritten inside "t.a.b".
    replacements.sort(key=lambda r: -len(r[0]))
    table = dict(replacements)
    pattern = re.compile("|".join(rf"(?<![\w.]){re.escape(s)}(?![\w.])" for s, _ in replacements)) if replacements else None
    return pattern.sub(lambda m: table[m.group(0)], expression) if pattern else expression


def constraint_proto(name: str, constraint: Any, names: Mapping[str, ParameterNames], target: Optional[str]) -> Any:
    c = pb.Constraint(name=name, target=target or "")
    if isinstance(constraint, str):
        constraint = RelationshipConstraint(constraint)
    if isinstance(constraint, RelationshipConstraint):
        c.relationship.expression = translate_expression(constraint.expression, names, target)
    elif isinstance(constraint, PerformanceConstraint):
        c.performance.expression = constraint.expression
    elif isinstance(constraint, ParameterConstraint):
        p = pb.ParameterConstraint(parameter=translate_expression(constraint.parameter, names, target),
                                   allowed=[to_proto(v) for v in constraint.allowed])
        if constraint.min is not None:
            p.min = constraint.min
        if constraint.max is not None:
            p.max = constraint.max
        c.parameter.CopyFrom(p)
    else:
        raise TypeError(f"constraint {name!r} must be an expression string, a Relationship/Performance/"
                        f"ParameterConstraint or a callable, got {type(constraint).__name__}")
    return c
