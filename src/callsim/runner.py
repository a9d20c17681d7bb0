"""Run a scenario: build the fakes and the clock, play the caller's turns, check the expectations."""

from __future__ import annotations

import json
import os
import time
import traceback
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from callsim.backends import ScenarioBackends, build_backends
from callsim.backends.live_http import RecordedAnswers
from callsim.config.loaded import Project, Scenario
from callsim.config.plain import PLAIN
from callsim.engine.clock import VirtualClock
from callsim.engine.variables import Secrets
from callsim.engine.session import CallSession, CallSetup, trigger_index
from callsim.engine.triggers import TriggerIndex
from callsim.errors import CallError, Position, SetupError, TemplateError
from callsim.personas import make_persona, persona_text
from callsim.trace.events import TRACE_FORMAT, EngineError, Evaluation, Event
from callsim.trace.expect import Failure, check, check_in_call
from callsim.trace.recorder import JsonlRecorder
from callsim.trace.redact import Redactor
from callsim.trace.timeline import clock
from callsim.trace.trace import Trace
from callsim.version import __version__

if TYPE_CHECKING:
    from callsim.config.scenario import Expectation, Turn
    from callsim.servers import ServerPool


@dataclass
class ExpectationFailure:
    """One unmet expectation of a scenario, with where it is written.

    Besides the scenario's own `expect:` entries, a scenario also expects what it does not write
    out: every fake it set up is used, and every evaluation passes unless it says otherwise. Those
    failures have no `expectation` and point at what the scenario (or library) wrote instead.
    """

    position: Position
    expectation: Expectation | None
    failure: Failure
    moment: str
    """When the check ran, e.g. `at 00:10.800, after caller turn 2: "four five six seven"` or `after the call`."""
    hint: str = ""
    """How to fix it, when that is not obvious from what was expected."""
    window: tuple[int, int] | None = None
    """For a check inside `turns:`, the events it looked at (`trace.events[start:end]`)."""

    def describe(self) -> str:
        if self.expectation is None:
            return ""
        kind = self.expectation.kind
        value = getattr(self.expectation, kind)
        if hasattr(value, "model_dump"):
            value = value.model_dump(by_alias=True, exclude_none=True, exclude_defaults=True)
        elif isinstance(value, dict):  # e.g. evaluation: {NAME: {passed, score}}
            value = {key: item.model_dump(by_alias=True, exclude_none=True, exclude_defaults=True)
                     if hasattr(item, "model_dump") else item for key, item in value.items()}
        return f"{kind}: {json.dumps(value, ensure_ascii=False, default=_as_written)}"


def _as_written(value: Any) -> str:
    """A value JSON has no form for as a scenario writes it: a date-time in ISO 8601, else its text."""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


@dataclass
class ScenarioResult:
    """The outcome of one scenario run: its trace, what failed, and how long it took."""

    scenario: Scenario
    trace: Trace
    failures: list[ExpectationFailure] = field(default_factory=list)
    errors: list[EngineError] = field(default_factory=list)
    crash: str | None = None
    variant: int = 0
    """Which run of a `repeat: N` scenario (0-based): the seed and persona move on by this much."""
    checks: int = 0
    wall_time: float = 0.0
    record_path: Path | None = None

    @property
    def passed(self) -> bool:
        return not (self.failures or self.errors or self.crash)

    @property
    def title(self) -> str:
        """The scenario's title, with the run's number when the scenario repeats (redacted: it is shown)."""
        return self.trace.redact(variant_title(self.scenario, self.variant))


def trace_header(scenario: Scenario, variant: int = 0) -> dict[str, Any]:
    config = scenario.config
    header = {"type": "trace", "format": TRACE_FORMAT, "engine": __version__, "scenario": config.scenario,
              "file": _display_path(scenario.file, os.getcwd()), "agent": scenario.project.agent.agent,
              "fingerprint": scenario.project.fingerprint, "seed": config.seed + variant,
              "started_at": config.now.isoformat()}
    if config.repeat > 1:
        header["variant"] = variant
    return header


def below(path: Path, root: Path) -> Path:
    """`path` relative to `root` when it is below it, else `path` as given. Below as written first (a
    `scenarios/` that is a link to elsewhere is still below the project), else once links are followed."""
    for absolute, base in ((Path(os.path.abspath(path)), Path(os.path.abspath(root))), (path.resolve(), root.resolve())):
        if absolute == base or base in absolute.parents:
            return absolute.relative_to(base)
    return path


