"""Would a scenario go red if the agent were wrong? Mutation testing of the example agents.

    .venv/bin/python tests/benchmarks/agent_mutants.py                          # every scenario
    .venv/bin/python tests/benchmarks/agent_mutants.py --folder scenarios/acme  # one folder
    .venv/bin/python tests/benchmarks/agent_mutants.py --kind request_body --list
    .venv/bin/python tests/benchmarks/agent_mutants.py --json mutants.json      # every outcome, to compare runs

For each scenario, the agent behind it is changed in one place at a time, in memory (the files on disk are
never touched): an action dropped, two actions' triggers swapped, a transfer's destination, a phone book's
condition or a whisper changed, an HTTP mapping's JSON path or target variable, a request's URL path, query,
method, a header or a body field (another value, left out, or one field too many), a placeholder in a text's
body, a booking's duration, title or attendee, a `needs:` dropped, an `if:` flipped, DTMF keys, an
evaluation's rule. Only what the scenario exercises is changed: the actions that started in its unchanged run
(a change to an action the call never reaches cannot be seen by it). Each mutant is loaded the way `callsim run` loads a file and run through the real runner, in
this process, on the virtual clock, and counted as:

- invalid: `callsim validate` refuses the changed agent with this scenario (red before the call);
- red: the scenario's own expectations (its suite files', unused fakes, failing evaluations) fail;
- replay only: the scenario passes, but its golden recording differs (only `callsim replay` sees it);
- survived: green both ways (the trace is the same: an equivalent mutant, or one the trace cannot show);
- no recording: passes, and the scenario has no golden recording to compare with;
- crash: the changed agent crashed callsim (a bug in callsim, listed after the tables).

The tables count by kind and by folder, then each change to an agent once across the suite: red when any
scenario of that agent goes red (the same change made from several scenarios counts once).

Everything is deterministic: the choices (which partner action, which field) come from `--seed` and the
scenario's path. Scenarios with `audio:` turns are left out (each heard turn costs ~0.7 s of speech-to-text);
a `repeat: N` scenario runs its first run only. Not part of the test suite: the machinery has a unit test in
tests/test_agent_mutants.py.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import os
import random
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

from callsim.config import project as project_module  # noqa: E402
from callsim.config.loader import validate_document  # noqa: E402
from callsim.config.project import Scenario, load_scenario  # noqa: E402
from callsim.config.yaml_positions import Document, read_document  # noqa: E402
from callsim.discover import discover  # noqa: E402
from callsim.errors import ConfigErrors  # noqa: E402
from callsim.recordings import RecordingError, load_recording, recorded_answers, recording_path  # noqa: E402
from callsim.runner import ScenarioResult, recording_name, run_scenario_async  # noqa: E402
from callsim.trace.diff import diff_traces  # noqa: E402

OUTCOMES = ("invalid", "red", "replay only", "survived", "no recording", "crash")
"""How a mutant ended, killed first (see the module docstring); `crash` is a bug in callsim."""
KINDS = ("drop_action", "swap_trigger", "transfer_destination", "phonebook_if", "whisper", "save_path",
         "save_target", "request_url", "request_query", "request_method", "request_header", "request_body",
         "text_placeholder", "booking_duration", "booking_fields", "drop_need", "flip_if", "dtmf_digits",
         "evaluation_rule")
PLACEHOLDER = re.compile(r"\{\{\s*(.*?)\s*\}\}")

Files = dict[str, Any]
"""The agent file's and its action libraries' data, by absolute path: what a mutant edits (a deep copy)."""


@dataclass(frozen=True)
class Mutant:
    """One change to an agent: what kind, where, what it changes, and the edit itself."""

    kind: str
    where: str
    """e.g. `lookup_order.request.url`."""
    change: str
    """What it changes, e.g. `'https://api.acme.test/orders/{{ n }}' -> '.../order/{{ n }}'`."""
    edit: Callable[[Files, "Sites"], None] = field(compare=False, repr=False)


@dataclass
class Sites:
    """Where each action and phone book of a project is written (library path), and the agent's path."""

    agent: str
    actions: dict[str, str]
    phonebooks: dict[str, str]

    def action(self, files: Files, name: str) -> dict[str, Any]:
        return files[self.actions[name]]["actions"][name]

    def phonebook(self, files: Files, name: str) -> list[Any]:
        return files[self.phonebooks[name]]["phonebooks"][name]


