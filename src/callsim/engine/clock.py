"""Clocks: virtual time for scenarios (nothing ever sleeps), real time for interactive use.

Both can schedule work for later (a ring timeout, a text reply arriving, an `await_reply`
deadline). The virtual clock runs scheduled work, in time order, while time is made to pass by
`sleep`, so a reply due in 2 minutes arrives during a `wait: 3m` turn, at 2 minutes.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import asyncio

Callback = Callable[[], Awaitable[None]]


@dataclass(order=True)
class Timer:
    """Work scheduled on a clock; `cancel()` before it is due stops it."""

    at: float
    order: int
    callback: Callback = field(compare=False)
    cancelled: bool = field(default=False, compare=False)
    handle: asyncio.TimerHandle | None = field(default=None, compare=False, repr=False)

    def cancel(self) -> None:
        self.cancelled = True
        if self.handle is not None:
            self.handle.cancel()


class Clock(Protocol):
    """What the engine asks of time: where it is now, to let some of it pass, and to do work later."""

    def now(self) -> dt.datetime:
        """The current moment, time-zone aware."""

    def elapsed(self) -> float:
        """Seconds since the clock started."""

    async def sleep(self, seconds: float) -> None:
        """Let `seconds` pass (running any work scheduled in that span)."""

    def schedule(self, delay: float, callback: Callback) -> Timer:
        """Run `callback` after `delay` seconds."""


class VirtualClock:
    """A clock that jumps: `sleep` advances time at once, so a 30 s ring timeout costs nothing."""

    def __init__(self, start: dt.datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("a virtual clock needs a time-zone aware start")
        self.start = start
        self._elapsed = 0.0
        self._timers: list[Timer] = []
        self._order = itertools.count()

    def now(self) -> dt.datetime:
        return self.start + dt.timedelta(seconds=self._elapsed)

    def elapsed(self) -> float:
        return self._elapsed

    def schedule(self, delay: float, callback: Callback) -> Timer:
        timer = Timer(self._elapsed + max(0.0, delay), next(self._order), callback)
        heapq.heappush(self._timers, timer)
        return timer

    async def sleep(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("time cannot go backwards")
        target = self._elapsed + seconds
        while self._timers and self._timers[0].at <= target:
            timer = heapq.heappop(self._timers)
            if timer.cancelled:
                continue
            self._elapsed = max(self._elapsed, timer.at)
            await timer.callback()
        # a callback may itself have let time pass beyond the target (e.g. the agent speaking)
        self._elapsed = max(self._elapsed, target)

    def advance(self, seconds: float) -> None:
        """Move time on without running scheduled work (for tests of the clock itself)."""
        if seconds < 0:
            raise ValueError("time cannot go backwards")
        self._elapsed += seconds

    @property
    def pending(self) -> int:
        """How many scheduled callbacks are still to run."""
        return sum(not t.cancelled for t in self._timers)


class RealClock:
    """Wall-clock time for the interactive simulator."""

    def __init__(self) -> None:
        self._start = time.monotonic()
        self._start_at = dt.datetime.now(dt.timezone.utc)
        self._order = itertools.count()

    def now(self) -> dt.datetime:
        return self._start_at + dt.timedelta(seconds=self.elapsed())

    def elapsed(self) -> float:
        return time.monotonic() - self._start

    async def sleep(self, seconds: float) -> None:
        import asyncio

        await asyncio.sleep(seconds)

    def schedule(self, delay: float, callback: Callback) -> Timer:
        import asyncio

        timer = Timer(self.elapsed() + delay, next(self._order), callback)
        loop = asyncio.get_running_loop()
        timer.handle = loop.call_later(delay, lambda: None if timer.cancelled else loop.create_task(callback()))
        return timer
