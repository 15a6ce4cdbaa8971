"""How a Client reaches the server: the address's scheme (cleartext or TLS), the CA, and the credentials sent as
metadata on every call.

Credentials ride in an interceptor rather than in grpc call credentials because gRPC only attaches call
credentials to secure channels, and a key must also work on a cleartext loopback channel.
"""
from __future__ import annotations

import collections
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional, Sequence, Tuple, Union

import grpc

API_KEY_ENV = "OPTIMIZER_API_KEY"
TOKEN_ENV = "OPTIMIZER_TOKEN"
TLS_CA_ENV = "OPTIMIZER_TLS_CA"

RootCertificates = Union[str, "os.PathLike[str]", bytes, None]

_PEM_START = "-----BEGIN"


@dataclass(frozen=True)
class Endpoint:
    """Where and how to connect: ``target`` is host:port without a scheme (what grpc wants)."""

    target: str
    tls: bool
    root_certificates: Optional[bytes] = field(default=None, repr=False)


def endpoint(address: str, root_certificates: RootCertificates = None) -> Endpoint:
    """``host:port`` and ``http://host:port`` are cleartext, ``https://host:port`` is TLS. An explicit
    ``root_certificates`` (a PEM file path or PEM bytes) also turns TLS on for an address without a scheme.
    $OPTIMIZER_TLS_CA is only a fallback CA for https addresses: an environment variable never switches a
    cleartext address to TLS (a LocalServer on loopback keeps working with it set)."""
    if not address or not address.strip():
        raise ValueError("address must be host:port, http://host:port or https://host:port")
    address = address.strip()
    scheme, sep, rest = address.partition("://")
    if not sep:
        scheme, rest = "", address
    scheme = scheme.lower()
    if scheme not in ("", "http", "https"):
        raise ValueError(f"address scheme must be http or https, got {scheme!r} in {address!r}")
    target = rest.rstrip("/")
    if not target or "/" in target:
        raise ValueError(f"address must be host:port after the scheme, got {address!r}")
    if scheme == "http" and root_certificates is not None:
        raise ValueError(f"root_certificates were given for the cleartext address {address!r}: use https://")
    tls = scheme == "https" or root_certificates is not None
    if tls and root_certificates is None:
        root_certificates = os.environ.get(TLS_CA_ENV) or None
    return Endpoint(target, tls, _pem(root_certificates) if tls and root_certificates is not None else None)


def _pem(value: Union[str, "os.PathLike[str]", bytes]) -> bytes:
    if isinstance(value, bytes):
        return value
    text = os.fspath(value)
    if text.lstrip().startswith(_PEM_START):
        return text.encode("ascii")
    path = Path(text)
    if not path.is_file():
        raise FileNotFoundError(f"root certificates file {path} does not exist")
    return path.read_bytes()


def open_channel(where: Endpoint, options: Sequence[Tuple[str, Any]]) -> grpc.Channel:
    if where.tls:
        return grpc.secure_channel(where.target, grpc.ssl_channel_credentials(root_certificates=where.root_certificates),
                                   options=options)
    return grpc.insecure_channel(where.target, options=options)


class Credentials:
    """The metadata a client sends on every call. ``kind`` is "api key", "bearer token" or "none"; the secret
    itself has no public attribute and is never part of ``repr``."""

    def __init__(self, api_key: Optional[str] = None, token: Optional[str] = None) -> None:
        # An explicit argument (even "", meaning none) wins over the environment, so a caller can opt out.
        if api_key is not None and token is not None:
            if api_key and token:
                raise ValueError("give api_key or token, not both")
        elif api_key is None and token is None:
            api_key, token = os.environ.get(API_KEY_ENV) or None, os.environ.get(TOKEN_ENV) or None
            if api_key and token:
                token = None  # both in the environment: the key, as documented
        api_key, token = (api_key or "").strip(), (token or "").strip()
        if token.lower().startswith("bearer "):
            token = token[len("bearer "):].strip()
        if api_key:
            _check_header_value("api_key", api_key)
            self.kind, self._metadata = "api key", (("x-api-key", api_key),)
        elif token:
            _check_header_value("token", token)
            self.kind, self._metadata = "bearer token", (("authorization", "Bearer " + token),)
        else:
            self.kind, self._metadata = "none", ()

    def __repr__(self) -> str:
        return f"Credentials({self.kind})"

    def intercept(self, channel: grpc.Channel) -> grpc.Channel:
        return grpc.intercept_channel(channel, _MetadataInterceptor(self._metadata)) if self._metadata else channel


def _check_header_value(name: str, value: str) -> None:
    # gRPC refuses non-printable metadata with an opaque error; say which argument is wrong, never its value.
    if not all(" " <= c <= "~" for c in value):
        raise ValueError(f"{name} must be printable ASCII (no spaces at its ends, no control characters)")


class _CallDetails(collections.namedtuple("_CallDetails", ("method", "timeout", "metadata", "credentials",
                                                          "wait_for_ready", "compression")),
                   grpc.ClientCallDetails):
    pass


class _MetadataInterceptor(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor,
                           grpc.StreamUnaryClientInterceptor, grpc.StreamStreamClientInterceptor):
    def __init__(self, metadata: Tuple[Tuple[str, str], ...]) -> None:
        self._metadata = metadata

    def __repr__(self) -> str:
        return "_MetadataInterceptor(...)"

    def _details(self, d: grpc.ClientCallDetails) -> grpc.ClientCallDetails:
        metadata = tuple(d.metadata or ()) + self._metadata
        return _CallDetails(d.method, d.timeout, metadata, d.credentials, getattr(d, "wait_for_ready", None),
                            getattr(d, "compression", None))

    def intercept_unary_unary(self, continuation: Callable[..., Any], details: grpc.ClientCallDetails, request: Any) -> Any:
        return continuation(self._details(details), request)

    def intercept_unary_stream(self, continuation: Callable[..., Any], details: grpc.ClientCallDetails, request: Any) -> Any:
        return continuation(self._details(details), request)

    def intercept_stream_unary(self, continuation: Callable[..., Any], details: grpc.ClientCallDetails, requests: Any) -> Any:
        return continuation(self._details(details), requests)

    def intercept_stream_stream(self, continuation: Callable[..., Any], details: grpc.ClientCallDetails, requests: Any) -> Any:
        return continuation(self._details(details), requests)
