"""Find callsim files under paths and load them, collecting every problem instead of stopping at one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from callsim.errors import ConfigError, ConfigErrors, Position, at_most
from callsim.files import close_file

if TYPE_CHECKING:  # loaded by `discover`: a kept Found (callsim.config_cache) is read back without the models
    from pydantic import BaseModel

    from callsim.config.project import Project, Scenario

YAML_SUFFIXES = (".yaml", ".yml")
SCENARIO_ONLY = {"turns", "expect", "http", "caller", "start_data", "preconnect", "repeat"}


@dataclass
class Found:
    """What a set of paths holds: loaded scenarios and agents, and the problems met on the way."""

    scenarios: list[Scenario] = field(default_factory=list)
    agents: list[Project] = field(default_factory=list)
    libraries: int = 0
    errors: list[ConfigError] = field(default_factory=list)
    checked: int = 0

    def add(self, part: FileLoad, seen: set[str]) -> None:
        """Count one file's load into the set's; errors already reported (an agent's, met again through another
        of its scenarios, or a file that cannot be read) are left out."""
        self.checked += 1
        if part.scenario is not None:
            self.scenarios.append(part.scenario)
        if part.agent is not None:
            self.agents.append(part.agent)
        self.libraries += part.library
        fresh = [error for error in part.errors if str(error) not in seen]
        seen.update(str(error) for error in fresh)
        self.errors.extend(at_most(fresh))


def yaml_files(paths: Iterable[Path]) -> list[Path]:
    """The YAML files named or contained (recursively) in `paths`, sorted, without duplicates."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file()))
        else:
            files.append(path)
    seen: set[Path] = set()
    unique = []
    for file in files:
        key = file.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(file)
    return unique


def kind_of(doc_data: object) -> str:
    """`scenario`, `agent`, `actions` or `unknown`, by the file's top-level keys."""
    if isinstance(doc_data, dict):
        if "scenario" in doc_data:
            return "scenario"
        agent = doc_data.get("agent")
        # a scenario names its agent file; an agent names itself (and says what it greets with)
        if isinstance(agent, str) and (agent.endswith(YAML_SUFFIXES) or SCENARIO_ONLY & doc_data.keys()):
            return "scenario"
        for key in ("agent", "actions"):
            if key in doc_data:
                return key
        if "phonebooks" in doc_data:
            return "actions"
    return "unknown"


def model_of(doc_data: object) -> type[BaseModel] | None:
    """The model a file's data is checked against, by its top-level keys (see kind_of)."""
    from callsim.config.actions import ActionLibrary
    from callsim.config.agent import AgentConfig
    from callsim.config.scenario import ScenarioConfig

    return {"scenario": ScenarioConfig, "agent": AgentConfig, "actions": ActionLibrary}.get(kind_of(doc_data))


def discover(paths: Iterable[Path], *, validate_all: bool = False) -> Found:
    """Load every scenario under `paths` (and, with validate_all, every agent and library too)."""
    found = Found()
    agents: dict[Path, Project] = {}
    seen: set[str] = set()  # an agent's problems are reported once, not again for each of its scenarios
    for file in yaml_files(paths):
        found.add(load_file(file, agents, validate_all), seen)
    return found


@dataclass
class FileLoad:
    """What one file of a set holds: its scenario, or that it is an agent (`agent`, loaded with validate_all)
    or an action library, or its problems. A set's load is the sum of these (Found.add), so that each can be
    kept and reused on its own (callsim.config_cache)."""

    scenario: Scenario | None = None
    agent: Project | None = None
    library: bool = False
    errors: list[ConfigError] = field(default_factory=list)


def load_file(file: Path, agents: dict[Path, Project], validate_all: bool = False) -> FileLoad:
    """Load one file of a set: a scenario with its agent (taken from `agents` when an earlier file of the set
    loaded it, and added there otherwise), an agent or library (validated with validate_all), a suite file
    (applied through the scenarios below it, so nothing here)."""
    from callsim.config.actions import ActionLibrary
    from callsim.config.loader import load_model, parse_yaml, validate_document
    from callsim.config.project import load_project, load_scenario
    from callsim.config.suite import SuiteConfig, is_suite_file
    from callsim.config.yaml_positions import read_text

    part = FileLoad()
    try:
        if not file.exists():
            raise ConfigError("no such file or folder", Position(str(file)), close_file(file, file, "check the path"))
        if is_suite_file(file):  # applied through the scenarios below it
            if validate_all:
                load_model(SuiteConfig, file)
            return part
        doc = parse_yaml(read_text(file, str(file)), str(file), model_of)
        kind = kind_of(doc.data)
        if kind == "scenario":
            part.scenario = load_scenario(file, agents, doc)
        elif kind == "agent" and validate_all:
            key = file.resolve()
            if key not in agents:
                agents[key] = load_project(file)
            part.agent = agents[key]
        elif kind == "actions":
            if validate_all:
                validate_document(ActionLibrary, doc)
            part.library = True
        elif kind == "unknown":
            raise ConfigError("not a callsim file", Position(str(file), 1, 1),
                              "expected a top-level 'scenario:', 'agent:' or 'actions:' key")
    except ConfigErrors as problems:
        part.errors = list(problems.errors)
    except ConfigError as problem:  # a file that cannot be read: once, though a scenario's agent read it too
        part.errors = [problem]
    return part
