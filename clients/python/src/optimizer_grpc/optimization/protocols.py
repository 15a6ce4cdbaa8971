"""What a run calls on the user's objects, written down and checked before the first trial.

The data handler protocol (``DataHandler``): ``len(data_handler)`` is the number of bars (the study's
``bar_count``); ``window(start_bar, end_bar)`` returns a handler over bars ``[start_bar, end_bar)`` (walk-forward
windows in segment mode); ``segments([(start, end), ...])`` returns a handler over those bars joined (a regime's bars in
segment mode). The built-in backtester also reads ``close`` (one price per bar) from it and from what ``window`` and
``segments`` return.

The backtest protocol (``RunBacktest``): ``run_backtest(target, data_handler, **backtest_params)`` returns
``(equity_curve, trades)``: one equity value per bar of ``data_handler`` and trades as dicts with ``entry_bar``,
``exit_bar`` (relative to the data it was given), ``pnl`` and ``return`` (``side``, ``size``, prices optional).
``target`` is the run's target with this trial's parameters; with several targets it is a ``TargetGroup`` (a tuple
of the targets in the order given, with ``.rules``, ``group["name"]`` and ``get_parameters()``), so one function
serves any number of targets. A ``backtester`` object with ``run(target, data_handler, **backtest_params)`` is the
same thing. Without either, the built-in ``Backtester`` runs every rule's ``generate_positions(close)``.

``check_run`` raises one ``ProtocolError`` listing everything missing, before the study is created.
"""
from __future__ import annotations

import inspect
from typing import Any, Iterable, List, Mapping, Optional, Protocol, Sequence, Tuple, runtime_checkable

from optimizer_grpc._pb import pb
from optimizer_grpc.errors import ProtocolError
from optimizer_grpc.trading.backtest import Backtester


@runtime_checkable
class DataHandler(Protocol):
    """The data handler a run needs (``window`` and ``segments`` only for the sequences that cut the data)."""

    def __len__(self) -> int: ...

    def window(self, start_bar: int, end_bar: int) -> "DataHandler": ...

    def segments(self, segments: Sequence[Tuple[int, int]]) -> "DataHandler": ...


class RunBacktest(Protocol):
    """``run_backtest(target, data_handler, **backtest_params) -> (equity_curve, trades)``."""

    def __call__(self, target: Any, data_handler: Any, **backtest_params: Any) -> Tuple[Sequence[float], List[Any]]: ...


def data_cuts(sequence: Any) -> Tuple[bool, bool]:
    """(needs ``window``, needs ``segments``) for a SequenceSpec: walk-forward windows and regime segments are cut
    from the data on the client unless the sequence runs in attribution mode (whole series, scored by the server)."""
    kind = sequence.WhichOneof("kind") if sequence is not None else None
    if kind == "walk_forward":
        return sequence.walk_forward.mode != pb.EVALUATION_MODE_ATTRIBUTION, False
    if kind == "regime_specific":
        return False, sequence.regime_specific.mode != pb.EVALUATION_MODE_ATTRIBUTION
    return False, False


def check_run(targets: Mapping[str, Any], data_handler: Any, backtester: Any = None, run_backtest: Any = None,
              sequence: Any = None) -> None:
    """Raises ``ProtocolError`` naming every piece the run would miss (see the module's protocols)."""
    problems: List[str] = []
    if data_handler is None:
        problems.append("data_handler is required: trials are backtested on its data")
    else:
        problems += _data_handler_problems(data_handler, *data_cuts(sequence),
                                           needs_close=run_backtest is None and _builtin(backtester))
    if run_backtest is not None:
        if not callable(run_backtest):
            problems.append(f"run_backtest must be a function run_backtest(target, data_handler, **backtest_params), "
                            f"got {type(run_backtest).__name__}")
        elif not _takes_two(run_backtest):
            problems.append("run_backtest must accept (target, data_handler, **backtest_params)")
    elif not _builtin(backtester):
        if not callable(getattr(backtester, "run", None)):
            problems.append(f"backtester {type(backtester).__name__} has no run(target, data_handler, **backtest_params)")
    else:
        problems += _rule_problems(targets)
    for name, target in targets.items():
        for method in ("get_parameter_space", "get_parameters", "set_parameters", "validate_parameters"):
            if not callable(getattr(target, method, None)):
                problems.append(f"target {name!r} ({type(target).__name__}) has no {method}()")
    if problems:
        raise ProtocolError(problems)


def _builtin(backtester: Any) -> bool:
    return backtester is None or isinstance(backtester, Backtester)


def _data_handler_problems(data: Any, window: bool, segments: bool, needs_close: bool) -> List[str]:
    kind = type(data).__name__
    problems = []
    if not hasattr(type(data), "__len__"):
        problems.append(f"data handler {kind} has no __len__ (len(data_handler) is the number of bars)")
    if window and not callable(getattr(data, "window", None)):
        problems.append(f"data handler {kind} has no window(start_bar, end_bar): walk-forward windows in segment mode "
                        f"backtest a window of the data")
    if segments and not callable(getattr(data, "segments", None)):
        problems.append(f"data handler {kind} has no segments([(start, end), ...]): regime stages in segment mode "
                        f"backtest a regime's bars")
    if needs_close and getattr(data, "close", None) is None:
        problems.append(f"data handler {kind} has no close (one price per bar), which the built-in backtester trades; "
                        f"give run_backtest= or backtester= to backtest it yourself")
    return problems


def _rule_problems(targets: Mapping[str, Any]) -> List[str]:
    problems = []
    any_rules = False
    for name, target in targets.items():
        rules: Iterable[Any] = getattr(target, "rules", None) or ()
        for rule in rules:
            any_rules = True
            if not callable(getattr(rule, "generate_positions", None)):
                problems.append(f"rule {getattr(rule, 'name', '?')!r} ({type(rule).__name__}) of target {name!r} has no "
                                f"generate_positions(close), which the built-in backtester calls; add it, or give "
                                f"run_backtest= or backtester=")
    if not any_rules and not any(hasattr(t, "sizer") for t in targets.values()):
        problems.append(f"the built-in backtester trades the targets' rules, and {', '.join(map(repr, targets))} have "
                        f"none; give run_backtest= or backtester=")
    return problems


def _takes_two(fn: Any) -> bool:
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):
        return True  # a builtin or C function: cannot tell, let the call decide
    try:
        signature.bind(object(), object())
        return True
    except TypeError:
        return False


__all__ = ["DataHandler", "RunBacktest", "check_run", "data_cuts"]
