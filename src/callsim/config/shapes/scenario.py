"""What a scenario's turns and expectations do beyond their fields: the one key that says their kind."""

from __future__ import annotations

from typing import ClassVar

MAX_SAID = 10_000
"""The most characters in one caller turn or reply."""


class OneKeyShape:
    """A mapping with exactly one key, which says what kind of thing it is (a turn, an expectation)."""

    __slots__ = ()
    noun: ClassVar[str]
    split_hint: ClassVar[str]
    modifiers: ClassVar[tuple[str, ...]] = ()
    """Keys that may stand beside the one key to qualify it (a caller turn's `barge_in`)."""
    null_hint: ClassVar[str]

    @property
    def kind(self) -> str:
        if not self.modifiers:
            return next(iter(self.model_fields_set))  # type: ignore[attr-defined]
        return next(k for k in self.model_fields_set if k not in self.modifiers)  # type: ignore[attr-defined]


class ExpectationShape(OneKeyShape):
    """One check, written as a one-key mapping such as `{agent_said: order number}`."""

    __slots__ = ()
    noun: ClassVar[str] = "an expectation"
    split_hint: ClassVar[str] = "write each check as its own list item"
    null_hint: ClassVar[str] = "check nothing; write what to check after '{key}:'"


class TurnShape(OneKeyShape):
    """One step of a scenario: the caller speaks, time passes, checks, or the caller hangs up."""

    __slots__ = ()
    noun: ClassVar[str] = "a turn"
    split_hint: ClassVar[str] = "put caller, wait, hangup and expect in separate list items"
    modifiers: ClassVar[tuple[str, ...]] = ("barge_in", "channel")
    null_hint: ClassVar[str] = "do nothing; write a value after '{key}:' (e.g. caller: hello, wait: 30s, hangup: true)"
