"""LocalServer: runs the C# optimizer server as a child process for scripts and tests."""
from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import List, Optional, Tuple

_DLL = Path("src/OptimizerGrpc.Cli/bin/{config}/net10.0/optimizer.dll")


def find_server() -> List[str]:
    """The command that runs the server: $OPTIMIZER_SERVER (optimizer.dll or an executable), else the repository's
    Release then Debug build found above this package."""
    env = os.environ.get("OPTIMIZER_SERVER")
    if env:
        return _command(Path(env))
    for parent in Path(__file__).resolve().parents:
        for config in ("Release", "Debug"):
            dll = parent / str(_DLL).format(config=config)
            if dll.is_file():
                return _command(dll)
    raise FileNotFoundError(
        "optimizer server not found: set OPTIMIZER_SERVER to optimizer.dll or build it with "
        "`dotnet build -c Release src/OptimizerGrpc.Cli`")


def _command(path: Path) -> List[str]:
    if not path.exists():
        raise FileNotFoundError(f"OPTIMIZER_SERVER points to {path}, which does not exist")
    if path.suffix == ".dll":
        dotnet = shutil.which("dotnet")
        if dotnet is None:
            raise FileNotFoundError("dotnet is not on PATH; it is needed to run " + str(path))
        return [dotnet, str(path)]
    return [str(path)]


def _client_address(url: str) -> str:
    """The address a Client takes for the server's "listening on" URL: host:port for cleartext (as before TLS
    existed), https://host:port with TLS."""
    scheme, _, rest = url.rstrip("/").rpartition("://")
    host, _, port = rest.rpartition(":")
    if host in _WILDCARDS:
        rest = f"{_WILDCARDS[host]}:{port}"  # bound to every interface: reach it on loopback
    return f"https://{rest}" if scheme == "https" else rest


_WILDCARDS = {"0.0.0.0": "127.0.0.1", "[::]": "[::1]"}


class LocalServer:
    """``with LocalServer() as address: Client(address)``. Storage defaults to a SQLite file in a temp folder,
    removed on exit; a given ``storage`` path is kept. The server's live dashboard listens on ``dashboard``
    ("HOST:PORT"; default a free loopback port; None: no dashboard) and ``dashboard_url`` is its URL once started.

    Security (the server's ``serve`` flags): ``api_keys_file`` is a keys file (``--api-keys``; every call then
    needs a key), ``jwt`` an (issuer, audience, key file) triple that accepts bearer tokens (``--jwt-issuer``,
    ``--jwt-audience``, ``--jwt-key``), ``tls_cert``/``tls_key`` PEM files turn TLS on (``address`` is then
    ``https://HOST:PORT``; give clients the CA as ``root_certificates``), ``insecure`` lets the server bind a
    non-loopback ``address_host`` without keys. Paths go on the server's command line; keys themselves never do.
    """

    def __init__(self, storage: Optional[str] = None, log_level: str = "warning", startup_timeout: float = 60.0,
                 port: int = 0, dashboard: Optional[str] = "127.0.0.1:0", api_keys_file: Optional[str] = None,
                 tls_cert: Optional[str] = None, tls_key: Optional[str] = None, insecure: bool = False,
                 address_host: str = "127.0.0.1", jwt: Optional[Tuple[str, str, str]] = None) -> None:
        if (tls_cert is None) != (tls_key is None):
            raise ValueError("give both tls_cert and tls_key (PEM files), or neither")
        self.storage = storage
        self.port = port
        self.dashboard = dashboard
        self.dashboard_url: Optional[str] = None
        self.log_level = log_level
        self.startup_timeout = startup_timeout
        self.api_keys_file, self.tls_cert, self.tls_key = api_keys_file, tls_cert, tls_key
        self.insecure, self.address_host, self.jwt = insecure, address_host, jwt
        self.address: Optional[str] = None
        self._process: Optional[subprocess.Popen] = None
        self._tempdir: Optional[tempfile.TemporaryDirectory] = None
        self.stderr_lines: List[str] = []

    def _serve_arguments(self, storage: str) -> List[str]:
        args = ["serve", "--address", f"{self.address_host}:{self.port}", "--storage", storage,
                "--log-level", self.log_level, "--dashboard", self.dashboard or "none"]
        if self.api_keys_file is not None:
            args += ["--api-keys", os.fspath(self.api_keys_file)]
        if self.jwt is not None:
            issuer, audience, key_file = self.jwt
            args += ["--jwt-issuer", issuer, "--jwt-audience", audience, "--jwt-key", os.fspath(key_file)]
        if self.tls_cert is not None and self.tls_key is not None:
            args += ["--tls-cert", os.fspath(self.tls_cert), "--tls-key", os.fspath(self.tls_key)]
        if self.insecure:
            args.append("--insecure")
        return args

    def start(self) -> str:
        if self.storage is None:
            self._tempdir = tempfile.TemporaryDirectory(prefix="optimizer-")
            storage = str(Path(self._tempdir.name) / "optimizer.db")
        else:
            storage = self.storage
        cmd = find_server() + self._serve_arguments(storage)
        env = dict(os.environ, DOTNET_CLI_TELEMETRY_OPTOUT="1", DOTNET_NOLOGO="1")
        self._process = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        lines: "queue.Queue[Optional[str]]" = queue.Queue()
        threading.Thread(target=self._pump, args=(self._process.stdout, lines), daemon=True).start()
        stderr = threading.Thread(target=self._collect_stderr, daemon=True)
        stderr.start()
        try:
            while True:
                line = lines.get(timeout=self.startup_timeout)
                if line is None:
                    self._process.wait(timeout=10)
                    stderr.join(timeout=5)
                    raise RuntimeError(f"optimizer server exited (code {self._process.returncode}) before listening:\n"
                                       + "".join(self.stderr_lines[-20:]))
                if "listening on " in line:
                    self.address = _client_address(line.split("listening on ", 1)[1].strip())
                    if self.dashboard is None:
                        return self.address
                elif "dashboard at " in line:
                    self.dashboard_url = line.split("dashboard at ", 1)[1].strip().rstrip("/")
                    return self.address
        except queue.Empty:
            self.stop()
            raise TimeoutError(f"optimizer server did not report its address within {self.startup_timeout} s") from None
        except BaseException:
            self.stop()
            raise

    @staticmethod
    def _pump(stream, lines: "queue.Queue[Optional[str]]") -> None:
        for line in stream:
            lines.put(line)
        lines.put(None)

    def _collect_stderr(self) -> None:
        assert self._process is not None and self._process.stderr is not None
        for line in self._process.stderr:
            self.stderr_lines.append(line)

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            # SIGINT (Ctrl+C) first: started from Python the server shuts down on it in well under a second but
            # was seen to ignore SIGTERM; then SIGTERM, then SIGKILL. A server started while SIGINT is ignored here
            # (under nohup, or with & from a script) inherits that and keeps ignoring it: go straight to SIGTERM,
            # which stops it just as gracefully.
            stops = [lambda p: p.send_signal(signal.SIGINT), subprocess.Popen.terminate, subprocess.Popen.kill]
            if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
                stops = stops[1:]
            for stop in stops:
                stop(self._process)
                try:
                    self._process.wait(timeout=5)
                    break
                except subprocess.TimeoutExpired:
                    continue
        self._process = None
        if self._tempdir is not None:
            self._tempdir.cleanup()
            self._tempdir = None

    def kill(self) -> None:
        """Kills the server abruptly (SIGKILL), as a crash would; the storage file is kept."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
