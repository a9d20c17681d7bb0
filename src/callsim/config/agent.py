"""The agent format: greeting, fallback, declared variables and the actions attached to it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Literal, TypeVar

from pydantic import Field, field_validator, model_validator

from callsim.config.fakes import FakeDefaults
from callsim.config.live import WebhookConfig
from callsim.config.types import Model, Regex, TimeZone
from callsim.files import excerpt


ValueType = Literal["text", "digits", "number", "phone", "email", "name", "date", "time", "datetime", "enum",
                   "yes_no", "when"]


class TypedValue(Model):
    """How a value is read out of what the caller said: its type and the rules it must meet.
    Shared by the agent's variables and by extractor fields."""

    type: ValueType = "text"
    """How it is read: spoken digits, a phone number, a date relative to now, ...; `when` is a
    moment or a span asked for ("tomorrow morning"), for bookings."""
    length: tuple[int, int] | None = None
    """For digits: how many, as `4` or `4-8`."""
    values: list[str] = []
    """For enum: the allowed values."""
    pattern: Regex | None = None
    """For text: a regular expression the value must match (the match is the value)."""
    direction: Literal["past", "future", "nearest"] | None = None
    """For date and datetime: which way to fill in what the caller left out. `past` (a date of birth):
    "ninety eight" is 1998 and "march fourth" the last one; `future`: "thirty" is 2030 and a day the
    next one; `nearest`: the closer of the two. Without it, a two-digit year is the nearest and a day
    without a year the next one, except for a variable whose name says birth (`date_of_birth`,
    `birthday`, `dob`), which reads as `past`."""
    description: str | None = None
    """What the value is, in plain words (for reports and language-model policies; `scripted` reads `cues`)."""
    cues: list[str] = []
    """Words that say this value is being talked about ("birthday", "born"). When given, the value is
    only read from a turn that says one of them (or answers the agent's question for it, or follows an
    agent line that says one): a date in "monday at nine" is then not a birthday."""

    @field_validator("cues", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("length", mode="before")
    @classmethod
    def _range(cls, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return (value, value)
        if isinstance(value, str):
            match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", value)
            if not match:
                raise ValueError(f"length {value!r} must be a number or a range such as 4-8")
            low = int(match[1])
            return (low, int(match[2] or low))
        return value

    @model_validator(mode="after")
    def _consistent(self) -> TypedValue:
        if self.type == "enum" and not self.values:
            raise ValueError(f"an enum {self._what} needs values: [...]")
        if self.length and self.length[0] > self.length[1]:
            raise ValueError(f"length {self.length[0]}-{self.length[1]} is an empty range")
        if self.direction is not None and self.type not in ("date", "datetime"):
            raise ValueError(f"direction is for date and datetime values; this {self._what} is {self.type}")
        return self

    _what = "value"


T = TypeVar("T", bound=TypedValue)
_BIRTH = re.compile(r"birth|(?:^|_)dob(?:$|_)|(?:^|_)born(?:$|_)", re.IGNORECASE)


def birth_dates_past(values: dict[str, T]) -> dict[str, T]:
    """The values with a date whose name says birth (`date_of_birth`, `dob`) read toward the past
    unless they say their own `direction`."""
    return {name: value.model_copy(update={"direction": "past"})
            if value.direction is None and value.type in ("date", "datetime") and _BIRTH.search(name) else value
            for name, value in values.items()}


class VariableSpec(TypedValue):
    """A variable the agent knows about: its type, where it comes from and how to ask for it."""

    ask: str | None = None
    """The line the agent says to ask for it when an action needs it."""
    from_: Literal["caller", "start_data", "preconnect"] = Field("caller", alias="from")
    """Where the value comes from: the caller (asked or heard), data sent at call start, or data supplied before connect."""

    _what = "variable"


class SemanticConfig(Model):
    """Matching what the caller says to actions, and answers to enum values, by meaning (an offline sentence
    model) as well as by words. `semantic: true` turns it on with the defaults."""

    enabled: bool = True
    """Whether turns no phrase matches are matched by meaning (and lone keywords checked by it)."""
    threshold: float = Field(0.3, ge=0, le=1)
    """The least similarity (cosine, 0-1) between the turn and an action's meaning for the action to fire."""
    margin: float = Field(0.01, ge=0, le=1)
    """How far the best action must lead the second best; closer than this, nothing fires. The default is the
    median change that int8 quantization alone makes to a lead (tests/benchmarks/semantic_triggers.py): a
    smaller lead says more about rounding than about the sentence."""

    @model_validator(mode="before")
    @classmethod
    def _switch(cls, value: Any) -> Any:
        return {"enabled": value} if isinstance(value, bool) else value


class AgentConfig(Model):
    """An agent: what it says, what it knows, and the actions attached to it."""

    agent: str
    """The agent's name (`agent.name` in placeholders)."""
    greeting: str
    """The first line the agent says when the call connects."""
    fallback: str = "Sorry, I can't help with that."
    """What the agent says when no action matches the caller's turn."""
    goodbye: str = "Thank you for calling. Goodbye!"
    """What the agent says when the caller says goodbye ("ok that's all, thanks, bye"); then the caller hangs up."""
    corrected: str = "Got it: {{ correction.new }} instead of {{ correction.old }}."
    """What the agent says when the caller corrects an earlier answer and nothing else is going on
    ("actually make that a large"); `correction.variable`, `correction.old`, `correction.new` are set."""
    prompt: str = ""
    """The agent's instructions (used by language-model policies; shown in reports)."""
    timezone: TimeZone = "UTC"
    """IANA time zone used to read dates and times the caller says."""
    hours: str | None = None
    """When the agent's business is open, e.g. `mon-fri 09:00-17:00, sat 10:00-14:00` (in its time zone).
    A time the caller says without AM or PM is read inside them ("two thirty" is 14:30); a calendar's
    own opening hours take precedence in a call that has them."""
    number: str = "+15550100000"
    """The agent's own phone number (`call.to` on inbound calls)."""
    region: str = "US"
    """Default country for phone numbers said without a country code."""
    policy: Literal["scripted"] = "scripted"
    """What decides the agent's next move; `scripted` is offline and deterministic."""
    semantic: SemanticConfig = SemanticConfig(enabled=False)
    """Matching by meaning (off unless set; see the README's "Matching by meaning")."""
    max_asks: int = Field(2, ge=1, le=10)
    """How many times the agent asks for a variable before giving up with the fallback."""
    variables: dict[str, VariableSpec] = {}
    uses: list[str] = Field([], max_length=100)
    """Action library files, relative to this file."""
    actions: list[str] = []
    """Names of the actions attached to this agent, from the libraries in `uses`."""
    webhook: WebhookConfig | None = None
    """Where the agent POSTs its end-of-call report after every call (`callsim schema webhook`): through the
    call's HTTP routes (a `pass_through:` route sends it to your server), else callsim answers 204 itself."""
    defaults: FakeDefaults = FakeDefaults()
    """Fakes every call of this agent meets unless a scenario says otherwise: its `calendar` (opening hours,
    time zone, standing events), the `phones` its transfers dial, `http` routes, `servers`, `live_hosts`.
    Scenarios extend or override them (see the README's "Defaults that belong to the agent")."""

    @field_validator("hours")
    @classmethod
    def _hours(cls, value: str | None) -> str | None:
        from callsim.templates.hours import OpeningHours  # jinja2 comes with it: only when hours are given

        if value is not None:
            OpeningHours.parse(value)
        return value

    @field_validator("variables")
    @classmethod
    def _names(cls, value: dict[str, VariableSpec]) -> dict[str, VariableSpec]:
        check_names(value, "variable name")
        return birth_dates_past(value)


def check_names(names: Iterable[str], what: str) -> None:
    """Each name must work as a placeholder's root: letters, digits and _, and not a reserved root."""
    for name in names:
        if len(name) > MAX_NAME:
            raise ValueError(f"{what} {excerpt(name)} is longer than {MAX_NAME} characters")
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise ValueError(f"{what} {name!r} must be letters, digits and _ (usable as {{{{ {name} }}}})")
        if name in RESERVED_ROOTS:
            raise ValueError(f"{what} {name!r} is reserved for {RESERVED_ROOTS[name]}")


MAX_NAME = 64
"""The longest variable or field name."""
RESERVED_ROOTS = {
    "call": "standard call fields (call.id, call.from, call.to, ...)",
    "agent": "the agent's fields (agent.name, agent.number)",
    "secrets": "secrets from the environment (secrets.NAME)",
    "start_data": "data sent at call start (declare each key as a variable with from: start_data)",
    "preconnect": "data supplied before connect (declare each key as a variable with from: preconnect)",
    "reply": "the last text reply (reply.body, reply.action, reply.channel, reply.from)",
    "error": "the last action failure (error.kind)",
    "http": "the last HTTP response (http.status)",
}
