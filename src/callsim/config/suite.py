"""Suite-wide expectations: a `suite.yaml` whose `expect:` applies to every scenario in its folder and below.

As pytest's `conftest.py`, a suite file applies by where it stands: every `suite.yaml` in a scenario's
folder and the folders above it, up to the project's root (the first folder holding pyproject.toml,
setup.cfg, pytest.ini, tox.ini or .git), whether the run names the folder or the one scenario file.
Its expectations are checked like a scenario's top-level `expect:` (over the whole call, after it
ended). A nearer suite file's expectation about the same subject replaces a farther one's, and a
scenario's own expectation about that subject (anywhere in it) replaces both: the subject of
`agent_said`/`agent_not_said` is the text, of `action`/`not_action`/`action_failed` the action, of
`evaluation`, `variables` and `extracted` each name, and of every other kind the kind itself.
An expectation naming an action applies to the scenarios whose agent has that action.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import Field

from callsim.config.loaded import SuiteExpectation
from callsim.config.loader import load_model
from callsim.config.reach import WHOLE, action_names, check_problem
from callsim.config.scenario import Expectation, ScenarioConfig
from callsim.config.types import Model
from callsim.config.yaml_positions import Document, read_document
from callsim.errors import ConfigError, ConfigErrors, Position
from callsim.files import MEMOS
from callsim.suggest import did_you_mean

SUITE_FILES = ("suite.yaml", "suite.yml")
ROOT_MARKERS = ("pyproject.toml", "setup.cfg", "pytest.ini", "tox.ini", ".git")
NAMES_ACTIONS = ("action", "not_action", "action_failed", "order", "evaluation")


class SuiteConfig(Model):
    """A suite file: expectations every scenario in its folder and below must meet."""

    suite: str = ""
    """What these rules are for (shown nowhere else; a title for people reading the file)."""
    expect: list[Expectation] = Field(min_length=1)
    """Checks over every call below this folder, after it ended, as a scenario's top-level expect:."""


@dataclass
class _Suite:
    config: SuiteConfig
    doc: Document
    folder: Path
    key: tuple[int, int]


_CACHE: dict[Path, _Suite] = {}
_LIBRARIES: dict[tuple[Path, tuple[int, int]], set[str]] = {}
MEMOS.extend((_CACHE.clear, _LIBRARIES.clear))


def is_suite_file(path: Path) -> bool:
    return path.name in SUITE_FILES


def suite_expectations(scenario_file: Path, config: ScenarioConfig, phases: Mapping[str, frozenset[str]],
                       attached: list[str]) -> list[SuiteExpectation]:
    """The suite-wide expectations that apply to a scenario, outermost suite first (after overrides), given
    when each of its agent's actions can run (`phases`, see callsim.config.reach); raise ConfigErrors for a
    broken suite file, one naming an action no library below it defines, or one that cannot fail (or pass)
    for this scenario's agent."""
    known = set(phases)
    own = {subject for turn in config.turns for x in turn.expect or [] for subject in subjects(x)}
    own |= {subject for x in config.expect for subject in subjects(x)}
    chosen: dict[tuple[str, ...], tuple[Expectation, Position]] = {}
    errors: list[ConfigError] = []
    for suite in _suites(scenario_file):
        for index, expectation in enumerate(suite.config.expect):
            position = suite.doc.position(("expect", index))
            unknown = [name for name in _named(expectation) if name not in known]
            if unknown:
                errors.extend(_undefined(suite, unknown, position, known))
                continue
            problem = check_problem(expectation.kind, getattr(expectation, expectation.kind), WHOLE, phases, attached)
            if problem is not None:
                errors.append(ConfigError(f"{problem[0]} (for {scenario_file})", position, problem[1]))
                continue
            for subject, part in _by_subject(expectation):
                chosen[subject] = (part, position)
    if errors:
        raise ConfigErrors(errors)
    return [SuiteExpectation(expectation, position) for subject, (expectation, position) in chosen.items()
            if subject not in own]


def subjects(expectation: Expectation) -> list[tuple[str, ...]]:
    """What an expectation is about, for overriding (see the module docstring)."""
    return [subject for subject, _ in _by_subject(expectation)]


def _by_subject(expectation: Expectation) -> list[tuple[tuple[str, ...], Expectation]]:
    """Each subject of an expectation with the part of it about that subject."""
    kind = expectation.kind
    value = getattr(expectation, kind)
    if kind in ("agent_said", "agent_not_said"):
        return [(("said", value.casefold()), expectation)]
    if kind in ("action", "not_action", "action_failed"):
        return [(("action", getattr(value, "action", value)), expectation)]
    if kind in ("evaluation", "variables", "extracted"):
        return [((kind, name), Expectation.model_validate({kind: {name: item}})) for name, item in value.items()]
    return [((kind,), expectation)]


def _named(expectation: Expectation) -> list[str]:
    kind = expectation.kind
    if kind not in NAMES_ACTIONS:
        return []
    return action_names(kind, getattr(expectation, kind))


def _suites(scenario_file: Path) -> list[_Suite]:
    """The suite files over a scenario, outermost first."""
    found = []
    for folder in _folders(os.path.dirname(os.path.realpath(scenario_file))):
        for name in SUITE_FILES:
            path = os.path.join(folder, name)
            if os.path.isfile(path):  # os.path, not pathlib: this runs for every folder above every scenario
                found.append(_load(Path(path), Path(folder)))
    return found[::-1]


def _folders(start: str) -> Iterable[str]:
    folder = start
    while True:
        yield folder
        parent = os.path.dirname(folder)
        if parent == folder or any(os.path.exists(os.path.join(folder, marker)) for marker in ROOT_MARKERS):
            return
        folder = parent


def _load(path: Path, folder: Path) -> _Suite:
    stat = path.stat()
    key = (stat.st_mtime_ns, stat.st_size)
    cached = _CACHE.get(path)
    if cached is None or cached.key != key:
        config, doc = load_model(SuiteConfig, path, display=_display(path))
        cached = _CACHE[path] = _Suite(config, doc, folder, key)
    return cached


def _display(path: Path) -> str:
    """A suite file's path as messages show it: relative to the working directory when below it."""
    try:
        return path.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return os.fspath(path)


def _undefined(suite: _Suite, names: list[str], position: Position, known: set[str]) -> list[ConfigError]:
    """Errors for action names that neither this scenario's agent (`known`) nor any action library below the
    suite's folder defines (typos); a name some other agent below has is fine: the expectation applies to
    that agent's scenarios."""
    defined = _defined_below(suite)
    errors = []
    for name in names:
        if name in defined:
            continue
        errors.append(ConfigError(f"suite expectation names '{name}', which neither this scenario's agent nor "
                                  f"an action library below {_display(suite.folder)}/ defines", position,
                                  did_you_mean(name, defined | known) or "check the action's name"))
    return errors


def _defined_below(suite: _Suite) -> set[str]:
    cache_key = (suite.folder, suite.key)
    if cache_key not in _LIBRARIES:
        names: set[str] = set()
        for path in sorted(suite.folder.rglob("*.y*ml")):
            names |= _library_actions(path)
        _LIBRARIES[cache_key] = names
    return _LIBRARIES[cache_key]


def _library_actions(path: Path) -> set[str]:
    if path.suffix not in (".yaml", ".yml"):
        return set()
    try:
        data: Any = read_document(path).data
    except ConfigError:
        return set()
    actions = data.get("actions") if isinstance(data, dict) else None
    return set(actions) if isinstance(actions, dict) else set()
