"""The secrets a call needs: where each `{{ secrets.NAME }}` stands, and which ones nothing supplies.

A secret's value comes from the scenario's `secrets:` (test values), from the caller of the Python
API, or from the environment. One that none of them supplies is a setup error, reported before the
call with the placeholder's `file:line:col` and the ways to supply it: without it the request is
never sent, and the fallback a call would take instead (`on_error`) makes a "the API is down"
scenario pass for the wrong reason. Only placeholders that must have a value count (not those
under `default(...)` or `is defined`), in the agent's lines and in the actions this agent can run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from callsim.config.document import Document
from callsim.errors import ConfigError, Position, TemplateError

if TYPE_CHECKING:
    from callsim.config.actions import Action
    from callsim.config.agent import AgentConfig

NOT_RENDERED = ("trigger", "needs", "description", "type", "save")
"""Action fields that are never rendered as placeholders."""


@dataclass(frozen=True)
class SecretUse:
    """One placeholder that reads a secret, and where it stands."""

    name: str
    position: Position
    where: str
    """The field in words: `action lookup, request.headers.Authorization` or `agent greeting`."""


def secret_uses(agent: AgentConfig, agent_doc: Document, action_docs: Mapping[str, Document],
                runs: set[str]) -> list[SecretUse]:
    """Every placeholder that needs a secret, in the agent's lines and the actions in `runs`, in file order."""
    texts: dict[str, str | None] = {}
    uses = [*_in_document(agent_doc, (), ("greeting", "fallback", "variables", "webhook"), "agent", texts)]
    for name in sorted(runs, key=lambda n: (action_docs[n].file, action_docs[n].position(("actions", n)).line)):
        uses.extend(_in_document(action_docs[name], ("actions", name), None, f"action {name}", texts))
    return uses


def missing_secrets(uses: list[SecretUse], given: Mapping[str, str],
                    environ: Mapping[str, str]) -> dict[str, list[SecretUse]]:
    """The secrets neither `given` nor `environ` holds, each with the placeholders that need it."""
    missing: dict[str, list[SecretUse]] = {}
    for use in uses:
        if use.name not in given and use.name not in environ:
            missing.setdefault(use.name, []).append(use)
    return missing


def missing_secret_error(uses: list[SecretUse], context: str, how: str) -> ConfigError:
    """A secret nothing supplies, at its first placeholder: `context` says for what (`in scenario x.yaml`),
    `how` is the way to supply it besides the environment variable."""
    first, *others = uses
    also = "; also used at " + ", ".join(str(use.position) for use in others[:3]) if others else ""
    more = f" and {len(others) - 3} more place(s)" if len(others) > 3 else ""
    return MissingSecretError(first.name, f"secret {first.name} has no value{context} ({first.where}{also}{more})",
                              first.position, f"{how} or set the environment variable {first.name}")


class MissingSecretError(ConfigError):
    """A secret the call needs that neither its scenario (or caller) nor the environment supplies."""

    def __init__(self, name: str, problem: str, position: Position, hint: str) -> None:
        self.name = name
        super().__init__(problem, position, hint)


def _in_document(doc: Document, root: tuple[str | int, ...], keys: tuple[str, ...] | None, label: str,
                 texts: dict[str, str | None]) -> Iterator[SecretUse]:
    from callsim.templates import template_names

    node: Any = doc.data
    for part in root:
        node = node[part]
    for path, text in _leaves(node, ()):
        if (keys is not None and path[0] not in keys) or (keys is None and path[0] in NOT_RENDERED):
            continue
        if "secrets" not in text:
            continue
        try:
            names = template_names(text, required_only=True)
        except TemplateError:
            continue  # reported by the placeholder check
        start = doc.position((*root, *path))
        for name in sorted(n.split(".", 1)[1] for n in names if n.startswith("secrets.") and n.count(".") == 1):
            at = _placeholder(doc.file, start, name, texts)
            yield SecretUse(name, at, f"{label}, {_dotted(path)}" if keys is None else f"{label} {_dotted(path)}")


def _leaves(node: Any, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, (*path, str(key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _leaves(value, (*path, index))


def _dotted(path: tuple[str | int, ...]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def _placeholder(file: str, start: Position, name: str, texts: dict[str, str | None]) -> Position:
    """Where the `{{ ... secrets.NAME ... }}` that starts at or after `start` opens (else `start`)."""
    if file not in texts:
        try:
            texts[file] = Path(file).read_text(encoding="utf-8")
        except OSError:
            texts[file] = None
    text = texts[file]
    if text is None or not start.line:
        return start
    lines = text.split("\n")
    offset = sum(len(line) + 1 for line in lines[: start.line - 1]) + start.column - 1
    found = re.compile(rf"secrets\s*(?:\.\s*{re.escape(name)}\b|\[\s*['\"]{re.escape(name)}['\"])").search(text, offset)
    if found is None:
        return start
    opening = max(text.rfind("{{", offset, found.start()), text.rfind("{%", offset, found.start()))
    index = opening if opening >= 0 else found.start()
    line = text.count("\n", 0, index) + 1
    return Position(start.file, line, index - (text.rfind("\n", 0, index) + 1) + 1)
