"""Capped exponential backoff with jitter, and which stream failures are worth retrying."""
from __future__ import annotations

import random

import grpc

# UNAVAILABLE: server down or restarting; INTERNAL/ABORTED/UNKNOWN: a broken HTTP/2 stream. Anything else
# (NOT_FOUND, INVALID_ARGUMENT, ...) would fail again and is surfaced.
TRANSIENT = frozenset({grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.INTERNAL, grpc.StatusCode.ABORTED,
                       grpc.StatusCode.UNKNOWN, grpc.StatusCode.CANCELLED})


class Backoff:
    """Delay in seconds, random in [ceiling/2, ceiling] with ceiling = min(maximum, initial * 2^attempt)."""

    def __init__(self, initial: float = 0.2, maximum: float = 30.0) -> None:
        self.initial, self.maximum, self._attempt = initial, maximum, 0

    def next(self) -> float:
        ceiling = min(self.maximum, self.initial * 2 ** min(self._attempt, 30))
        self._attempt += 1
        return ceiling * (0.5 + random.random() * 0.5)

    def reset(self) -> None:
        self._attempt = 0
