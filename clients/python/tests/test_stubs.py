import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "check_stubs.sh"


@pytest.mark.skipif(shutil.which("protoc") is None or shutil.which("grpc_python_plugin") is None,
                    reason="protoc and grpc_python_plugin (apt: protobuf-compiler protobuf-compiler-grpc) not installed")
def test_committed_stubs_match_the_proto():
    completed = subprocess.run([str(SCRIPT)], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout + completed.stderr