# ---- loading a changed agent in memory ------------------------------------------------------------------

_DOCS: dict[str, Document] = {}


def document(path: Path | str) -> Document:
    """A file as read from disk, once per run of the benchmark."""
    key = os.path.abspath(path)
    if key not in _DOCS:
        _DOCS[key] = read_document(Path(key))
    return _DOCS[key]


@contextmanager
def agent_files(files: Files | None) -> Iterator[None]:
    """While open, `load_project` reads the agent and its libraries from `files` (changed data, in memory)
    instead of from disk, validated exactly as their files would be."""
    original = project_module.load_model

    def load_model(model: Any, path: Path, display: str | None = None) -> tuple[Any, Document]:
        doc = document(path)
        data = (files or {}).get(os.path.abspath(path))
        if data is not None:
            doc = Document(doc.file, data, doc.positions, doc.key_positions)
        return validate_document(model, doc), doc

    project_module.load_model = load_model  # type: ignore[assignment]
    try:
        yield
    finally:
        project_module.load_model = original


def sites_of(scenario: Scenario) -> Sites:
    project = scenario.project
    agent = os.path.abspath(project.agent_file)
    actions: dict[str, str] = {}
    phonebooks: dict[str, str] = {}
    for file in project.files[1:]:
        data = document(file).data
        for name in data.get("actions") or {}:
            actions.setdefault(name, os.path.abspath(file))
        for name in data.get("phonebooks") or {}:
            phonebooks.setdefault(name, os.path.abspath(file))
    return Sites(agent, actions, phonebooks)


def original_files(scenario: Scenario) -> Files:
    return {os.path.abspath(file): document(file).data for file in scenario.project.files}


def load_mutant(scenario: Scenario, mutant: Mutant, sites: Sites) -> Scenario:
    """The scenario with its agent changed by `mutant`; raises ConfigErrors when validation refuses it."""
    files = copy.deepcopy(original_files(scenario))
    mutant.edit(files, sites)
    with agent_files(files):
        return load_scenario(scenario.file, doc=scenario.doc)


# ---- the mutation operators ---------------------------------------------------------------------------

@dataclass
class Context:
    """What the operators may look at: the scenario, its unchanged run, and a seeded choice."""

    scenario: Scenario
    sites: Sites
    baseline: ScenarioResult
    seed: int

    def rng(self, *parts: str) -> random.Random:
        return random.Random(":".join([str(self.seed), self.scenario.file.as_posix(), *parts]))

    @property
    def exercised(self) -> list[str]:
        """The actions that started in the unchanged run, in order of first start."""
        seen: dict[str, None] = {}
        for event in self.baseline.trace.events:
            if event.type == "action_started":
                seen.setdefault(event.action, None)
        return [name for name in seen if name in self.sites.actions]

    def events(self, type_: str, action: str | None = None) -> list[Any]:
        return [e for e in self.baseline.trace.events
                if e.type == type_ and (action is None or getattr(e, "action", None) == action)]

    def raw(self, name: str) -> dict[str, Any]:
        return document(self.sites.actions[name]).data["actions"][name]


def set_field(name: str, path: tuple[Any, ...], value: Any) -> Callable[[Files, Sites], None]:
    """An edit that sets the action's field at `path` (to `_DELETE`: removes it)."""

    def edit(files: Files, sites: Sites) -> None:
        node: Any = sites.action(files, name)
        for part in path[:-1]:
            node = node[part]
        if value is _DELETE:
            del node[path[-1]]
        else:
            node[path[-1]] = value

    return edit


_DELETE = object()


class _NotSent:
    """The old value of a body field the change adds."""

    def __repr__(self) -> str:
        return "(not sent)"


_NOT_SENT = _NotSent()


def dotted(name: str, path: tuple[Any, ...]) -> str:
    return name + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)


def field_mutant(kind: str, name: str, path: tuple[Any, ...], old: Any, new: Any) -> Mutant:
    shown = "(removed)" if new is _DELETE else repr(new)
    return Mutant(kind, dotted(name, path), f"{old!r} -> {shown}", set_field(name, path, new))


def drop_action(ctx: Context, name: str) -> Iterator[Mutant]:
    attached = document(ctx.sites.agent).data.get("actions") or []
    if name not in attached:
        return

    def edit(files: Files, sites: Sites) -> None:
        files[sites.agent]["actions"] = [a for a in files[sites.agent]["actions"] if a != name]

    yield Mutant("drop_action", f"agent.actions[{attached.index(name)}]", f"{name} no longer attached", edit)


