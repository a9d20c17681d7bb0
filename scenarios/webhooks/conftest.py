"""A fixture that runs Spokes' webhook server (app.py) in this process, on a free port, for the Python
tests beside it. (The YAML scenarios need no fixture: callsim starts the server their servers: declares.)"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("spokes_app", Path(__file__).with_name("app.py"))
assert _spec is not None and _spec.loader is not None
spokes_app = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(spokes_app)


@pytest.fixture
def spokes_server() -> Iterator[str]:
    """The base URL of a running Spokes server; the reports it received are cleared before each test."""
    spokes_app.Spokes.reports.clear()
    spokes_app.Spokes.log_message = lambda *args: None  # the test's output is about the call, not the server
    server = spokes_app.make_server(0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
