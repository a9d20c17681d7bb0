"""What every action has: its trigger, its fallback, the fields and hooks all action types share."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, field_validator, model_validator

from callsim.config.shapes.actions import ActionShape, FallbackShape
from callsim.config.types import Model, Regex

LIFECYCLE_EVENTS = ("call_start", "turn", "call_end", "message_reply", "dtmf")


class Trigger(Model):
    """When an action fires: a lifecycle event, words the caller says, a condition, or another action."""

    on: Literal["call_start", "turn", "call_end", "message_reply", "dtmf"] | None = None
    """A lifecycle event; `turn` means every caller turn, `message_reply` a reply to a message that awaits one, `dtmf` keys the caller pressed (in the `dtmf` variable). Defaults to `turn` when phrases, keywords or regex are given."""
    phrases: list[str] = []
    """Phrases the caller may say; matched tolerantly of speech-to-text spelling."""
    keywords: list[str] = []
    """Words that must all appear in the caller's turn (each tolerant of spelling)."""
    regex: list[Regex] = []
    """Regular expressions searched in the caller's turn, case-insensitively."""
    description: str | None = None
    """What the caller wants, in plain words; matched by meaning when the agent has `semantic:` on."""
    examples: list[str] = []
    """Sentences a caller might say to ask for this action; matched by meaning when the agent has `semantic:` on."""
    if_: str | None = Field(None, alias="if")
    """A condition over variables, e.g. `language == "es"` or `booking is defined`."""
    after: str | None = None
    """Fire after this other action finished."""

    @field_validator("regex", "phrases", "keywords", "examples", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @model_validator(mode="after")
    def _says_when(self) -> Trigger:
        if not (self.on or self.phrases or self.keywords or self.regex or self.description or self.examples
                or self.if_ or self.after):
            raise ValueError("a trigger needs at least one of on, phrases, keywords, regex, description, examples, "
                             "if, after")
        return self


class Fallback(FallbackShape, Model):
    """What happens when an action fails: a line to say and/or another action to run."""

    say: str | None = None
    """What the agent says instead."""
    then: str | None = None
    """The name of another action to run next."""


class ActionBase(ActionShape, Model):
    """Fields every action type has."""

    trigger: Trigger | None = None
    """When the action fires; without one it only runs from another action's `then:` or `after:`."""
    needs: list[str] = []
    """Variables that must have a value before the action runs; the agent asks for each missing one."""

    @field_validator("needs")
    @classmethod
    def _each_once(cls, value: list[str]) -> list[str]:
        # each need is read from every turn: 6,000 copies of three made a one-turn call run for minutes
        seen: set[str] = set()
        for name in value:
            if name in seen:
                raise ValueError(f"{name!r} is listed twice; name each variable once")
            seen.add(name)
        return value
    say: str | None = None
    """What the agent says when the action finished."""
    on_error: Fallback | None = None
    """What happens when the action fails."""
    description: str | None = None
    """What the action is for (shown in reports and to language-model policies)."""


def _jsonpath(path: str) -> str:
    import jsonpath

    try:
        jsonpath.compile(path)
    except Exception as error:  # python-jsonpath raises several syntax error types, with a caret diagram
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ValueError(f"{path!r} is not a valid JSONPath ({first}); expected e.g. $.status or $.items[0].id") from None
    return path


JsonPath = Annotated[str, AfterValidator(_jsonpath)]
