"""Load an agent with its action libraries, or a scenario with its agent, and check them together.

Each file is validated on its own by its model; this module checks what only the files together
can tell: an agent naming a missing action, the same action name in two libraries, a `needs:`
variable the agent does not declare, a placeholder naming a variable nothing can supply.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from callsim.config.actions import Action, ActionLibrary, PhonebookEntry
from callsim.config.agent import CALL_FIELDS, AgentConfig
from callsim.config.loader import load_model, validate_document
from callsim.config.scenario import ScenarioConfig
from callsim.config.yaml_positions import Document
from callsim.errors import ConfigError, ConfigErrors, Position, TemplateError

OPEN_ROOTS = ("secrets",)


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


@dataclass
class Scenario:
    """One scenario file with the project it runs."""

    config: ScenarioConfig
    file: Path
    project: Project
    doc: Document = field(repr=False)

    @property
    def title(self) -> str:
        return self.config.scenario

    def position(self, *path: str | int) -> Position:
        return self.doc.position(tuple(path))


def load_project(path: Path | str) -> Project:
    """Load an agent file and the action libraries it uses; raise ConfigErrors on any problem."""
    path = Path(path)
    agent, agent_doc = load_model(AgentConfig, path)
    errors: list[ConfigError] = []
    actions: dict[str, Action] = {}
    positions: dict[str, Position] = {}
    phonebooks: dict[str, list[PhonebookEntry]] = {}
    files = [path]
    for index, use in enumerate(agent.uses):
        lib_path = (path.parent / use)
        try:
            library, lib_doc = load_model(ActionLibrary, lib_path, display=_display(lib_path))
        except ConfigErrors as problem:
            errors.extend(problem.errors)
            continue
        except ConfigError as problem:
            if problem.position is not None and problem.position.line:
                errors.append(problem)  # a problem inside the library: report it where it is
            else:  # the library cannot be read at all: report it at the agent's uses: line
                errors.append(ConfigError(f"uses[{index}]: {problem.problem} ({lib_path})",
                                          agent_doc.position(("uses", index)), "give a path relative to the agent file"))
            continue
        files.append(lib_path)
        for name, action in library.actions.items():
            where = lib_doc.position(("actions", name), key=True)
            if name in actions:
                errors.append(ConfigError(f"duplicate action name '{name}' (also defined at {positions[name]})",
                                          where, "rename one of them"))
                continue
            actions[name] = action
            positions[name] = where
        for name, entries in library.phonebooks.items():
            phonebooks[name] = entries
    for index, name in enumerate(agent.actions):
        if name not in actions and not errors:  # after a broken library, missing names are noise
            errors.append(ConfigError(f"agent attaches action '{name}', which no library in uses defines",
                                      agent_doc.position(("actions", index)), _suggest(name, actions)))
    if not errors:
        errors.extend(_check_references(agent, agent_doc, actions, positions))
    if errors:
        raise ConfigErrors(errors)
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.read_bytes())
    return Project(agent, path, actions, phonebooks, positions, files, digest.hexdigest()[:16])


def load_scenario(path: Path | str, agents: dict[Path, Project] | None = None,
                  doc: Document | None = None) -> Scenario:
    """Load a scenario file (or its already read `doc`) and the agent it names (from `agents` when cached)."""
    path = Path(path)
    if doc is None:
        config, doc = load_model(ScenarioConfig, path)
    else:
        config = validate_document(ScenarioConfig, doc)
    agent_path = path.parent / config.agent
    key = agent_path.resolve()
    try:
        project = agents[key] if agents is not None and key in agents else load_project(agent_path)
        if agents is not None:
            agents[key] = project
    except ConfigError as problem:
        if problem.position and problem.position.file == str(agent_path) and not problem.position.line:
            raise ConfigErrors([ConfigError(f"agent file {config.agent!r} not found", doc.position(("agent",)),
                                            "give a path relative to the scenario file")]) from None
        raise
    _check_scenario(config, doc, project)
    return Scenario(config, path, project, doc)


def _display(path: Path) -> str:
    return str(path).replace("/./", "/")


def _suggest(name: str, known: dict[str, Any]) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(known), n=1)
    if close:
        return f"did you mean '{close[0]}'?"
    return f"defined actions: {', '.join(sorted(known)) or 'none'}"


def _check_references(agent: AgentConfig, doc: Document, actions: dict[str, Action],
                      positions: dict[str, Position]) -> list[ConfigError]:
    from callsim.engine.templates import compile_condition, template_names

    errors: list[ConfigError] = []
    supplied = set(agent.variables)
    for action in actions.values():
        supplied.update(action.provides())

    def check_text(value: Any, where: Position, label: str) -> None:
        try:
            names = template_names(value)
        except TemplateError as problem:
            errors.append(ConfigError(f"{label}: {problem}", where, "fix the placeholder syntax: {{ name }}"))
            return
        for name in sorted(names):
            root = name.split(".", 1)[0]
            if root in OPEN_ROOTS or root in supplied:
                continue
            if root in ("call", "agent"):
                if name in CALL_FIELDS:
                    continue
                errors.append(ConfigError(f"{label}: placeholder {{{{ {name} }}}} is not a call field", where,
                                          f"expected one of: {', '.join(CALL_FIELDS)}"))
                continue
            errors.append(ConfigError(
                f"{label}: placeholder {{{{ {name} }}}} names a variable nothing can supply", where,
                f"declare '{root}' under the agent's variables (with an ask: line, or from: start_data), "
                f"save it from an action, or write {{{{ {name} | default(\"...\") }}}}"))

    for key in ("greeting", "fallback"):
        check_text(getattr(agent, key), doc.position((key,)), key)
    for var, spec in agent.variables.items():
        if spec.ask:
            check_text(spec.ask, doc.position(("variables", var, "ask")), f"variables.{var}.ask")
    for name, action in actions.items():
        where = positions[name]
        for need in action.needs:
            if need not in agent.variables:
                errors.append(ConfigError(f"action '{name}' needs '{need}', which the agent does not declare", where,
                                          f"add '{need}: {{type: text, ask: ...}}' under the agent's variables"))
            elif not agent.variables[need].ask and agent.variables[need].from_ == "caller":
                errors.append(ConfigError(f"action '{name}' needs '{need}', but the agent has no ask: line for it",
                                          where, f"add ask: to variables.{need}"))
        body = action.model_dump(by_alias=True, exclude={"trigger", "needs", "description", "type", "save"})
        check_text(body, where, f"action '{name}'")
        for label, target in _action_references(action):
            if target not in actions:
                errors.append(ConfigError(f"action '{name}': {label} names unknown action '{target}'", where,
                                          _suggest(target, actions)))
        if action.trigger and action.trigger.if_:
            try:
                compile_condition(action.trigger.if_)
            except TemplateError as problem:
                errors.append(ConfigError(f"action '{name}': trigger.if: {problem}", where,
                                          "write a condition such as: language == \"es\""))
    return errors


def _action_references(action: Action) -> list[tuple[str, str]]:
    refs = []
    if action.trigger and action.trigger.after:
        refs.append(("trigger.after", action.trigger.after))
    for field, fallback in action.fallbacks().items():
        if fallback.then:
            refs.append((f"{field}.then", fallback.then))
    return refs


def _check_scenario(config: ScenarioConfig, doc: Document, project: Project) -> None:
    errors: list[ConfigError] = []
    known = set(project.actions)
    for index, expectation in enumerate(_all_expectations(config)):
        path, item = expectation
        for key in ("action", "not_action", "action_failed"):
            name = getattr(item, key)
            if name and name not in known:
                errors.append(ConfigError(f"expectation names unknown action '{name}'", doc.position(path),
                                          _suggest(name, project.actions)))
        for name in item.order or []:
            if name not in known:
                errors.append(ConfigError(f"order names unknown action '{name}'", doc.position(path),
                                          _suggest(name, project.actions)))
    if errors:
        raise ConfigErrors(errors)


def _all_expectations(config: ScenarioConfig) -> list[tuple[tuple[Any, ...], Any]]:
    found = []
    for t, turn in enumerate(config.turns):
        for e, item in enumerate(turn.expect or []):
            found.append((("turns", t, "expect", e), item))
    for e, item in enumerate(config.expect):
        found.append((("expect", e), item))
    return found
