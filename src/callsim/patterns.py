"""Regular expressions from users' files (`regex:` triggers, `pattern:` of variables, fields and phone
menus), matched against what callers say in time linear in the text, whatever the pattern.

Python's `re` backtracks: `^(a+)+$` against thirty characters of caller text takes seconds, a few more
take hours, and nothing can interrupt it. callsim compiles these patterns with RE2 (the engine of Go's
`regexp` and of most log and firewall filters), which never backtracks. RE2 refuses the few constructs
that need backtracking (lookahead and lookbehind, backreferences); `\\w`, `\\d` and `\\b` are ASCII, as in
RE2 everywhere (`\\pL` is any letter).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

MAX_PATTERN_MEMORY = 8 * 1024 * 1024
"""The memory one compiled pattern may use (RE2's own default); a pattern past it is refused."""

_UNSUPPORTED = {
    "(?=": "a lookahead (?=...)", "(?!": "a negative lookahead (?!...)", "(?<=": "a lookbehind (?<=...)",
    "(?<!": "a negative lookbehind (?<!...)", "\\Z": "\\Z (write \\z for the end of the text)",
}


class PatternError(ValueError):
    """A pattern that does not compile, with what is wrong in words."""


@lru_cache(maxsize=1024)
def compile_pattern(pattern: str, *, ignore_case: bool = False) -> Any:
    """The compiled RE2 pattern (`search`, `finditer`, `fullmatch` as in `re`, with character offsets)."""
    import re2

    options = re2.Options()
    options.case_sensitive = not ignore_case
    options.log_errors = False
    options.max_mem = MAX_PATTERN_MEMORY
    try:
        return re2.compile(pattern, options)
    except re2.error as error:
        raise PatternError(_explain(pattern, error)) from None


def _explain(pattern: str, error: Exception) -> str:
    reason = error.args[0].decode("utf-8", "replace") if error.args and isinstance(error.args[0], bytes) else str(error)
    for construct, name in _UNSUPPORTED.items():
        if construct in pattern:
            return (f"{name} is not supported: patterns run on RE2, which matches in time linear in the text "
                    "and so cannot look around or refer back")
    if "invalid escape sequence: \\" in reason and reason[-1:].isdigit():
        return (f"{reason}: a backreference is not supported: patterns run on RE2, which matches in time linear "
                "in the text and so cannot refer back")
    if "pattern too large" in reason:
        return f"{reason}: the pattern would need more than {MAX_PATTERN_MEMORY // (1024 * 1024)} MiB; simplify it"
    return reason
