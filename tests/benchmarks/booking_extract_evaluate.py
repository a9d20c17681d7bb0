"""Wall time of the booking, extract and evaluate actions, and of the engine around them.

    .venv/bin/python tests/benchmarks/booking_extract_evaluate.py [RUNS]

Runs every scenario of scenarios/booking and scenarios/quality RUNS times (default 20) in one event
loop, as `callsim run` does, after one warm-up run (dateparser's import and first parse). Each action
runner is timed; per caller turn, the engine's own share is the turn's time minus the time spent in
runners and in reading typed values from speech for slot filling (dateparser, the `when` reader,
name/phone readers, picks among offered times): triggers, dispatch, variables, rendering and the trace. Also times the calendar alone: free times around a
wanted one across two weeks, with and without the .ics recurrences.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import callsim.actions.booking as booking_module
import callsim.engine.session as session_module
from callsim.actions import RUNNERS
from callsim.backends.calendar import FakeCalendar
from callsim.config.calendar import CalendarSpec
from callsim.discover import discover
from callsim.engine.clock import VirtualClock
from callsim.runner import run_scenario_async

ROOT = Path(__file__).resolve().parents[2] / "scenarios"
spent: dict[str, list[float]] = defaultdict(list)


def timed(name: str, function: Any) -> Any:
    async def runner(action: Any, ctx: Any) -> Any:
        started = time.perf_counter()
        try:
            return await function(action, ctx)
        finally:
            spent[name].append(time.perf_counter() - started)

    return runner


def timed_reads(function: Any) -> Any:
    def read(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent["reading speech"].append(time.perf_counter() - started)

    return read


def timed_turns(function: Any) -> Any:
    async def caller_says(self: Any, text: str) -> None:
        started = time.perf_counter()
        try:
            await function(self, text)
        finally:
            spent["caller turn"].append(time.perf_counter() - started)

    return caller_says


async def main(runs: int) -> None:
    for name in ("booking", "extract", "evaluate", "http"):
        RUNNERS[name] = timed(name, RUNNERS[name])
    session_module.read_value = timed_reads(session_module.read_value)  # slot filling's reads
    booking_module.read_slot_choice = timed_reads(booking_module.read_slot_choice)  # picks among offered times
    session_module.CallSession.caller_says = timed_turns(session_module.CallSession.caller_says)
    found = discover([ROOT / "booking", ROOT / "quality"])
    for scenario in found.scenarios:  # warm-up
        await run_scenario_async(scenario)
    spent.clear()
    turns, walls = 0, []
    for _ in range(runs):
        for scenario in found.scenarios:
            started = time.perf_counter()
            result = await run_scenario_async(scenario)
            walls.append(time.perf_counter() - started)
            assert result.passed, scenario.file
            turns += sum(1 for e in result.trace.events if e.type == "caller_said")
    total = sum(walls)
    in_turns = sum(spent["caller turn"])
    in_actions = sum(sum(v) for k, v in spent.items() if k not in ("caller turn", "evaluate"))  # evaluate: post-call
    print(f"{len(found.scenarios)} scenarios x {runs} runs, {turns} caller turns, {total:.2f}s wall")
    print(f"  per scenario: median {statistics.median(walls) * 1000:.1f} ms, max {max(walls) * 1000:.1f} ms")
    print(f"  engine per caller turn (the turn's time minus actions and speech reading): "
          f"{(in_turns - in_actions) / turns * 1000:.3f} ms")
    for name, times in sorted(spent.items()):
        print(f"  {name:15} {len(times):6} calls, median {statistics.median(times) * 1000:.3f} ms, "
              f"p95 {sorted(times)[int(len(times) * 0.95)] * 1000:.3f} ms")
    calendar_alone()


def calendar_alone() -> None:
    zone = ZoneInfo("America/New_York")
    now = dt.datetime(2026, 11, 30, 15, tzinfo=zone)
    wanted = dt.datetime(2026, 12, 7, 9, tzinfo=zone)
    for label, spec in (("hours + 20 events", {"hours": {"mon-fri": "09:00-17:00"}, "events": [
            {"start": f"2026-12-{d:02d}T1{h}:00", "duration": "30m"} for d in range(1, 11) for h in (0, 4)]}),
            ("hours + clinic.ics", {"hours": {"mon-fri": "09:00-17:00"}, "ics": "clinic.ics"})):
        calendar = FakeCalendar(CalendarSpec.model_validate(spec), VirtualClock(now), folder=ROOT / "booking",
                                timezone="America/New_York")
        times = []
        for _ in range(200):
            started = time.perf_counter()
            calendar.check(wanted, wanted + dt.timedelta(minutes=30))
            calendar.nearest_free(wanted, 1800, 3)
            times.append(time.perf_counter() - started)
        print(f"  calendar check + 3 nearest free over 17 days ({label}): median "
              f"{statistics.median(times) * 1000:.2f} ms")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 20))
