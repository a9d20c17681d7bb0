"""Calls driven by hand from Python (pytest fixtures, notebooks): start, speak, wait, hang up, assert.

    async def test_order_status(callsim):
        call = await callsim.call("scenarios/acme/agent.yaml", start_data={"crm_id": "C-1"},
                                  http=[{"match": "GET https://api.acme.test/orders/4567",
                                         "json": {"status": "shipped", "eta": "today"}}],
                                  secrets={"ACME_TOKEN": "t"})
        await call.say("where is my order, it's 4567")
        call.trace.expect.action("lookup_order").request(url="https://api.acme.test/orders/4567")
        call.trace.expect.variables(order_status="shipped")
        await call.hangup()  # post-call actions run; a fake the call never used fails here

`callsim.errors.UnusedFakes` is raised at hang-up; it is also an AssertionError. A relative agent path is
found beside the test file, else under pytest's rootdir.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from callsim.backends.unused import UnusedFake
from callsim.config.loader import validate_data
from callsim.config.plain import to_plain
from callsim.config.project import Project, load_project, named_servers
from callsim.config.python_expectations import expectation_from_call
from callsim.backends.telephony import check_digits
from callsim.config.scenario import MAX_SAID, ScenarioConfig
from callsim.config.secrets import missing_secret_error, missing_secrets
from callsim.durations import parse_duration
from callsim.engine.clock import VirtualClock
from callsim.engine.session import CallSession
from callsim.errors import CallsimError, ConfigErrors, UnusedFakes, UsageError
from callsim.runner import _triggers, call_backends, call_setup
from callsim.servers import ServerPool
from callsim.trace.trace import Trace


class Callsim:
    """The `callsim` fixture: loads projects (cached) and starts calls on a virtual clock.

    A relative agent path is looked for beside the test file first (`folder`), then under pytest's
    rootdir (`root`); outside pytest, relative to the working directory.
    """

    def __init__(self, folder: Path | None = None, root: Path | None = None) -> None:
        self._projects: dict[Path, Project] = {}
        self._folders = [f for f in (folder, root) if f is not None] or [Path.cwd()]
        self.servers = ServerPool()
        """The servers calls pass requests through to (`servers=` with a `command:`); the fixture stops them."""

    def project(self, agent: str | Path) -> Project:
        """Load an agent file with its action libraries (once per test)."""
        __tracebackhide__ = True
        path = self._find(Path(agent))
        key = path.resolve()
        if key not in self._projects:
            try:
                self._projects[key] = load_project(path)
            except CallsimError as error:  # the user's files: their message, not callsim's frames
                raise error.with_traceback(None) from None
        return self._projects[key]

    def _find(self, agent: Path) -> Path:
        __tracebackhide__ = True
        if agent.is_absolute():
            return agent
        tried = [folder / agent for folder in self._folders]
        found = next((path for path in tried if path.is_file()), None)
        if found is None:
            raise UsageError(f"callsim.call(): agent file {agent.as_posix()!r} not found: looked in "
                             + " and ".join(str(path) for path in tried)
                             + "; give a path relative to the test file, or to the rootdir")
        return found

    async def call(self, agent: str | Path, **scenario: Any) -> LiveCall:
        """Start a call to `agent`; keyword arguments are a scenario's setup fields
        (`caller`, `now`, `seed`, `start_data`, `preconnect`, `secrets`, `http`, `phones`, `calendar`,
        `servers`, `live_hosts`, ...)."""
        __tracebackhide__ = True
        for path, text in _texts(scenario, ()):
            _refuse_unencodable(text, f"callsim.call(): {path}")
        project = self.project(agent)
        config = to_plain(validate_data(ScenarioConfig, {"scenario": "live call", "agent": str(agent), **scenario},
                                        "callsim.call()"))  # the call runs on plain objects, as a scenario's
        missing = missing_secrets(project.secrets, config.secrets, os.environ)
        if missing:  # before the call: a fallback taken for a missing secret would pass for the wrong reason
            raise ConfigErrors([missing_secret_error(uses, "", f"pass it to the call (callsim.call(..., "
                                                                 f"secrets={{{name!r}: '...'}}))")
                                for name, uses in missing.items()])
        clock = VirtualClock(config.now if isinstance(config.now, dt.datetime) else dt.datetime.now(dt.timezone.utc))
        trace = Trace(header={"type": "trace", "format": 1, "scenario": "live call", "agent": project.agent.agent},
                      parse=expectation_from_call)
        backends = call_backends(config, clock, project, project.agent_file.parent)
        backends.http.routes_from = "python"
        backends.http.live.servers.update(await self.servers.urls(named_servers(config, self._folders[0], project)))
        session = CallSession(project, clock=clock, backends=backends, trace=trace, setup=call_setup(config),
                              triggers=_triggers(project))
        call = LiveCall(session, backends)
        await session.start()
        return call


class LiveCall:
    """A call in progress: what the caller does, and the trace of what happened."""

    def __init__(self, session: CallSession, backends: Any) -> None:
        self.session = session
        self._backends = backends

    @property
    def trace(self) -> Trace:
        return self.session.trace

    async def say(self, text: str) -> None:
        """The caller says one turn (at most 10,000 characters, as in a scenario)."""
        __tracebackhide__ = True
        await self.session.caller_says(_caller_text(text, "call.say()"))

    async def wait(self, duration: str | float) -> None:
        """Let virtual time pass (`"30s"`, `"2m"`, or seconds)."""
        await self.session.wait(parse_duration(duration))

    async def dtmf(self, digits: str) -> None:
        """The caller presses keys (`0-9 * # A-D`, `w`/`W` a pause)."""
        __tracebackhide__ = True
        try:
            keys = check_digits(_caller_text(digits, "call.dtmf()"))
        except ValueError as problem:
            raise UsageError(f"call.dtmf(): {problem}") from None
        await self.session.caller_presses(keys)  # type: ignore[attr-defined]

    async def reply(self, body: str, channel: str = "sms") -> None:
        """The caller answers a text message now (at most 10,000 characters)."""
        __tracebackhide__ = True
        await self.session.reply(_caller_text(body, "call.reply()"), channel=channel)  # type: ignore[attr-defined]

    def unused_fakes(self) -> list[UnusedFake]:
        """The fakes given to the call (`http` routes, `phones`, `replies`) that it has not used so far,
        except those marked `optional: true`."""
        return self._backends.unused()

    async def hangup(self, *, check_fakes: bool = True) -> None:
        """The caller hangs up; post-call actions run. Then, like respx's `assert_all_called`, a fake the
        call never used raises UnusedFakes naming it (unless `check_fakes=False`)."""
        __tracebackhide__ = True
        await self.session.hangup("caller", "hangup")
        await self._backends.aclose()
        unused = self.unused_fakes() if check_fakes else []
        if unused:
            raise UnusedFakes(unused)

    def schedule_hangup(self, *, at: str | float | None = None, after: str | float | None = None) -> None:
        """The caller will hang up at call time `at` (`"12s"`), or `after` their next input (`"3s"` after they
        stop speaking in the next `say`, or after a `wait` begins): whatever the call is doing then stops
        (a line is cut, a running action is abandoned) and post-call actions run. As `hangup: {at|after}`."""
        if (at is None) == (after is None):
            raise ValueError("give at= (a call time) or after= (counted from the caller's next input), not both")
        self.session.hang_up_later(at=None if at is None else parse_duration(at),
                                   after=None if after is None else parse_duration(after))

    def barge_in(self, after: str | float) -> None:
        """The caller will talk over the agent's next reply, `after` (`"1.2s"`) into its first line: call it
        before the turn the agent replies to; the `say` after that turn is heard at that moment, and the
        line being said is cut at the word reached. As a caller turn's `barge_in:` in a scenario."""
        self.session.barge_in(parse_duration(after))

    @property
    def ended(self) -> bool:
        return self.session.ended


