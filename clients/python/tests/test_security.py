"""Authentication, roles, lease ownership and TLS, through the real server (issue 15).

One server for the module serves TLS with a CA made by ``optimizer tls create`` and a keys file with plain secrets
(plus one hashed key made by ``optimizer keys create``). Each test makes its own studies, so the order of the tests
does not matter. Bearer tokens, a cleartext loopback server with keys and the non-loopback guard get servers of
their own.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import queue
import secrets
import subprocess
import tempfile
import time
from pathlib import Path

import grpc
import pytest

from optimizer_grpc import (Client, GridSearchMethod, IntRange, LocalServer, MovingAverageCrossoverRule,
                            OptimizationManager, OptimizerError, PermissionDeniedError, RuleParametersTarget,
                            SequentialOptimization, SharpeRatioMetric, StudyBuilder, TellStatus, TrialOutcome,
                            UnauthenticatedError, Worker)
from optimizer_grpc._pb import pb
from optimizer_grpc.local_server import find_server

ENV = dict(os.environ, DOTNET_CLI_TELEMETRY_OPTOUT="1", DOTNET_NOLOGO="1")
ROLES = {"admin": "admin", "alice": "researcher", "bob": "researcher", "worker1": "worker", "worker2": "worker",
         "viewer": "viewer", "team": "worker"}
SCOPES = {"team": " studies=team-a-*,shared"}


def _cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(find_server() + list(args), capture_output=True, text=True, timeout=timeout, env=ENV,
                          stdin=subprocess.DEVNULL)


class Deployment:
    """The module's server and what a client needs to reach it."""

    def __init__(self, folder: Path) -> None:
        certs = folder / "certs"
        made = _cli("tls", "create", "--host", "127.0.0.1,localhost", "--out", str(certs))
        assert made.returncode == 0, made.stderr
        self.ca = certs / "ca.pem"
        self.keys_file = folder / "keys.txt"
        self.keys = {name: f"{name}-{secrets.token_hex(16)}" for name in ROLES}
        self.keys_file.write_text("# test keys: id role secret\n"
                                  + "".join(f"{name} {ROLES[name]} {self.keys[name]}{SCOPES.get(name, '')}\n"
                                            for name in ROLES))
        created = _cli("keys", "create", "--id", "generated", "--role", "viewer", "--file", str(self.keys_file))
        assert created.returncode == 0, created.stderr
        self.keys["generated"] = created.stdout.splitlines()[0].strip()
        self.server = LocalServer(api_keys_file=str(self.keys_file), tls_cert=str(certs / "server.pem"),
                                  tls_key=str(certs / "server-key.pem"), dashboard=None, log_level="debug")
        self.address = self.server.start()

    def client(self, name: str) -> Client:
        return Client(self.address, api_key=self.keys[name], root_certificates=str(self.ca))


@pytest.fixture(scope="module")
def deployment():
    with tempfile.TemporaryDirectory(prefix="optimizer-security-") as folder:
        d = Deployment(Path(folder))
        try:
            yield d
        finally:
            d.server.stop()
            # No key, valid or not, ever reaches the server's output, whatever was logged at debug level.
            output = "".join(d.server.stderr_lines)
            leaked = [name for name, key in d.keys.items() if key in output]
            assert not leaked, f"the server's stderr shows the keys of {leaked}"
            assert WRONG_KEY not in output


WRONG_KEY = "not-a-key-" + secrets.token_hex(8)


def _spec(name: str, points: int = 4):
    return StudyBuilder(name).target("t", {"x": IntRange(1, points)}).maximize("score").grid()


def _study(client: Client, name: str, points: int = 4) -> str:
    return client.create_study(_spec(name, points)).study_id


def test_generated_key_is_stored_hashed(deployment):
    text = deployment.keys_file.read_text()
    line = next(l for l in text.splitlines() if l.startswith("generated "))
    assert deployment.keys["generated"] not in text and " sha256:" in line and line.split()[1] == "viewer"
    with deployment.client("generated") as viewer:
        list(viewer.list_studies())


def test_address_is_https_and_repr_hides_the_key(deployment):
    assert deployment.address.startswith("https://127.0.0.1:")
    with deployment.client("admin") as admin:
        assert deployment.keys["admin"] not in repr(admin) and "api key" in repr(admin) and admin.tls


