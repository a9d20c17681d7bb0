"""How big a placeholder template may be, and how much it may build while it renders.

Compiling a template costs about a millisecond per placeholder (100,000 characters of `{{ a }}` took
15 s and 150 MB), and jinja's sandbox happily builds `'x' * 300000000` (1.2 GB, at validate: jinja folds
constants while compiling). So a template is refused past MAX_TEMPLATE_CHARS or MAX_TEMPLATE_TAGS, and
while rendering no operation may build a text or list past MAX_RENDERED: a size that multiplies (`*`,
`**`, a width or count argument, `replace`, `join`, a `%` or `format` width) is checked before it is
built, every other result after, and the output as it is joined.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

MAX_TEMPLATE_CHARS = 20_000
"""One template (a line, a URL, a header, one JSON value)."""
MAX_TEMPLATE_TAGS = 200
"""`{{ ... }}` and `{% ... %}` in one template."""
MAX_RENDERED = 100_000
"""Characters (or items of a list) any value built while rendering may hold, the output included."""
MAX_POWER_BITS = 4096
"""The largest number `**` may build, in bits."""
MAX_LOOP_TURNS = 100_000
"""The turns all `{% for %}` loops of one render may take together (nested loops multiply)."""
LOOP_BUDGET = "_callsim_loop_budget"
"""The filter every loop's items pass through (put there when a template is parsed)."""

_turns_left: ContextVar[list[int]] = ContextVar("callsim_loop_turns")

_WIDE_FORMAT = re.compile(r"%[-+ #0]*(?:\*|\d{6,})|%[-+ #0]*\d*\.(?:\*|\d{6,})|\{[^{}]*:[^{}]*\d{6,}[^{}]*\}")


def check_source(source: str) -> str | None:
    """Why a template is too big to compile, or None."""
    if len(source) > MAX_TEMPLATE_CHARS:
        return f"a template may hold at most {MAX_TEMPLATE_CHARS:,} characters (this one has {len(source):,})"
    tags = source.count("{{") + source.count("{%")
    if tags > MAX_TEMPLATE_TAGS:
        return f"a template may hold at most {MAX_TEMPLATE_TAGS} placeholders and tags (this one has {tags:,})"
    return None


def _refused(message: str) -> Exception:
    """jinja's SecurityError, as its sandbox raises for what it refuses; jinja is loaded only for a refusal
    (a plain template renders without it, see callsim.templates.plain)."""
    from jinja2.exceptions import SecurityError

    return SecurityError(message)


def _refuse(what: str) -> Exception:
    return _refused(f"{what} would be longer than {MAX_RENDERED:,}, the most a template may build")


def checked(value: Any) -> Any:
    """`value`, refused when it is a text, list or tuple longer than MAX_RENDERED."""
    if isinstance(value, (str, list, tuple)) and len(value) > MAX_RENDERED:
        raise _refuse("a value")
    return value


def check_arguments(args: Iterable[Any]) -> None:
    """Refuse a width, count or format that would make one call build more than MAX_RENDERED."""
    for arg in args:
        if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > MAX_RENDERED:
            raise _refuse(f"a size of {arg:,}")
        if isinstance(arg, str) and _WIDE_FORMAT.search(arg):
            raise _refuse("a formatted value")


def check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse `*` and `**` (and `%` formatting) whose result would be too large, before building it."""
    if operator == "*":
        for sequence, times in ((left, right), (right, left)):
            if isinstance(sequence, (str, list, tuple)) and isinstance(times, int) and len(sequence) * times > MAX_RENDERED:
                raise _refuse(f"{len(sequence):,} x {times:,}")
    elif operator == "**" and isinstance(left, int) and isinstance(right, int):
        if abs(left) > 1 and right * abs(left).bit_length() > MAX_POWER_BITS:
            raise _refused(f"{left} ** {right} would be a number of more than {MAX_POWER_BITS} bits")
    elif operator == "%" and isinstance(left, str):
        check_arguments([left])


def check_growth(name: str, value: Any, args: tuple[Any, ...]) -> None:
    """Refuse `replace` and `join` whose result would be too large, before building it."""
    if name == "replace" and isinstance(value, str) and len(args) >= 2 and isinstance(args[1], str):
        old, new = str(args[0]), args[1]
        count = value.count(old) if old else len(value) + 1
        if len(value) + count * (len(new) - len(old)) > MAX_RENDERED:
            raise _refuse("the replaced text")
    elif name == "join" and args and isinstance(args[0], str):
        items = value if isinstance(value, (str, list, tuple)) else ()
        if len(items) * len(args[0]) > MAX_RENDERED:
            raise _refuse("the joined text")


def bounded_concat(pieces: Iterable[str]) -> str:
    """`"".join(pieces)`, refused as soon as it passes MAX_RENDERED (a loop of large pieces)."""
    out: list[str] = []
    total = 0
    for piece in pieces:
        total += len(piece)
        if total > MAX_RENDERED:
            raise _refuse("the rendered text")
        out.append(piece)
    return "".join(out)


@contextmanager
def loop_budget() -> Iterator[None]:
    """One render's allowance of loop turns (MAX_LOOP_TURNS)."""
    token = _turns_left.set([MAX_LOOP_TURNS])
    try:
        yield
    finally:
        _turns_left.reset(token)


def counted_turns(items: Iterable[Any]) -> Iterator[Any]:
    """`items`, each counted against the render's loop budget."""
    left = _turns_left.get([MAX_LOOP_TURNS])
    for item in items:
        left[0] -= 1
        if left[0] < 0:
            raise _refused(f"the loops would turn more than {MAX_LOOP_TURNS:,} times in one render")
        yield item