@lru_cache(maxsize=4096)
def _display_path(path: Path, cwd: str) -> str:
    """A scenario's path relative to the working directory `cwd` when it is below it (stable across machines).
    The folder is part of the key: a process that changes it (a test, a program calling callsim) must not be
    given a path relative to the old one, which an audio turn's file would then be looked for from."""
    return below(path, Path(cwd)).as_posix()


def variant_title(scenario: Scenario, variant: int) -> str:
    if scenario.config.repeat <= 1:
        return scenario.title
    return f"{scenario.title} [{variant + 1}/{scenario.config.repeat}]"


def shown_title(scenario: Scenario, variant: int) -> str:
    """`variant_title` redacted before any call ran (a pytest item's name): of the scenario's secrets and the
    environment's that its agent names, as its calls' traces redact them."""
    redact = Redactor()
    Secrets(scenario.config.secrets, redact, names=scenario.project.secret_names)
    return redact(variant_title(scenario, variant))


T = TypeVar("T")


def needs_event_loop(scenario: Scenario) -> bool:
    """Whether a call of `scenario` waits on something real, so that it runs in asyncio's event loop: a request
    passed through to a server (a live connection, a server of its own started), or a caller's audio heard in a
    worker thread. A call on the virtual clock alone never waits for anything (see `run_to_end`)."""
    return scenario.passes_through or any(turn.audio is not None for turn in scenario.config.turns)


def run_to_end(calls: Coroutine[Any, Any, T], *, event_loop: bool) -> T:
    """Run `calls` (coroutines of calls) to their end and return what they return: in asyncio's event loop
    when they wait on something real (`needs_event_loop`), else straight through, in this thread. A call on the
    virtual clock runs its timers itself and never gives way to a loop, and loading asyncio (with ssl) is about
    a twentieth of a one-file run."""
    if event_loop:
        import asyncio

        return asyncio.run(calls)
    try:
        calls.send(None)
    except StopIteration as done:
        return done.value
    calls.close()
    raise RuntimeError("a call on the virtual clock waited for an event loop; needs_event_loop() must say so")


def variants(scenarios: Iterable[Scenario]) -> list[tuple[Scenario, int]]:
    """Every run a list of scenarios asks for: each scenario once per `repeat`."""
    return [(scenario, v) for scenario in scenarios for v in range(scenario.config.repeat)]


def call_setup(config: Any, variant: int = 0) -> CallSetup:
    """Who calls and with what data: the scenario's caller, or its persona for this run."""
    caller = config.caller
    persona = make_persona(caller.seed + variant, caller.locale) if caller.persona else None
    number = caller.number or (persona["number"] if persona else "+14155550100")
    name = caller.name or (persona["name"] if persona else None)
    return CallSetup(caller_number=number, caller_name=name, direction=config.direction, start_data=config.start_data,
                     preconnect=config.preconnect, secrets=config.secrets, seed=config.seed + variant,
                     persona=persona)


def call_backends(config: Any, clock: Any, project: Project, folder: Path) -> ScenarioBackends:
    """The fakes of one call: the scenario's (`config`, files relative to `folder`) over the agent's defaults."""
    return build_backends(config, clock, folder=folder, timezone=project.agent.timezone, defaults=project.defaults,
                          origin=project.agent_file.name)


def _triggers(project: Project) -> TriggerIndex:
    # compiled once per loaded project and shared by all its scenarios
    index = getattr(project, "_triggers", None)
    if index is None:
        index = trigger_index(project)
        project._triggers = index  # type: ignore[attr-defined]
    return index


async def run_scenario_async(scenario: Scenario, *, record: Path | None = None, variant: int = 0,
                             servers: ServerPool | None = None,
                             recorded: RecordedAnswers | None = None) -> ScenarioResult:
    """Run one scenario (run number `variant` of its `repeat`) on a virtual clock; never raises for a
    failing or crashing call. Pass-through requests go to the servers of `servers` (the run's pool; else
    one started for this call alone), or are answered from a recording's `recorded` answers."""
    started = time.perf_counter()
    config = scenario.config
    clock = VirtualClock(config.now)
    trace = Trace(header=trace_header(scenario, variant), parse=_expectation_from_call)
    result = ScenarioResult(scenario, trace, variant=variant)
    backends = call_backends(config, clock, scenario.project, scenario.file.parent)
    setup = call_setup(config, variant)
    call = CallSession(scenario.project, clock=clock, backends=backends, trace=trace, setup=setup,
                       triggers=_triggers(scenario.project))
    recorder = None
    if record is not None:  # once the session registered the call's secrets, so the header is redacted too
        recorder = JsonlRecorder(record)
        recorder.attach(trace)
        result.record_path = record
    own_pool = None
    try:
        if recorded is not None:
            backends.http.live.recorded = recorded
        elif scenario.servers:
            if servers is None:
                from callsim.servers import ServerPool

                servers = own_pool = ServerPool()
            backends.http.live.servers.update(await servers.urls(scenario.servers))
        await _play(scenario, call, result)
    except SetupError as problem:  # a server that is not there: nothing of the call can be trusted
        trace.emit(EngineError(message=str(problem), kind="call", setup=True))
    except Exception:  # a bug in callsim: keep the trace readable and show the traceback
        result.crash = trace.redact(traceback.format_exc())
        trace.emit(EngineError(message=result.crash.strip().splitlines()[-1], kind="bug"))
    finally:
        await backends.aclose()
        if own_pool is not None:
            own_pool.close()
        if recorder is not None:
            recorder.close()
    expected = [x.error.casefold() for x in _expectations(scenario) if x.error]
    result.errors = [e for e in trace.events if isinstance(e, EngineError) and e.kind != "bug"
                     and not any(text in e.message.casefold() for text in expected)]
    result.wall_time = time.perf_counter() - started
    return result