def test_no_credentials_is_unauthenticated_on_unary_and_streaming_calls(deployment, monkeypatch):
    monkeypatch.delenv("OPTIMIZER_API_KEY", raising=False)
    monkeypatch.delenv("OPTIMIZER_TOKEN", raising=False)
    with deployment.client("admin") as admin:
        study_id = _study(admin, "unauthenticated")
    with Client(deployment.address, root_certificates=str(deployment.ca)) as anonymous:
        assert anonymous.credentials_kind == "none"
        with pytest.raises(UnauthenticatedError) as e:
            list(anonymous.list_studies())
        assert e.value.code == grpc.StatusCode.UNAUTHENTICATED
        with pytest.raises(UnauthenticatedError):
            anonymous.create_study(_spec("anonymous"))
        with pytest.raises(UnauthenticatedError):
            next(anonymous.watch(study_id))
        with pytest.raises(UnauthenticatedError):
            Worker(anonymous, study_id, lambda t: {"score": 1.0}, capacity=1).run()


def test_a_wrong_key_is_unauthenticated(deployment):
    with Client(deployment.address, api_key=WRONG_KEY, root_certificates=str(deployment.ca)) as wrong:
        with pytest.raises(UnauthenticatedError):
            list(wrong.list_studies())
        with pytest.raises(UnauthenticatedError):
            wrong.get_study("anything")


def test_viewer_cannot_create_stop_or_tell_but_can_list_get_and_watch(deployment):
    with deployment.client("admin") as admin, deployment.client("viewer") as viewer:
        study_id = _study(admin, "viewed")
        trial = admin.ask(study_id, worker_id="admin-worker").trials[0]
        with pytest.raises(PermissionDeniedError) as denied:
            viewer.create_study(_spec("by-viewer"))
        assert isinstance(denied.value, PermissionError) and denied.value.code == grpc.StatusCode.PERMISSION_DENIED
        with pytest.raises(PermissionDeniedError):
            viewer.stop_study(study_id)
        with pytest.raises(PermissionDeniedError):
            viewer.tell(trial, TrialOutcome.of({"score": 1e300}), worker_id="admin-worker")
        with pytest.raises(PermissionDeniedError):
            viewer.ask(study_id, worker_id="viewer-worker")
        assert study_id in {s.study_id for s in viewer.list_studies()}
        assert viewer.get_study(study_id).study_id == study_id
        assert next(viewer.watch(study_id)).study_id == study_id
        assert admin.tell(trial, TrialOutcome.of({"score": 1.0}), worker_id="admin-worker").status == TellStatus.ACCEPTED


def test_researcher_cannot_stop_or_delete_another_researchers_study_nor_list_it(deployment):
    with deployment.client("alice") as alice, deployment.client("bob") as bob, deployment.client("admin") as admin:
        study_id = _study(alice, "alice's")
        bobs = _study(bob, "bob's")
        assert alice.get_study(study_id).owner == "alice" and bob.get_study(bobs).owner == "bob"
        with pytest.raises(PermissionDeniedError):
            bob.stop_study(study_id)
        with pytest.raises(PermissionDeniedError):
            bob.pause_study(study_id)
        with pytest.raises(PermissionDeniedError):
            bob.delete_study(study_id)
        listed = {s.study_id for s in bob.list_studies()}
        assert bobs in listed and study_id not in listed
        assert {study_id, bobs} <= {s.study_id for s in admin.list_studies()}
        # The owner steers its own study; admin may stop and delete anyone's.
        alice.pause_study(study_id)
        alice.resume_study(study_id)
        assert admin.stop_study(study_id).state.name == "STOPPED"
        admin.delete_study(study_id)
        assert study_id not in {s.study_id for s in alice.list_studies()}


def test_a_studys_owner_is_the_key_id(deployment):
    with deployment.client("admin") as admin:
        study = admin.create_study(_spec("owned"))
        assert study.owner == "admin" and admin.get_study(study.study_id).owner == "admin"


def test_a_worker_key_reports_only_on_its_own_lease(deployment):
    with deployment.client("admin") as admin, deployment.client("worker1") as one, \
            deployment.client("worker2") as two:
        study_id = _study(admin, "leases")
        trial = one.ask(study_id, worker_id="w").trials[0]
        assert trial.worker_id == "worker1/w"  # the server qualifies a worker id by its key's id
        with pytest.raises(PermissionDeniedError):
            two.tell(trial, TrialOutcome.of({"score": 1e300}), worker_id="w")
        with pytest.raises(PermissionDeniedError):
            one.tell(trial, TrialOutcome.of({"score": 1e300}), worker_id="other")
        assert one.tell(trial, TrialOutcome.of({"score": 2.0}), worker_id="w").status == TellStatus.ACCEPTED
        assert admin.get_study(study_id).best_trial.values["score"] == 2.0


