"""Fixtures of the control-room tests: an application on a temporary data folder, and a real
server (uvicorn in a thread, on a free loopback port) for the browser and benchmark-like tests."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from nppsim.server.app import create_app
from nppsim.server.live import Limits

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """uvicorn serving ``app`` on 127.0.0.1 in a thread."""

    def __init__(self, app) -> None:
        import uvicorn

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(60)


@pytest.fixture
def limits() -> Limits:
    return Limits(tick=0.1)


@pytest.fixture
def app(tmp_path, limits):
    return create_app(tmp_path / "data", limits=limits)


@pytest.fixture(scope="session")
def compiled_models() -> None:
    """Build and run the V-446 core and plant models once before a browser waits on them: after any
    source edit the first build compiles the kernels (minutes on a busy machine), which no
    browser wait should have to cover, whatever ran before."""
    from nppsim.designs import load_design
    from nppsim.engine.simulation import Simulation
    from nppsim.server.live import plant_available
    from nppsim.validity import build_model

    design = load_design("vver1000-v446")
    for kind in ("core", "plant") if plant_available(design) else ("core",):
        model = build_model(design, kind)
        Simulation(model, *model.steady_state(1.0, "boron")).advance(0.5)


@pytest.fixture
def live_server(tmp_path, compiled_models) -> Iterator[LiveServer]:
    app = create_app(tmp_path / "data", limits=Limits(tick=0.15))
    with LiveServer(app) as srv:
        yield srv
