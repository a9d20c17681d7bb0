"""The simulator's clock: real time that can jump.

A call in the TUI lives on the wall clock (a text reply due in 20 seconds arrives 20 seconds later
while you watch), but nobody wants to sit through a 30-second ring timeout or the agent's speaking
time: `sleep` (speaking, `/wait 30s`, a slow fake server) jumps forward at once and runs the work
that falls due in the skipped span, in order, as the virtual clock does. The call's time is
therefore wall time since the start plus every jump.

Work that falls due while nobody is doing anything runs on the event loop under `lock`, the same
lock the simulator holds while the call handles a command, so the call never runs two things at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import heapq
import itertools
import time
from collections.abc import AsyncIterator, Awaitable, Callable

from callsim.engine.clock import Callback, Timer


class LiveClock:
    """Wall-clock time plus jumps; implements the engine's `Clock` protocol."""

    def __init__(self, start: dt.datetime, monotonic: Callable[[], float] = time.monotonic) -> None:
        if start.tzinfo is None:
            raise ValueError("the clock needs a time-zone aware start")
        self.start = start
        self._monotonic = monotonic
        self._origin = monotonic()
        self._skipped = 0.0
        self._timers: list[Timer] = []
        self._order = itertools.count()
        self._wakeup: asyncio.TimerHandle | None = None
        self.lock = asyncio.Lock()
        self.on_error: Callable[[BaseException], None] | None = None
        """Called with an exception raised by work that ran on its own (the call keeps going)."""
        self.before_jump: Callable[[], Awaitable[None]] | None = None
        """Awaited before each jump, so a view can paint what just happened before the call goes on
        (the simulator shows the caller's line at once, then the agent's reply, as on a real call)."""

    def now(self) -> dt.datetime:
        """The call's current moment, to the second (what a person reads; sub-second wall noise is not)."""
        return (self.start + dt.timedelta(seconds=self.elapsed())).replace(microsecond=0)

    def elapsed(self) -> float:
        return self._monotonic() - self._origin + self._skipped

    def schedule(self, delay: float, callback: Callback) -> Timer:
        timer = Timer(self.elapsed() + max(0.0, delay), next(self._order), callback)
        heapq.heappush(self._timers, timer)
        self._arm()
        return timer

    async def sleep(self, seconds: float) -> None:
        """Jump `seconds` ahead, running the work due on the way (the caller holds `lock`)."""
        if seconds < 0:
            raise ValueError("time cannot go backwards")
        if self.before_jump is not None:
            await self.before_jump()
        target = self.elapsed() + seconds
        while self._timers and self._timers[0].at <= target:
            timer = heapq.heappop(self._timers)
            if timer.cancelled:
                continue
            self._skipped += max(0.0, timer.at - self.elapsed())
            await timer.callback()
        self._skipped += max(0.0, target - self.elapsed())
        self._arm()

    @property
    def pending(self) -> int:
        return sum(not t.cancelled for t in self._timers)

    @contextlib.asynccontextmanager
    async def paused(self) -> AsyncIterator[None]:
        """The call's time stands still meanwhile: while the person answers a dialog for a fake server or
        phone, the call waits as it would for no time at all (the answer's own delay is what counts)."""
        stopped = self._monotonic()
        try:
            yield
        finally:
            self._skipped -= self._monotonic() - stopped
            self._arm()

    def _arm(self) -> None:
        """Wake up (on real time) when the earliest scheduled work falls due."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        if self._wakeup is not None:
            self._wakeup.cancel()
            self._wakeup = None
        while self._timers and self._timers[0].cancelled:
            heapq.heappop(self._timers)
        if self._timers:
            delay = max(0.0, self._timers[0].at - self.elapsed())
            self._wakeup = loop.call_later(delay, lambda: loop.create_task(self._run_due()))

    async def _run_due(self) -> None:
        async with self.lock:
            while self._timers and self._timers[0].at <= self.elapsed():
                timer = heapq.heappop(self._timers)
                if timer.cancelled:
                    continue
                try:
                    await timer.callback()
                except Exception as error:  # reported, so one failing timer does not stop the clock
                    if self.on_error is None:
                        raise
                    self.on_error(error)
            self._arm()