def test_a_remote_worker_with_a_worker_key_runs_a_study_and_its_leases_carry_the_key_id(deployment):
    with deployment.client("admin") as admin, deployment.client("worker1") as one:
        study_id = _study(admin, "remote", points=6)
        worker = Worker(one, study_id, lambda t: {"score": float(t.params["t.x"])}, capacity=2, worker_id="box")
        worker.run()
        assert worker.counters.evaluated == 6 and admin.get_study(study_id).best_trial.values["score"] == 6.0
        assert {t.worker_id for t in admin.list_trials(study_id)} == {"worker1/box"}


def test_a_worker_key_limited_to_some_studies_works_only_on_those(deployment):
    with deployment.client("admin") as admin, deployment.client("team") as team:
        allowed = admin.create_study(_spec("team study"), study_id="team-a-1").study_id
        other = admin.create_study(_spec("someone else's"), study_id="team-b-1").study_id
        assert len(team.ask(allowed, worker_id="w").trials) == 1
        with pytest.raises(PermissionDeniedError):
            team.ask(other, worker_id="w")
        with pytest.raises(PermissionDeniedError):
            Worker(team, other, lambda t: {"score": 1.0}, capacity=1).run()


def test_a_result_on_the_work_stream_for_another_keys_lease_is_rejected(deployment):
    with deployment.client("admin") as admin, deployment.client("worker1") as one, \
            deployment.client("worker2") as two:
        study_id = _study(admin, "stream-leases", points=2)
        trial = one.ask(study_id, worker_id="w").trials[0]
        outgoing: "queue.Queue" = queue.Queue()
        outgoing.put(pb.WorkRequest(hello=pb.WorkerHello(worker_id="w", capacity=1, study_ids=[study_id])))
        outgoing.put(pb.WorkRequest(results=pb.TrialResults(results=[pb.TrialResult(
            study_id=study_id, trial_number=trial.number, attempt=trial.attempt,
            outcome=TrialOutcome.of({"score": 1e300}).to_proto())])))

        def requests():
            while (item := outgoing.get()) is not None:
                yield item

        call = two.stub.Work(requests(), timeout=30)
        try:
            ack = next(a for r in call if r.WhichOneof("kind") == "acks" for a in r.acks.acks
                       if a.trial.trial_number == trial.number)
        finally:
            outgoing.put(None)
            call.cancel()
        assert ack.status == pb.TELL_STATUS_REJECTED
        assert one.tell(trial, TrialOutcome.of({"score": 3.0}), worker_id="w").status == TellStatus.ACCEPTED


def test_tls_with_the_ca_from_a_path_bytes_or_the_environment_and_without_it_unavailable(deployment, monkeypatch):
    monkeypatch.delenv("OPTIMIZER_TLS_CA", raising=False)
    key = deployment.keys["viewer"]
    with Client(deployment.address, api_key=key, root_certificates=deployment.ca.read_bytes()) as by_bytes:
        list(by_bytes.list_studies())
    with Client(deployment.address, api_key=key, timeout=10) as without_ca:
        with pytest.raises(OptimizerError) as e:
            list(without_ca.list_studies())
        assert e.value.code == grpc.StatusCode.UNAVAILABLE
    with Client(deployment.address.replace("https://", ""), api_key=key, timeout=10) as cleartext:
        with pytest.raises(OptimizerError) as e:
            list(cleartext.list_studies())  # cleartext HTTP/2 to a TLS port
        assert e.value.code == grpc.StatusCode.UNAVAILABLE
    monkeypatch.setenv("OPTIMIZER_TLS_CA", str(deployment.ca))
    monkeypatch.setenv("OPTIMIZER_API_KEY", key)
    with Client(deployment.address) as from_environment:
        assert from_environment.credentials_kind == "api key"
        list(from_environment.list_studies())


