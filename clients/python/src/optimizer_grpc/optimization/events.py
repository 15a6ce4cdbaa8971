"""The spec's event integration: optimization events, a small synchronous event bus, the spec's
OptimizationEventHandler, and live study events relayed from the server's WatchStudy stream.

``OptimizationManager(event_bus=bus)`` emits, while a study runs, ``OptimizationStartedEvent``,
``TrialCompletedEvent`` (every finished trial, whatever its state), ``NewBestEvent``, ``StageCompletedEvent`` and,
when the result is in, ``OptimizationCompletedEvent``. ``OptimizationEventHandler(manager, bus).attach()`` answers
``OptimizationRequestEvent`` with a run and an ``OptimizationResultEvent``, as in the spec.
"""
from __future__ import annotations

import dataclasses
import logging
import threading
from collections import defaultdict
from datetime import datetime, timezone
from enum import Enum
from typing import Any, Callable, DefaultDict, Dict, List, Optional

logger = logging.getLogger("optimizer_grpc.events")


class EventType(str, Enum):
    OPTIMIZATION = "optimization"
    OPTIMIZATION_REQUEST = "optimization_request"
    OPTIMIZATION_RESULT = "optimization_result"
    OPTIMIZATION_STARTED = "optimization_started"
    TRIAL_COMPLETED = "trial_completed"
    NEW_BEST = "new_best"
    STAGE_COMPLETED = "stage_completed"
    OPTIMIZATION_COMPLETED = "optimization_completed"


class Event:
    """An event: its type, a data dict and a UTC timestamp (now when not given)."""

    def __init__(self, event_type: EventType, data: Optional[Dict[str, Any]] = None,
                 timestamp: Optional[datetime] = None) -> None:
        self.event_type = event_type
        self.data: Dict[str, Any] = dict(data or {})
        self.timestamp = timestamp or datetime.now(timezone.utc)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.event_type.value}, {sorted(self.data)})"


class OptimizationEvent(Event):
    """Base class for optimization events."""

    def __init__(self, event_type: EventType = EventType.OPTIMIZATION, data: Optional[Dict[str, Any]] = None,
                 timestamp: Optional[datetime] = None) -> None:
        super().__init__(event_type, data, timestamp)


class OptimizationRequestEvent(OptimizationEvent):
    """Event requesting optimization of one target (the spec's data keys)."""

    def __init__(self, target_name: str, method_name: str, metric_name: str, data_handler: Any = None,
                 timestamp: Optional[datetime] = None) -> None:
        super().__init__(EventType.OPTIMIZATION_REQUEST, {"target_name": target_name, "method_name": method_name,
                                                          "metric_name": metric_name, "data_handler": data_handler},
                         timestamp)


class OptimizationResultEvent(OptimizationEvent):
    """Event containing optimization results."""

    def __init__(self, target_name: str, result: Any, timestamp: Optional[datetime] = None) -> None:
        super().__init__(EventType.OPTIMIZATION_RESULT, {"target_name": target_name, "result": result}, timestamp)


class OptimizationStartedEvent(OptimizationEvent):
    def __init__(self, study_id: str, sequence_name: str, targets: List[str]) -> None:
        super().__init__(EventType.OPTIMIZATION_STARTED,
                         {"study_id": study_id, "sequence_name": sequence_name, "targets": list(targets)})


class TrialCompletedEvent(OptimizationEvent):
    """A trial finished (completed, infeasible, failed or pruned: ``data['trial'].state``)."""

    def __init__(self, study_id: str, trial: Any) -> None:
        super().__init__(EventType.TRIAL_COMPLETED, {"study_id": study_id, "trial": trial})


class NewBestEvent(OptimizationEvent):
    def __init__(self, study_id: str, trial: Any) -> None:
        super().__init__(EventType.NEW_BEST, {"study_id": study_id, "trial": trial, "stage_id": trial.stage_id})


class StageCompletedEvent(OptimizationEvent):
    def __init__(self, study_id: str, stage: Any) -> None:
        super().__init__(EventType.STAGE_COMPLETED, {"study_id": study_id, "stage": stage})