def _after_call(trigger: Any) -> bool:
    return isinstance(trigger, dict) and trigger.get("on") == "call_end"


def swap_trigger(ctx: Context, name: str) -> Iterator[Mutant]:
    mine = ctx.raw(name).get("trigger")
    if mine is None:
        return
    attached = document(ctx.sites.agent).data.get("actions") or []
    partners = [other for other in attached if other != name and other in ctx.sites.actions
                and ctx.raw(other).get("trigger") is not None and ctx.raw(other).get("trigger") != mine
                and _after_call(ctx.raw(other)["trigger"]) == _after_call(mine)
                and ctx.raw(other).get("type") not in ("evaluate", "sms")]
    if not partners or ctx.raw(name).get("type") in ("evaluate", "sms"):
        return
    other = ctx.rng("swap", name).choice(partners)
    theirs = ctx.raw(other)["trigger"]
    first, second = sorted((name, other))

    def edit(files: Files, sites: Sites) -> None:
        sites.action(files, name)["trigger"] = copy.deepcopy(theirs)
        sites.action(files, other)["trigger"] = copy.deepcopy(mine)

    yield Mutant("swap_trigger", f"{first}.trigger <-> {second}.trigger", f"{first} and {second} swap triggers",
                 edit)


def other_number(text: str) -> str:
    """The same number with its last digit changed (a destination mistyped)."""
    for index in range(len(text) - 1, -1, -1):
        if text[index].isdigit():
            return text[:index] + str((int(text[index]) + 1) % 10) + text[index + 1:]
    return text + "1"


def other_destination(ctx: Context, current: str, salt: str) -> str:
    """Another destination the call knows (a phone of the scenario or the agent), else a mistyped one."""
    known = {str(d) for d in ctx.scenario.config.phones} | {str(d) for d in ctx.scenario.project.defaults.phones}
    for entries in ctx.scenario.project.phonebooks.values():
        known.update(str(entry.destination) for entry in entries)
    choices = sorted(d for d in known if d != current and "{{" not in d)
    if choices:
        return ctx.rng("destination", salt).choice(choices)
    if current.startswith(("sip:", "sips:")):
        user, _, host = current.partition("@")
        return f"{user}2@{host}"
    return other_number(current)


def transfer(ctx: Context, name: str) -> Iterator[Mutant]:
    raw = ctx.raw(name)
    destination = raw.get("destination")
    if isinstance(destination, str):
        yield field_mutant("transfer_destination", name, ("destination",), destination,
                           other_destination(ctx, destination, name))
    elif isinstance(destination, dict) and destination.get("phonebook") in ctx.sites.phonebooks:
        book = destination["phonebook"]
        entries = document(ctx.sites.phonebooks[book]).data["phonebooks"][book]
        dialed = {e.destination for e in ctx.events("dialing", name)}
        for index, entry in enumerate(entries):
            where = f"phonebooks.{book}[{index}]"
            if entry.get("destination") in dialed:
                new = other_destination(ctx, entry["destination"], where)
                yield Mutant("transfer_destination", f"{where}.destination", f"{entry['destination']!r} -> {new!r}",
                             _phonebook_edit(book, index, "destination", new))
            if entry.get("if") is not None:
                flipped = f"not ({entry['if']})"
                yield Mutant("phonebook_if", f"{where}.if", f"{entry['if']!r} -> {flipped!r}",
                             _phonebook_edit(book, index, "if", flipped))
    whisper = raw.get("whisper")
    if isinstance(whisper, str):
        yield field_mutant("whisper", name, ("whisper",), whisper, without_a_placeholder(ctx, whisper, name)
                           or "A caller is on the line.")
    elif raw.get("summary"):
        def edit(files: Files, sites: Sites) -> None:
            action = sites.action(files, name)
            action.pop("summary")
            action["whisper"] = "A caller is on the line."

        yield Mutant("whisper", f"{name}.summary", "summary: true -> whisper: 'A caller is on the line.'", edit)


def _phonebook_edit(book: str, index: int, key: str, value: Any) -> Callable[[Files, Sites], None]:
    def edit(files: Files, sites: Sites) -> None:
        sites.phonebook(files, book)[index][key] = value

    return edit


