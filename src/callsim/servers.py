"""Servers of your own that `pass_through:` routes reach, as a scenario's `servers:` declares them.

A server with `command:` is started by callsim on a free port (from the folder of the file that
declares it), waited for until it is ready, shared by every call of the run that names the same
command, and stopped when the run ends. A server with `url:` runs already; it is checked once, so
that a server nobody started is a setup error rather than a request that fails and lets the agent's
`on_error` make the scenario pass for the wrong reason.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from callsim.errors import SetupError

if TYPE_CHECKING:
    from callsim.config.live import ServerSpec

LOG_TAIL = 15
"""How many of a server's last output lines a failure to start shows."""


class ServerDidNotStart(SetupError):
    """A declared server did not come up (its command failed or it was not ready in time), or nothing answers
    at a declared URL."""


@dataclass
class RunningServer:
    """A server process callsim started."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ServerPool:
    """The servers of one run (a `callsim run`, a pytest session, a simulator): started once, stopped together."""

    def __init__(self, on_start: Callable[[str], None] | None = None) -> None:
        self.on_start = on_start
        """Told, in a sentence, about each server started (the CLI prints it)."""
        self._running: dict[tuple[str, ...], RunningServer] = {}
        self._checked: set[str] = set()
        self._logs = tempfile.TemporaryDirectory(prefix="callsim-servers-")

    async def urls(self, servers: Mapping[str, tuple[ServerSpec, Path]]) -> dict[str, str]:
        """Each named server's base URL, starting those with a command (each spec with its file's folder)."""
        found = {}
        for name, (spec, folder) in servers.items():
            if spec.url is not None:
                await self._check(name, spec)
                found[name] = spec.url
            else:
                found[name] = (await self._start(name, spec, folder)).url
        return found

    async def _check(self, name: str, spec: ServerSpec) -> None:
        assert spec.url is not None
        if spec.url in self._checked:
            return
        if not await _answers(spec.url, spec.ready, timeout=2.0):
            raise ServerDidNotStart(f"servers.{name}: nothing answers at {spec.url}{spec.ready or ''}; start your "
                                    "server first, or give it a command: so that callsim starts it")
        self._checked.add(spec.url)

    async def _start(self, name: str, spec: ServerSpec, folder: Path) -> RunningServer:
        assert spec.command is not None
        key = (str(folder.resolve()), *spec.command, spec.ready or "")
        running = self._running.get(key)
        if running is not None and running.process.poll() is None:
            return running
        port = free_port()
        argv = [sys.executable if arg == "python" and index == 0 else arg.replace("{port}", str(port))
                for index, arg in enumerate(spec.command)]
        environ = dict(os.environ, PORT=str(port))
        environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), environ.get("PATH", "")])
        log = Path(self._logs.name) / f"{name}-{len(self._running)}.log"
        shown = " ".join(spec.command)
        with log.open("wb") as output:
            try:  # Popen, not asyncio's: the pool may be stopped from outside the loop that started it
                process = subprocess.Popen(argv, cwd=folder, env=environ, stdin=subprocess.DEVNULL, stdout=output,
                                           stderr=subprocess.STDOUT, start_new_session=True)
            except OSError as problem:
                raise ServerDidNotStart(f"servers.{name}: cannot run {shown!r} in {folder}: {problem.strerror or problem}; "
                                        "check the command (it runs from the folder of the file that declares it)"
                                        ) from None
        running = RunningServer(process, f"http://127.0.0.1:{port}", log)
        self._running[key] = running
        await self._wait_ready(name, spec, running, shown)
        if self.on_start is not None:
            self.on_start(f"started server {name} ({shown}) at {running.url}")
        return running

    async def _wait_ready(self, name: str, spec: ServerSpec, running: RunningServer, shown: str) -> None:
        import asyncio

        deadline = time.monotonic() + spec.start_timeout
        while time.monotonic() < deadline:
            if running.process.poll() is not None:
                raise ServerDidNotStart(f"servers.{name}: {shown!r} exited with status {running.process.returncode} "
                                        f"before it was ready{_tail(running.log)}")
            if await _answers(running.url, spec.ready, timeout=0.5):
                return
            await asyncio.sleep(0.05)  # a real process on real time: nothing virtual to jump ahead
        _stop(running)
        raise ServerDidNotStart(f"servers.{name}: {shown!r} was not ready at {running.url}{spec.ready or ''} within "
                                f"{spec.start_timeout:g}s; make it listen on the port in $PORT (or {{port}}), or raise "
                                f"start_timeout{_tail(running.log)}")

    def close(self) -> None:
        """Stop every server this pool started."""
        for running in self._running.values():
            _stop(running)
        self._running.clear()
        self._logs.cleanup()


async def _answers(url: str, ready: str | None, timeout: float) -> bool:
    """Whether a server answers at `url`: `ready` with a status below 500, else its port taking a connection."""
    import asyncio

    import httpx

    if ready is None:
        target = httpx.URL(url)
        try:
            _, writer = await asyncio.wait_for(asyncio.open_connection(target.host, target.port or 80), timeout)
        except (OSError, TimeoutError):
            return False
        writer.close()
        return True
    try:
        async with httpx.AsyncClient(trust_env=False, timeout=timeout) as client:
            return (await client.get(url + ready)).status_code < 500
    except httpx.HTTPError:
        return False


def _stop(running: RunningServer) -> None:
    process = running.process
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)  # its own session: children (a reloader's workers) stop too
    try:
        process.wait(5.0)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _tail(log: Path) -> str:
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()[-LOG_TAIL:]
    return ("; its last output:\n    " + "\n    ".join(lines)) if lines else " (it printed nothing)"