def test_a_manager_run_through_tls_and_a_key(deployment, nyse):
    rule = MovingAverageCrossoverRule("ma", parameter_space={"fast_window": [5, 20], "slow_window": [50, 200]})
    with OptimizationManager(address=deployment.address, api_key=deployment.keys["alice"],
                             root_certificates=str(deployment.ca), capacity=2, use_processes=True,
                             progress=False, analyze=False) as manager:
        manager.register_target("ma_params", RuleParametersTarget([rule]))
        manager.register_method("grid", GridSearchMethod())
        manager.register_metric("sharpe", SharpeRatioMetric())
        manager.register_sequence("sequential", SequentialOptimization())
        result = manager.run_optimization("sequential", ["ma_params"], data_handler=nyse)
        assert result["state"] == "COMPLETED" and result["trial_counts"].completed == 4
        assert manager.client.get_study(result["study_id"]).owner == "alice"
        assert deployment.keys["alice"] not in repr(vars(manager))


def test_method_optimize_takes_the_same_credentials(deployment):
    found = GridSearchMethod().optimize(
        {"x": [1, 2, 3]}, lambda p: -(p["x"] - 2) ** 2, address=deployment.address,
        api_key=deployment.keys["bob"], root_certificates=str(deployment.ca))
    assert found["best_params"] == {"x": 2} and found["trials"] == 3


def test_keys_on_a_cleartext_loopback_server(tmp_path):
    keys = tmp_path / "keys.txt"
    secret = "loopback-" + secrets.token_hex(16)
    keys.write_text(f"ops admin {secret}\n")
    with LocalServer(api_keys_file=str(keys), dashboard=None) as address:
        assert not address.startswith("https://")
        with Client(address, api_key=secret) as admin:
            assert admin.create_study(_spec("cleartext")).owner == "ops"
        with Client(address, api_key="") as anonymous, pytest.raises(UnauthenticatedError):
            list(anonymous.list_studies())


def test_serve_on_every_interface_without_keys_refuses_to_start(tmp_path):
    refused = _cli("serve", "--address", "0.0.0.0:0", "--storage", str(tmp_path / "open.db"), "--dashboard", "none",
                   timeout=60)
    assert refused.returncode != 0 and "--insecure" in refused.stderr


def test_serve_on_every_interface_with_insecure_starts(tmp_path):
    server = LocalServer(address_host="0.0.0.0", insecure=True, dashboard=None)
    try:
        address = server.start()
        assert address.startswith("127.0.0.1:")  # reached on loopback
        with Client(address) as client:
            client.create_study(_spec("open"))
    finally:
        server.stop()


def _jwt(secret: bytes, **claims) -> str:
    """An HS256 token (RFC 7519), made here so the test needs no JWT library."""
    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    signed = part(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + "." + part(json.dumps(claims).encode())
    return signed + "." + part(hmac.new(secret, signed.encode(), hashlib.sha256).digest())


def test_bearer_tokens(tmp_path, monkeypatch):
    secret = secrets.token_hex(24).encode()
    (tmp_path / "jwt.key").write_bytes(secret)
    now = int(time.time())

    def token(role: str, sub: str = "carol", key: bytes = secret, expires: int = 600) -> str:
        return _jwt(key, iss="lab", aud="optimizer", sub=sub, role=role, iat=now, nbf=now - 60, exp=now + expires)

    server = LocalServer(jwt=("lab", "optimizer", str(tmp_path / "jwt.key")), dashboard=None)
    try:
        address = server.start()
        with Client(address, token=token("researcher")) as carol:
            assert carol.credentials_kind == "bearer token"
            study_id = carol.create_study(_spec("by-token")).study_id
            assert carol.get_study(study_id).owner == "carol"
        with Client(address, token=token("viewer", sub="dave")) as dave, pytest.raises(PermissionDeniedError):
            dave.create_study(_spec("by-viewer-token"))
        for rejected in (token("admin", key=secrets.token_hex(24).encode()), token("admin", expires=-3600)):
            with Client(address, token=rejected) as client, pytest.raises(UnauthenticatedError):
                client.get_study(study_id)
        monkeypatch.delenv("OPTIMIZER_API_KEY", raising=False)
        monkeypatch.setenv("OPTIMIZER_TOKEN", token("admin", sub="root"))
        with Client(address) as from_environment:
            from_environment.stop_study(study_id)
        output = "".join(server.stderr_lines)
        assert secret.decode() not in output and token("researcher") not in output
    finally:
        server.stop()