def without_a_placeholder(ctx: Context, text: str, salt: str) -> str | None:
    """`text` with one of its placeholders left out (a text that forgot the order number), or None."""
    found = list(PLACEHOLDER.finditer(text))
    if not found:
        return None
    chosen = ctx.rng("placeholder", salt).choice(found)
    return " ".join((text[:chosen.start()] + text[chosen.end():]).split())


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))
    else:
        yield path, value


def _sibling_path(response: Any, path: str, rng: random.Random) -> str | None:
    """Another field beside the one `path` names in a response, with another value (the wrong field mapped)."""
    match = re.fullmatch(r"\$((?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])*)\.([A-Za-z_][A-Za-z0-9_]*)", path)
    if match is None:
        return None
    parent: Any = response
    for part in re.findall(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]", match[1]):
        key, index = part
        if key and isinstance(parent, dict) and key in parent:
            parent = parent[key]
        elif index and isinstance(parent, list) and int(index) < len(parent):
            parent = parent[int(index)]
        else:
            return None
    if not isinstance(parent, dict):
        return None
    mine = parent.get(match[2])
    others = sorted(k for k, v in parent.items() if k != match[2] and v != mine and re.fullmatch(r"[A-Za-z_]\w*", k)
                    and not isinstance(v, (dict, list)))
    return f"${match[1]}.{rng.choice(others)}" if others else None


def http(ctx: Context, name: str) -> Iterator[Mutant]:
    raw = ctx.raw(name)
    request = raw.get("request") or {}
    save = raw.get("save") or {}
    responses = [e.json_ for e in ctx.events("http_response", name) if e.json_ is not None]
    for target, path in save.items():
        rng = ctx.rng("save", name, target)
        new = next((p for p in (_sibling_path(r, path, rng) for r in responses) if p), None) or path + "_"
        yield field_mutant("save_path", name, ("save", target), path, new)
    targets = list(save)
    if len(targets) >= 2:
        first, second = sorted(ctx.rng("target", name).sample(targets, 2))

        def swap(files: Files, sites: Sites) -> None:
            mapping = sites.action(files, name)["save"]
            mapping[first], mapping[second] = mapping[second], mapping[first]

        yield Mutant("save_target", f"{name}.save", f"{first} and {second} swap their paths", swap)
    url = request.get("url")
    if isinstance(url, str):
        new_url = _other_path(url)
        if new_url:
            yield field_mutant("request_url", name, ("request", "url"), url, new_url)
    for key, value in (request.get("query") or {}).items():
        yield field_mutant("request_query", name, ("request", "query", key), value, _other_value(value))
    method = str(request.get("method", "GET")).upper()
    yield field_mutant("request_method", name, ("request", "method"), method,
                       {"GET": "POST", "POST": "PUT", "PUT": "PATCH", "PATCH": "PUT"}.get(method, "GET"))
    for key, value in (request.get("headers") or {}).items():
        yield field_mutant("request_header", name, ("request", "headers", key), value, _other_value(value))
    for body in ("json", "form"):
        leaves = [(path, value) for path, value in _leaves(request.get(body)) if path]
        for path, value in leaves:
            yield field_mutant("request_body", name, ("request", body, *path), value, _other_value(value, leaves))
            yield field_mutant("request_body", name, ("request", body, *path), value, _DELETE)
        if body == "json" and isinstance(request.get("json"), dict) and "note" not in request["json"]:
            yield field_mutant("request_body", name, ("request", "json", "note"), _NOT_SENT, "x")  # one field too many


def _other_path(url: str) -> str | None:
    """The URL with its last path segment that is no placeholder changed (the wrong endpoint)."""
    head, sep, query = url.partition("?")
    scheme, _, rest = head.partition("://")
    host, slash, path = rest.partition("/")
    segments = path.split("/") if slash else []
    for index in range(len(segments) - 1, -1, -1):
        if segments[index] and "{{" not in segments[index]:
            segment = segments[index]
            segments[index] = segment[:-1] if segment.endswith("s") and len(segment) > 1 else segment + "s"
            return f"{scheme}://{host}/{'/'.join(segments)}{sep}{query}"
    return None


