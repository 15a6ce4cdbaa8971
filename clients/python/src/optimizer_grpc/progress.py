"""A study's progress, fed by its WatchStudy events on a background thread.

On a terminal the bar is redrawn in place (``\\r``); elsewhere (logs, CI, pytest) a plain line is written every
``interval`` seconds and once at the end, so logs stay readable. The budget is the sum of the stages' trial budgets
(stages appear as the server starts them: regimes, walk-forward windows); a grid without a budget has none until
its stage reports one, and then no percentage or ETA is shown.
"""
from __future__ import annotations

import math
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Optional, TextIO

from optimizer_grpc.model import Stage, StudyEvent, TrialState

_BAR_WIDTH = 24


@dataclass
class ProgressState:
    """What the bar shows. ``budgets`` maps stage id to its trial budget (0: unknown)."""

    metric: str = ""
    maximize: bool = True
    finished: int = 0
    failed: int = 0
    #: FAILED trials by reason (the first line of the trial's reason), in the order first seen.
    failure_reasons: Dict[str, int] = field(default_factory=dict)
    best: Optional[float] = None
    budgets: Dict[str, int] = field(default_factory=dict)
    stages_done: int = 0
    started: float = 0.0
    done: bool = False
    #: A stage's budget from its Stage message: the server's planned_trials (budget, grid size, population x generations).
    budget_of: Callable[[Stage], int] = field(default=lambda stage: stage.planned_trials, repr=False)

    @property
    def total(self) -> Optional[int]:
        """The trial budget, or None while any known stage has no budget."""
        if not self.budgets or any(b <= 0 for b in self.budgets.values()):
            return None
        return sum(self.budgets.values())

    def eta(self, now: float) -> Optional[float]:
        """Seconds left at the mean rate so far; None without a budget or a finished trial."""
        total = self.total
        if total is None or self.finished == 0:
            return None
        return max(0.0, (now - self.started) / self.finished * (total - self.finished))

    def apply(self, event: StudyEvent) -> None:
        if event.kind == "trial_finished" and event.trial is not None:
            self.finished += 1
            if event.trial.state == TrialState.FAILED:
                self.failed += 1
                reason = event.trial.reason.split("\n", 1)[0].strip()
                self.failure_reasons[reason] = self.failure_reasons.get(reason, 0) + 1
        elif event.kind == "new_best" and event.trial is not None:
            value = event.trial.values.get(self.metric)
            if value is None and event.trial.objective_values:
                value = event.trial.objective_values[0]
            if value is not None and (self.best is None or (value > self.best) == self.maximize):
                self.best = value
        elif event.kind == "stage_started" and event.stage is not None:
            self.budgets[event.stage.stage_id] = self.budget_of(event.stage)
        elif event.kind == "stage_completed" and event.stage is not None:
            self.stages_done += 1
            # A finished stage's real count replaces its budget (a grid ends when exhausted, a stage may stop early).
            self.budgets[event.stage.stage_id] = event.stage.counts.finished
        elif event.kind == "study_state_changed" and event.state is not None and event.state.is_terminal:
            self.done = True


def _duration(seconds: Optional[float]) -> str:
    if seconds is None or not math.isfinite(seconds):
        return "?"
    seconds = int(round(seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}" if seconds >= 3600 else f"{seconds // 60}:{seconds % 60:02d}"


def _most_common(reasons: Dict[str, int], width: int = 60) -> str:
    """" (most common: <reason>)" cut to ``width`` characters, or "" without reasons."""
    if not reasons:
        return ""
    reason = max(reasons.items(), key=lambda item: item[1])[0]  # ties: the first seen
    if not reason:
        return ""
    return f" (most common: {reason if len(reason) <= width else reason[:width - 1] + '…'})"


def render(state: ProgressState, now: float, bar: bool) -> str:
    """One progress line: with ``bar`` the in-place form for terminals, else the plain form for logs."""
    total = state.total
    best = f"best {state.metric or 'score'} {state.best:.6g}" if state.best is not None else "best -"
    failed = f", {state.failed} failed{_most_common(state.failure_reasons)}" if state.failed else ""
    elapsed = _duration(now - state.started)
    if bar:
        if total:
            filled = min(_BAR_WIDTH, int(_BAR_WIDTH * state.finished / total))
            meter = "[" + "#" * filled + "." * (_BAR_WIDTH - filled) + f"] {state.finished}/{total}"
            meter += f" {100 * state.finished / total:3.0f}%"
        else:
            meter = f"[{'?' * _BAR_WIDTH}] {state.finished}"
        return f"{meter} | {best} | {elapsed} elapsed, ETA {_duration(state.eta(now))}{failed}"
    count = f"{state.finished}/{total} trials ({100 * state.finished / total:.0f}%)" if total else f"{state.finished} trials"
    eta = "" if state.done else f", ETA {_duration(state.eta(now))}"
    return f"progress: {count}{failed}, {best}, {elapsed} elapsed{eta}"


class ProgressBar:
    """``with ProgressBar(client, study_id, metric="sharpe_ratio"): Worker(...).run()``.

    ``stream`` defaults to stderr; ``bar`` defaults to ``stream.isatty()``; ``interval`` is the seconds between
    plain lines (the bar is redrawn at most every 0.1 s). ``budget_of(stage)`` gives a stage's trial budget
    (default its planned_trials). ``clock`` is for tests.
    """

    def __init__(self, client: Any, study_id: str, metric: str = "", maximize: bool = True,
                 stream: Optional[TextIO] = None, bar: Optional[bool] = None, interval: float = 10.0,
                 clock: Callable[[], float] = time.monotonic, budget_of: Optional[Callable[[Stage], int]] = None) -> None:
        self.client, self.study_id = client, study_id
        self.stream = stream if stream is not None else sys.stderr
        self.bar = bar if bar is not None else bool(getattr(self.stream, "isatty", lambda: False)())
        self.interval = 0.1 if self.bar else interval
        self.clock = clock
        self.state = ProgressState(metric=metric, maximize=maximize, started=clock())
        if budget_of is not None:
            self.state.budget_of = budget_of
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: Optional[threading.Thread] = None
        self._last_draw = -math.inf if self.bar else self.state.started  # plain lines: the first after one interval
        self._width = 0

    def start(self) -> "ProgressBar":
        self._thread = threading.Thread(target=self._watch, name=f"progress-{self.study_id}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Waits briefly for the study's last events, then draws the final line."""
        if self._thread is not None:
            self._thread.join(timeout=2.0)  # the stream ends by itself once the study is finished
            self._stop.set()
            self._thread.join(timeout=2.0)
        with self._lock:
            self.state.done = True
            self._draw(final=True)

    def __enter__(self) -> "ProgressBar":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def _watch(self) -> None:
        try:
            for event in self.client.watch(self.study_id, include_trials=True, stop=self._stop):
                with self._lock:
                    self.state.apply(event)
                    if self.clock() - self._last_draw >= self.interval:
                        self._draw(final=False)
                if self._stop.is_set():
                    return
        except Exception as e:  # noqa: BLE001 - progress must never break the optimization it reports on
            with self._lock:
                self.stream.write(f"progress: watching stopped ({e})\n")

    def _draw(self, final: bool) -> None:
        now = self.clock()
        self._last_draw = now
        line = render(self.state, now, self.bar)
        if self.bar:
            pad = " " * max(0, self._width - len(line))
            self._width = len(line)
            self.stream.write("\r" + line + pad + ("\n" if final else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()
