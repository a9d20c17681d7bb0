"""Read YAML into plain Python data while remembering where every key and value stood.

libyaml's parser (PyYAML's C binding when available) gives a stream of events with start marks; we
build plain dicts and lists from it and keep each value's line and column in a side table keyed by
its path (a tuple of keys and indexes), so that a pydantic validation error's `loc` maps straight
back to `file:line:col`. Building from events (not a composed node tree) holds the limits as the
file is read: a file nested too deep, or one whose aliases would expand past MAX_VALUES (a "billion
laughs"), stops at the offending line at once. Duplicate keys, which YAML forbids but PyYAML accepts
silently, are errors here; so are tags other than the plain ones, a second document, and characters
YAML or editors cannot show as written.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from callsim.config.document import Document, PathKey
from callsim.errors import ConfigError, Position
from callsim.files import MAX_YAML_BYTES, UnreadableFile, read_regular

try:
    from yaml import CSafeLoader as _Parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Parser  # type: ignore[assignment]

MAX_DEPTH = 64
"""Mappings and lists nested deeper than this are refused."""
MAX_VALUES = 100_000
"""The most keys and values a file may hold, counting each alias as the values it repeats."""
MAX_TEXT = 100_000
"""The most characters one value may have."""


class _Resolver(yaml.resolver.Resolver):
    """YAML 1.2 booleans: only true/false. In YAML 1.1 `on`, `off`, `yes` and `no` are booleans,
    which would turn `trigger: {on: call_end}` into a `True` key and a caller's "no" into False.
    Likewise YAML 1.2 numbers (see below)."""


_BOOL, _INT, _FLOAT = "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_Resolver.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (_BOOL, _INT, _FLOAT)]
    for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
}
_Resolver.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
# Numbers without YAML 1.1's base 60 and leading-zero octal: `t: 14:30` is the text "14:30", not 870,
# and a code such as `pin: 0042` keeps its zeros instead of becoming 34.
_Resolver.add_implicit_resolver(_INT, re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
                                list("-+0123456789"))
_Resolver.add_implicit_resolver(_FLOAT, re.compile(r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?"
                                                   r"|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)"
                                                   r"|\.(?:nan|NaN|NAN))$"), list("-+0123456789."))
_RESOLVER = _Resolver()
_IMPLICIT_FIRST = frozenset(char for char in _Resolver.yaml_implicit_resolvers if char is not None)

_SCALARS = yaml.constructor.SafeConstructor()


def read_document(path: Path, display: str | None = None) -> Document:
    """Load one YAML file (a regular file of at most MAX_YAML_BYTES); any problem becomes a ConfigError
    at the offending line."""
    name = display or str(path)
    return parse_document(read_text(path, name), name)


def read_text(path: Path, name: str) -> str:
    """The text of one YAML file (a regular file of at most MAX_YAML_BYTES, UTF-8), or a ConfigError."""
    try:
        data = read_regular(path, MAX_YAML_BYTES)
    except UnreadableFile as problem:
        raise ConfigError(problem.reason, Position(name), "check the path" if problem.missing else "") from None
    return decode(data, name)


_UTF16_32_BOMS = {b"\x00\x00\xfe\xff": "UTF-32", b"\xff\xfe\x00\x00": "UTF-32", b"\xfe\xff": "UTF-16",
                  b"\xff\xfe": "UTF-16"}


def decode(data: bytes, name: str) -> str:
    """A file's bytes as text: UTF-8, with or without a byte order mark."""
    for bom, encoding in _UTF16_32_BOMS.items():
        if data.startswith(bom):
            raise ConfigError(f"the file is {encoding} text (it starts with a {encoding} byte order mark)",
                              Position(name, 1, 1), "save it as UTF-8")
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line_start = before.rfind(b"\n") + 1
        column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
        raise ConfigError(f"invalid UTF-8 (byte 0x{data[error.start]:02x}: {error.reason})",
                          Position(name, before.count(b"\n") + 1, column),
                          "save the file as UTF-8 text") from None


