"""The one line indented wrong: found by trying, so that one slip gives one error at the line to fix.

One line indented a step too far or too short moves what follows it: YAML reports a syntax error at a
later line (pointing at a line that is right), or the file parses and validation lists several problems
that all follow from it (a field read as part of the one above, the fields below read as the parent's).
Before reporting those, the loader tries each line near them at each depth it could mean (the left
margin, the depth of a line above it, one step under the line before); when exactly one such change makes
the whole file valid, that line is the one to fix (when two lines each do, either may be: both are named).

The search is bounded by the work it may do (MAX_WORK characters parsed in all), nearest lines first,
so a big broken file costs no more than a small one; past the bound nothing is claimed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from callsim.errors import ConfigError, Position
from callsim.files import excerpt

MAX_WORK = 1_500_000
"""Characters parsed in all while searching (each try parses and validates the whole file)."""
WINDOW = 40
"""Lines before the first problem and after the last one that may be the misindented one."""


Valid = Callable[[str, int], bool]
"""Whether a file's text, with the given line (1-based) re-indented, is valid."""


def line_to_fix(errors: list[ConfigError], text: str, name: str, valid: Valid, total: int = 1) -> ConfigError | None:
    """One error at the line to fix in place of `errors` (the first `total` problems in file `name`), when
    re-indenting one line of `text` alone makes it `valid`. A misspelt name explains its error better:
    then none."""
    if not text or not errors or any(error.hint.startswith("did you mean") for error in errors):
        return None
    key = (text, name, total, tuple(str(error) for error in errors))
    if key not in _ANSWERS:
        _ANSWERS.clear()  # one broken file at a time: each of its scenarios loads it again
        lines = [error.position.line for error in errors if error.position is not None and error.position.file == name]
        _ANSWERS[key] = _one_error(errors, find_reindent(text, lines, valid), text, name, total)
    return _ANSWERS[key]


_ANSWERS: dict[tuple[object, ...], ConfigError | None] = {}


def _one_error(errors: list[ConfigError], fixes: list[Reindent], text: str, name: str,
               total: int) -> ConfigError | None:
    first = errors[0]
    if not fixes or (len(errors) == 1 and len(fixes) == 1 and first.position is not None
                     and first.position.line == fixes[0].line and "indent it" in first.hint):  # it says so already
        return None
    more = max(total, len(errors)) - 1
    follow = f", and {more} more problem(s) that follow from it" if more else ""
    at = first.position.line if first.position else 0
    if first.problem.startswith("invalid YAML: "):  # what libyaml was parsing is no help here
        cause = f"YAML stops at line {at}: {first.problem.removeprefix('invalid YAML: ').split(' (while ')[0]}{follow}"
    else:
        cause = ("" if at == fixes[0].line else f"line {at}: ") + first.problem + follow
    if len(fixes) == 2:
        one, other = fixes
        return ConfigError(f"lines {one.line} and {other.line} are indented differently ({one.indent} and "
                           f"{other.indent} spaces); as written, {cause}", Position(name, one.line, one.indent + 1),
                           f"{_reindent(one, text)}, or {_reindent(other, text)}; either change makes the file valid")
    fix = fixes[0]
    steps = abs(fix.fixed - fix.indent)
    return ConfigError(f"line {fix.line} is indented {steps} space{'s' if steps > 1 else ''} too "
                       f"{'few' if fix.fixed > fix.indent else 'many'}; as written, {cause}",
                       Position(name, fix.line, fix.indent + 1),
                       f"{_reindent(fix, text)}; that one change makes the file valid")


def _reindent(fix: Reindent, text: str) -> str:
    """'indent line 7 6 spaces, as deep as line 10 ('method: GET')'."""
    if not fix.fixed:
        return f"start line {fix.line} at the left margin"
    like = "" if fix.like is None else \
        f", as deep as line {fix.like} ({excerpt(text.split(chr(10))[fix.like - 1].strip())})"
    return f"indent line {fix.line} {fix.fixed} spaces{like}"


@dataclass(frozen=True)
class Reindent:
    """Line `line` (1-based) is indented `indent` spaces; indented `fixed`, as line `like` is (if one
    nearby is), the file is valid."""

    line: int
    indent: int
    fixed: int
    like: int | None


def find_reindent(text: str, problem_lines: Iterable[int], valid: Valid) -> list[Reindent]:
    """The lines whose re-indenting alone makes `text` valid (`valid(text, changed line)`), searched near
    `problem_lines`, in line order: one, or two when either of two lines may be the wrong one (a block's
    first line, or the rest of it); none when no line or more than two do, or the search would exceed
    MAX_WORK. When several indentations of a line do (a field under a key may start at any depth), the
    one nearest its own."""
    lines = text.split("\n")
    near = sorted({n for n in problem_lines if 0 < n <= len(lines)})
    if not near or "\t" in text:
        return []  # a tab in the indentation has its own hint
    first = near[0]
    window = [n for n in range(max(1, near[0] - WINDOW), min(len(lines), near[-1] + WINDOW) + 1)
              if _content(lines[n - 1])]
    step = _step(lines, window)
    budget = MAX_WORK // max(len(text), 1)
    found: dict[int, list[Reindent]] = {}
    for number in sorted(window, key=lambda n: (abs(n - first), n)):
        line = lines[number - 1]
        own = _indent(line)
        for indent in _levels(lines, number, step) - {own}:
            budget -= 1
            if budget < 0:
                return []
            tried = lines.copy()
            tried[number - 1] = " " * indent + line.lstrip(" ")
            if valid("\n".join(tried), number):
                found.setdefault(number, []).append(Reindent(number, own, indent, _like(lines, window, number, indent)))
                if len(found) > 2:
                    return []
    return [min(fixes, key=lambda fix: (abs(fix.fixed - fix.indent), fix.fixed)) for _, fixes in sorted(found.items())]


def _levels(lines: list[str], number: int, step: int) -> set[int]:
    """The indentations line `number` could mean: the left margin, the depth of each line it could belong
    beside (the one before it, and each shallower one above), inside a list item above, or one step under
    the line before it."""
    levels = {0}
    deepest = None
    for above in range(number - 1, 0, -1):
        line = lines[above - 1]
        if not _content(line):
            continue
        indent = _indent(line)
        if deepest is None:
            levels.update((indent + 2, indent + step))
        if deepest is None or indent < deepest:
            deepest = indent
            levels.add(indent)
            if line.lstrip(" ").startswith("- "):
                levels.add(indent + 2)
        if indent == 0:
            break
    return levels


def _step(lines: list[str], window: list[int]) -> int:
    """The file's indentation step: the commonest deepening from one line to the next (2 when none)."""
    deeper = [_indent(lines[b - 1]) - _indent(lines[a - 1]) for a, b in zip(window, window[1:])]
    steps = [d for d in deeper if d > 0]
    return max(sorted(set(steps)), key=steps.count) if steps else 2


def _content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _like(lines: list[str], window: list[int], number: int, indent: int) -> int | None:
    """The line nearest `number` (above when two are as near) indented `indent` spaces, if any."""
    same = [n for n in window if n != number and _indent(lines[n - 1]) == indent]
    return min(same, key=lambda n: (abs(n - number), n)) if same else None
