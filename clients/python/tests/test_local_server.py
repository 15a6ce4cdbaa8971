"""LocalServer serves the live dashboard on a free loopback port and says where."""
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from optimizer_grpc import Client, LocalServer
from optimizer_grpc._pb import pb


def _get(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.headers.get("Content-Type", ""), response.read()


def test_local_server_dashboard_lists_a_created_study(tmp_path):
    server = LocalServer()
    address = server.start()
    try:
        assert server.dashboard_url and server.dashboard_url.startswith("http://127.0.0.1:")
        status, kind, page = _get(server.dashboard_url + "/")
        assert status == 200 and kind.startswith("text/html") and b"<!DOCTYPE html>" in page[:200]
        with Client(address) as client:
            spec = pb.StudySpec(display_name="watched", max_trials=3,
                                targets=[pb.Target(name="t", parameters=[pb.Parameter(name="x", int_range=pb.IntRange(low=1, high=9))])],
                                objectives=[pb.Objective(metric="score", direction=pb.DIRECTION_MAXIMIZE)])
            client.create_study(spec, study_id="watched")
        _, kind, body = _get(server.dashboard_url + "/api/studies")
        studies = json.loads(body)["studies"]
        assert kind.startswith("application/json")
        assert [(s["id"], s["name"], s["planned"]) for s in studies] == [("watched", "watched", 3)]
        with Client(address) as client:
            html = client.get_study_report("watched", str(tmp_path / "report.html"))
            with pytest.raises(Exception, match="NOT_FOUND"):
                client.get_study_report("nope")
        assert html.startswith("<!DOCTYPE html>") and "window.OPTIMIZER_REPORT" in html and "<script src=" not in html
        assert (tmp_path / "report.html").read_text(encoding="utf-8") == html
        with pytest.raises(urllib.error.HTTPError) as missing:
            _get(server.dashboard_url + "/api/studies/nope")
        assert missing.value.code == 404 and "No study 'nope'" in json.loads(missing.value.read())["error"]
    finally:
        server.stop()


def test_local_server_without_a_dashboard():
    server = LocalServer(dashboard=None)
    try:
        assert server.start() and server.dashboard_url is None
    finally:
        server.stop()


_STOP_SCRIPT = """
import signal, subprocess, sys
# Set either way: a test run started in the background (nohup, `&` in a script) inherits SIGINT ignored.
signal.signal(signal.SIGINT, signal.SIG_IGN if sys.argv[1] == "ignored" else signal.default_int_handler)
sent = []
send = subprocess.Popen.send_signal
subprocess.Popen.send_signal = lambda self, sig: (sent.append(int(sig)), send(self, sig))[1]
from optimizer_grpc import LocalServer
server = LocalServer(dashboard=None)
server.start()
process = server._process
server.stop()
print(sent, process.returncode)
"""


@pytest.mark.parametrize("sigint, expected", [("default", [2]), ("ignored", [15])])
def test_stop_sends_sigint_unless_it_is_ignored_and_the_server_exits_cleanly(sigint, expected):
    # A process that ignores SIGINT hands that to the server it starts; stop() then sends SIGTERM at once instead of
    # waiting 5 s for a SIGINT that cannot arrive. Either way the server stops gracefully, with exit code 0.
    src = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")])))
    done = subprocess.run([sys.executable, "-c", _STOP_SCRIPT, sigint], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{expected} 0"
