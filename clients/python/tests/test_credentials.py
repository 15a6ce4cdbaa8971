"""What a Client sends: the metadata on every kind of call (checked by a tiny in-process gRPC server that echoes the
headers it received), how addresses and CAs are read, and that the secret stays out of repr.

The real server's answers to these headers are in test_security.py.
"""
from __future__ import annotations

from concurrent import futures

import grpc
import pytest

from optimizer_grpc import Client, OptimizationManager, PermissionDeniedError, UnauthenticatedError
from optimizer_grpc._connection import endpoint
from optimizer_grpc._pb import pb
from optimizer_grpc.errors import from_rpc_error

_HEADERS = ("x-api-key", "authorization")


def _seen(context) -> str:
    metadata = dict(context.invocation_metadata())
    return ";".join(f"{h}={metadata[h]}" for h in _HEADERS if h in metadata)


def _get_study(request, context):
    return pb.GetStudyResponse(study=pb.Study(study_id=_seen(context)))


def _watch_study(request, context):
    yield pb.WatchStudyResponse(event=pb.StudyEvent(study_id=_seen(context), sequence=1))


def _work(requests, context):
    next(requests)  # the hello
    yield pb.WorkResponse(study_done=pb.StudyDone(study_id=_seen(context)))


@pytest.fixture(scope="module")
def echo_address():
    handlers = {
        "GetStudy": grpc.unary_unary_rpc_method_handler(
            _get_study, pb.GetStudyRequest.FromString, pb.GetStudyResponse.SerializeToString),
        "WatchStudy": grpc.unary_stream_rpc_method_handler(
            _watch_study, pb.WatchStudyRequest.FromString, pb.WatchStudyResponse.SerializeToString),
        "Work": grpc.stream_stream_rpc_method_handler(
            _work, pb.WorkRequest.FromString, pb.WorkResponse.SerializeToString),
    }
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler("optimizer.v1.OptimizerService", handlers),))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    yield f"127.0.0.1:{port}"
    server.stop(grace=None)


def _sent(client: Client) -> tuple:
    unary = client.get_study("s").study_id
    streamed = next(client.watch("s")).study_id
    work = next(client.stub.Work(iter([pb.WorkRequest(hello=pb.WorkerHello(worker_id="w", capacity=1))]))).study_done.study_id
    return unary, streamed, work


def test_api_key_rides_on_unary_server_streaming_and_bidirectional_calls(echo_address, monkeypatch):
    monkeypatch.delenv("OPTIMIZER_API_KEY", raising=False)
    with Client(echo_address, api_key="k-123") as client:
        assert _sent(client) == ("x-api-key=k-123",) * 3


def test_token_is_sent_as_a_bearer_authorization(echo_address):
    with Client("http://" + echo_address, token="tok.en") as client, \
            Client(echo_address, token="Bearer tok.en") as prefixed:
        assert _sent(client) == _sent(prefixed) == ("authorization=Bearer tok.en",) * 3


def test_environment_fallbacks_and_explicit_none(echo_address, monkeypatch):
    monkeypatch.setenv("OPTIMIZER_API_KEY", "from-env")
    monkeypatch.setenv("OPTIMIZER_TOKEN", "token-env")
    with Client(echo_address) as from_env, Client(echo_address, api_key="") as none, \
            Client(echo_address, token="explicit") as explicit:
        assert from_env.get_study("s").study_id == "x-api-key=from-env"  # the key wins over the token
        assert none.get_study("s").study_id == "" and none.credentials_kind == "none"
        assert explicit.get_study("s").study_id == "authorization=Bearer explicit"
    monkeypatch.delenv("OPTIMIZER_API_KEY")
    with Client(echo_address) as token_only:
        assert token_only.get_study("s").study_id == "authorization=Bearer token-env"


def test_the_secret_is_not_in_repr():
    client = Client("https://optimizer.example:443", api_key="very-secret-key")
    manager = OptimizationManager(address="https://optimizer.example:443", api_key="very-secret-key")
    try:
        assert "very-secret-key" not in repr(client) + repr(vars(client)) + repr(vars(manager))
        assert repr(client) == "Client('https://optimizer.example:443', tls=True, credentials='api key')"
    finally:
        client.close()


@pytest.mark.parametrize("address, target, tls", [
    ("127.0.0.1:5000", "127.0.0.1:5000", False),
    ("http://127.0.0.1:5000/", "127.0.0.1:5000", False),
    ("https://optimizer.example:443", "optimizer.example:443", True),
    ("HTTPS://[::1]:5000", "[::1]:5000", True),
])
def test_address_schemes(address, target, tls, monkeypatch):
    monkeypatch.delenv("OPTIMIZER_TLS_CA", raising=False)
    where = endpoint(address)
    assert (where.target, where.tls, where.root_certificates) == (target, tls, None)


def test_root_certificates_from_a_path_or_pem_turn_tls_on_and_the_environment_only_serves_https(tmp_path, monkeypatch):
    pem = b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
    (tmp_path / "ca.pem").write_bytes(pem)
    assert endpoint("h:1", str(tmp_path / "ca.pem")) == endpoint("h:1", pem) == endpoint("h:1", pem.decode())
    assert endpoint("h:1", pem).tls and endpoint("h:1", pem).root_certificates == pem
    monkeypatch.setenv("OPTIMIZER_TLS_CA", str(tmp_path / "ca.pem"))
    assert endpoint("https://h:1").root_certificates == pem
    assert not endpoint("h:1").tls  # a loopback LocalServer keeps working with the variable set
    with pytest.raises(ValueError, match="use https://"):
        endpoint("http://h:1", pem)
    with pytest.raises(FileNotFoundError):
        endpoint("https://h:1", str(tmp_path / "missing.pem"))
    with pytest.raises(ValueError):
        endpoint("ftp://h:1")


def test_credentials_are_checked_without_echoing_them():
    with pytest.raises(ValueError, match="not both"):
        Client("h:1", api_key="a", token="b")
    with pytest.raises(ValueError) as bad:
        Client("h:1", api_key="bad\nkey-value")
    assert "key-value" not in str(bad.value)


class _Failure(grpc.RpcError):
    def __init__(self, code):
        self._code = code

    def code(self):
        return self._code

    def details(self):
        return "no"

    def trailing_metadata(self):
        return ()


def test_status_codes_map_to_the_auth_errors():
    unauthenticated = from_rpc_error(_Failure(grpc.StatusCode.UNAUTHENTICATED))
    denied = from_rpc_error(_Failure(grpc.StatusCode.PERMISSION_DENIED))
    assert type(unauthenticated) is UnauthenticatedError and type(denied) is PermissionDeniedError
    assert isinstance(denied, PermissionError) and str(denied) == "PERMISSION_DENIED: no"
