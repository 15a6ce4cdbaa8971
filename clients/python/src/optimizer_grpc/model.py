"""Typed values of the public surface: what the client returns and what a worker's function receives and returns.

Each mirrors a wire message; conversion happens here, at the edge, so users never handle generated types.
"""
from __future__ import annotations

import enum
import traceback
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

import numpy as np

from optimizer_grpc._pb import pb
from optimizer_grpc.values import ParamValue, params_from_proto


class StudyState(enum.IntEnum):
    UNSPECIFIED = 0
    CREATED = 1
    RUNNING = 2
    PAUSED = 3
    COMPLETED = 4
    STOPPED = 5
    FAILED = 6

    @property
    def is_terminal(self) -> bool:
        return self in (StudyState.COMPLETED, StudyState.STOPPED, StudyState.FAILED)


class TrialState(enum.IntEnum):
    UNSPECIFIED = 0
    PENDING = 1
    RUNNING = 2
    COMPLETED = 3
    INFEASIBLE = 4
    FAILED = 5
    PRUNED = 6


class StageState(enum.IntEnum):
    UNSPECIFIED = 0
    PENDING = 1
    RUNNING = 2
    COMPLETED = 3
    SKIPPED = 4


class TellStatus(enum.IntEnum):
    UNSPECIFIED = 0
    ACCEPTED = 1
    DUPLICATE = 2
    EXPIRED = 3
    REJECTED = 4


def _time(ts: Any) -> Optional[datetime]:
    return ts.ToDatetime() if ts.seconds or ts.nanos else None


@dataclass(frozen=True)
class DataContext:
    """Which slice of the data a trial is evaluated on. kind is "whole", "window" or "segments"."""

    kind: str = "whole"
    start_bar: Optional[int] = None
    end_bar: Optional[int] = None
    regime: Optional[str] = None
    segments: Tuple[Tuple[int, int], ...] = ()
    evaluate_whole_series: bool = False
    label: str = ""

    @staticmethod
    def from_proto(m: Any) -> "DataContext":
        kind = m.WhichOneof("kind") or "whole"
        common = dict(evaluate_whole_series=m.evaluate_whole_series, label=m.label)
        if kind == "window":
            return DataContext("window", m.window.start_bar, m.window.end_bar, **common)
        if kind == "segments":
            segs = tuple((s.start_bar, s.end_bar) for s in m.segments.segments)
            return DataContext("segments", regime=m.segments.regime, segments=segs, **common)
        return DataContext("whole", **common)


@dataclass(frozen=True)
class TrialRef:
    study_id: str
    trial_number: int
    attempt: int


@dataclass(frozen=True)
class Trial:
    """One evaluation: params maps "target.name" to Python values (int, float, str, bool)."""

    study_id: str
    number: int
    attempt: int
    params: Dict[str, ParamValue]
    stage_id: str = ""
    state: TrialState = TrialState.UNSPECIFIED
    data_context: DataContext = DataContext()
    values: Dict[str, float] = field(default_factory=dict)
    objective_values: Tuple[float, ...] = ()
    reason: str = ""
    worker_id: str = ""
    sequence: int = 0
    start_time: Optional[datetime] = None
    end_time: Optional[datetime] = None

    @property
    def ref(self) -> TrialRef:
        return TrialRef(self.study_id, self.number, self.attempt)

    def target_params(self, target: str) -> Dict[str, ParamValue]:
        """The parameters of one target without the "target." prefix."""
        prefix = target + "."
        return {k[len(prefix):]: v for k, v in self.params.items() if k.startswith(prefix)}

    @staticmethod
    def from_proto(m: Any) -> "Trial":
        return Trial(
            study_id=m.study_id, number=m.number, attempt=m.attempt, params=params_from_proto(m.params),
            stage_id=m.stage_id, state=TrialState(m.state), data_context=DataContext.from_proto(m.data_context),
            values=dict(m.values), objective_values=tuple(m.objective_values), reason=m.reason,
            worker_id=m.worker_id, sequence=m.sequence, start_time=_time(m.start_time), end_time=_time(m.end_time))


@dataclass(frozen=True)
class TradeRecord:
    """One round trip, as the server's metrics expect it. side is +1 (long) or -1 (short)."""

    entry_bar: int
    exit_bar: int
    side: int
    size: float
    entry_price: float
    exit_price: float
    ret: float
    pnl: float