def _other_value(value: Any, leaves: list[tuple[tuple[Any, ...], Any]] | None = None) -> Any:
    """Another value of the same kind: another placeholder of the same body when there is one, else the
    value changed a little (a number by one, a flag flipped, text with its last placeholder or word off)."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, (int, float)):
        return value + 1
    if isinstance(value, str):
        others = [v for _, v in leaves or [] if isinstance(v, str) and v != value and PLACEHOLDER.search(v)]
        if PLACEHOLDER.search(value) and others:
            return others[0]
        found = list(PLACEHOLDER.finditer(value))
        if found and value.strip() != found[-1].group(0):
            last = found[-1]
            return (value[:last.start()] + value[last.end():]).strip()
        if found:
            return value + "0"
        return value + "-x" if value else "x"
    if value is None:
        return "x"
    return None


def text_placeholder(ctx: Context, name: str) -> Iterator[Mutant]:
    body = ctx.raw(name).get("body")
    if isinstance(body, str):
        new = without_a_placeholder(ctx, body, name)
        if new is not None:
            yield field_mutant("text_placeholder", name, ("body",), body, new)


def booking(ctx: Context, name: str) -> Iterator[Mutant]:
    raw = ctx.raw(name)
    if raw.get("mode", "book") == "cancel":
        return
    duration = raw.get("duration")
    yield field_mutant("booking_duration", name, ("duration",), duration,
                       "45m" if duration in (None, "30m", "30 min") else "30m")
    title = raw.get("title", "Appointment")
    yield field_mutant("booking_fields", name, ("title",), title,
                       without_a_placeholder(ctx, title, name) or "Visit")
    if "attendee" in raw:
        yield field_mutant("booking_fields", name, ("attendee",), raw["attendee"], _DELETE)


def needs(ctx: Context, name: str) -> Iterator[Mutant]:
    for index, need in enumerate(ctx.raw(name).get("needs") or []):
        def edit(files: Files, sites: Sites, need: str = need) -> None:
            action = sites.action(files, name)
            action["needs"] = [n for n in action["needs"] if n != need]

        yield Mutant("drop_need", f"{name}.needs[{index}]", f"{need} no longer needed", edit)


def flip_if(ctx: Context, name: str) -> Iterator[Mutant]:
    trigger = ctx.raw(name).get("trigger")
    if isinstance(trigger, dict) and trigger.get("if") is not None:
        yield field_mutant("flip_if", name, ("trigger", "if"), trigger["if"], f"not ({trigger['if']})")


def dtmf(ctx: Context, name: str) -> Iterator[Mutant]:
    digits = ctx.raw(name).get("digits")
    if isinstance(digits, (str, int)):
        text = str(digits)
        outside = PLACEHOLDER.sub(lambda m: "\0" * len(m.group(0)), text)
        index = next((i for i, c in enumerate(outside) if c.isdigit()), None)
        new = (text[:index] + str((int(text[index]) + 1) % 10) + text[index + 1:]) if index is not None else text + "1"
        yield field_mutant("dtmf_digits", name, ("digits",), text, new)


OTHER_OUTCOME = {"connected": "no_answer", "no_answer": "connected", "busy": "connected", "declined": "connected",
                 "failed": "connected"}
FLIPPED_RULE = {"said": "never_said", "never_said": "said", "action": "not_action", "not_action": "action",
                "action_failed": "action"}


def evaluation(ctx: Context, name: str) -> Iterator[Mutant]:
    raw = ctx.raw(name)
    for index, criterion in enumerate(raw.get("criteria") or []):
        rule = next((k for k in (*FLIPPED_RULE, "if", "transfer", "max_turns") if k in criterion), None)
        if rule in FLIPPED_RULE:
            def edit(files: Files, sites: Sites, index: int = index, rule: str = rule) -> None:
                item = sites.action(files, name)["criteria"][index]
                item[FLIPPED_RULE[rule]] = item.pop(rule)

            yield Mutant("evaluation_rule", f"{name}.criteria[{index}]", f"{rule} -> {FLIPPED_RULE[rule]}", edit)
        elif rule == "if":
            yield field_mutant("evaluation_rule", name, ("criteria", index, "if"), criterion["if"],
                               f"not ({criterion['if']})")
        elif rule == "transfer":
            yield field_mutant("evaluation_rule", name, ("criteria", index, "transfer"), criterion["transfer"],
                               OTHER_OUTCOME.get(criterion["transfer"], "connected"))
        elif rule == "max_turns":
            yield field_mutant("evaluation_rule", name, ("criteria", index, "max_turns"), criterion["max_turns"],
                               max(0, int(criterion["max_turns"]) // 2 - 1))
    if "pass_score" in raw:
        yield field_mutant("evaluation_rule", name, ("pass_score",), raw["pass_score"],
                           1.0 if float(raw["pass_score"]) < 1 else 0.5)


BY_TYPE: dict[str, tuple[Callable[[Context, str], Iterator[Mutant]], ...]] = {
    "transfer": (transfer,), "http": (http,), "message": (text_placeholder,), "sms": (text_placeholder,),
    "booking": (booking,), "dtmf": (dtmf,), "evaluate": (evaluation,)}
EVERY_ACTION = (drop_action, swap_trigger, needs, flip_if)


def mutants(ctx: Context) -> list[Mutant]:
    """Every single change to what the scenario's call exercises, in a stable order."""
    found: dict[tuple[str, str, str], Mutant] = {}
    for name in ctx.exercised:
        kind = ctx.raw(name).get("type")
        for operator in (*EVERY_ACTION, *BY_TYPE.get(kind, ())):
            for mutant in operator(ctx, name):  # the same change reached from two actions (a swap) counts once
                found.setdefault((mutant.kind, mutant.where, mutant.change), mutant)
    return list(found.values())


