"""The `transfer` action and the phone books it may choose its destination from."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, field_validator, model_validator

from callsim.config.actions.base import ActionBase, Fallback
from callsim.config.shapes.actions import TransferShape
from callsim.config.telephony import Destination, unquoted_number
from callsim.config.types import Duration, Model

SIP_STACK_HEADERS = frozenset({
    "via", "from", "to", "call-id", "cseq", "contact", "max-forwards", "content-length", "content-type", "route",
    "record-route", "authorization", "proxy-authorization", "refer-to", "referred-by", "replaces", "expires",
    "allow", "supported", "require", "session-expires", "v", "f", "t", "i", "m", "l", "c", "k", "r", "e",
})
"""Headers the SIP stack writes itself (with their compact forms); a transfer may not set them."""


class PhonebookRef(Model):
    """A transfer destination chosen from a phone book during the call."""

    phonebook: str
    """The phone book's name (under `phonebooks:` in an action library)."""
    hunt: bool = False
    """When the chosen target is busy or does not answer, try the next target whose `if:` holds."""


class TransferAction(TransferShape, ActionBase):
    """Hand the call to a person: dial, brief them (warm) or not (cold), bridge the caller, and leave the call."""

    type: Literal["transfer"]
    say: str | None = None
    """What the agent tells the caller before dialing (after a bridged transfer the agent has left the call)."""
    mode: Literal["warm", "cold"] = "cold"
    """`warm`: brief the recipient first (whisper or summary), then bridge; `cold`: bridge as soon as they answer."""
    destination: Destination | PhonebookRef
    """An E.164 number, a SIP/SIPS URI, a placeholder that renders to one, or `{phonebook: NAME}`."""
    whisper: str | None = None
    """What the recipient hears before the caller is bridged (warm only)."""
    summary: bool = False
    """Brief the recipient with a summary of the call so far: who calls, what they asked, what was collected (warm only)."""
    ring_timeout: Duration = 30.0
    """How long to let it ring before giving up (`on_no_answer`)."""
    hold_audio: str | None = None
    """What the caller hears while it rings: `music`, or a WAV file relative to this library."""
    sip_headers: dict[str, str] = {}
    """Headers sent with the call to a SIP destination; placeholder values may not add a line break."""
    on_no_answer: Fallback | None = None
    """Nobody answered within `ring_timeout` (or voicemail answered a warm transfer)."""
    on_busy: Fallback | None = None
    """The line was busy."""
    on_declined: Fallback | None = None
    """The recipient heard the whisper and declined."""
    on_fail: Fallback | None = None
    """The call could not be placed: an invalid destination, a whisper or header that cannot be rendered, a SIP error."""

    @field_validator("destination", mode="before")
    @classmethod
    def _quoted(cls, value: Any) -> Any:
        # before the union is tried, so an unquoted +number gets its own message, not two branch errors
        return unquoted_number(value)

    @field_validator("ring_timeout")
    @classmethod
    def _rings(cls, value: float) -> float:
        if value <= 0:
            raise ValueError("ring_timeout must be longer than 0s, e.g. 25s")
        return value

    @field_validator("hold_audio")
    @classmethod
    def _audio(cls, value: str | None) -> str | None:
        if value is not None and value != "music" and not value.lower().endswith(".wav"):
            raise ValueError(f"hold_audio {value!r} must be music or a .wav file")
        return value

    @field_validator("sip_headers")
    @classmethod
    def _header_names(cls, value: dict[str, str]) -> dict[str, str]:
        from callsim.backends.sip import is_token

        for name, text in value.items():
            if not is_token(name):
                raise ValueError(f"sip_headers: {name!r} is not a SIP header name (letters, digits and -.!%*_+`'~ only)")
            if name.lower() in SIP_STACK_HEADERS:
                raise ValueError(f"sip_headers: {name} is written by the SIP stack and cannot be set; "
                                 "use a custom header such as X-Order")
            if any(c in text for c in "\r\n\0"):
                raise ValueError(f"sip_headers.{name}: a header value cannot contain a line break or NUL")
        return value

    @model_validator(mode="after")
    def _briefing(self) -> TransferAction:
        if self.mode == "cold" and (self.whisper is not None or self.summary):
            raise ValueError("whisper and summary brief the recipient in a warm transfer; set mode: warm or remove them")
        if self.mode == "warm" and self.whisper is None and not self.summary:
            raise ValueError("a warm transfer briefs the recipient first: give whisper: \"...\" or summary: true "
                             "(or use mode: cold)")
        if self.whisper is not None and self.summary:
            raise ValueError("give either whisper or summary: true, not both")
        if self.sip_headers and isinstance(self.destination, str) and self.destination.startswith("+"):
            raise ValueError(f"sip_headers reach SIP destinations only, and {self.destination} is a phone number")
        return self


class PhonebookEntry(Model):
    """One conditional target of a phone book."""

    if_: str | None = Field(None, alias="if")
    """A condition over variables and the agent's local time: `now.weekday`, `now.hour`, `now.time`,
    `business_hours("mon-fri 09:00-17:00")`; a target without `if:` is the default."""
    destination: Destination
    """An E.164 number, a SIP/SIPS URI, or a placeholder that renders to one."""

    @field_validator("if_")
    @classmethod
    def _condition(cls, value: str | None) -> str | None:
        from callsim.errors import TemplateError
        from callsim.templates import compile_condition
        from callsim.templates.hours import check_hours_in_condition

        if value is not None:
            try:
                compile_condition(value)
            except TemplateError as problem:
                raise ValueError(str(problem)) from None
            check_hours_in_condition(value)
        return value


def _has_default(entries: list[PhonebookEntry]) -> list[PhonebookEntry]:
    if not any(entry.if_ is None for entry in entries):
        raise ValueError("the phone book has no default target (every entry has an if:); add a last entry "
                         "without if:, e.g. - destination: \"+14155550123\"")
    return entries


Phonebook = Annotated[list[PhonebookEntry], AfterValidator(_has_default)]
"""Ordered conditional targets; at least one without `if:`, so that some target always applies."""
