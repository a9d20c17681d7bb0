"""Load an agent with its action libraries, or a scenario with its agent, and check them together.

Each file is validated on its own by its model; this module checks what only the files together
can tell: an agent naming a missing action, the same action name in two libraries, a `needs:`
variable the agent does not declare, a placeholder naming a variable nothing can supply.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from callsim.config.actions import (Action, ActionLibrary, BookingAction, EvaluateAction, ExtractAction,
                                    PhonebookEntry)
from callsim.config.actions.booking import RENAMED
from callsim.config.agent import AgentConfig
from callsim.config.calendar import check_calendar
from callsim.config.fakes import FakeDefaults, HttpRoute
from callsim.config.live import ServerSpec
from callsim.config.loaded import Project, Scenario
from callsim.config.loader import load_model, validate_document
from callsim.config.plain import to_plain
from callsim.config.reach import (AFTER, CALL, GREETING, WHOLE, action_names, action_phases, check_problem,
                                  http_problem)
from callsim.config.scenario import Expectation, ScenarioConfig
from callsim.config.secrets import missing_secret_error, missing_secrets, secret_uses
from callsim.config.suite import suite_expectations
from callsim.config.telephony import CALL_INPUTS
from callsim.config.types import CALL_FIELDS
from callsim.config.telephony import check_project as check_telephony
from callsim.config.telephony import check_scenario as check_scenario_telephony
from callsim.config.document import Document
from callsim.errors import ConfigError, ConfigErrors, Position, TemplateError
from callsim.files import MAX_YAML_BYTES, UnreadableFile, close_file, read_regular, referenced
from callsim.personas import make_persona
from callsim.suggest import did_you_mean
from callsim.trace.compare import ValueTypes

OPEN_ROOTS = ("secrets",)


def load_project(path: Path | str) -> Project:
    """Load an agent file and the action libraries it uses; raise ConfigErrors on any problem."""
    path = Path(path)
    agent, agent_doc = load_model(AgentConfig, path)
    errors: list[ConfigError] = []
    actions: dict[str, Action] = {}
    positions: dict[str, Position] = {}
    phonebooks: dict[str, list[PhonebookEntry]] = {}
    phonebook_docs: dict[str, Document] = {}
    action_docs: dict[str, Document] = {}
    files = [path]
    used: dict[str, int] = {}
    for index, use in enumerate(agent.uses):
        try:
            lib_path = referenced(path.parent, use)
        except UnreadableFile as problem:
            errors.append(ConfigError(f"uses[{index}]: {use!r} {problem.reason}", agent_doc.position(("uses", index)),
                                      close_file(use, problem.path, "give a path relative to the agent file")
                                      if problem.missing else "give a path relative to the agent file"))
            continue
        first = used.setdefault(os.path.abspath(lib_path), index)
        if first != index:
            errors.append(ConfigError(f"uses[{index}]: {use!r} is already used (uses[{first}])",
                                      agent_doc.position(("uses", index)), "name each action library once"))
            continue
        try:
            library, lib_doc = load_model(ActionLibrary, lib_path, display=str(lib_path))
        except ConfigErrors as problem:
            unreadable = _unreadable(problem)
            if unreadable is None:
                errors.extend(problem.errors)  # problems inside the library: reported where they are
            else:  # the library cannot be read at all: report it at the agent's uses: line
                errors.append(ConfigError(f"uses[{index}]: {unreadable.problem} ({lib_path})",
                                          agent_doc.position(("uses", index)),
                                          close_file(use, lib_path, "give a path relative to the agent file")
                                          if unreadable.problem == "file not found" else
                                          "give a path relative to the agent file"))
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
            action_docs[name] = lib_doc
            for field_name, problem, hint in action.check_files(lib_path.parent):
                errors.append(ConfigError(f"action '{name}': {problem}", lib_doc.position(("actions", name, field_name)),
                                          hint))
        for name, entries in library.phonebooks.items():
            if name in phonebooks:
                errors.append(ConfigError(f"duplicate phone book '{name}' (also in {phonebook_docs[name].file})",
                                          lib_doc.position(("phonebooks", name), key=True), "rename one of them"))
                continue
            phonebooks[name] = entries
            phonebook_docs[name] = lib_doc
    library_failed = bool(errors)
    attached: dict[str, int] = {}
    for index, name in enumerate(agent.actions):
        first = attached.setdefault(name, index)
        if first != index:
            if first >= 0:  # once per name: a list pasted twice is one mistake, not hundreds
                errors.append(ConfigError(f"actions[{index}]: '{name}' is already attached (actions[{first}])",
                                          agent_doc.position(("actions", index)),
                                          "attach each action once (twice, it would run twice: two texts, two "
                                          "bookings)"))
                attached[name] = -1
            continue
        if name not in actions and not library_failed:  # after a broken library, missing names are noise
            errors.append(ConfigError(f"agent attaches action '{name}', which no library in uses defines",
                                      agent_doc.position(("actions", index)), _suggest(name, actions)))
    secret_names: set[str] = set()
    if not errors:
        errors.extend(_check_references(agent, agent_doc, actions, positions, action_docs, secret_names))
        errors.extend(check_telephony(agent, actions, positions, phonebooks, phonebook_docs))
    if not errors:
        errors.extend(_check_criteria(agent, actions, action_docs))
    defaults = agent.defaults
    if defaults.calendar is not None:
        errors.extend(check_calendar(defaults.calendar, agent_doc, ("defaults", "calendar")))
    errors.extend(_check_servers(defaults.http, defaults.servers, {}, agent_doc, ("defaults",)))
    if errors:
        raise ConfigErrors(errors)
    digest = hashlib.sha256()
    for file in files:
        digest.update(read_regular(file, MAX_YAML_BYTES))
    runs = {name for name, phases in action_phases(agent, actions).items() if phases}
    uses, types = secret_uses(agent, agent_doc, action_docs, runs), value_types(agent, actions)
    agent, actions, phonebooks = to_plain((agent, actions, phonebooks))  # validated: the engine runs on plain objects
    return Project(agent, path, actions, phonebooks, positions, files, digest.hexdigest()[:16],
                   types, uses,
                   frozenset(secret_names - {""}),
                   agent_doc.position(("webhook",), key=True) if agent.webhook is not None else None)


def load_scenario(path: Path | str, agents: dict[Path, Project] | None = None,
                  doc: Document | None = None, *, secrets: Mapping[str, str] | None = None,
                  environ: Mapping[str, str] | None = None) -> Scenario:
    """Load a scenario file (or its already read `doc`) and the agent it names (from `agents` when cached).

    `secrets` adds values as if the scenario's `secrets:` held them (`callsim tui --secret`); a secret the
    call needs that neither they nor `environ` (default: the process environment) supply is an error.
    """
    path = Path(path)
    if doc is None:
        config, doc = load_model(ScenarioConfig, path)
    else:
        config = validate_document(ScenarioConfig, doc)
    if secrets:
        config = config.model_copy(update={"secrets": {**config.secrets, **secrets}})
    try:
        agent_path = referenced(path.parent, config.agent)
    except UnreadableFile as problem:
        raise ConfigErrors([ConfigError(f"agent file {config.agent!r} {problem.reason}", doc.position(("agent",)),
                                        close_file(config.agent, problem.path, "give a path relative to the scenario file")
                                        if problem.missing else "give a path relative to the scenario file")]) from None
    key = agent_path.resolve()
    try:
        project = agents[key] if agents is not None and key in agents else load_project(agent_path)
        if agents is not None:
            agents[key] = project
    except ConfigErrors as problem:
        unreadable = _unreadable(problem)
        if unreadable is not None and unreadable.position and unreadable.position.file == str(agent_path):
            what = "not found" if unreadable.problem == "file not found" else unreadable.problem
            raise ConfigErrors([ConfigError(f"agent file {config.agent!r} {what}",
                                            doc.position(("agent",)),
                                            close_file(config.agent, agent_path, "give a path relative to the "
                                                       "scenario file") if what == "not found" else
                                            "give a path relative to the scenario file")]) from None
        raise
    _check_scenario(config, doc, project, os.environ if environ is None else environ)
    suite = [replace(rule, expectation=to_plain(rule.expectation))
             for rule in suite_expectations(path, config, project.phases, project.agent.actions)]
    config = to_plain(config)  # validated: the engine runs on plain objects
    return Scenario(config, path, project, doc, suite, named_servers(config, path.parent, project))


def named_servers(config: ScenarioConfig, folder: Path, project: Project) -> dict[str, tuple[ServerSpec, Path]]:
    """The servers the call's pass-through routes name (the scenario's, then the agent's defaults), each with
    the folder its command runs in: `folder` (the scenario's) or the agent file's. A name no server has is
    left to the call to report."""
    routes = [*config.http, *project.defaults.http]
    declared = {name: (spec, project.agent_file.parent) for name, spec in project.defaults.servers.items()}
    declared.update({name: (spec, folder) for name, spec in config.servers.items()})
    names = {route.pass_through for route in routes if isinstance(route.pass_through, str)}
    return {name: declared[name] for name in sorted(names) if name in declared}


def _unreadable(problem: ConfigErrors) -> ConfigError | None:
    """The error when a file could not be read at all (no line to point at), else None."""
    if len(problem.errors) == 1 and problem.errors[0].position is not None and not problem.errors[0].position.line:
        return problem.errors[0]
    return None


def _suggest(name: str, known: dict[str, Any], what: str = "actions") -> str:
    return did_you_mean(name, known) or f"defined {what}: {', '.join(sorted(known)) or 'none'}"


def _check_references(agent: AgentConfig, doc: Document, actions: dict[str, Action],
                      positions: dict[str, Position], action_docs: dict[str, Document],
                      secret_names: set[str]) -> list[ConfigError]:
    """Every placeholder names a variable something supplies; the names of the secrets they read are added
    to `secret_names`."""
    from callsim.config.conditions import comparison_problems, condition_problems, read_types
    from callsim.templates import compile_condition, template_comparisons, template_names

    errors: list[ConfigError] = []
    supplied = set(agent.variables) | set(CALL_INPUTS)
    for action in actions.values():
        supplied.update(action.provides())
    declared = read_types(agent, actions)

    def check_text(value: Any, where: Position, label: str, also: tuple[str, ...] = ()) -> None:
        try:
            names = template_names(value, required_only=True)
        except TemplateError as problem:
            errors.append(ConfigError(f"{label}: {problem}", where, "fix the placeholder syntax: {{ name }}"))
            return
        for name in template_names(value):
            root, _, secret = name.partition(".")
            if root != "secrets":
                continue
            if not secret:
                errors.append(ConfigError(
                    f"{label}: a placeholder reads secrets without naming one", where,
                    "name each secret: {{ secrets.NAME }}; callsim redacts the secrets a call can read from its "
                    "first event on, so it must know their names before the call"))
            secret_names.add(secret.split(".", 1)[0])
        for name in sorted(names):
            root = name.split(".", 1)[0]
            if root in OPEN_ROOTS or root in supplied or name in supplied or root in also:
                continue
            if root in ("call", "agent"):
                if name in CALL_FIELDS:
                    continue
                errors.append(ConfigError(f"{label}: placeholder {{{{ {name} }}}} is not a call field", where,
                                          f"expected one of: {', '.join(CALL_FIELDS)}"))
                continue
            if name in RENAMED:
                errors.append(ConfigError(f"{label}: placeholder {{{{ {name} }}}} is no longer set", where,
                                          f"offered times are {{{{ {RENAMED[name]} }}}}; booking.* is set only "
                                          "once a booking is made"))
                continue
            errors.append(ConfigError(
                f"{label}: placeholder {{{{ {name} }}}} names a variable nothing can supply", where,
                did_you_mean(root, supplied | set(also), "{{{{ {} }}}}") or
                f"declare '{root}' under the agent's variables (with an ask: line, or from: start_data), "
                f"save it from an action, or write {{{{ {name} | default(\"...\") }}}}"))
        for problem, hint in comparison_problems(template_comparisons(value), declared, agent.region):
            errors.append(ConfigError(f"{label}: {problem}", where, hint))

    for key in ("greeting", "fallback", "goodbye"):
        check_text(getattr(agent, key), doc.position((key,)), key)
    check_text(agent.corrected, doc.position(("corrected",)), "corrected", also=("correction",))
    if agent.webhook is not None:
        for field, value in (("url", agent.webhook.url), *((f"headers.{k}", v) for k, v in agent.webhook.headers.items())):
            check_text(value, doc.position(("webhook", *field.split(".", 1))), f"webhook.{field}")
    for var, spec in agent.variables.items():
        if spec.ask:
            check_text(spec.ask, doc.position(("variables", var, "ask")), f"variables.{var}.ask")
    for name, action in actions.items():
        where = positions[name]
        lib = action_docs[name]
        for index, need in enumerate(action.needs):
            at = lib.position(("actions", name, "needs", index))
            if need not in agent.variables:
                errors.append(ConfigError(f"action '{name}' needs '{need}', which the agent does not declare", at,
                                          did_you_mean(need, agent.variables) or
                                          f"add '{need}: {{type: text, ask: ...}}' under the agent's variables"))
            elif not agent.variables[need].ask and agent.variables[need].from_ == "caller":
                errors.append(ConfigError(f"action '{name}' needs '{need}', but the agent has no ask: line for it",
                                          at, f"add ask: to variables.{need}"))
        if isinstance(action, BookingAction):
            problem = action.wanted_time_problem(value_types(agent, actions).variables)
            if problem is not None:
                field, text, hint = problem
                errors.append(ConfigError(f"action '{name}': {text}", lib.position(("actions", name, field)), hint))
        body = action.model_dump(by_alias=True, exclude={"trigger", "needs", "description", "type", "save"},
                                 exclude_defaults=True)
        for field, value in body.items():
            check_text(value, lib.position(("actions", name, field)), f"action '{name}', {field}")
        for label, target in _action_references(action):
            if target not in actions:
                errors.append(ConfigError(f"action '{name}': {label} names unknown action '{target}'", where,
                                          _suggest(target, actions)))
            elif (actions[target].type == "sms" and label != "trigger.after" and action.trigger is not None
                  and action.trigger.on != "call_end"):
                errors.append(ConfigError(f"action '{name}': {label} names sms action '{target}', which is sent "
                                          "after the call only", where,
                                          "to text during the call, name a message action instead"))
        for path, target in action.references():
            if target not in actions:
                label = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
                errors.append(ConfigError(f"action '{name}': {label} names unknown action '{target}'",
                                          lib.position(("actions", name, *path)), _suggest(target, actions)))
        conditions = [(("trigger", "if"), "trigger.if", action.trigger.if_ if action.trigger else None)]
        if isinstance(action, EvaluateAction):
            conditions += [(("criteria", index, "if"), f"criterion '{item.name}', if", item.if_)
                           for index, item in enumerate(action.criteria)]
        for path, label, source in conditions:
            if source is None:
                continue
            try:
                condition = compile_condition(source)
            except TemplateError as problem:  # a criterion's is reported by its model
                errors.append(ConfigError(f"action '{name}': {label}: {problem}", where,
                                          "write a condition such as: language == \"es\""))
                continue
            for problem, hint in condition_problems(condition, declared, supplied, agent.region):
                errors.append(ConfigError(f"action '{name}', {label}: {problem}",
                                          lib.position(("actions", name, *path)), hint))
    return errors


def value_types(agent: AgentConfig, actions: dict[str, Action]) -> ValueTypes:
    """The declared type of each variable (the agent's, and those its extractors save) and extractor field."""
    fields = {name: field.type for action in actions.values() if isinstance(action, ExtractAction)
              for name, field in action.fields.items()}
    return ValueTypes({**fields, **{name: spec.type for name, spec in agent.variables.items()}}, fields, agent.region)


def _check_criteria(agent: AgentConfig, actions: dict[str, Action],
                    action_docs: dict[str, Document]) -> list[ConfigError]:
    """An evaluation criterion about an action this agent never runs cannot fail (or cannot pass)."""
    phases = action_phases(agent, actions)
    errors = []
    for name, action in actions.items():
        if not isinstance(action, EvaluateAction) or not phases[name]:
            continue
        for index, criterion in enumerate(action.criteria):
            key, value = criterion.rule
            if key not in ("action", "not_action", "action_failed") or value not in actions:
                continue
            problem = check_problem(key, value, WHOLE, phases, agent.actions)
            if problem is not None:
                errors.append(ConfigError(f"action '{name}', criterion '{criterion.name}': {problem[0]} "
                                          f"(for agent {agent.agent})",
                                          action_docs[name].position(("actions", name, "criteria", index, key)),
                                          problem[1]))
    return errors


def _written(doc: Document, path: tuple[Any, ...]) -> tuple[Any, ...]:
    """The path of an expectation as the file writes it: `expect: {variables: ...}` is the one item of a list
    (`expect[0]`) that the file writes without the list."""
    node: Any = doc.data
    for part in path[:-1]:
        if isinstance(node, dict):
            node = node.get(part)
        else:
            node = node[part] if isinstance(node, list) and isinstance(part, int) and part < len(node) else None
    return path[:-1] if path and path[-1] == 0 and isinstance(node, dict) else path


def _unsettable(name: str, project: Project, where: Position) -> list[ConfigError]:
    """A `variables:`/`extracted:` expectation about a variable nothing in the agent sets could only fail
    ("was never set"): a misspelling, reported before anything runs."""
    from callsim.config.conditions import settable

    known = {*project.agent.variables, *CALL_INPUTS, *CALL_FIELDS,
             *(n for action in project.actions.values() for n in action.provides())}
    if settable(name, known):
        return []
    return [ConfigError(f"expectation names variable '{name}', which nothing in agent {project.agent.agent} sets, "
                        "so it can only fail", where,
                        did_you_mean(name, known) or
                        "declare it under the agent's variables, save it from an action, or fix its spelling")]


def _action_references(action: Action) -> list[tuple[str, str]]:
    refs = []
    if action.trigger and action.trigger.after:
        refs.append(("trigger.after", action.trigger.after))
    for field, fallback in action.fallbacks().items():
        if fallback.then:
            refs.append((f"{field}.then", fallback.then))
    return refs


def _check_scenario(config: ScenarioConfig, doc: Document, project: Project, environ: Mapping[str, str]) -> None:
    errors: list[ConfigError] = [
        missing_secret_error(uses, f" in scenario {doc.file}", f'give the scenario a test value (secrets: {{{name}: "..."}})')
        for name, uses in missing_secrets(project.secrets, config.secrets, environ).items()]
    known = set(project.actions)
    phases = project.phases
    stretches = _stretches(config)
    for index, expectation in enumerate(_all_expectations(config)):
        path, item = expectation
        value = getattr(item, item.kind)
        if all(name in known for name in action_names(item.kind, value)):  # an unknown one is reported below
            stretch = WHOLE if path[0] == "expect" else stretches[path[1]]
            problem = check_problem(item.kind, value, stretch, phases, project.agent.actions)
            if problem is None and item.kind == "http":
                problem = http_problem(value, stretch, phases, project.actions)
            if problem is not None:
                errors.append(ConfigError(problem[0], doc.position(path), problem[1]))
        for key in ("action", "not_action", "action_failed", "action_abandoned"):
            name = getattr(item, key)
            name = getattr(name, "action", name)  # action_failed: {action: NAME, kind: ...}
            if name and name not in known:
                errors.append(ConfigError(f"expectation names unknown action '{name}'", doc.position(path),
                                          _suggest(name, project.actions)))
        for kind in ("variables", "extracted"):
            for name in getattr(item, kind) or {}:
                errors.extend(_unsettable(name, project, doc.position((*_written(doc, path), kind, name), key=True)))
        if item.kind == "webhook" and project.agent.webhook is None:
            errors.append(ConfigError(f"webhook: can only fail: agent {project.agent.agent} has no webhook:, so no "
                                      "end-of-call report is sent", doc.position(path),
                                      "give the agent a webhook: {url: ...}, or remove the check"))
        for name in item.order.actions if item.order else []:
            if name not in known:
                errors.append(ConfigError(f"order names unknown action '{name}'", doc.position(path),
                                          _suggest(name, project.actions)))
        evaluations = {n: a for n, a in project.actions.items() if a.type == "evaluate"}
        for name, want in (item.evaluation or {}).items():
            if name not in evaluations:
                errors.append(ConfigError(f"evaluation expectation names '{name}', which is not an evaluate action",
                                          doc.position((*path, "evaluation", name), key=True),
                                          _suggest(name, evaluations)))
                continue
            criteria = {c.name: c for c in evaluations[name].criteria}
            for criterion in want.criteria or {}:
                if criterion not in criteria:
                    errors.append(ConfigError(f"evaluation expectation names criterion '{criterion}', which {name} "
                                              "does not have", doc.position((*path, "evaluation", name, "criteria",
                                                                             criterion), key=True),
                                              _suggest(criterion, criteria, "criteria")))
    errors.extend(_check_turns_after_hangup(config, doc))
    errors.extend(_check_test_placeholders(config, doc))
    errors.extend(_check_audio_turns(config, doc))
    errors.extend(check_scenario_telephony(config, doc))
    errors.extend(check_calendar(config.calendar, doc))
    errors.extend(_check_servers(config.http, config.servers, project.agent.defaults.servers, doc))
    if errors:
        raise ConfigErrors(errors)


def _check_servers(routes: list[HttpRoute], servers: Mapping[str, ServerSpec], agents: Mapping[str, ServerSpec],
                   doc: Document, at: tuple[str, ...] = ()) -> list[ConfigError]:
    """Each server a pass-through route names is declared (here, or among the agent's `agents`), and each
    server declared here is named by a route here."""
    errors = []
    named = set()
    prefix = "".join(f"{part}." for part in at)
    for index, route in enumerate(routes):
        name = route.pass_through
        if not isinstance(name, str):
            continue
        named.add(name)
        if name not in servers and name not in agents:
            errors.append(ConfigError(f"{prefix}http[{index}]: pass_through names server '{name}', which "
                                      f"{prefix}servers: does not declare",
                                      doc.position((*at, "http", index, "pass_through")),
                                      f"declare it, e.g. servers: {{{name}: {{command: [python, app.py]}}}}, or "
                                      "write pass_through: true to send requests to their own URL"))
    for name in servers:
        if name not in named:
            errors.append(ConfigError(f"{prefix}servers.{name} is declared, but no http: route here passes requests "
                                      "through to it", doc.position((*at, "servers", name), key=True),
                                      f"add a route with pass_through: {name}, or remove the server"))
    return errors


def _stretches(config: ScenarioConfig) -> list[frozenset[str]]:
    """The stretch of the call an expectation in each turn looks at (see callsim.config.reach), found in
    one pass over the turns (a 5,000-turn scenario validates in well under a second)."""
    found = []
    spoken = 0
    hangup = None
    for turn in config.turns:
        if hangup is not None:
            # a timed hang-up can fall while the turn before it is still going: the check sees that turn too
            timed = hangup.at is not None or hangup.after is not None
            found.append(frozenset({AFTER, CALL if spoken > 1 else GREETING}) if timed else frozenset({AFTER}))
        else:
            found.append(frozenset({CALL if spoken else GREETING}))
        if turn.kind != "expect":
            spoken += 1
            hangup = hangup or turn.hangup
    return found


def _check_turns_after_hangup(config: ScenarioConfig, doc: Document) -> list[ConfigError]:
    """Nothing the caller does after hanging up is played (`hangup: false` is refused by the turn's model)."""
    errors = []
    hung_up = None
    for index, turn in enumerate(config.turns):
        if hung_up is not None and turn.kind != "expect":
            errors.append(ConfigError(f"this {turn.kind} turn comes after the caller hung up (turn {hung_up + 1}), "
                                      "so it is never played", doc.position(("turns", index)),
                                      "move it before the hangup turn, or remove it"))
        elif turn.hangup and hung_up is None:
            hung_up = index
    return errors


def _check_audio_turns(config: ScenarioConfig, doc: Document) -> list[ConfigError]:
    """Each `audio:` turn names a readable WAV file, relative to the scenario."""
    if all(turn.audio is None for turn in config.turns):
        return []  # and the audio module (ctypes, wave) is not loaded for a call without audio
    from callsim.voice.audio import check_wav

    errors = []
    folder, hint = Path(doc.file).parent, "give a WAV file path relative to the scenario file"
    for index, turn in enumerate(config.turns):
        if turn.audio is not None:
            try:
                problem = check_wav(referenced(folder, turn.audio))
            except UnreadableFile as refused:
                problem = refused.reason
            if problem is not None:
                errors.append(ConfigError(f"audio {turn.audio!r}: {problem}", doc.position(("turns", index, "audio")),
                                          close_file(turn.audio, folder / turn.audio, hint)
                                          if problem == "file not found" else hint))
    return errors


def _check_test_placeholders(config: ScenarioConfig, doc: Document) -> list[ConfigError]:
    """A scenario's own placeholders: `{{ caller.x }}` needs a persona to fill it; expectations may also
    name `{{ secrets.NAME }}` (compared with what was sent, never shown)."""
    from callsim.templates import template_names

    errors = []
    persona = make_persona(config.caller.seed, config.caller.locale) if config.caller.persona else None
    persona_fields = set(persona or ())
    texts: list[tuple[tuple[Any, ...], Any, bool]] = [
        (("turns", index), turn.caller or turn.reply, False) for index, turn in enumerate(config.turns)
        if turn.caller or turn.reply]
    texts += [(path, item.model_dump(by_alias=True, exclude_unset=True), True)
              for path, item in _all_expectations(config)]
    for path, text, expectation in texts:
        label = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
        try:
            names = template_names(text)
        except TemplateError as problem:
            errors.append(ConfigError(f"{label}: {problem}", doc.position(path),
                                      "fix the placeholder syntax: {{ caller.name }}"))
            continue
        before = len(errors)
        for name in sorted(names):
            root, _, field = name.partition(".")
            if expectation and root == "secrets" and field and "." not in field:
                continue
            if root != "caller" or not config.caller.persona:
                what = "the scenario has no persona" if root == "caller" else "only a persona's caller.* " + (
                    "and secrets.NAME are" if expectation else "is") + " filled in here"
                errors.append(ConfigError(f"{label} uses {{{{ {name} }}}}, but {what}", doc.position(path),
                                          "add caller: {persona: random} (or write the text out)" if root == "caller"
                                          else "write the text out"))
            elif field not in persona_fields:
                errors.append(ConfigError(f"{label} uses {{{{ {name} }}}}, which a persona does not have",
                                          doc.position(path),
                                          f"a persona has caller.{', caller.'.join(sorted(persona_fields))}"))
        if persona is not None and len(errors) == before and names and all(n.startswith("caller.") for n in names):
            problem = _fill_in(text, persona)
            if problem:
                errors.append(ConfigError(f"{label}: {problem}", doc.position(path),
                                          "placeholders are filled in from the persona: caller.name, caller.email, ..."))
    return errors


def _fill_in(text: Any, persona: dict[str, Any]) -> str | None:
    """Why a turn's text or an expectation's data cannot be filled in with `persona` as a run will (a
    division by zero, a value that makes the expectation invalid), or None when it can; checked with the
    scenario's first persona, so that it is the user's error at validate time, not a crash at run time."""
    from pydantic import ValidationError

    from callsim.personas import persona_text
    from callsim.templates import render_json

    try:
        if isinstance(text, str):
            persona_text(text, persona)
        else:
            Expectation.model_validate(render_json(text, {"caller": persona}, "expectation"))
    except TemplateError as problem:
        return str(problem)
    except ValidationError as invalid:
        return f"filled in, it is invalid: {invalid.errors(include_url=False)[0]['msg']}"
    return None


def _all_expectations(config: ScenarioConfig) -> list[tuple[tuple[Any, ...], Any]]:
    found = []
    for t, turn in enumerate(config.turns):
        for e, item in enumerate(turn.expect or []):
            found.append((("turns", t, "expect", e), item))
    for e, item in enumerate(config.expect):
        found.append((("expect", e), item))
    return found
