"""Tests run against the real server (a LocalServer for the session); see clients/python/README.md."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from optimizer_grpc import Client, CSVDataHandler, LocalServer  # noqa: E402

SAMPLES = Path(__file__).resolve().parents[3] / "samples" / "data"


@pytest.fixture(scope="session")
def server_address():
    with LocalServer() as address:
        yield address


@pytest.fixture()
def client(server_address):
    with Client(server_address) as c:
        yield c


@pytest.fixture(scope="session")
def nyse() -> CSVDataHandler:
    return CSVDataHandler(SAMPLES / "nyse_composite_daily_1966_2002.csv")