# Characters YAML does not allow raw (C0 and C1 controls but tab and line ends, DEL, surrogates,
# U+FFFE/U+FFFF), plus three it reads as line breaks where editors do not (U+0085, U+2028, U+2029:
# every line number after them would be off) and a byte order mark past the start. Listed as what is
# refused, not as "anything but" what is allowed: compiling the negated class walks every code point of
# its ranges (8 ms at each start, a fiftieth of a one-file run); this one compiles in 0.4 ms.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _refuse_unsafe_characters(text: str, name: str) -> None:
    found = _UNSAFE.search(text)
    if found is None:
        return
    index = found.start()
    line_start = text.rfind("\n", 0, index) + 1
    char = found.group()
    escapable = not (0xD800 <= ord(char) <= 0xDFFF or char in "\ufffe\uffff")
    raise ConfigError(f"{describe_character(char)} is not allowed in a YAML file",
                      Position(name, text.count("\n", 0, index) + 1, index - line_start + 1),
                      f"remove it; to mean it in a value, write \\u{ord(char):04x} inside double quotes"
                      if escapable else "remove it")


def describe_character(char: str) -> str:
    """A character that cannot be shown as itself, named for a message."""
    code = ord(char)
    name = {0: "a NUL character", 0x85: "the line break NEL", 0x2028: "the line separator",
            0x2029: "the paragraph separator", 0xFEFF: "a byte order mark"}.get(code)
    if name is None:
        name = ("a lone surrogate (half of a UTF-16 pair, not a character)" if 0xD800 <= code <= 0xDFFF else
                "a noncharacter" if code in (0xFFFE, 0xFFFF) else "the control character")
    return f"{name} U+{code:04X}"


def parse_document(text: str, name: str) -> Document:
    """Parse YAML text; see read_document. The YAML limits (MAX_DEPTH, MAX_VALUES, MAX_TEXT) hold."""
    text = text.removeprefix("\ufeff")
    _refuse_unsafe_characters(text, name)
    builder = _Builder(name)
    try:
        for event in yaml.parse(text, Loader=_Parser):
            builder.feed(event)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem = (error.problem or error.context or "invalid YAML").strip()
        if error.context and error.problem:
            start = error.context_mark
            where = f" started at line {start.line + 1}, column {start.column + 1}" if start else ""
            problem = f"{problem} ({error.context.strip()}{where})"
        raise ConfigError(f"invalid YAML: {problem}", Position(name, line, col),
                          _yaml_hint(text, line, error.problem or "")) from None
    except yaml.YAMLError as error:  # a reader error: a character libyaml refuses (_UNSAFE should catch it first)
        index = getattr(error, "position", None)
        where = Position(name)
        if isinstance(index, int):
            where = Position(name, text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1)
        problem = str(getattr(error, "reason", "") or error).splitlines()[0]
        raise ConfigError(f"invalid YAML: {problem}", where) from None
    doc = builder.document()
    doc.text = text
    return doc


def parses(text: str) -> bool:
    """Whether libyaml reads `text` as YAML: its events only, no values built and no limits checked (a
    quick first test; parse_document is the real one)."""
    try:
        for _ in yaml.parse(text, Loader=_Parser):
            pass
    except yaml.YAMLError:
        return False
    return True


def _yaml_hint(text: str, line: int, problem: str) -> str:
    """How to fix the YAML mistakes people make most, from the text at the error: a tab in the
    indentation, a line indented under a key whose value is already on its line, a value with ': '."""
    lines = text.split("\n")
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    if "\t" in here[:len(here) - len(here.lstrip(" \t"))]:
        return f"replace the tab in line {line}'s indentation with spaces (YAML indents with spaces only)"
    if problem.startswith(("mapping values are not allowed", "did not find expected key", "expected <block end>")):
        before = next(((n, t) for n, t in reversed(list(enumerate(lines[:line - 1], 1)))
                       if t.strip() and not t.lstrip().startswith("#")), None)
        indent = len(here) - len(here.lstrip(" "))
        if before is not None and indent > len(before[1]) - len(before[1].lstrip(" ")) \
                and not before[1].rstrip().endswith(":"):
            return (f"line {line} is indented deeper than line {before[0]}, which already has its value: "
                    f"indent it as far as line {before[0]} (or end line {before[0]} with the key alone)")
        if problem.startswith("mapping values"):
            return "a value holding ': ' needs quotes, e.g. say: \"Note: we close at 5\""
    return "check indentation, colons and quoting"


