"""One live call in the simulator: the engine on the live clock, driven by what the person types, says
or steps through, with a log of those inputs so the call can be exported as a scenario.

The view never touches the engine or its backends: it sends inputs here and renders the trace's events.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from callsim.backends import ScenarioBackends
from callsim.config.plain import to_plain
from callsim.config.project import Project, Scenario
from callsim.config.scenario import Expectation, ScenarioConfig, Turn
from callsim.config.secrets import SecretUse, missing_secrets
from callsim.engine.session import CallSession
from callsim.errors import CallError, CallsimError
from callsim.personas import persona_text
from callsim.runner import (STARTS_WINDOW, TURNS, ScenarioResult, call_backends, call_setup, check_after_call,
                            prepare_next, trace_header)
from callsim.trace.events import TRACE_FORMAT, EngineError, Event
from callsim.trace.expect import Failure, as_sent, check
from callsim.trace.trace import Trace
from callsim.tui.clock import LiveClock

if TYPE_CHECKING:
    from callsim.tui.asking import Asker
from callsim.version import __version__

Note = Callable[[str, str], None]
"""A line for the transcript's system voice: (text, kind) with kind `info`, `pass`, `fail` or `error`."""


@dataclass
class Step:
    """Something the person did to the call, and where in the trace it started."""

    kind: str
    """`caller`, `audio`, `dtmf`, `reply`, `wait` or `hangup` (the scenario turn it becomes on export)."""
    value: Any
    first_seq: int
    t: float
    last_seq: int = 0
    """The last event the step itself caused; later ones came on their own (a reply, a timeout)."""
    t_end: float = 0.0
    timing: dict[str, Any] = field(default_factory=dict)
    """When the scenario turn it played happened, written back on export: a caller's `barge_in` (seconds),
    a hang-up's `at` or `after` (seconds)."""
    channel: str | None = None
    """A reply's channel when the person chose it (`/reply whatsapp TEXT`): written beside `reply:` on export."""


