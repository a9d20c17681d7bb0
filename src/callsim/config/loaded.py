"""A scenario and the project it runs, loaded and validated: what the engine plays a call from.

Their configuration is plain (callsim.config.plain), and this module loads no pydantic, so a scenario
loaded once can be kept (pickled) and played again without it. Loading is callsim.config.project's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from callsim.config.secrets import SecretUse
from callsim.config.document import Document
from callsim.errors import Position
from callsim.trace.compare import UNTYPED, ValueTypes

if TYPE_CHECKING:
    from callsim.config.actions import Action, PhonebookEntry
    from callsim.config.agent import AgentConfig
    from callsim.config.fakes import FakeDefaults
    from callsim.config.live import ServerSpec
    from callsim.config.scenario import Expectation, ScenarioConfig


@dataclass(frozen=True)
class SuiteExpectation:
    """One suite-wide expectation as it applies to a scenario, with where the suite file writes it."""

    expectation: Expectation
    position: Position


@dataclass
class Project:
    """An agent and every action it can reach, validated and ready to run."""

    agent: AgentConfig
    agent_file: Path
    actions: dict[str, Action]
    phonebooks: dict[str, list[PhonebookEntry]]
    action_positions: dict[str, Position]
    files: list[Path]
    fingerprint: str
    """A hash of the agent and action files, so a replay can tell that the configuration changed."""
    value_types: ValueTypes = field(default=UNTYPED)
    """The declared type of each variable and extractor field, by which expectations compare values."""
    secrets: list[SecretUse] = field(default_factory=list)
    """Every placeholder that needs a secret, in the agent's lines and the actions it can run."""
    secret_names: frozenset[str] = frozenset()
    """Every secret the agent's placeholders name, needed or not: redacted from the start of each call."""
    webhook_position: Position | None = None
    """Where the agent file sets its `webhook:`."""

    @cached_property
    def phases(self) -> dict[str, frozenset[str]]:
        """When in a call each action can run (see callsim.config.reach), worked out once per project."""
        from callsim.config.reach import action_phases

        return action_phases(self.agent, self.actions)

    @cached_property
    def defaults(self) -> FakeDefaults:
        """The agent's own fakes (`defaults:`), with paths in them found from the agent file's folder."""
        return self.agent.defaults.anchored(self.agent_file.parent)


@dataclass
class Scenario:
    """One scenario file with the project it runs."""

    config: ScenarioConfig
    file: Path
    project: Project
    doc: Document = field(repr=False)
    suite: list[SuiteExpectation] = field(default_factory=list)
    """The expectations of the suite files over this scenario that apply to it (see callsim.config.suite)."""
    servers: dict[str, tuple[ServerSpec, Path]] = field(default_factory=dict)
    """The servers its pass-through routes name, each with the folder its command runs in."""

    @property
    def title(self) -> str:
        return self.config.scenario

    @property
    def passes_through(self) -> bool:
        """Whether some of its requests go to a real server (a route of its own or of its agent's defaults
        with `pass_through:`)."""
        return any(route.pass_through for route in [*self.config.http, *self.project.defaults.http])

    def position(self, *path: str | int) -> Position:
        return self.doc.position(tuple(path))