# ---- running them -------------------------------------------------------------------------------------

@dataclass
class Outcome:
    scenario: str
    folder: str
    agent: str
    kind: str
    where: str
    change: str
    outcome: str
    why: str = ""
    diff: str = ""
    """The replay's diff, for a mutant only the golden recording saw."""


async def run(scenario: Scenario, recording: Path | None) -> ScenarioResult:
    answers = recorded_answers(scenario, recording, live=False) if recording is not None else None
    return await run_scenario_async(scenario, recorded=answers)


def first_line(text: str) -> str:
    return " ".join(text.strip().splitlines()[0].split())[:160] if text.strip() else ""


async def try_mutant(scenario: Scenario, mutant: Mutant, sites: Sites,
                     recording: Path | None) -> tuple[str, str, str]:
    """How one mutant ended, a short why, and the replay's diff when only the replay saw it."""
    try:
        changed = load_mutant(scenario, mutant, sites)
    except ConfigErrors as refused:
        return "invalid", first_line(str(refused.errors[0])), ""
    result = await run(changed, recording)
    if result.crash:
        return "crash", first_line(result.crash.strip().splitlines()[-1]), ""
    if not result.passed:
        why = (result.failures[0].failure.expected + " / " + result.failures[0].failure.instead
               if result.failures else result.errors[0].message)
        return "red", first_line(why), ""
    if recording is None:
        return "no recording", "", ""
    changes = diff_traces(load_recording(recording), result.trace)
    if changes:
        first = next((c for c in changes.changes if c[:1] in "-+~"), changes.changes[0])
        return "replay only", first_line(first), "\n".join(changes.changes)
    return "survived", "", ""


async def benchmark(paths: list[Path], kinds: set[str], seed: int, progress: bool) -> tuple[list[Outcome], list[str]]:
    found = discover(paths)
    if found.errors:
        sys.exit("invalid scenarios:\n" + "\n".join(str(e) for e in found.errors))
    outcomes: list[Outcome] = []
    notes: list[str] = []
    for scenario in found.scenarios:
        relative = recording_name(scenario.file).with_suffix(".yaml").as_posix()
        folder = relative.split("/", 1)[0] if "/" in relative else "."
        if any(turn.audio is not None for turn in scenario.config.turns):
            notes.append(f"{relative}: left out (audio turns)")
            continue
        recording = recording_path(scenario.file)
        recording = recording if recording.exists() else None
        baseline = await run(scenario, recording)
        if not baseline.passed:
            notes.append(f"{relative}: left out (fails unchanged)")
            continue
        if recording is not None:
            try:
                if diff_traces(load_recording(recording), baseline.trace):
                    notes.append(f"{relative}: its recording differs unchanged; replay counts are not meaningful")
            except RecordingError as problem:
                notes.append(f"{relative}: {problem}")
                recording = None
        sites = sites_of(scenario)
        agent = recording_name(scenario.project.agent_file).with_suffix(".yaml").as_posix()
        ctx = Context(scenario, sites, baseline, seed)
        chosen = [m for m in mutants(ctx) if not kinds or m.kind in kinds]
        for mutant in chosen:
            outcome, why, diff = await try_mutant(scenario, mutant, sites, recording)
            outcomes.append(Outcome(relative, folder, agent, mutant.kind, mutant.where, mutant.change, outcome, why,
                                    diff))
        if progress:
            print(f"  {relative}: {len(chosen)} mutants", file=sys.stderr)
    return outcomes, notes


