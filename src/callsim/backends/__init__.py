"""Backends: each a protocol and a stateful fake; a scenario configures the fakes a call meets.

Adding a backend means one module here and one field (and one line in `build_backends`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from callsim.backends.calendar import FakeCalendar
from callsim.backends.http import FakeHttp
from callsim.backends.ivr import FakeIvr
from callsim.backends.live_http import LiveHttp
from callsim.backends.messaging import FakeMessaging
from callsim.backends.telephony import FakeTelephony
from callsim.backends.unused import UnusedFake

if TYPE_CHECKING:
    from callsim.config.fakes import FakeDefaults
    from callsim.config.scenario import ScenarioConfig
    from callsim.engine.clock import Clock


@dataclass
class ScenarioBackends:
    """The fakes of one simulated call."""

    http: FakeHttp
    messaging: FakeMessaging = field(default_factory=FakeMessaging)
    telephony: FakeTelephony = field(default_factory=FakeTelephony)
    calendar: FakeCalendar | None = None

    def unused(self) -> list[UnusedFake]:
        """Every fake the scenario set up that the call never used (and that is not `optional: true`)."""
        return [*self.http.unused(), *self.telephony.unused(), *self.messaging.unused()]

    async def aclose(self) -> None:
        await self.http.aclose()


def build_backends(config: ScenarioConfig, clock: Clock, *, folder: Path | None = None, timezone: str | None = None,
                   defaults: FakeDefaults | None = None, origin: str = "agent") -> ScenarioBackends:
    """The fakes a scenario describes, over the agent's `defaults` (from the file `origin`), on the scenario's
    clock; files they read are relative to `folder`, and a calendar without a time zone takes `timezone`
    (the agent's). How the two merge is `callsim.config.fakes`' rule."""
    calendar = defaults.calendar_for(config.calendar) if defaults is not None else config.calendar
    live = LiveHttp(clock, live_hosts=[*config.live_hosts, *(defaults.live_hosts if defaults else ())])
    http = FakeHttp(config.http, clock, defaults=[(origin, defaults.http)] if defaults else (), live=live)
    telephony = FakeTelephony(config.phones, FakeIvr(config.ivr) if config.ivr else None,
                              defaults=defaults.phones if defaults else None)
    return ScenarioBackends(http=http, messaging=FakeMessaging(config.replies, config.delivery), telephony=telephony,
                            calendar=FakeCalendar(calendar, clock, folder=folder, timezone=timezone))