@dataclass
class LiveCall:
    """The call the simulator shows: its project, optional scenario, clock, trace and session."""

    project: Project
    scenario: Scenario | None = None
    start: dt.datetime | None = None
    """Where the call's clock starts: the scenario's `now:`, else the wall clock in the agent's zone."""
    monotonic: Callable[[], float] | None = None
    """The clock's time source (tests pass a frozen one)."""
    note: Note = lambda text, kind: None
    listeners: list[Callable[[Event], None]] = field(default_factory=list)
    pace: Callable[[], Awaitable[None]] | None = None
    """Awaited whenever the call's time jumps (see `LiveClock.before_jump`)."""
    secrets: dict[str, str] = field(default_factory=dict)
    """Secret values given on the command line (`--secret NAME=VALUE`) or in the simulator's dialog, for a
    call without a scenario."""
    asker: Asker | None = None
    """Who a free call's fakes ask about what they lack (the simulator's dialogs)."""
    data: dict[str, str] = field(default_factory=dict)
    """Values for the agent's `from: start_data` and `from: preconnect` variables (`--data NAME=VALUE`), for a
    call without a scenario: what the telephony integration and the team's own lookup would supply."""
    working: Callable[[str], None] = lambda text: None
    """Told what the call is busy with outside the event loop (a heard turn's second hearing), "" when done: a
    heard turn's recognition runs in worker threads so the screen never freezes (see `caller_audio.hear`)."""

    def __post_init__(self) -> None:
        self._check_data()
        self.steps: list[Step] = []
        self.turn_index = 0
        self.checked = {"pass": 0, "fail": 0}
        self._window_start = 0
        self.session: CallSession | None = None

    # -- building and starting ---------------------------------------------------------------------

    @property
    def config(self) -> ScenarioConfig:
        if self.scenario is not None:
            return self.scenario.config
        return to_plain(ScenarioConfig(scenario=f"{self.project.agent.agent} in the simulator",
                                       agent=self.project.agent_file.name, secrets=self.secrets,
                                       start_data=self._data_from("start_data"),
                                       preconnect=self._data_from("preconnect")))

    def _data_from(self, source: str) -> dict[str, str]:
        variables = self.project.agent.variables
        return {name: value for name, value in self.data.items() if variables[name].from_ == source}

    def _check_data(self) -> None:
        """Refuse `--data` for what it cannot set: a scenario's call (its start_data: and preconnect: say
        what it gets) or a name that is no start-data or pre-connect variable of the agent."""
        if not self.data:
            return
        if self.scenario is not None:
            raise CallsimError("--data is for a free call (--agent); a scenario's start_data: and preconnect: "
                               "give its call's data")
        takes = [name for name, spec in self.project.agent.variables.items() if spec.from_ != "caller"]
        for name in self.data:
            if name not in takes:
                raise CallsimError(f"--data {name}: the agent has no variable {name} from start_data or preconnect; "
                                   + (f"it takes {', '.join(takes)}" if takes else "it takes none"))

    def missing_data(self) -> list[str]:
        """A sentence for the agent's start-data and pre-connect variables a free call gives no value."""
        if self.scenario is not None:
            return []
        missing = {source: [name for name, spec in self.project.agent.variables.items()
                            if spec.from_ == source and name not in self.data]
                   for source in ("start_data", "preconnect")}
        parts = [f"{', '.join(names)} ({'sent at call start' if source == 'start_data' else 'looked up before connect'})"
                 for source, names in missing.items() if names]
        if not parts:
            return []
        names = [name for found in missing.values() for name in found]
        it = "it" if len(names) == 1 else "them"
        return [f"This free call has no value for {' and '.join(parts)}; the lines and actions that read {it} go "
                f"without. Give {it} with --data NAME=VALUE (repeatable), e.g. --data {names[0]}=VALUE."]

    def missing(self) -> dict[str, list[SecretUse]]:
        """The secrets the agent's actions need that neither `--secret`, the dialog nor the environment supplies
        (with a scenario, loading it already refused those), each with the placeholders that read it."""
        return missing_secrets(self.project.secrets, self.config.secrets, os.environ)

    def missing_secrets(self) -> list[str]:
        """A sentence for each secret still missing (see `missing`)."""
        missing = self.missing()
        return [f"Secret {name} has no value; {uses[0].where} ({uses[0].position})"
                + (f" and {len(uses) - 1} more place(s)" if len(uses) > 1 else "")
                + f" need it, so the call stops when one of them runs. Start the simulator with --secret {name}=VALUE, "
                f"or set the environment variable {name}." for name, uses in missing.items()]

    @property
    def folder(self) -> Path:
        """Where relative paths (audio files, calendar files) start."""
        return (self.scenario.file if self.scenario is not None else self.project.agent_file).parent

    @property
    def turns(self) -> list[Turn]:
        return list(self.scenario.config.turns) if self.scenario is not None else []

    async def begin(self) -> None:
        """Set up a fresh call (clock, fakes, trace) and connect it: the agent greets."""
        config = self.config
        if self.start is not None:
            start = self.start
        elif self.scenario is not None:
            start = config.now
        else:
            start = dt.datetime.now(ZoneInfo(self.project.agent.timezone)).replace(microsecond=0)
        self.clock = LiveClock(start, self.monotonic) if self.monotonic else LiveClock(start)
        self.clock.on_error = self._background_error
        self.clock.before_jump = self.pace
        header = (trace_header(self.scenario) if self.scenario is not None else
                  {"type": "trace", "format": TRACE_FORMAT, "engine": __version__, "scenario": config.scenario,
                   "file": str(self.project.agent_file), "agent": self.project.agent.agent,
                   "fingerprint": self.project.fingerprint, "seed": config.seed})
        header.update(started_at=start.isoformat(), source="tui")
        self.trace = Trace(header=header)
        self.trace.listeners.extend(self.listeners)
        self.backends: ScenarioBackends = call_backends(config, self.clock, self.project, self.folder)
        if self.scenario is None:
            self.backends.http.routes_from = "free_call"
        if self.asker is not None:
            self.asker.attach()
        self.session = CallSession(self.project, clock=self.clock, backends=self.backends, trace=self.trace,
                                   setup=call_setup(config))
        self.steps, self.turn_index, self._window_start = [], 0, 0
        self.checked = {"pass": 0, "fail": 0}
        prepare_next(self.session, self.turns, -1)  # a scenario whose first turn talks over the greeting
        async with self.clock.lock:
            await self.session.start()
            self.backends.telephony.pick_up(self.session)

    async def close(self) -> None:
        if self.session is not None:
            await self.backends.aclose()

    # -- what the person does ----------------------------------------------------------------------

    @property
    def call(self) -> CallSession:
        assert self.session is not None, "begin() first"
        return self.session

    async def say(self, text: str) -> None:
        await self._do("caller", text, lambda: self.call.caller_says(text))

    async def press(self, digits: str) -> None:
        await self._do("dtmf", digits, lambda: self.call.caller_presses(digits))

    async def reply(self, body: str, channel: str | None = None) -> None:
        """The caller texts back: on `channel` when given, else in the thread the agent waits on (see
        `CallSession.reply`)."""
        await self._do("reply", body, lambda: self.call.reply(body, channel), channel=channel)

    async def wait(self, seconds: float) -> None:
        await self._do("wait", seconds, lambda: self.call.wait(seconds))

    async def hangup(self) -> None:
        await self._do("hangup", True, lambda: self.call.hangup("caller", "hangup"))

    async def play_audio(self, audio: str, folder: Path) -> None:
        """The caller says what a WAV file holds; an unreadable file is a note, and the call goes on."""
        from callsim.voice.audio import check_wav
        from callsim.voice.caller_audio import caller_audio

        path = (folder / audio).resolve()
        problem = check_wav(path)
        if problem is not None:
            self.note(f"Cannot play {audio}: {problem}.", "error")
            return
        await self._do("audio", str(path), lambda: caller_audio(self.call, str(path), Path("/"), ahead=self.working))

    async def heard(self, transcript: Any, engine: str, seconds: float) -> None:
        """A microphone turn: what speech-to-text heard goes into the call as audio turns do (recorded
        with its confidence; an unclear or one-word transcript is taken only as far as it can be trusted)."""
        from callsim.voice.caller_audio import hear, judge

        await self._do("caller", judge(transcript)[0],
                       lambda: hear(self.call, transcript, source="microphone", engine=engine, seconds=seconds,
                                    ahead=self.working))

    async def _do(self, kind: str, value: Any, action: Callable[[], Awaitable[None]], *,
                  channel: str | None = None) -> None:
        if self.session is None:
            self.note("The call is not connected yet: answer the dialog first.", "error")
            return
        call = self.call
        async with self.clock.lock:
            if call.ended:  # asked under the lock: the call may have ended while this waited for it
                if kind != "hangup":
                    self.note("The call has ended. Press ctrl+n for a new call, or save and export this one.", "error")
                return
            if kind in STARTS_WINDOW or kind == "caller":
                self._window_start = len(self.trace.events)
            step = Step(kind, value, len(self.trace.events) + 1, self.clock.elapsed(), channel=channel)
            self.steps.append(step)
            try:
                await call.guarded(action())
            except CallError as problem:
                self.note(str(problem), "error")
            step.last_seq, step.t_end = len(self.trace.events), self.clock.elapsed()

    def _background_error(self, error: BaseException) -> None:
        self.trace.emit(EngineError(message=f"{type(error).__name__}: {error}", kind="bug"))

    # -- stepping through a scenario ---------------------------------------------------------------

    @property
    def scenario_done(self) -> bool:
        return self.turn_index >= len(self.turns)

    async def step(self) -> None:
        """Play the scenario's next turn, then check the `expect:` turns that follow it; after the last
        turn, hang up and check the scenario's call-level expectations."""
        if self.scenario is None:
            self.note("No scenario to step through: start with --scenario FILE.", "error")
            return
        turns = self.turns
        if self.turn_index > len(turns):
            if self.turn_index == len(turns) + 1:  # said once; the line stays on screen
                self.note("The scenario has finished: F5 has no turn left to play (ctrl+n plays it again).")
            self.turn_index += 1
            return
        if self.scenario_done:
            if not self.call.ended:
                await self.hangup()
            self._check_all(self.scenario.config.expect, ("expect",), "after the call")
            self._check_after_call()
            self.note(f"Scenario finished: {self.checked['pass']} checks passed, {self.checked['fail']} failed.",
                      "fail" if self.checked["fail"] else "pass")
            self.turn_index += 1
            return
        turn = turns[self.turn_index]
        self.turn_index += 1
        kind = turn.kind
        if kind != "expect":
            prepare_next(self.call, turns, self.turn_index - 1)  # a barge-in or timed hang-up of the turn after
            await self._play(turn)
        else:
            self._check_turn(turn, self.turn_index - 1)
        while not self.scenario_done and turns[self.turn_index].kind == "expect":
            self._check_turn(turns[self.turn_index], self.turn_index)
            self.turn_index += 1

    async def _play(self, turn: Turn) -> None:
        played = len(self.steps)
        await self._play_turn(turn)
        if len(self.steps) == played and turn.kind == "hangup":  # it fell due during the turn before
            at = len(self.trace.events) + 1
            self.steps.append(Step("hangup", True, at, self.clock.elapsed(), at - 1, self.clock.elapsed()))
        if len(self.steps) > played:  # the turn became a step: keep its timing for the export
            step = self.steps[played]
            if turn.barge_in is not None:
                step.timing["barge_in"] = turn.barge_in
            if turn.hangup is not None:
                step.timing.update({key: seconds for key in ("at", "after")
                                    if (seconds := getattr(turn.hangup, key)) is not None})

    async def _play_turn(self, turn: Turn) -> None:
        kind = turn.kind
        persona = self.call.setup.persona  # a persona scenario's turns name its caller: {{ caller.name }}
        if kind == "caller":
            await self.say(persona_text(turn.caller or "", persona))
        elif kind == "wait":
            await self.wait(turn.wait or 0.0)
        elif kind == "hangup":  # now, or at its set time (a hang-up during the turn before has already ended the call)
            await self._do("hangup", True, lambda: TURNS["hangup"](self.call, turn))
        elif kind == "reply":
            await self.reply(persona_text(turn.reply or "", persona), turn.channel)
        elif kind == "dtmf":
            await self.press(turn.dtmf or "")
        elif kind == "audio":
            await self.play_audio(turn.audio or "", self.folder)
        else:
            self.note(f"This simulator cannot play a {kind!r} turn; skipped.", "error")

    def _check_turn(self, turn: Turn, index: int) -> None:
        moment = f"after turn {index}"
        self._check_all(turn.expect or [], ("turns", index, "expect"), moment)

    def _check_all(self, expectations: list[Expectation], where: tuple[Any, ...], moment: str) -> None:
        window = self.trace.events[self._window_start:] if where[0] == "turns" else self.trace.events
        for number, written in enumerate(expectations):
            expectation = as_sent(written, self.trace)  # as checked: the persona's details in, secrets redacted
            if isinstance(expectation, Failure):
                expectation, failure = written, expectation
            else:
                failure = check(expectation, window, self.trace.events, self.trace.value_types)
            line = self.scenario.position(*where, number).line if self.scenario else 0
            label = f"line {line}: {_describe(expectation)}"
            if failure is None:
                self.checked["pass"] += 1
                self.note(f"✓ {label}", "pass")
            else:
                self.checked["fail"] += 1
                self.note(f"✗ {label} ({moment}): expected {failure.expected}; {failure.instead}", "fail")


    def _check_after_call(self) -> None:
        """What the scenario expects beyond its own lines, as `callsim run` checks it: its suite files'
        expectations, every fake used, every evaluation passed unless stated."""
        assert self.scenario is not None
        result = ScenarioResult(self.scenario, self.trace)
        check_after_call(result, self.backends)
        self.checked["pass"] += result.checks - len(result.failures)
        self.checked["fail"] += len(result.failures)
        for item in result.failures:
            where = item.position
            line = f"line {where.line}" if where.file == self.scenario.doc.file else f"{Path(where.file).name} line {where.line}"
            self.note(f"✗ {line} ({item.moment}): expected {item.failure.expected}; {item.failure.instead}", "fail")


def _describe(expectation: Expectation) -> str:
    kind = expectation.kind
    value = getattr(expectation, kind)
    if hasattr(value, "model_dump"):
        value = value.model_dump(by_alias=True, exclude_none=True, exclude_defaults=True, mode="json")
    return f"{kind}: {json.dumps(value, ensure_ascii=False, default=str)}"
