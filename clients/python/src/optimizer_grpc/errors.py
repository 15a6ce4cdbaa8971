"""Server errors as Python exceptions, with the google.rpc.BadRequest field violations decoded.

google.rpc protos are not packaged for Debian's python3-protobuf, so the few fields needed (Status.details,
Any, BadRequest.field_violations) are read with a small wire-format decoder.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, List, Optional, Sequence, Tuple

import grpc

_BAD_REQUEST_TYPE = "type.googleapis.com/google.rpc.BadRequest"


@dataclass(frozen=True)
class FieldViolation:
    field: str
    description: str

    def __str__(self) -> str:
        return f"{self.field}: {self.description}"


class OptimizerError(Exception):
    """An RPC failed. ``code`` is the grpc.StatusCode; ``violations`` lists BadRequest field violations."""

    def __init__(self, code: grpc.StatusCode, message: str, violations: Optional[List[FieldViolation]] = None) -> None:
        self.code = code
        self.message = message
        self.violations = list(violations or [])
        text = f"{code.name}: {message}"
        if self.violations:
            text += "".join(f"\n  - {v}" for v in self.violations)
        super().__init__(text)


class InvalidArgumentError(OptimizerError, ValueError):
    """INVALID_ARGUMENT: the request (usually the study spec) is wrong; see ``violations``."""


class NotFoundError(OptimizerError, LookupError):
    """NOT_FOUND: no such study."""


class AlreadyExistsError(OptimizerError):
    """ALREADY_EXISTS: a study with this id exists with a different spec."""


class FailedPreconditionError(OptimizerError):
    """FAILED_PRECONDITION: the study is not in a state that allows the call."""


class UnimplementedError(OptimizerError, NotImplementedError):
    """UNIMPLEMENTED: the server does not support this feature yet (for example a sequence kind)."""


class UnauthenticatedError(OptimizerError):
    """UNAUTHENTICATED: no credentials, or a key or token the server does not accept."""


class PermissionDeniedError(OptimizerError, PermissionError):
    """PERMISSION_DENIED: the key's role does not allow the call, the study belongs to another owner, or the
    result is for a trial leased to another worker or key."""


class OptimizationFailedError(RuntimeError):
    """A run produced no result: its study FAILED (for example its first ``failure_budget`` trials all failed) or
    finished without a single completed trial. The message quotes the study's most common failure reasons;
    ``study_id``, ``state`` (a StudyState), ``state_reason``, ``failed`` (FAILED trials) and ``failure_reasons``
    (``FailureReason(reason, count)``, most frequent first) say the same as values."""

    def __init__(self, study_id: str, state: object, state_reason: str, failed: int,
                 failure_reasons: Sequence[object] = (), infeasible: int = 0) -> None:
        self.study_id, self.state, self.state_reason = study_id, state, state_reason
        self.failed, self.infeasible = failed, infeasible
        self.failure_reasons = list(failure_reasons)
        name = getattr(state, "name", str(state))
        text = f"study {study_id} ended {name} with no completed trial ({failed} failed, {infeasible} infeasible)"
        if state_reason:
            text += f": {state_reason}"
        if self.failure_reasons and "most common:" not in state_reason:
            text += "".join(f"\n  {getattr(f, 'count', '?')} x {getattr(f, 'reason', f)}" for f in self.failure_reasons)
        super().__init__(text)


class DefaultOutsideDomainWarning(UserWarning):
    """A target's current value of a parameter (its default: what a stage that does not search the parameter uses) is
    not a value of the parameter's domain, so the server uses the middle of the domain instead. Turn it into an error
    with ``warnings.simplefilter("error", DefaultOutsideDomainWarning)``."""


class ProtocolError(TypeError):
    """The objects given to a run (data handler, targets' rules, backtest function) lack what the run will call.
    Raised before the study is created; ``problems`` lists every missing piece, one sentence each."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("the run cannot start:\n" + "\n".join(f"  - {p}" for p in self.problems))


_BY_CODE = {
    grpc.StatusCode.INVALID_ARGUMENT: InvalidArgumentError,
    grpc.StatusCode.NOT_FOUND: NotFoundError,
    grpc.StatusCode.ALREADY_EXISTS: AlreadyExistsError,
    grpc.StatusCode.FAILED_PRECONDITION: FailedPreconditionError,
    grpc.StatusCode.UNIMPLEMENTED: UnimplementedError,
    grpc.StatusCode.UNAUTHENTICATED: UnauthenticatedError,
    grpc.StatusCode.PERMISSION_DENIED: PermissionDeniedError,
}


def from_rpc_error(error: grpc.RpcError) -> OptimizerError:
    """Translates a grpc.RpcError raised by a call into the matching OptimizerError."""
    code = error.code() if hasattr(error, "code") else grpc.StatusCode.UNKNOWN
    message = error.details() if hasattr(error, "details") else str(error)
    violations: List[FieldViolation] = []
    for key, value in (error.trailing_metadata() or ()) if hasattr(error, "trailing_metadata") else ():
        if key == "grpc-status-details-bin" and isinstance(value, bytes):
            violations = _violations(value)
    cls = _BY_CODE.get(code, OptimizerError)
    return cls(code, message or "", violations)


def _violations(status_bytes: bytes) -> List[FieldViolation]:
    found: List[FieldViolation] = []
    try:
        for number, detail in _fields(status_bytes):
            if number != 3 or not isinstance(detail, bytes):  # Status.details (repeated Any)
                continue
            any_fields = dict(_fields(detail))
            if any_fields.get(1) != _BAD_REQUEST_TYPE.encode():
                continue
            for n, violation in _fields(any_fields.get(2, b"")):
                if n == 1 and isinstance(violation, bytes):
                    v = dict(_fields(violation))
                    found.append(FieldViolation(_text(v.get(1)), _text(v.get(2))))
    except (IndexError, ValueError):
        pass  # malformed details: the status message still says what went wrong
    return found


def _text(value: object) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else ""


def _varint(data: bytes, i: int) -> Tuple[int, int]:
    result = shift = 0
    while True:
        b = data[i]
        i += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, i
        shift += 7


def _fields(data: bytes) -> Iterator[Tuple[int, object]]:
    """(field number, int or bytes) for each field of a serialized message."""
    i = 0
    while i < len(data):
        key, i = _varint(data, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(data, i)
            yield number, value
        elif wire == 2:
            length, i = _varint(data, i)
            yield number, data[i:i + length]
            i += length
        elif wire == 1:
            i += 8
        elif wire == 5:
            i += 4
        else:
            raise ValueError(f"unsupported wire type {wire}")
