"""The call's variables: one namespace of values, each remembering where it came from."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from callsim.trace.redact import FOUND_INSIDE_TEXT, MARKER, Redactor, marker


@dataclass(slots=True)
class Value:
    """A variable's value with its provenance: `caller`, `call`, `start_data`, `preconnect`, `action:NAME`, ..."""

    value: Any
    source: str
    turn: int | None = None


class Secrets(Mapping[str, str]):
    """`secrets.NAME`: scenario test values first, then the environment; redacted from the trace from the start.

    Every value is registered with the trace's redactor before the call begins: the scenario's own, and
    those of the environment variables the agent's placeholders name (`names`), so a caller who says a
    secret before any action reads it is redacted too. A template that does more with a secret than place
    it as is (`upper`, a slice, `tojson`, a loop, ...) tells `rendered`, and its whole output is redacted
    wherever it appears: no list of encodings could foresee every transformation, so none is relied on.
    A short secret (a PIN, see `callsim.trace.redact`) is redacted where a template placed it and as a whole
    value, so a caller's "order 12345" keeps its digits beside a secret "1234".
    """

    def __init__(self, given: Mapping[str, str], redact: Redactor, environ: Mapping[str, str] = os.environ,
                 names: Iterable[str] = ()) -> None:
        self._given = dict(given)
        self._environ = environ
        self._redact = redact
        for value in self._given.values():
            redact.add(value)
        for name in names:
            if name not in self._given and name in environ:
                redact.add(environ[name])

    def __getitem__(self, name: str) -> str:
        value = self._given.get(name)
        if value is None:
            value = self._environ[name]
            self._redact.add(value)
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._given)

    def __len__(self) -> int:
        return len(self._given)

    def rendered(self, output: object, names: frozenset[str], transformed: bool,
                 again: Callable[[Mapping[str, str]], object] | None = None) -> None:
        """A template that reads `names` rendered `output`: a transformed secret makes the whole output (each
        text or number in it) a redacted value; a secret too short to be looked for inside any text is
        redacted where the template put it in this output (`again` renders it with other secrets to see
        where), wherever the output appears."""
        short = {name: value for name in names if (value := self.get(name)) and len(value) < FOUND_INSIDE_TEXT}
        if transformed or (short and (again is None or not isinstance(output, str))):
            for value in _leaves(output):
                self._redact.add(value)
        elif short:
            tokens = {name: _token(index) for index, name in enumerate(short)}
            shown = str(again({**{name: self.get(name) or "" for name in names}, **tokens}))
            self._redact.add_shown(output, _untokened(shown, {tokens[name]: marker(short[name]) for name in short}))

    def built(self, text: str, parts: Sequence[str], build: Callable[[Sequence[str]], str]) -> None:
        """`text` was built from rendered `parts` by `build` (a URL from its query values, DTMF keys from their
        placeholders): a short secret redacted where a template put it in a part is redacted there in it too."""
        shown = [self._redact.shown(part) for part in parts]
        if shown == list(parts):
            return
        found = sorted({mark for part in shown for mark in MARKER.findall(part)})
        marks = {mark: _token(index) for index, mark in enumerate(found)}
        built = build([MARKER.sub(lambda mark: marks[mark.group()], part) for part in shown])
        self._redact.add_shown(text, _untokened(built, {token: mark for mark, token in marks.items()}))


def _token(index: int) -> str:
    """A stand-in for a secret that every kind of template keeps as it is (letters and digits only)."""
    return f"callsimsecretstandin{index}x"


def _untokened(text: str, marks: Mapping[str, str]) -> str:
    for token, mark in marks.items():
        text = text.replace(token, mark)
    return text


def _leaves(value: object) -> Iterator[str]:
    """The texts and numbers in a rendered value (keys included), as text."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield str(value)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _leaves(key)
            yield from _leaves(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _leaves(item)


class Variables:
    """The variable store; `context()` is the nested mapping placeholders are rendered against."""

    def __init__(self, secrets: Secrets, on_set: Callable[[str, Value], None] | None = None) -> None:
        self._values: dict[str, Value] = {}
        self._secrets = secrets
        self._on_set = on_set
        self._context: dict[str, Any] | None = None
        self._roots: set[str] = set()
        """The first parts of dotted names (`call` of `call.from`)."""
        self._plain: set[str] = set()
        """Names without a dot."""

    def set(self, name: str, value: Any, source: str, turn: int | None = None) -> None:
        entry = Value(value, source, turn)
        self._values[name] = entry
        parts = name.split(".")
        if len(parts) > 1:
            self._roots.add(parts[0])
        else:
            self._plain.add(name)
        if self._context is not None and not (parts[0] in self._roots and parts[0] in self._plain):
            # a new mapping along the path, so a render in flight keeps its own; a name that is both plain
            # and the root of dotted ones (`a` and `a.b`) rebuilds, since which one wins depends on their order
            self._context = _assigned(self._context, parts, value)
        else:
            self._context = None
        if self._on_set:
            self._on_set(name, entry)

    def unset(self, name: str, source: str, turn: int | None = None) -> None:
        """Make `name` undefined again (`x is defined` is false, a placeholder naming it is an error): a value
        that no longer holds, such as a booking that was cancelled. Recorded as set to None by `source`."""
        if name not in self._values:
            return
        del self._values[name]
        self._context = None
        if self._on_set:
            self._on_set(name, Value(None, source, turn))

    def get(self, name: str, default: Any = None) -> Any:
        entry = self._values.get(name)
        return default if entry is None else entry.value

    def __contains__(self, name: object) -> bool:
        return name in self._values and self._values[name].value is not None

    def entry(self, name: str) -> Value | None:
        return self._values.get(name)

    def items(self) -> Iterator[tuple[str, Value]]:
        return iter(self._values.items())

    def context(self) -> dict[str, Any]:
        """Dotted names (`call.from`) become nested mappings; built once per change, not per render."""
        if self._context is None:
            context: dict[str, Any] = {}
            for name, entry in self._values.items():
                parts = name.split(".")
                node = context
                for part in parts[:-1]:
                    child = node.get(part)
                    if not isinstance(child, dict):
                        child = node[part] = {}
                    node = child
                node[parts[-1]] = entry.value
            context["secrets"] = self._secrets
            self._context = context
        return self._context


def _assigned(node: dict[str, Any], parts: list[str], value: Any) -> dict[str, Any]:
    """A copy of `node` with the value at the dotted path `parts` set (mappings on the path copied too)."""
    node = dict(node)
    if len(parts) == 1:
        node[parts[0]] = value
    else:
        child = node.get(parts[0])
        node[parts[0]] = _assigned(child if isinstance(child, dict) else {}, parts[1:], value)
    return node
