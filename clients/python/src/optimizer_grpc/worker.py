"""Worker: evaluates trials pushed over the Work stream, ``capacity`` at a time.

Protocol: hello -> welcome; then assignments down, results (batched) and heartbeats up, one ack per result, and
study_done per finished study. ``run()`` returns when every served study is done and every result acknowledged.
A dropped stream is reopened with capped exponential backoff; evaluations keep running meanwhile and results not
yet acknowledged are sent again (the server acknowledges duplicates and ignores them).
"""
from __future__ import annotations

import concurrent.futures as cf
import logging
import os
import queue
import socket
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Callable, Dict, Iterator, Mapping, Optional, Sequence, Union

import grpc

from optimizer_grpc._backoff import TRANSIENT, Backoff
from optimizer_grpc._pb import pb
from optimizer_grpc.client import Client
from optimizer_grpc.errors import from_rpc_error
from optimizer_grpc.model import StudyState, TellStatus, Trial, TrialOutcome, TrialRef

logger = logging.getLogger(__name__)

EvaluateResult = Union[TrialOutcome, Mapping[str, float]]
Evaluate = Callable[[Trial], EvaluateResult]

_MAX_RESULTS_PER_MESSAGE = 1024


@dataclass(frozen=True)
class WorkerCounters:
    evaluated: int
    failed: int
    reconnects: int
    running: int
    unacknowledged: int


def _evaluate(fn: Evaluate, trial: Trial) -> TrialOutcome:
    """Runs in the pool (a thread or a child process): exceptions become failed outcomes, duration is measured."""
    start = time.perf_counter()
    try:
        result = fn(trial)
        if result is None:
            outcome = TrialOutcome.failure("the evaluation function returned None", "TypeError")
        elif isinstance(result, TrialOutcome):
            outcome = result
        elif isinstance(result, Mapping):
            outcome = TrialOutcome.of(result)
        else:
            outcome = TrialOutcome.failure(
                f"the evaluation function must return a TrialOutcome or a dict of values, got {type(result).__name__}",
                "TypeError")
    except Exception as e:  # noqa: BLE001 - any failure of user code is the trial's outcome
        outcome = TrialOutcome.failure(e)
    return outcome.with_duration(timedelta(seconds=time.perf_counter() - start))


def _default_worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


