"""Plain placeholder templates, read and rendered without jinja: literal text, `{{ a.b }}` and
`{{ a | default("x") }}`.

Most templates (a URL with an order number, a header with the caller's number, "Order {{ n }} is
{{ status }}.") are just that. Reading them here spares a call jinja's per-render context, and a run
whose templates are all plain never loads jinja (about a tenth of a one-file run's start-up). The
grammar read here is a strict subset of jinja's, read exactly as jinja reads it (literal line ends
become "\\n", as jinja's lexer makes them); anything else (a filter, a test, a subscript, whitespace
control, a keyword, an escape in a string) is left to jinja, and so is any path not found in plain
mappings while rendering, so that errors and edge cases stay exactly as jinja gives them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

NOT_FOUND = object()
Part = tuple[str | None, tuple[str, ...], object]
"""A literal (text, (), None), or a path to look up with its default (None, path, default or NOT_FOUND)."""

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_PLACEHOLDER = re.compile(
    rf"\{{\{{\s*(?P<path>{_NAME}(?:\.{_NAME})*)"
    r"""(?:\s*\|\s*(?:default|d)\s*\(\s*(?:"(?P<double>[^"\\\r\n]*)"|'(?P<single>[^'\\\r\n]*)')\s*\))?\s*\}\}""")
_OPENING = re.compile(r"\{[{%#]")
_LINE_END = re.compile(r"\r\n|\r")
_SPECIAL = frozenset({"and", "or", "not", "in", "is", "if", "else", "elif", "true", "false", "none", "True", "False",
                      "None", "self", "loop", "caller", "varargs", "kwargs", "super"})
"""Words jinja reads as operators, constants or its own objects, not as a variable: left to jinja."""


class PlainTemplate:
    """A template of literal text and placeholders that are paths, each with an optional text default."""

    __slots__ = ("parts",)

    def __init__(self, parts: list[Part]) -> None:
        self.parts = parts

    def names(self) -> tuple[frozenset[str], frozenset[str]]:
        """The dotted paths read: those without a default (required) and those only read with one."""
        required = {".".join(steps) for literal, steps, default in self.parts
                    if literal is None and default is NOT_FOUND}
        read = {".".join(steps) for literal, steps, _ in self.parts if literal is None}
        return frozenset(required), frozenset(read - required)

    def secret_use(self) -> tuple[frozenset[str], bool]:
        """The secrets named (`secrets.NAME`), and whether one is used otherwise than placed as is: the
        whole mapping (`{{ secrets }}`) or a path into a secret (`{{ secrets.a.b }}`)."""
        paths = [steps for literal, steps, _ in self.parts if literal is None and steps[0] == "secrets"]
        return frozenset(steps[1] for steps in paths if len(steps) > 1), any(len(steps) != 2 for steps in paths)

    def single(self) -> Part | None:
        """The placeholder when the template is exactly one, give or take whitespace around it."""
        found = [part for part in self.parts if part[0] is None or part[0].strip()]
        return found[0] if len(found) == 1 and found[0][0] is None else None

    def renderer(self, finalize: Callable[[object], str],
                 fallback: Callable[[Mapping[str, object]], str]) -> Callable[[Mapping[str, object]], str]:
        """The render function, formatting each value with `finalize`; `fallback` (jinja) renders whatever
        the walk cannot find, to report it as jinja does."""
        parts = self.parts

        def render(context: Mapping[str, object]) -> str:
            out = []
            for literal, steps, default in parts:
                if literal is not None:
                    out.append(literal)
                    continue
                value = lookup(context, steps, default)
                if value is NOT_FOUND:
                    return fallback(context)
                out.append(finalize(value))
            return "".join(out)

        return render


def lookup(context: Mapping[str, object], steps: tuple[str, ...], default: object) -> object:
    """The value at `steps` through plain mappings; `default` where jinja finds nothing either (a name the call
    lacks, a key missing from a mapping with no attribute of that name); NOT_FOUND for anything jinja reads
    another way (an attribute, a mapping's method) and so must render itself."""
    value: object = context
    for index, step in enumerate(steps):
        if not isinstance(value, Mapping):
            return NOT_FOUND
        if step not in value:
            return default if index == 0 or not hasattr(value, step) else NOT_FOUND
        value = value[step]
    return value


def parse_plain(source: str) -> PlainTemplate | None:
    """`source` as a plain template, or None when jinja must read it."""
    parts: list[Part] = []
    at = 0
    for found in _PLACEHOLDER.finditer(source):
        if not _literal(source[at:found.start() + 1], parts, found.start() - at):  # "{{{ a }}" opens before
            return None
        steps = tuple(found["path"].split("."))
        if not _SPECIAL.isdisjoint(steps):
            return None
        text = found["double"] if found["double"] is not None else found["single"]
        parts.append((None, steps, NOT_FOUND if text is None else text))
        at = found.end()
    if not _literal(source[at:], parts, len(source) - at):
        return None
    return PlainTemplate(parts)


def _literal(text: str, parts: list[Part], length: int) -> bool:
    """Add the first `length` characters of `text` as literal text, as jinja reads them (line ends as
    "\\n"); False when `text` opens a tag jinja must read."""
    if _OPENING.search(text):
        return False
    if length:
        parts.append((_LINE_END.sub("\n", text[:length]), (), None))
    return True
