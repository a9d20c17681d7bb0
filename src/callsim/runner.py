"""Run a scenario: build the fakes and the clock, play the caller's turns, check the expectations."""

from __future__ import annotations

import asyncio
import json
import time
import traceback
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from callsim import __version__
from callsim.backends import build_backends
from callsim.config.project import Project, Scenario, load_scenario
from callsim.config.scenario import Expectation, Turn
from callsim.engine.clock import VirtualClock
from callsim.engine.session import CallSession, CallSetup
from callsim.engine.triggers import TriggerIndex
from callsim.errors import Position
from callsim.trace.events import TRACE_FORMAT, EngineError, Event
from callsim.trace.expect import Failure, check
from callsim.trace.recorder import JsonlRecorder
from callsim.trace.trace import Trace


@dataclass
class ExpectationFailure:
    """One unmet expectation of a scenario, with where it is written."""

    position: Position
    expectation: Expectation
    failure: Failure
    moment: str
    """When the check ran, e.g. `after caller turn 2 ("four five six seven")` or `after the call`."""

    def describe(self) -> str:
        kind = self.expectation.kind
        value = getattr(self.expectation, kind)
        if hasattr(value, "model_dump"):
            value = value.model_dump(by_alias=True, exclude_none=True, exclude_defaults=True)
        return f"{kind}: {json.dumps(value, ensure_ascii=False, default=str)}"


@dataclass
class ScenarioResult:
    """The outcome of one scenario run: its trace, what failed, and how long it took."""

    scenario: Scenario
    trace: Trace
    failures: list[ExpectationFailure] = field(default_factory=list)
    errors: list[EngineError] = field(default_factory=list)
    crash: str | None = None
    checks: int = 0
    wall_time: float = 0.0
    record_path: Path | None = None

    @property
    def passed(self) -> bool:
        return not (self.failures or self.errors or self.crash)


def trace_header(scenario: Scenario) -> dict[str, Any]:
    config = scenario.config
    return {"type": "trace", "format": TRACE_FORMAT, "engine": __version__, "scenario": config.scenario,
            "file": str(scenario.file), "agent": scenario.project.agent.agent,
            "fingerprint": scenario.project.fingerprint, "seed": config.seed,
            "started_at": config.now.isoformat()}


def _triggers(project: Project) -> TriggerIndex:
    # compiled once per loaded project and shared by all its scenarios
    index = getattr(project, "_triggers", None)
    if index is None:
        index = TriggerIndex.build(project.actions, project.agent.actions)
        project._triggers = index  # type: ignore[attr-defined]
    return index


async def run_scenario_async(scenario: Scenario, *, record: Path | None = None) -> ScenarioResult:
    """Run one scenario on a virtual clock; never raises for a failing or crashing call."""
    started = time.perf_counter()
    config = scenario.config
    clock = VirtualClock(config.now)
    trace = Trace(header=trace_header(scenario))
    result = ScenarioResult(scenario, trace)
    recorder = None
    if record is not None:
        recorder = JsonlRecorder(record)
        recorder.attach(trace)
        result.record_path = record
    backends = build_backends(config, clock)
    setup = CallSetup(caller_number=config.caller.number, caller_name=config.caller.name,
                      start_data=config.start_data, preconnect=config.preconnect, secrets=config.secrets,
                      seed=config.seed)
    call = CallSession(scenario.project, clock=clock, backends=backends, trace=trace, setup=setup,
                       triggers=_triggers(scenario.project))
    try:
        await _play(scenario, call, result)
    except Exception:  # a bug in callsim: keep the trace readable and show the traceback
        result.crash = traceback.format_exc()
        trace.emit(EngineError(message=result.crash.strip().splitlines()[-1], kind="bug"))
    finally:
        await backends.aclose()
        if recorder is not None:
            recorder.close()
    expected = [x.error.casefold() for x in _expectations(scenario) if x.error]
    result.errors = [e for e in trace.events if isinstance(e, EngineError) and e.kind != "bug"
                     and not any(text in e.message.casefold() for text in expected)]
    result.wall_time = time.perf_counter() - started
    return result


async def _play(scenario: Scenario, call: CallSession, result: ScenarioResult) -> None:
    config = scenario.config
    await call.start()
    window_start = 0
    for index, turn in enumerate(config.turns):
        kind = turn.kind
        if kind == "expect":
            moment = (f'after caller turn {call.turn}: "{call.last_utterance}"' if call.turn
                      else "after the greeting")
            for number, expectation in enumerate(turn.expect or []):
                _check(result, expectation, scenario.position("turns", index, "expect", number),
                       call.trace.events[window_start:], call.trace.events, moment)
        elif not call.ended:  # after an early end (an error, the agent hung up) nobody is left to talk to
            if kind in STARTS_WINDOW:
                window_start = len(call.trace.events)
            await TURNS[kind](call, turn)
    await call.hangup("caller", "hangup")
    for number, expectation in enumerate(config.expect):
        _check(result, expectation, scenario.position("expect", number), call.trace.events,
               call.trace.events, "after the call")


async def _caller(call: CallSession, turn: Turn) -> None:
    await call.caller_says(turn.caller or "")


async def _wait(call: CallSession, turn: Turn) -> None:
    await call.wait(turn.wait or 0.0)


async def _hangup(call: CallSession, turn: Turn) -> None:
    if turn.hangup:
        await call.hangup("caller", "hangup")


TURNS: dict[str, Callable[[CallSession, Turn], Awaitable[None]]] = {
    "caller": _caller,
    "wait": _wait,
    "hangup": _hangup,
}
"""What each kind of scenario turn does to the call."""
STARTS_WINDOW = {"caller", "hangup"}
"""Turn kinds after which a turn's `expect:` looks only at what came next."""


def _check(result: ScenarioResult, expectation: Expectation, position: Position,
           window: list[Event], history: list[Event], moment: str) -> None:
    result.checks += 1
    failure = check(expectation, window, history)
    if failure is not None:
        result.failures.append(ExpectationFailure(position, expectation, failure, moment))


def _expectations(scenario: Scenario) -> list[Expectation]:
    turns = [x for turn in scenario.config.turns for x in (turn.expect or [])]
    return turns + list(scenario.config.expect)


def run_scenario(scenario: Scenario | Path | str, *, record: Path | None = None) -> ScenarioResult:
    """Load (if given a path) and run one scenario."""
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    return asyncio.run(run_scenario_async(scenario, record=record))


async def run_many(scenarios: Iterable[Scenario], *, record_dir: Path | None = None,
                   on_result: Any = None) -> list[ScenarioResult]:
    """Run scenarios one after another in one event loop."""
    results = []
    for scenario in scenarios:
        record = record_dir / recording_name(scenario.file) if record_dir is not None else None
        result = await run_scenario_async(scenario, record=record)
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results


def recording_name(path: Path) -> Path:
    """Where a scenario's trace goes under a recordings folder: its path, relative when possible."""
    try:
        relative = path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        relative = Path(path.name)
    return relative.with_suffix(".jsonl")

