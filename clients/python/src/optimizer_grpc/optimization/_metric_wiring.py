"""How the manager's registered metrics reach the server, which computes them from each trial's backtest record.

A registered metric with a ``server_name`` is computed by the server: under its registered name when that is the
catalog name, else through a custom metric aliasing the catalog name (``{"sharpe": "sharpe_ratio"}``). A metric
without one (a ``CustomMetric`` over a Python function) is computed by the worker and sent as a value beside the
record. Either way the study's objective carries the registered name, so results read back unchanged.
"""
from __future__ import annotations

import re
from typing import Any, Dict, Mapping, Optional

from optimizer_grpc._pb import pb
from optimizer_grpc.optimization.metrics import SERVER_METRICS, OptimizationMetric

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def wire_metric(name: str, metric: OptimizationMetric) -> str:
    """The objective's metric name on the wire for the metric registered as ``name``."""
    if metric.server_name is None or name == metric.server_name:
        return name
    if _IDENTIFIER.match(name) and name not in SERVER_METRICS:
        return name  # aliased by a custom metric (see metric_settings)
    return metric.server_name  # a name the server cannot take as an alias (a catalog name, "sharpe-ratio")


def objective_proto(name: str, metric: OptimizationMetric) -> Any:
    direction = pb.DIRECTION_MAXIMIZE if metric.higher_is_better else pb.DIRECTION_MINIMIZE
    return pb.Objective(metric=wire_metric(name, metric), direction=direction)


def client_metrics(metrics: Mapping[str, OptimizationMetric]) -> Dict[str, OptimizationMetric]:
    """The metrics the worker computes itself: those the server's catalog does not have."""
    return {name: m for name, m in metrics.items() if m.server_name is None}


def metric_settings(metrics: Mapping[str, OptimizationMetric], metric_params: Optional[Mapping[str, Any]] = None) -> Any:
    """MetricSettings for a study: the aliases, every catalog metric as an extra (so each trial carries them all for
    analysis), and the risk-free rate and annualisation of the metrics (``metric_params`` overrides them).

    One study has one risk-free rate and one annualisation factor; metrics that disagree are a ValueError."""
    params = dict(metric_params or {})
    settings = pb.MetricSettings(extra_metrics=list(SERVER_METRICS))
    for name, metric in metrics.items():
        if metric.server_name is not None and wire_metric(name, metric) == name and name != metric.server_name:
            direction = pb.DIRECTION_MAXIMIZE if metric.higher_is_better else pb.DIRECTION_MINIMIZE
            settings.custom_metrics.append(pb.CustomMetric(name=name, expression=metric.server_name, direction=direction))
    for key in ("risk_free_rate", "annualization_factor"):
        seen = {name: getattr(m, key) for name, m in metrics.items() if m.server_name is not None and hasattr(m, key)}
        if key in params:
            value = params[key]
        elif len(set(seen.values())) > 1:
            raise ValueError(f"the metrics {sorted(seen)} use different {key} values {sorted(set(seen.values()))}; "
                             f"one study has one: pass metric_params={{'{key}': ...}}")
        elif seen:
            value = next(iter(seen.values()))
        else:
            continue
        setattr(settings, key, float(value))
    return settings