async def _play(scenario: Scenario, call: CallSession, result: ScenarioResult) -> None:
    config = scenario.config
    prepare_next(call, config.turns, -1)
    await call.start()
    call.backends.telephony.pick_up(call)  # an outbound call's phone menu (the scenario's ivr:) starts playing
    window_start = 0
    waited = 0.0
    for index, turn in enumerate(config.turns):
        kind = turn.kind
        if kind == "expect":
            # the time first, the caller's words last: a long turn is cut at the end of the line
            moment = f"at {clock(call.clock.elapsed())}, after " + (f"a {waited:g}s wait after " if waited else "") + (
                f'caller turn {call.turn}: "{call.last_utterance}"' if call.turn else "the greeting")
            for number, expectation in enumerate(turn.expect or []):
                _check(result, expectation, scenario.position("turns", index, "expect", number),
                       call.trace.events, moment, window_start)
        elif not call.ended:  # after an early end (an error, the agent hung up) nobody is left to talk to
            if kind in STARTS_WINDOW:
                window_start, waited = len(call.trace.events), 0.0
            elif kind == "wait":
                waited += turn.wait or 0.0
            prepare_next(call, config.turns, index)
            await TURNS[kind](call, turn)
    await call.hangup("caller", "hangup")
    for number, expectation in enumerate(config.expect):
        _check(result, expectation, scenario.position("expect", number), call.trace.events, "after the call")
    check_after_call(result, call.backends)
    for item in result.failures:
        item.hint = item.hint or when_it_happened(item, result.trace)


def check_after_call(result: ScenarioResult, backends: ScenarioBackends) -> None:
    """What a scenario expects after the call beyond its own top-level `expect:`: its suite files'
    expectations, every fake it set up used, every evaluation passed unless it states otherwise."""
    scenario, trace = result.scenario, result.trace
    for rule in scenario.suite:  # taken as written: a rule for every scenario names no persona's or secret's value
        result.checks += 1
        failure = check(rule.expectation, trace.events, trace.events, trace.value_types)
        if failure is not None:
            result.failures.append(ExpectationFailure(rule.position, rule.expectation, failure, "after the call"))
    _check_fakes_used(scenario, backends, trace.events, result)
    _check_evaluations(scenario, trace.events, result)
    _check_webhook(scenario, trace.events, result)


FAKE_EVENTS = {"http": ("http_request", "http_response"), "phones": ("dialing", "dial_failed", "busy", "no_answer"),
               "replies": ("message_sent", "message_received", "reply_timed_out")}
"""The events that show, in a failure's timeline, what happened instead of using a fake."""


def _check_fakes_used(scenario: Scenario, backends: ScenarioBackends, events: list[Event],
                      result: ScenarioResult) -> None:
    """Every fake the scenario set up must have been used, unless it is marked `optional: true`."""
    config = scenario.config
    result.checks += len(config.http) + len(config.phones) + len(config.replies)
    for fake in backends.unused():
        related = [e for e in events if e.type in FAKE_EVENTS[fake.kind]] or events
        result.failures.append(ExpectationFailure(
            _fake_position(scenario, fake.path), None, Failure(fake.expected, fake.why, related), "after the call",
            hint=f"a fake the call never uses means the scenario does not test what it sets up; if {fake.label} "
                 "may go unused, mark it optional: true"))


