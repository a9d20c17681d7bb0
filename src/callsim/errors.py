"""The exceptions callsim raises, all rooted in one base class.

    CallsimError                 anything callsim reports to a user
    ├── ConfigError              a file the user wrote is wrong (carries file, line, column)
    ├── TemplateError            a placeholder cannot be rendered safely
    │   └── MissingVariable      a placeholder names a variable that has no value
    ├── CallError                a call could not go on (e.g. a bug in a `then:` chain)
    │   └── SetupError           the call met something its setup does not provide (an HTTP request no route
    │       │                    matches, a number no phone answers, a host not allowed): never a fallback
    │       └── MissingSecret    a placeholder reads a secret nothing supplies
    ├── UnusedFakes              a call driven from Python ended without using fakes it was given
    │                            (also an AssertionError, so pytest reports it as a failed check)
    └── UsageError               a Python call into callsim got arguments it does not take (also a TypeError)

A user never sees a traceback for these: the CLI and the pytest plugin print `str(error)`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


class CallsimError(Exception):
    """Base class of every error callsim reports to a user."""


@dataclass(frozen=True)
class Position:
    """Where in a user's file something is; lines and columns count from 1."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.file
        return f"{self.file}:{self.line}:{self.column}"


class ConfigError(CallsimError):
    """Raised when an agent, action library or scenario file is invalid.

    The message reads `file:line:col: what is wrong; what was expected`.
    """

    def __init__(self, problem: str, position: Position | None = None, hint: str = "") -> None:
        self.problem = one_line(problem)
        self.position = position
        self.hint = one_line(hint)
        problem, hint = self.problem, self.hint
        text = f"{position}: {problem}" if position else problem
        if hint:
            text = f"{text}; {hint}"
        super().__init__(text)


class ConfigErrors(CallsimError):
    """Several ConfigErrors found in one pass, reported together."""

    def __init__(self, errors: list[ConfigError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


MAX_REPORTED = 50
"""The most problems listed for one file: a list of 5,000 broken turns needs no 5,000 lines."""


def at_most(errors: list[ConfigError], total: int | None = None, limit: int = MAX_REPORTED) -> list[ConfigError]:
    """The first `limit` of `errors` (of `total` found), then one at the next one's place saying how many more."""
    total = len(errors) if total is None else total
    if total <= limit:
        return errors
    return [*errors[:limit], ConfigError(f"… and {total - limit:,} more problem(s) from here on",
                                         errors[limit].position if len(errors) > limit else errors[-1].position,
                                         "fix the ones above first")]


_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def one_line(text: str) -> str:
    """`text` as one line that shows what it holds: line breaks, control characters (a terminal's escape
    sequences) and invisible direction marks that a user's value brought in are written as escapes."""
    return _UNSHOWABLE.sub(lambda found: repr(found.group())[1:-1], text)


class TemplateError(CallsimError):
    """Raised when a placeholder cannot be rendered, or would break what it is rendered into."""


class MissingVariable(TemplateError):
    """Raised when a placeholder names a variable that has no value in this call."""

    def __init__(self, name: str, where: str = "") -> None:
        self.name = name
        self.where = where
        text = f"variable '{name}' has no value"
        if where:
            text = f"{where}: {text}"
        super().__init__(text)


class CallError(CallsimError):
    """Raised when a call cannot go on, e.g. an HTTP request that no scenario route matches."""


class SetupError(CallError):
    """Raised when a call meets something its setup does not provide: an HTTP request no route answers, a
    destination no phone describes, a pass-through to a host that is not allowed, a secret nobody gave. The
    call stops (no fallback takes it for a failure the agent handled), and the trace's error says `setup`."""


class MissingSecret(SetupError):
    """Raised when a placeholder reads a secret that neither the scenario (or caller) nor the environment
    supplies: the call stops, so no fallback (`on_error`) can make a scenario pass without it."""

    def __init__(self, name: str, where: str = "") -> None:
        self.name = f"secrets.{name}"
        """The placeholder's name, as MissingVariable's: `secrets.NAME`."""
        text = (f"secret {name} has no value; give it a test value (a scenario's secrets: {{{name}: \"...\"}}, "
                f"the simulator's --secret {name}=VALUE, callsim.call(secrets=...)) or set the environment "
                f"variable {name}")
        super().__init__(f"{where}: {text}" if where else text)


class UnusedFakes(CallsimError, AssertionError):
    """Raised at `hangup()` of a call driven from Python when fakes it was given were never used."""

    def __init__(self, unused: list[object]) -> None:
        self.unused = unused
        super().__init__("the call never used these fakes (mark one optional: true if it may go unused):\n"
                         + "\n".join(f"  {fake}" for fake in unused))


class UsageError(CallsimError, TypeError):
    """Raised when Python code calls callsim with arguments it does not take: a misspelt keyword (with
    a did-you-mean), a value of the wrong kind, an agent file that is not there."""