_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP, _MAP, _SEQ, _MERGE = (
    f"tag:yaml.org,2002:{kind}" for kind in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq", "merge"))
_SCALAR_TAGS = {_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP}
_SAME_AS_PLAIN = {None, "!"}


@dataclass
class _Anchored:
    """An anchored value, kept so that an alias can repeat it; `size` counts the values it holds."""

    value: Any
    size: int


@dataclass
class _Open:
    """A mapping or list being read."""

    path: PathKey
    value: dict[Any, Any] | list[Any]
    mark: tuple[int, int]
    anchor: str | None
    size_before: int
    keys_before: int
    key: Any = None
    key_mark: tuple[int, int] | None = None
    has_key: bool = False


class _Builder:
    """Plain data and positions from a stream of YAML events, holding the limits as it goes (so a
    billion-laughs file stops at the first alias past the limit, not after filling the memory)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.stack: list[_Open] = []
        self.positions: list[tuple[PathKey, tuple[int, int]]] = [((), (1, 1))]
        self.key_positions: list[tuple[PathKey, tuple[int, int]]] = []
        self.anchors: dict[str, _Anchored | None] = {}
        self.size = 0
        self.documents = 0
        self.root: Any = None

    def document(self) -> Document:
        doc = Document(self.name, self.root)
        doc.positions.update(self.positions)
        doc.key_positions.update(self.key_positions)
        return doc

    def feed(self, event: yaml.Event) -> None:
        mark = (event.start_mark.line + 1, event.start_mark.column + 1)
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise ConfigError("expected a single document in the file, found a second one (---)",
                                  self._at(mark), "callsim reads one YAML document per file: remove the --- "
                                  "line, or split the file in two")
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self._start(event, mark)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            self._end()
        elif isinstance(event, yaml.ScalarEvent):
            self._scalar(event, mark)
        elif isinstance(event, yaml.AliasEvent):
            self._alias(event.anchor, mark)

    def _at(self, mark: tuple[int, int]) -> Position:
        return Position(self.name, *mark)

    def _count(self, values: int, mark: tuple[int, int], alias: bool = False) -> None:
        self.size += values
        if self.size > MAX_VALUES:
            how = " once its aliases (*name) are expanded" if alias else ""
            raise ConfigError(f"the file holds more than {MAX_VALUES:,} values{how}", self._at(mark),
                              "each alias repeats its anchor's whole value; split the file, or write less"
                              if alias else "split it into smaller files")

    def _place(self, mark: tuple[int, int]) -> tuple[PathKey, bool]:
        """Where the next value goes: its path, and whether it is a mapping key."""
        if not self.stack:
            return (), False
        top = self.stack[-1]
        if isinstance(top.value, list):
            return (*top.path, len(top.value)), False
        if not top.has_key:
            return top.path, True
        return (*top.path, str(top.key)), False

    def _start(self, event: yaml.CollectionStartEvent, mark: tuple[int, int]) -> None:
        path, is_key = self._place(mark)
        if is_key:
            raise ConfigError("a mapping key must be plain text", self._at(mark))
        mapping = isinstance(event, yaml.MappingStartEvent)
        if event.tag not in _SAME_AS_PLAIN and event.tag != (_MAP if mapping else _SEQ):
            raise ConfigError(f"the YAML tag {_tag(event.tag)} is not supported", self._at(mark),
                              "remove it: callsim files are plain mappings, lists and values")
        if len(self.stack) >= MAX_DEPTH:
            raise ConfigError(f"nested more than {MAX_DEPTH} levels deep", self._at(mark),
                              "flatten the data")
        self._count(1, mark)
        if event.anchor is not None:
            self.anchors[event.anchor] = None  # open: an alias to it now would contain itself
        self.stack.append(_Open(path, {} if mapping else [], mark, event.anchor, self.size,
                                len(self.key_positions)))
        self.positions.append((path, mark))

    def _end(self) -> None:
        done = self.stack.pop()
        if done.anchor is not None:
            self.anchors[done.anchor] = _Anchored(done.value, self.size - done.size_before + 1)
        self._add(done.value, done.mark)

    def _add(self, value: Any, mark: tuple[int, int]) -> None:
        """Put a finished value where it belongs: the root, a list item, a key or a key's value."""
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        if isinstance(top.value, list):
            top.value.append(value)
        elif not top.has_key:
            self._key(top, value, mark)
        else:
            top.value[top.key] = value
            top.has_key = False

    def _key(self, top: _Open, key: Any, mark: tuple[int, int]) -> None:
        if isinstance(key, (dict, list)):
            raise ConfigError("a mapping key must be plain text", self._at(mark))
        key = key if isinstance(key, (int, bool)) else str(key)
        assert isinstance(top.value, dict)
        if key in top.value:
            first = dict(self.key_positions[top.keys_before:])[(*top.path, str(key))]
            raise ConfigError(f"duplicate key '{key}' (first at line {first[0]})", self._at(mark),
                              "each key may appear once in a mapping")
        top.key, top.key_mark, top.has_key = key, mark, True
        self.key_positions.append(((*top.path, str(key)), mark))

    def _scalar(self, event: yaml.ScalarEvent, mark: tuple[int, int]) -> None:
        path, is_key = self._place(mark)
        self._count(1, mark)
        if len(event.value) > MAX_TEXT:
            raise ConfigError(f"a value of {len(event.value):,} characters; the limit is {MAX_TEXT:,}",
                              self._at(mark), "shorten it")
        value = self._construct(event, mark, is_key)
        if event.anchor is not None:
            self.anchors[event.anchor] = _Anchored(value, 1)
        if not is_key:
            self.positions.append((path, mark))
        self._add(value, mark)

    def _construct(self, event: yaml.ScalarEvent, mark: tuple[int, int], is_key: bool) -> Any:
        value = event.value
        if event.tag is None and (not event.implicit[0] or (value and value[0] not in _IMPLICIT_FIRST)):
            if _SURROGATE.search(value):  # only a pure-Python parser lets an escaped one through
                raise ConfigError(f"{describe_character(_SURROGATE.search(value).group())} in a value",
                                  self._at(mark), "write the character itself, or its full \\U escape")
            return value  # quoted, or plain text no implicit type can start with: text as written
        explicit = event.tag not in _SAME_AS_PLAIN
        if event.tag == "!":
            tag = _STR
        elif not explicit:
            tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)
        else:
            tag = event.tag
        if tag == _MERGE and is_key:
            raise ConfigError("YAML merge keys (<<) are not supported", self._at(mark),
                              "write the keys out, or use an action library")
        if tag not in _SCALAR_TAGS:
            raise ConfigError(f"the YAML tag {_tag(tag)} is not supported", self._at(mark),
                              "remove it: callsim files are plain mappings, lists and values")
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            value = _SCALARS.yaml_constructors[tag](_SCALARS, node)
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError, yaml.YAMLError):
            if explicit:
                raise ConfigError(f"{event.value[:40]!r} is not a valid {_tag(tag)} value", self._at(mark),
                                  f"remove the {_tag(tag)} tag, or write a valid value") from None
            value = event.value  # looks like a number or a date but is none: keep the text as written
        if isinstance(value, datetime.datetime) and value.tzinfo is not None:
            # PyYAML converts offsets to UTC and drops the zone; keep the offset the user wrote
            value = _with_written_offset(event.value, value)
        if isinstance(value, str) and _SURROGATE.search(value):
            raise ConfigError(f"{describe_character(_SURROGATE.search(value).group())} in a value",
                              self._at(mark), "write the character itself, or its full \\U escape")
        return value

    def _alias(self, anchor: str, mark: tuple[int, int]) -> None:
        if anchor not in self.anchors:
            raise ConfigError(f"the alias *{anchor} names no anchor", self._at(mark),
                              f"define &{anchor} on a value above it")
        anchored = self.anchors[anchor]
        if anchored is None:
            raise ConfigError("a YAML alias refers to a mapping or list that contains it", self._at(mark),
                              "an alias (*name) cannot point at its own parent")
        path, is_key = self._place(mark)
        self._count(anchored.size, mark, alias=True)
        if not is_key:
            # everything inside the repeated value is placed at the alias: a problem in the copy is
            # reported where the copy was asked for, and the positions table does not grow with it
            self.positions.append((path, mark))
        self._add(anchored.value, mark)  # shared, not copied: the data is only ever read


def _tag(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag


def _with_written_offset(text: str, value: datetime.datetime) -> datetime.datetime:
    try:
        return datetime.datetime.fromisoformat(text.strip().replace(" ", "T", 1).replace("Z", "+00:00"))
    except ValueError:
        return value
