"""Python values <-> typed ParameterValue on the wire."""
from __future__ import annotations

import numbers
from typing import Any, Dict, Mapping

from optimizer_grpc._pb import pb

ParamValue = Any  # int | float | str | bool


def to_proto(value: ParamValue) -> Any:
    """Converts a Python (or numpy) scalar to a ParameterValue; bool is checked before int because bool is an int."""
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return pb.ParameterValue(bool_value=bool(value))
    if isinstance(value, numbers.Integral):
        return pb.ParameterValue(int_value=int(value))
    if isinstance(value, numbers.Real):
        return pb.ParameterValue(float_value=float(value))
    if isinstance(value, str):
        return pb.ParameterValue(string_value=value)
    raise TypeError(f"parameter values must be int, float, str or bool, got {type(value).__name__} ({value!r})")


def from_proto(value: Any) -> ParamValue:
    kind = value.WhichOneof("kind")
    if kind is None:
        return None
    return getattr(value, kind)


def params_from_proto(params: Mapping[str, Any]) -> Dict[str, ParamValue]:
    return {name: from_proto(value) for name, value in sorted(params.items())}


def params_to_proto(params: Mapping[str, ParamValue]) -> Dict[str, Any]:
    return {name: to_proto(value) for name, value in params.items()}
