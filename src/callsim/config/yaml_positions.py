"""Read YAML into plain Python data while remembering where every key and value stood.

ruamel.yaml's round-trip loader keeps line and column for each mapping key and sequence item;
we keep them in a side table keyed by the path of the value (a tuple of keys and indexes) so
that a pydantic validation error's `loc` maps straight back to `file:line:col`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from callsim.errors import ConfigError, Position

PathKey = tuple[str | int, ...]


@dataclass
class Document:
    """A YAML file's data as plain dicts and lists, plus where each part of it stood."""

    file: str
    data: Any
    positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)

    def position(self, path: PathKey, *, key: bool = False) -> Position:
        """The position of the value at `path` (or of its key), or of its nearest known parent."""
        table = self.key_positions if key else self.positions
        probe = tuple(path)
        while probe:
            if probe in table:
                line, col = table[probe]
                return Position(self.file, line, col)
            if probe in self.positions:
                line, col = self.positions[probe]
                return Position(self.file, line, col)
            probe = probe[:-1]
        line, col = self.positions.get((), (1, 1))
        return Position(self.file, line, col)


def read_document(path: Path, display: str | None = None) -> Document:
    """Load one YAML file; a syntax error becomes a ConfigError at the offending line."""
    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("file not found", Position(name), "check the path") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read file ({error})", Position(name)) from None
    return parse_document(text, name)


def parse_document(text: str, name: str) -> Document:
    """Parse YAML text; see read_document."""
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        raw = yaml.load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem = (error.problem or error.context or "invalid YAML").strip()
        hint = "check indentation, colons and quoting"
        if "duplicate key" in str(error):
            problem, hint = _duplicate_key_problem(str(error)), "each key may appear once"
        raise ConfigError(f"invalid YAML: {problem}", Position(name, line, col), hint) from None
    except Exception as error:  # ruamel raises a few non-marked errors for odd input
        raise ConfigError(f"invalid YAML: {error}", Position(name)) from None
    doc = Document(name, None)
    doc.positions[()] = (1, 1)
    doc.data = _plain(raw, (), doc)
    return doc


def _duplicate_key_problem(message: str) -> str:
    for line in message.splitlines():
        if "found duplicate key" in line:
            return line.strip().rstrip(".")
    return "duplicate key"


def _plain(node: Any, path: PathKey, doc: Document) -> Any:
    if isinstance(node, CommentedMap):
        out: dict[Any, Any] = {}
        for key, value in node.items():
            child = (*path, str(key))
            try:
                kl, kc, vl, vc = node.lc.data[key]
            except (KeyError, AttributeError, TypeError):
                kl = kc = vl = vc = None
            if kl is not None:
                doc.key_positions[child] = (kl + 1, kc + 1)
                doc.positions[child] = (vl + 1, vc + 1)
            out[str(key) if not isinstance(key, (int, float, bool)) else key] = _plain(value, child, doc)
        return out
    if isinstance(node, CommentedSeq):
        items = []
        for index, value in enumerate(node):
            child = (*path, index)
            try:
                line, col = node.lc.data[index]
                doc.positions[child] = (line + 1, col + 1)
            except (KeyError, AttributeError, TypeError, IndexError):
                pass
            items.append(_plain(value, child, doc))
        return items
    if isinstance(node, datetime.datetime):
        # ruamel's TimeStamp subclass carries private state; hand pydantic a plain datetime
        return datetime.datetime.fromisoformat(node.isoformat())
    if isinstance(node, (datetime.date, int, float, bool)) or node is None:
        return node
    return str(node)
