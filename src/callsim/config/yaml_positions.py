"""Read YAML into plain Python data while remembering where every key and value stood.

PyYAML's composer (libyaml's C parser when available: a scenario file loads in well under a
millisecond) gives a node tree with start marks; we build plain dicts and lists from it and
keep each value's line and column in a side table keyed by its path (a tuple of keys and
indexes), so that a pydantic validation error's `loc` maps straight back to `file:line:col`.
Duplicate keys, which YAML forbids but PyYAML accepts silently, are errors here.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from callsim.errors import ConfigError, Position

try:
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


class _Loader(_SafeLoader):
    """YAML 1.2 booleans: only true/false. In YAML 1.1 `on`, `off`, `yes` and `no` are booleans,
    which would turn `trigger: {on: call_end}` into a `True` key and a caller's "no" into False.
    Likewise YAML 1.2 numbers (see below)."""


_BOOL, _INT, _FLOAT = "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (_BOOL, _INT, _FLOAT)]
    for first, resolvers in _SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
# Numbers without YAML 1.1's base 60 and leading-zero octal: `t: 14:30` is the text "14:30", not 870,
# and a code such as `pin: 0042` keeps its zeros instead of becoming 34.
_Loader.add_implicit_resolver(_INT, re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
                              list("-+0123456789"))
_Loader.add_implicit_resolver(_FLOAT, re.compile(r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?"
                                                 r"|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)"
                                                 r"|\.(?:nan|NaN|NAN))$"), list("-+0123456789."))

PathKey = tuple[str | int, ...]
_SCALARS = yaml.constructor.SafeConstructor()


@dataclass
class Document:
    """A YAML file's data as plain dicts and lists, plus where each part of it stood."""

    file: str
    data: Any
    positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)

    def position(self, path: PathKey, *, key: bool = False) -> Position:
        """The position of the value at `path` (or of its key), or of its nearest known parent."""
        probe = tuple(path)
        while probe:
            if key and probe in self.key_positions:
                return Position(self.file, *self.key_positions[probe])
            if probe in self.positions:
                return Position(self.file, *self.positions[probe])
            probe = probe[:-1]
        return Position(self.file, *self.positions.get((), (1, 1)))


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
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem = (error.problem or error.context or "invalid YAML").strip()
        if error.context and error.problem:
            start = error.context_mark
            where = f" started at line {start.line + 1}, column {start.column + 1}" if start else ""
            problem = f"{problem} ({error.context.strip()}{where})"
        raise ConfigError(f"invalid YAML: {problem}", Position(name, line, col),
                          "check indentation, colons and quoting") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"invalid YAML: {error}", Position(name)) from None
    doc = Document(name, None)
    doc.positions[()] = (1, 1)
    if root is not None:
        doc.data = _plain(root, (), doc)
    return doc


def _plain(node: yaml.Node, path: PathKey, doc: Document, parents: tuple[int, ...] = ()) -> Any:
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        if id(node) in parents:
            raise ConfigError("a YAML alias refers to a mapping or list that contains it", _at(doc, node),
                              "an alias (*name) cannot point at its own parent")
        parents = (*parents, id(node))
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in _merged(node, doc):
            key = _plain(key_node, path, doc, parents)
            if isinstance(key, (dict, list)):
                raise ConfigError("a mapping key must be plain text", _at(doc, key_node))
            key = str(key) if not isinstance(key, (int, bool)) else key
            child = (*path, str(key))
            if key in out:
                first = doc.key_positions[child]
                raise ConfigError(f"duplicate key '{key}' (first at line {first[0]})", _at(doc, key_node),
                                  "each key may appear once in a mapping")
            doc.key_positions[child] = _mark(key_node)
            doc.positions[child] = _mark(value_node)
            out[key] = _plain(value_node, child, doc, parents)
        return out
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            child = (*path, index)
            doc.positions[child] = _mark(item)
            items.append(_plain(item, child, doc, parents))
        return items
    try:
        value = _SCALARS.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError as error:
        raise ConfigError(f"invalid value: {error.problem}", _at(doc, node)) from None
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        # PyYAML converts offsets to UTC and drops the zone; keep the offset the user wrote
        value = _with_written_offset(node.value, value)
    return value


def _merged(node: yaml.MappingNode, doc: Document) -> list[tuple[yaml.Node, yaml.Node]]:
    pairs = []
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise ConfigError("YAML merge keys (<<) are not supported", _at(doc, key_node),
                              "write the keys out, or use an action library")
        pairs.append((key_node, value_node))
    return pairs


def _with_written_offset(text: str, value: datetime.datetime) -> datetime.datetime:
    try:
        return datetime.datetime.fromisoformat(text.strip().replace(" ", "T", 1).replace("Z", "+00:00"))
    except ValueError:
        return value


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _at(doc: Document, node: yaml.Node) -> Position:
    return Position(doc.file, *_mark(node))