@dataclass(frozen=True)
class BacktestRecord:
    """What a backtest produced, for the server to compute metrics from (sent instead of, or beside, values)."""

    equity: Sequence[float]
    trades: Sequence[TradeRecord] = ()
    timestamps_unix_ms: Sequence[int] = ()
    regime_labels: Sequence[int] = ()
    position: Sequence[float] = ()
    start_bar: int = 0

    def to_proto(self) -> Any:
        side = {1: pb.TRADE_SIDE_LONG, -1: pb.TRADE_SIDE_SHORT}
        trades = [pb.Trade(entry_bar=t.entry_bar, exit_bar=t.exit_bar, side=side.get(int(t.side), 0), size=t.size,
                           entry_price=t.entry_price, exit_price=t.exit_price, pnl=t.pnl, **{"return": t.ret})
                  for t in self.trades]
        return pb.BacktestRecord(
            equity=np.asarray(self.equity, dtype=float).tolist(), trades=trades,
            timestamps_unix_ms=[int(x) for x in self.timestamps_unix_ms],
            regime_labels=[int(x) for x in self.regime_labels],
            position=np.asarray(self.position, dtype=float).tolist(), start_bar=self.start_bar)


@dataclass(frozen=True)
class TrialOutcome:
    """What an evaluation reports: objective values, a backtest record, an error, pruned, or a refusal
    (``infeasible_reason``: the assignment was not evaluated because the client refuses it, e.g. a rule's own
    ``validate_parameters``; the server records the trial INFEASIBLE and never evaluates it again on a discrete space)."""

    values: Mapping[str, float] = field(default_factory=dict)
    record: Optional[BacktestRecord] = None
    error_message: Optional[str] = None
    error_type: Optional[str] = None
    pruned: bool = False
    duration: Optional[timedelta] = None
    infeasible_reason: Optional[str] = None

    @property
    def is_failure(self) -> bool:
        return self.error_message is not None

    @staticmethod
    def of(values: Optional[Mapping[str, float]] = None, **named: float) -> "TrialOutcome":
        """``TrialOutcome.of(sharpe_ratio=1.3)`` or ``TrialOutcome.of({"sharpe_ratio": 1.3})``."""
        merged = {**(values or {}), **named}
        return TrialOutcome(values={k: float(v) for k, v in merged.items()})

    @staticmethod
    def from_record(record: BacktestRecord, values: Optional[Mapping[str, float]] = None) -> "TrialOutcome":
        return TrialOutcome(values={k: float(v) for k, v in (values or {}).items()}, record=record)

    @staticmethod
    def failure(error: "BaseException | str", error_type: Optional[str] = None) -> "TrialOutcome":
        """From an exception (message with its traceback's last frames, type name) or a message."""
        if isinstance(error, BaseException):
            tb = "".join(traceback.format_exception(type(error), error, error.__traceback__, limit=-3))
            return TrialOutcome(error_message=f"{error}\n{tb}".strip(),
                                error_type=error_type or f"{type(error).__module__}.{type(error).__qualname__}")
        return TrialOutcome(error_message=str(error), error_type=error_type or "")

    @staticmethod
    def infeasible(reason: str) -> "TrialOutcome":
        """The client refuses the assignment (recorded INFEASIBLE with ``reason``, not FAILED)."""
        return TrialOutcome(infeasible_reason=str(reason) or "refused")

    @staticmethod
    def pruned_outcome(values: Optional[Mapping[str, float]] = None) -> "TrialOutcome":
        return TrialOutcome(values=dict(values or {}), pruned=True)

    def with_duration(self, duration: timedelta) -> "TrialOutcome":
        if self.duration is not None:
            return self
        return TrialOutcome(self.values, self.record, self.error_message, self.error_type, self.pruned, duration,
                            self.infeasible_reason)

    def to_proto(self) -> Any:
        out = pb.TrialOutcome(values=dict(self.values), pruned=self.pruned)
        if self.record is not None:
            out.record.CopyFrom(self.record.to_proto())
        if self.error_message is not None:
            out.error.CopyFrom(pb.TrialError(message=self.error_message, type=self.error_type or ""))
        if self.duration is not None:
            out.duration.FromTimedelta(self.duration)
        if self.infeasible_reason is not None:
            out.infeasible_reason = self.infeasible_reason
        return out


@dataclass(frozen=True)
class TrialCounts:
    pending: int = 0
    running: int = 0
    completed: int = 0
    infeasible: int = 0
    failed: int = 0
    pruned: int = 0

    @property
    def finished(self) -> int:
        return self.completed + self.infeasible + self.failed + self.pruned

    @staticmethod
    def from_proto(m: Any) -> "TrialCounts":
        return TrialCounts(m.pending, m.running, m.completed, m.infeasible, m.failed, m.pruned)


@dataclass(frozen=True)
class Objective:
    """One objective of a stage: the metric and whether larger is better (None: the metric's own direction)."""

    metric: str
    maximize: Optional[bool] = None

    @staticmethod
    def from_proto(m: Any) -> "Objective":
        maximize = {pb.DIRECTION_MAXIMIZE: True, pb.DIRECTION_MINIMIZE: False}.get(m.direction)
        return Objective(m.metric, maximize)


