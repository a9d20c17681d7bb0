"""Backends: each a protocol and a stateful fake; a scenario configures the fakes a call meets.

Adding a backend means one module here and one field (and one line in `build_backends`).
"""

from __future__ import annotations

from dataclasses import dataclass

from callsim.backends.http import FakeHttp
from callsim.config.scenario import ScenarioConfig
from callsim.engine.clock import Clock


@dataclass
class ScenarioBackends:
    """The fakes of one simulated call."""

    http: FakeHttp

    async def aclose(self) -> None:
        await self.http.aclose()


def build_backends(config: ScenarioConfig, clock: Clock) -> ScenarioBackends:
    """The fakes a scenario describes, on the scenario's clock."""
    return ScenarioBackends(http=FakeHttp(config.http, clock))