def _check_evaluations(scenario: Scenario, events: list[Event], result: ScenarioResult) -> None:
    """Every evaluation must pass, unless the scenario states its expected outcome (`evaluation: {NAME: ...}`)."""
    stated = {name for x in [*_expectations(scenario), *(rule.expectation for rule in scenario.suite)]
              for name in x.evaluation or {}}
    for event in events:
        if not isinstance(event, Evaluation) or event.action in stated:
            continue
        result.checks += 1
        passed = PLAIN["Expectation"](evaluation={event.action: PLAIN["EvaluationExpectation"](passed=True)})
        failure = check(passed, events, events)
        if failure is not None:
            result.failures.append(ExpectationFailure(
                scenario.project.action_positions[event.action], None, failure, "after the call",
                hint=f"every evaluation must pass unless the scenario states its outcome; if a failing "
                     f"{event.action} is what {scenario.file.name} tests, say so: "
                     f"expect: [{{evaluation: {{{event.action}: {{passed: false}}}}}}]"))


def _check_webhook(scenario: Scenario, events: list[Event], result: ScenarioResult) -> None:
    """The end-of-call report must be answered with a success, unless the scenario states how it is answered
    (`webhook: {status: 5xx}` or `{failed: timeout}`): a team's server that rejects it is a failure to see."""
    answers = [e for e in events if e.type == "webhook_answered"]
    if not answers or any(x.webhook and (x.webhook.status or x.webhook.failed) for x in _expectations(scenario)):
        return
    result.checks += 1
    answer = answers[-1]
    if answer.failed:
        got = f"no answer ({answer.error})" if answer.error else f"status {answer.status}"
        result.failures.append(ExpectationFailure(
            scenario.project.webhook_position or scenario.position(), None,
            Failure("the webhook's server to accept the end-of-call report (2xx)", f"it got {got}",
                    [e for e in events if e.type.startswith("webhook")]), "after the call",
            hint="if a failing webhook is what this scenario tests, say so: expect: [{webhook: {status: 5xx}}] "
                 "(or {failed: timeout})"))


def _fake_position(scenario: Scenario, path: tuple[str | int, ...]) -> Position:
    if path[0] == "phones":  # the entry as written (the config holds its normalised form)
        written = list(scenario.doc.data.get("phones") or {})
        index = list(scenario.config.phones).index(path[1])
        return scenario.doc.position(("phones", str(written[index])), key=True)
    return scenario.position(*path)


async def _caller(call: CallSession, turn: Turn) -> None:
    await call.guarded(_persona_turn(call, call.caller_says, turn.caller or ""))


async def _persona_turn(call: CallSession, speak: Callable[[str], Awaitable[None]], text: str) -> None:
    try:
        text = persona_text(text, call.setup.persona)
    except TemplateError as problem:  # a persona the validation's first one did not foresee: the user's error
        raise CallError(f"this persona's details cannot fill in the turn: {problem}") from None
    await speak(text)


async def _wait(call: CallSession, turn: Turn) -> None:
    await call.wait(turn.wait or 0.0)


async def _hangup(call: CallSession, turn: Turn) -> None:
    due = call.interrupts.hangup_due
    if due is None:
        await call.hangup("caller", "hangup")
    else:  # a timed hang-up the turn before finished ahead of: the caller stays silent until then
        await call.wait(max(0.0, due - call.clock.elapsed()))


def prepare_next(call: CallSession, turns: list[Turn], index: int) -> None:
    """Before turn `index` plays (-1: the greeting), arm what the next turn does while this one is still going:
    a caller turn that barges in on the agent's reply, or a hang-up at a set time."""
    following = next((t for t in turns[index + 1:] if t.kind != "expect"), None)
    if following is None:
        return
    if following.barge_in is not None:
        call.barge_in(following.barge_in)
    timing = following.hangup
    if timing is not None and (timing.at is not None or timing.after is not None):
        if index < 0:  # nothing comes before it: after: counts from the start of the call
            call.hang_up_later(at=timing.at if timing.at is not None else timing.after)
        else:
            call.hang_up_later(at=timing.at, after=timing.after)


async def _reply(call: CallSession, turn: Turn) -> None:
    await call.guarded(_persona_turn(call, lambda text: call.reply(text, turn.channel), turn.reply or ""))


async def _dtmf(call: CallSession, turn: Turn) -> None:
    await call.caller_presses(turn.dtmf or "")


async def _audio(call: CallSession, turn: Turn) -> None:
    from callsim.voice.caller_audio import caller_audio

    await caller_audio(call, turn.audio or "")