@dataclass(frozen=True)
class Stage:
    stage_id: str
    index: int
    name: str
    targets: Tuple[str, ...]
    state: StageState
    fixed_params: Dict[str, ParamValue]
    best_trial: Optional[Trial]
    counts: TrialCounts
    max_trials: int
    data_context: DataContext
    regime: str = ""
    window_index: Optional[int] = None
    skip_reason: str = ""
    #: The most trials the stage will issue (budget, grid size, population x generations); 0 when unbounded.
    planned_trials: int = 0
    #: On a cross-regime validation stage: the regime whose winner it scores on the regime of its data context.
    winner_of_regime: str = ""
    objectives: Tuple[Objective, ...] = ()

    @staticmethod
    def from_proto(m: Any) -> "Stage":
        return Stage(
            stage_id=m.stage_id, index=m.index, name=m.name, targets=tuple(m.targets), state=StageState(m.state),
            fixed_params=params_from_proto(m.fixed_params),
            best_trial=Trial.from_proto(m.best_trial) if m.HasField("best_trial") else None,
            counts=TrialCounts.from_proto(m.counts), max_trials=m.max_trials,
            data_context=DataContext.from_proto(m.data_context), regime=m.regime,
            window_index=m.window_index if m.HasField("window_index") else None, skip_reason=m.skip_reason,
            planned_trials=m.planned_trials, winner_of_regime=m.winner_of_regime,
            objectives=tuple(Objective.from_proto(o) for o in m.objectives))


@dataclass(frozen=True)
class FailureReason:
    """One reason the study's trials failed for (the first line of the trials' reason), and how many did."""

    reason: str
    count: int

    @staticmethod
    def from_proto(m: Any) -> "FailureReason":
        return FailureReason(m.reason, m.count)


@dataclass(frozen=True)
class Study:
    """A study's state; ``spec`` is the StudySpec message as stored by the server. ``owner`` is the id of the key
    (or token subject) that created it; empty on a server without authentication. ``failure_reasons`` are the most
    common reasons of its FAILED trials, most frequent first (at most 5)."""

    study_id: str
    state: StudyState
    counts: TrialCounts
    best_trial: Optional[Trial]
    stages: Tuple[Stage, ...]
    last_sequence: int
    state_reason: str
    display_name: str
    create_time: Optional[datetime]
    update_time: Optional[datetime]
    owner: str = ""
    spec: Any = field(repr=False, compare=False, default=None)
    failure_reasons: Tuple[FailureReason, ...] = ()

    @staticmethod
    def from_proto(m: Any) -> "Study":
        return Study(
            study_id=m.study_id, state=StudyState(m.state), counts=TrialCounts.from_proto(m.counts),
            best_trial=Trial.from_proto(m.best_trial) if m.HasField("best_trial") else None,
            stages=tuple(Stage.from_proto(s) for s in m.stages), last_sequence=m.last_sequence,
            state_reason=m.state_reason, display_name=m.spec.display_name,
            create_time=_time(m.create_time), update_time=_time(m.update_time), owner=m.owner, spec=m.spec,
            failure_reasons=tuple(FailureReason.from_proto(f) for f in m.failure_reasons))


@dataclass(frozen=True)
class StudyEvent:
    """One entry of a study's event log. kind is the oneof name ("trial_finished", "new_best", ...)."""

    study_id: str
    sequence: int
    time: Optional[datetime]
    kind: str
    trial: Optional[Trial] = None
    stage: Optional[Stage] = None
    state: Optional[StudyState] = None
    previous_state: Optional[StudyState] = None
    reason: str = ""
    failure_reasons: Tuple[FailureReason, ...] = ()

    @staticmethod
    def from_proto(m: Any) -> "StudyEvent":
        kind = m.WhichOneof("kind") or ""
        base = dict(study_id=m.study_id, sequence=m.sequence, time=_time(m.time), kind=kind)
        if kind == "trial_finished":
            return StudyEvent(**base, trial=Trial.from_proto(m.trial_finished.trial))
        if kind == "new_best":
            return StudyEvent(**base, trial=Trial.from_proto(m.new_best.trial))
        if kind in ("stage_started", "stage_completed"):
            return StudyEvent(**base, stage=Stage.from_proto(getattr(m, kind).stage))
        if kind == "study_state_changed":
            c = m.study_state_changed
            return StudyEvent(**base, state=StudyState(c.state), previous_state=StudyState(c.previous_state),
                              reason=c.reason, failure_reasons=tuple(FailureReason.from_proto(f) for f in c.failure_reasons))
        return StudyEvent(**base)


@dataclass(frozen=True)
class TellResult:
    status: TellStatus
    trial: Trial


@dataclass(frozen=True)
class AskResult:
    trials: List[Trial]
    study_finished: bool
    study_state: StudyState


@dataclass(frozen=True)
class TrialPage:
    trials: List[Trial]
    next_page_token: str
    last_sequence: int