def _caller_text(text: object, where: str) -> str:
    """What a caller says, types or presses, refused here (naming the call) when no scenario could hold it:
    not text, longer than a scenario turn may be, or with a lone surrogate (half of a UTF-16 pair, which no
    request body, header or file can encode)."""
    __tracebackhide__ = True
    if not isinstance(text, str):
        raise UsageError(f"{where} takes the caller's words as text, not {type(text).__name__}")
    if len(text) > MAX_SAID:
        raise UsageError(f"{where}: the text has {len(text):,} characters; a caller turn holds at most {MAX_SAID:,}")
    _refuse_unencodable(text, f"{where}: the text")
    return text


def _refuse_unencodable(text: str, what: str) -> None:
    __tracebackhide__ = True
    found = _SURROGATE.search(text)
    if found is not None:
        raise UsageError(f"{what} holds a lone surrogate U+{ord(found.group()):04X} at character {found.start()} "
                         "(half of a UTF-16 pair, not a character): decode the text it came from with "
                         "errors='replace', or pass str(bytes, 'utf-8')")


def _texts(value: Any, path: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    """Every text in `callsim.call()`'s keyword arguments (keys too), with its dotted path."""
    if isinstance(value, str):
        yield ".".join(path), value
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str):
                yield from _texts(key, (*path, "(a key)"))
            yield from _texts(item, (*path, str(key)))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _texts(item, (*path[:-1], f"{path[-1]}[{index}]") if path else (str(index),))


_SURROGATE = re.compile("[\ud800-\udfff]")