TURNS: dict[str, Callable[[CallSession, Turn], Awaitable[None]]] = {
    "caller": _caller,
    "audio": _audio,
    "wait": _wait,
    "hangup": _hangup,
    "reply": _reply,
    "dtmf": _dtmf,
}
"""What each kind of scenario turn does to the call."""
STARTS_WINDOW = {"caller", "hangup", "reply", "dtmf", "audio"}
"""Turn kinds after which a turn's `expect:` looks only at what came next."""


def _check(result: ScenarioResult, expectation: Expectation, position: Position,
           events: list[Event], moment: str, start: int | None = None) -> None:
    """Check `expectation` over `events[start:]` (a turn's window; None: the whole call)."""
    result.checks += 1
    failure = check_in_call(expectation, events if start is None else events[start:], result.trace)
    if failure is not None:
        window = None if start is None else (start, len(events))
        result.failures.append(ExpectationFailure(position, expectation, failure, moment, window=window))


FOUND_ELSEWHERE = {"agent_said", "action", "action_failed", "action_abandoned", "http", "message", "extracted",
                   "transfer", "dtmf", "ivr_said", "booking"}
"""Kinds of check that look for something happening, so that it can be looked for outside the turn's window."""


def when_it_happened(item: ExpectationFailure, trace: Trace) -> str:
    """For a turn's check that failed: when what it looked for did happen, before or after the stretch of the
    call it looks at (a timing slip, not a wrong agent), and how to move it; else ''."""
    expectation = item.expectation
    if item.window is None or expectation is None or expectation.kind not in FOUND_ELSEWHERE:
        return ""
    value = getattr(expectation, expectation.kind)
    if getattr(value, "times", None) is not None or getattr(value, "exact", False):
        return ""
    events, (start, end) = trace.events, item.window

    def holds(low: int, high: int) -> bool:
        return check_in_call(expectation, events[low:high], trace) is None

    if holds(end, len(events)):  # the first event after which it holds: where it happened
        low, high = end + 1, len(events)
        while low < high:
            middle = (low + high) // 2
            low, high = (low, middle) if holds(end, middle) else (middle + 1, high)
        event = events[low - 1]
        return (f"it did happen, after this check looked: at {clock(event.t)} (#{event.seq} {event.summary()}); "
                "move the check after the turn that leads to it, or wait longer before it (- wait: 10s)")
    if start and holds(0, start):  # the last event from which on it holds: where it happened
        low, high = 0, start - 1
        while low < high:
            middle = (low + high + 1) // 2
            low, high = (middle, high) if holds(middle, start) else (low, middle - 1)
        event = events[low]
        return (f"it happened before the turn this check follows: at {clock(event.t)} (#{event.seq} "
                f"{event.summary()}); a turn's expect: looks only at what came after that turn, so move the "
                "check up, or to the top-level expect: (the whole call)")
    return ""


def _expectations(scenario: Scenario) -> list[Expectation]:
    turns = [x for turn in scenario.config.turns for x in (turn.expect or [])]
    return turns + list(scenario.config.expect)


def _expectation_from_call(key: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Expectation:
    """A Python expectation (`trace.expect.http(url=...)`) read as its YAML: validated by the models, which are
    loaded only when a test writes one."""
    from callsim.config.python_expectations import expectation_from_call

    return expectation_from_call(key, args, kwargs)


def run_scenario(scenario: Scenario | Path | str, *, record: Path | None = None) -> ScenarioResult:
    """Load (if given a path) and run one scenario."""
    import asyncio

    from callsim.config.project import load_scenario

    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    return asyncio.run(run_scenario_async(scenario, record=record))


async def run_many(scenarios: Iterable[Scenario], *, record_dir: Path | None = None,
                   on_result: Any = None) -> list[ScenarioResult]:
    """Run scenarios one after another in one event loop."""
    results = []
    for scenario, variant in variants(scenarios):
        record = record_dir / recording_name(scenario.file, variant) if record_dir is not None else None
        result = await run_scenario_async(scenario, record=record, variant=variant)
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results


def recording_name(path: Path, variant: int = 0) -> Path:
    """Where a scenario's trace goes under a recordings folder: its path below `scenarios/` (or the
    working directory), with `.jsonl`; run N of a repeated scenario gets `.N.jsonl`."""
    relative = below(path, Path.cwd())
    if relative is path and (path.is_absolute() or ".." in path.parts):
        # outside the working folder: keep the whole path, so same-named files stay apart
        relative = Path(*Path(os.path.abspath(path)).parts[1:])
    if relative.parts[:1] == ("scenarios",) and len(relative.parts) > 1:
        relative = Path(*relative.parts[1:])
    suffix = f".{variant + 1}.jsonl" if variant else ".jsonl"
    return relative.with_suffix(suffix)