class OptimizationCompletedEvent(OptimizationEvent):
    def __init__(self, study_id: str, result: Any) -> None:
        super().__init__(EventType.OPTIMIZATION_COMPLETED,
                         {"study_id": study_id, "state": result.get("state"), "result": result})


Handler = Callable[[Event], Any]


class EventBus:
    """Synchronous publish/subscribe. Handlers run on the emitting thread, in subscription order; a handler that
    raises is logged and does not stop the others (an observer must never break the run it observes)."""

    def __init__(self) -> None:
        self._handlers: DefaultDict[EventType, List[Handler]] = defaultdict(list)
        self._lock = threading.Lock()

    def subscribe(self, event_type: EventType, handler: Handler) -> Callable[[], None]:
        """Subscribes ``handler``; returns a function that unsubscribes it."""
        with self._lock:
            self._handlers[event_type].append(handler)

        def unsubscribe() -> None:
            with self._lock:
                if handler in self._handlers[event_type]:
                    self._handlers[event_type].remove(handler)
        return unsubscribe

    def emit(self, event: Event) -> None:
        with self._lock:
            handlers = list(self._handlers.get(event.event_type, ()))
        for handler in handlers:
            try:
                handler(event)
            except Exception:  # noqa: BLE001 - see the class docstring
                logger.exception("event handler %r failed on %r", handler, event)


class OptimizationEventHandler:
    """Handler for optimization events (the spec's): runs the requested optimization and emits its result."""

    def __init__(self, optimization_manager: Any, event_bus: Optional[EventBus] = None,
                 sequence_name: str = "sequential") -> None:
        self.optimization_manager = optimization_manager
        self.event_bus = event_bus
        self.sequence_name = sequence_name

    def attach(self, event_bus: Optional[EventBus] = None) -> Callable[[], None]:
        """Subscribes to OPTIMIZATION_REQUEST on ``event_bus`` (default: the handler's own)."""
        self.event_bus = event_bus or self.event_bus
        if self.event_bus is None:
            raise ValueError("no event bus to attach to")
        return self.event_bus.subscribe(EventType.OPTIMIZATION_REQUEST, self.on_optimization_request)

    def on_optimization_request(self, event: Event) -> Any:
        target_name = event.data["target_name"]
        method_name = event.data["method_name"]
        metric_name = event.data["metric_name"]
        data_handler = event.data["data_handler"]
        result = self.optimization_manager.run_optimization(
            sequence_name=self.sequence_name,
            targets=[target_name],
            methods={target_name: method_name},
            metrics={target_name: metric_name},
            data_handler=data_handler,
        )
        if self.event_bus is not None:
            self.event_bus.emit(OptimizationResultEvent(target_name, result))
        return result


class StudyEventRelay:
    """Relays a study's WatchStudy events to an event bus on a background thread, while the study runs; ``rename``
    gives trials' parameters the spec's names ("target.rule.param")."""

    _KINDS = {"trial_finished": TrialCompletedEvent, "new_best": NewBestEvent, "stage_completed": StageCompletedEvent}

    def __init__(self, client: Any, study_id: str, bus: EventBus, rename: Optional[Callable[[str], str]] = None) -> None:
        self.client, self.study_id, self.bus, self.rename = client, study_id, bus, rename
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._relay, name=f"events-{study_id}", daemon=True)

    def __enter__(self) -> "StudyEventRelay":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._thread.join(timeout=5.0)  # the stream ends by itself once the study is finished
        self._stop.set()
        self._thread.join(timeout=2.0)

    def _relay(self) -> None:
        try:
            for event in self.client.watch(self.study_id, include_trials=True, stop=self._stop):
                kind = self._KINDS.get(event.kind)
                if kind is not None:
                    trial = event.trial
                    if trial is not None and self.rename is not None:
                        trial = dataclasses.replace(trial, params={self.rename(k): v for k, v in trial.params.items()})
                    self.bus.emit(kind(self.study_id, event.stage if event.kind == "stage_completed" else trial))
                if self._stop.is_set():
                    return
        except Exception:  # noqa: BLE001 - events must never break the optimization they report on
            logger.exception("relaying events of study %s stopped", self.study_id)
