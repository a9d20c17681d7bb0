"""The virtual clock runs scheduled work in time order while time passes, and never sleeps."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from callsim.engine.clock import VirtualClock

START = dt.datetime(2026, 3, 8, 1, 59, tzinfo=dt.timezone.utc)


def test_timers_run_in_order_at_their_time():
    clock = VirtualClock(START)
    seen: list[tuple[str, float]] = []

    def at(name: str):
        async def run() -> None:
            seen.append((name, clock.elapsed()))
        return run

    clock.schedule(30, at("ring timeout"))
    clock.schedule(20, at("reply"))
    clock.schedule(20, at("second at 20"))
    late = clock.schedule(10, at("cancelled"))
    late.cancel()
    asyncio.run(clock.sleep(25))
    assert seen == [("reply", 20), ("second at 20", 20)]
    assert clock.elapsed() == 25
    asyncio.run(clock.sleep(5))
    assert seen[-1] == ("ring timeout", 30)
    assert clock.pending == 0


def test_a_callback_that_lets_time_pass_does_not_move_time_back():
    clock = VirtualClock(START)

    async def speak() -> None:
        await clock.sleep(10)

    clock.schedule(1, speak)
    asyncio.run(clock.sleep(2))
    assert clock.elapsed() == 11


def test_now_is_aware_and_refuses_naive_starts():
    clock = VirtualClock(START)
    asyncio.run(clock.sleep(90))
    assert clock.now() == START + dt.timedelta(seconds=90)
    with pytest.raises(ValueError):
        VirtualClock(dt.datetime(2026, 1, 1))
    with pytest.raises(ValueError):
        asyncio.run(clock.sleep(-1))