class Worker:
    """``Worker(client, [study_id], fn, capacity=4).run()``; ``fn(trial)`` returns a TrialOutcome or a dict."""

    def __init__(self, client: Client, study_ids: Union[str, Sequence[str]], fn: Evaluate, capacity: Optional[int] = None,
                 use_processes: bool = False, worker_id: Optional[str] = None,
                 labels: Optional[Mapping[str, str]] = None, initial_reconnect_delay: float = 0.2,
                 max_reconnect_delay: float = 30.0, default_heartbeat_interval: float = 10.0) -> None:
        ids = [study_ids] if isinstance(study_ids, str) else list(dict.fromkeys(study_ids))
        if not ids or any(not s for s in ids):
            raise ValueError("give at least one study id, none empty")
        capacity = capacity if capacity is not None else (os.cpu_count() or 1)
        if not 1 <= capacity <= 10_000:
            raise ValueError(f"capacity must be in [1, 10000], got {capacity}")
        if not 0 < initial_reconnect_delay <= max_reconnect_delay or default_heartbeat_interval <= 0:
            raise ValueError("delays must be > 0 and max_reconnect_delay >= initial_reconnect_delay")
        self.client, self.study_ids, self.fn, self.capacity = client, ids, fn, capacity
        self.use_processes = use_processes
        self.worker_id = worker_id or _default_worker_id()
        self.labels = dict(labels or {})
        self._backoff = Backoff(initial_reconnect_delay, max_reconnect_delay)
        self._default_heartbeat = default_heartbeat_interval
        self._lock = threading.Lock()
        self._running: Dict[TrialRef, cf.Future] = {}
        self._unacked: Dict[TrialRef, Any] = {}
        self._done: Dict[str, StudyState] = {}
        self._outgoing: Optional["queue.Queue[Any]"] = None
        self._call: Any = None
        self._stopping = threading.Event()
        self._evaluated = self._failed = self._reconnects = 0
        self._started = False

    @property
    def counters(self) -> WorkerCounters:
        with self._lock:
            return WorkerCounters(self._evaluated, self._failed, self._reconnects, len(self._running), len(self._unacked))

    @property
    def done_studies(self) -> Dict[str, StudyState]:
        with self._lock:
            return dict(self._done)

    def stop(self) -> None:
        """Ends ``run()`` soon: the stream is cancelled, running evaluations are abandoned (their leases expire)."""
        self._stopping.set()
        call = self._call
        if call is not None:
            call.cancel()

    def run(self) -> None:
        """Serves the studies until all are done (or ``stop()``). Non-transient errors raise OptimizerError."""
        if self._started:
            raise RuntimeError("run() can be called once per worker")
        self._started = True
        executor_type = cf.ProcessPoolExecutor if self.use_processes else cf.ThreadPoolExecutor
        self._executor = executor_type(max_workers=self.capacity)
        try:
            while not self._stopping.is_set():
                try:
                    if self._session():
                        return
                except grpc.RpcError as e:
                    if self._stopping.is_set():
                        return
                    if e.code() not in TRANSIENT:
                        raise from_rpc_error(e) from None
                    logger.warning("work stream dropped (%s: %s); reconnecting", e.code().name, e.details())
                if self._stopping.is_set():
                    return
                with self._lock:
                    self._reconnects += 1
                self._stopping.wait(self._backoff.next())
        finally:
            self._executor.shutdown(wait=not self._stopping.is_set(), cancel_futures=self._stopping.is_set())

    # One Work stream, from hello to its end. True when the worker is finished.
    def _session(self) -> bool:
        outgoing: "queue.Queue[Any]" = queue.Queue()
        outgoing.put(pb.WorkRequest(hello=pb.WorkerHello(
            worker_id=self.worker_id, capacity=self.capacity, study_ids=self.study_ids, labels=self.labels)))
        with self._lock:
            # Published before the snapshot of unacknowledged results: a result finishing meanwhile is in the
            # snapshot or sent directly (maybe both; duplicates are harmless).
            self._outgoing = outgoing
            for result in self._unacked.values():
                outgoing.put(_results_message([result]))
        session_over = threading.Event()
        heartbeat: Optional[threading.Thread] = None
        call = self.client.stub.Work(_requests(outgoing))
        self._call = call
        try:
            for response in call:
                kind = response.WhichOneof("kind")
                if kind == "welcome":
                    self._backoff.reset()
                    hb = response.welcome.heartbeat_interval
                    interval = hb.ToTimedelta().total_seconds() if (hb.seconds or hb.nanos) else self._default_heartbeat
                    if heartbeat is None:
                        heartbeat = threading.Thread(target=self._heartbeats, args=(outgoing, interval, session_over),
                                                     name="optimizer-heartbeat", daemon=True)
                        heartbeat.start()
                elif kind == "assignments":
                    for assignment in response.assignments.assignments:
                        self._assign(assignment.trial)
                elif kind == "acks":
                    for ack in response.acks.acks:
                        self._acknowledge(ack)
                elif kind == "study_done":
                    with self._lock:
                        self._done[response.study_done.study_id] = StudyState(response.study_done.state)
                if self._finished():
                    return True
            return self._finished()
        finally:
            session_over.set()
            with self._lock:
                if self._outgoing is outgoing:
                    self._outgoing = None
            outgoing.put(None)
            call.cancel()
            self._call = None

    def _finished(self) -> bool:
        with self._lock:
            return all(s in self._done for s in self.study_ids) and not self._running and not self._unacked

    def _assign(self, message: Any) -> None:
        trial = Trial.from_proto(message)
        key = trial.ref
        with self._lock:
            if key in self._unacked:
                self._send(_results_message([self._unacked[key]]))  # the server missed our result; repeat it
                return
            if key in self._running:
                return
            future = self._executor.submit(_evaluate, self.fn, trial)
            self._running[key] = future
        future.add_done_callback(lambda f, key=key: self._completed(key, f))

    def _completed(self, key: TrialRef, future: cf.Future) -> None:
        if future.cancelled():
            with self._lock:
                self._running.pop(key, None)
            return
        try:
            outcome = future.result()
        except Exception as e:  # noqa: BLE001 - a broken process pool, an unpicklable fn or result
            outcome = TrialOutcome.failure(e)
        result = pb.TrialResult(study_id=key.study_id, trial_number=key.trial_number, attempt=key.attempt,
                                outcome=outcome.to_proto())
        with self._lock:
            # Recorded as unacknowledged before leaving _running, so _finished never sees neither.
            self._unacked[key] = result
            self._running.pop(key, None)
            self._evaluated += 1
            self._failed += outcome.is_failure
            self._send(_results_message([result]))
        if outcome.is_failure:
            logger.info("trial %s #%d failed: %s", key.study_id, key.trial_number,
                        (outcome.error_message or "").splitlines()[0] if outcome.error_message else "")

    def _acknowledge(self, ack: Any) -> None:
        key = TrialRef(ack.trial.study_id, ack.trial.trial_number, ack.trial.attempt)
        with self._lock:
            self._unacked.pop(key, None)
        status = TellStatus(ack.status)
        if status in (TellStatus.EXPIRED, TellStatus.REJECTED):
            logger.warning("result of %s #%d attempt %d not accepted (%s): %s", key.study_id, key.trial_number,
                           key.attempt, status.name, ack.message)

    def _send(self, request: Any) -> None:
        # Callers hold the lock, so a session's queue is never swapped mid-send.
        if self._outgoing is not None:
            self._outgoing.put(request)

    def _heartbeats(self, outgoing: "queue.Queue[Any]", interval: float, over: threading.Event) -> None:
        while not over.wait(interval):
            with self._lock:
                running = [pb.TrialRef(study_id=k.study_id, trial_number=k.trial_number, attempt=k.attempt)
                           for k in self._running]
            outgoing.put(pb.WorkRequest(heartbeat=pb.WorkerHeartbeat(running=running)))


def _results_message(results: Sequence[Any]) -> Any:
    return pb.WorkRequest(results=pb.TrialResults(results=list(results)))


_NOTHING = object()


def _requests(outgoing: "queue.Queue[Any]") -> Iterator[Any]:
    """The request stream; None ends it. Results queued together ride in one message (per-message cost)."""
    while True:
        item = outgoing.get()
        if item is None:
            return
        held: Any = _NOTHING
        if item.WhichOneof("kind") == "results":
            while len(item.results.results) < _MAX_RESULTS_PER_MESSAGE:
                try:
                    nxt = outgoing.get_nowait()
                except queue.Empty:
                    break
                if nxt is not None and nxt.WhichOneof("kind") == "results":
                    item.results.results.extend(nxt.results.results)
                else:
                    held = nxt  # a heartbeat or the end marker: sent after the batch, in order
                    break
        yield item
        if held is None:
            return
        if held is not _NOTHING:
            yield held