SUITE_RANK = ("invalid", "red", "crash", "replay only", "no recording", "survived")
"""Which outcome a change to an agent has in the whole suite: the first any of the agent's scenarios gave."""


def across_the_suite(outcomes: list[Outcome]) -> dict[str, Counter[str]]:
    """Each change to an agent counted once, by kind: red when any scenario of that agent goes red."""
    best: dict[tuple[str, str, str, str], str] = {}
    for item in outcomes:
        key = (item.agent, item.kind, item.where, item.change)
        if key not in best or SUITE_RANK.index(item.outcome) < SUITE_RANK.index(best[key]):
            best[key] = item.outcome
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for (_, kind, _, _), outcome in best.items():
        counts[kind][outcome] += 1
    return counts


def table(title: str, rows: dict[str, Counter[str]]) -> str:
    width = max([len(title), *map(len, rows)]) + 2
    head = f"{title:<{width}}{'mutants':>8}" + "".join(f"{o:>14}" for o in OUTCOMES) + f"{'red %':>8}"
    lines = [head, "-" * len(head)]
    total: Counter[str] = Counter()
    for name in sorted(rows):
        lines.append(_row(name, rows[name], width))
        total.update(rows[name])
    lines.append(_row("all", total, width))
    return "\n".join(lines)


def _row(name: str, counts: Counter[str], width: int) -> str:
    n = sum(counts.values())
    killed = counts["invalid"] + counts["red"]
    return (f"{name:<{width}}{n:>8}" + "".join(f"{counts[o]:>14}" for o in OUTCOMES)
            + f"{(100 * killed / n if n else 0):>7.1f}%")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folder", action="append", type=Path, help="scenario folder or file (repeatable; "
                        "default: scenarios/)")
    parser.add_argument("--kind", action="append", choices=KINDS, help="only these mutation kinds (repeatable)")
    parser.add_argument("--seed", type=int, default=0, help="seeds every choice (default 0)")
    parser.add_argument("--list", action="store_true", help="list every mutant the expectations miss")
    parser.add_argument("--diff", action="store_true", help="with --list, print each replay diff in full")
    parser.add_argument("--json", type=Path, help="write every mutant's outcome to this file")
    parser.add_argument("--progress", action="store_true", help="print each scenario as it is done")
    args = parser.parse_args(argv)
    os.chdir(ROOT)  # recordings and the traces' file names are relative to the project
    paths = [p.resolve() for p in args.folder] if args.folder else [ROOT / "scenarios"]
    started, cpu = time.perf_counter(), time.process_time()
    outcomes, notes = asyncio.run(benchmark(paths, set(args.kind or ()), args.seed, args.progress))
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    by_kind: dict[str, Counter[str]] = defaultdict(Counter)
    by_folder: dict[str, Counter[str]] = defaultdict(Counter)
    for item in outcomes:
        by_kind[item.kind][item.outcome] += 1
        by_folder[item.folder][item.outcome] += 1
    print(table("kind", by_kind))
    print()
    print(table("folder", by_folder))
    print("\nacross the suite: each change to an agent once, red when any scenario of the agent goes red")
    print(table("kind", across_the_suite(outcomes)))
    missed = [o for o in outcomes if o.outcome not in ("invalid", "red")]
    crashes = [o for o in outcomes if o.outcome == "crash"]
    if args.list or crashes:
        print("\nmissed by the expectations:" if args.list else "\ncrashes:")
        for item in (missed if args.list else crashes):
            print(f"  [{item.outcome}] {item.scenario}: {item.kind} {item.where}: {item.change}"
                  + (f"\n      {item.why}" if item.why and not args.diff else ""))
            if args.diff and item.diff:
                print("\n".join("      " + line for line in item.diff.splitlines()))
    for note in notes:
        print("note:", note)
    scenarios = len({o.scenario for o in outcomes})
    print(f"\n{len(outcomes)} mutants of {scenarios} scenarios in {cpu:.1f} s of CPU ({wall:.1f} s wall, "
          f"load average {os.getloadavg()[0]:.2f})")
    if args.json:
        args.json.write_text(json.dumps([item.__dict__ for item in outcomes], indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
