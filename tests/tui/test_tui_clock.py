"""The simulator's clock: wall time that jumps over speaking time and `/wait`, running what falls due."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from callsim.tui.clock import LiveClock

START = dt.datetime(2026, 11, 30, 15, 0, tzinfo=dt.timezone.utc)


class Wall:
    """A hand-moved monotonic clock."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_time_is_wall_time_plus_jumps_and_due_work_runs_in_order() -> None:
    wall = Wall()
    ran: list[tuple[str, float]] = []

    async def scenario() -> None:
        clock = LiveClock(START, wall)
        for name, delay in (("late", 20.0), ("early", 5.0), ("cancelled", 7.0)):
            timer = clock.schedule(delay, lambda name=name: record(clock, name))
            if name == "cancelled":
                timer.cancel()
        wall.now += 2  # two real seconds pass
        assert clock.elapsed() == 2
        await clock.sleep(10)  # a jump: "early" falls due on the way, at 5 s
        assert clock.elapsed() == 12 and clock.now() == START + dt.timedelta(seconds=12)
        await clock.sleep(30)
        assert clock.pending == 0

    async def record(clock: LiveClock, name: str) -> None:
        ran.append((name, clock.elapsed()))

    asyncio.run(scenario())
    assert ran == [("early", 5.0), ("late", 20.0)]


def test_work_due_while_idle_runs_on_real_time_under_the_lock() -> None:
    wall = Wall()
    ran: list[float] = []

    async def scenario() -> None:
        clock = LiveClock(START, wall)

        async def reply() -> None:
            assert clock.lock.locked()  # never at the same time as a command
            ran.append(clock.elapsed())

        clock.schedule(0.0, reply)
        for _ in range(5):  # the event loop wakes the clock up, which runs the due work in a task
            await asyncio.sleep(0)
        assert ran == [0.0]

    asyncio.run(scenario())


def test_a_failing_timer_is_reported_and_the_clock_goes_on() -> None:
    errors: list[BaseException] = []

    async def scenario() -> None:
        clock = LiveClock(START, Wall())
        clock.on_error = errors.append

        async def broken() -> None:
            raise RuntimeError("boom")

        clock.schedule(0.0, broken)
        await clock._run_due()

    asyncio.run(scenario())
    assert [str(e) for e in errors] == ["boom"]


def test_time_cannot_go_backwards() -> None:
    with pytest.raises(ValueError):
        asyncio.run(LiveClock(START).sleep(-1))
    with pytest.raises(ValueError, match="time-zone aware"):
        LiveClock(dt.datetime(2026, 1, 1))
