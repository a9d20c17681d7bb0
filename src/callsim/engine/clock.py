"""Clocks: virtual time for scenarios (nothing ever sleeps), real time for interactive use."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from typing import Protocol


class Clock(Protocol):
    """What the engine asks of time: where it is now, and to let some of it pass."""

    def now(self) -> dt.datetime:
        """The current moment, time-zone aware."""

    def elapsed(self) -> float:
        """Seconds since the clock started."""

    async def sleep(self, seconds: float) -> None:
        """Let `seconds` pass."""


class VirtualClock:
    """A clock that jumps: `sleep` advances time at once, so a 30 s ring timeout costs nothing."""

    def __init__(self, start: dt.datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("a virtual clock needs a time-zone aware start")
        self.start = start
        self._elapsed = 0.0

    def now(self) -> dt.datetime:
        return self.start + dt.timedelta(seconds=self._elapsed)

    def elapsed(self) -> float:
        return self._elapsed

    async def sleep(self, seconds: float) -> None:
        self.advance(seconds)

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("time cannot go backwards")
        self._elapsed += seconds


class RealClock:
    """Wall-clock time for the interactive simulator."""

    def __init__(self) -> None:
        self._start = time.monotonic()
        self._start_at = dt.datetime.now(dt.timezone.utc)

    def now(self) -> dt.datetime:
        return self._start_at + dt.timedelta(seconds=self.elapsed())

    def elapsed(self) -> float:
        return time.monotonic() - self._start

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
