"""Telephony events: transfers and their phone-book choice, hold, DTMF, phone menus."""

from __future__ import annotations

from dataclasses import field
from typing import ClassVar

from callsim.trace.events.base import Event, _quoted, event_type


@event_type
class Dialing(Event):
    """A transfer places a call (one leg) to a destination."""

    type: ClassVar[str] = "dialing"
    action: str
    leg: str
    destination: str
    mode: str
    attempt: int = 1
    sip_headers: dict[str, str] = field(default_factory=dict)

    def summary(self) -> str:
        headers = f" with {', '.join(f'{k}: {v}' for k, v in self.sip_headers.items())}" if self.sip_headers else ""
        again = f", attempt {self.attempt}" if self.attempt > 1 else ""
        return f"☎ dialing {self.destination} ({self.mode} transfer{again}){headers}"


@event_type
class Ringing(Event):
    type: ClassVar[str] = "ringing"
    action: str
    leg: str
    destination: str
    ring_timeout: float

    def summary(self) -> str:
        return f"☎ {self.destination} is ringing (timeout {self.ring_timeout:g}s)"


@event_type
class Answered(Event):
    """The far end picked up: a person, or voicemail."""

    type: ClassVar[str] = "answered"
    action: str
    leg: str
    destination: str
    by: str
    after: float

    def summary(self) -> str:
        return f"☎ {self.destination} answered by {self.by} after {self.after:g}s of ringing"


@event_type
class LegCancelled(Event):
    """A transfer's call was given up before it was bridged (the caller hung up while it rang or was briefed)."""

    type: ClassVar[str] = "leg_cancelled"
    action: str
    leg: str
    destination: str
    reason: str

    def summary(self) -> str:
        return f"☎ call to {self.destination} cancelled: {self.reason}"


@event_type
class WhisperPlayed(Event):
    """What the recipient of a warm transfer heard before the caller was bridged."""

    type: ClassVar[str] = "whisper_played"
    action: str
    leg: str
    destination: str
    text: str
    summary_of_call: bool = False
    duration: float = 0.0

    def summary(self) -> str:
        what = "summary" if self.summary_of_call else "whisper"
        return f"☎ {what} to {self.destination}: {_quoted(self.text, 90)}"


@event_type
class Bridged(Event):
    """The caller and the transfer's recipient are connected; the agent leaves the call."""

    type: ClassVar[str] = "bridged"
    action: str
    leg: str
    destination: str
    mode: str
    to_voicemail: bool = False

    def summary(self) -> str:
        return f"☎ caller bridged to {self.destination}" + (" (voicemail)" if self.to_voicemail else "")


@event_type
class Busy(Event):
    type: ClassVar[str] = "busy"
    action: str
    leg: str
    destination: str
    reason: str = "486 Busy Here"

    def summary(self) -> str:
        return f"☎ {self.destination} is busy ({self.reason})"


@event_type
class NoAnswer(Event):
    """Nobody answered within the ring timeout (or, on a warm transfer, only voicemail did)."""

    type: ClassVar[str] = "no_answer"
    action: str
    leg: str
    destination: str
    after: float
    reason: str = "ring timeout"

    def summary(self) -> str:
        return f"☎ {self.destination}: no answer after {self.after:g}s ({self.reason})"


@event_type
class Declined(Event):
    type: ClassVar[str] = "declined"
    action: str
    leg: str
    destination: str

    def summary(self) -> str:
        return f"☎ {self.destination} declined the transfer"


@event_type
class DialFailed(Event):
    """The transfer could not be placed: an invalid destination, an unrenderable whisper or header, a SIP error.

    `leg` is empty when the problem was found before dialing."""

    type: ClassVar[str] = "dial_failed"
    action: str
    destination: str
    reason: str
    leg: str = ""
    mode: str = ""

    def summary(self) -> str:
        return f"☎ transfer to {self.destination or '(no destination)'} failed: {self.reason}"


@event_type
class HoldStarted(Event):
    type: ClassVar[str] = "hold_started"
    action: str
    audio: str

    def summary(self) -> str:
        return f"caller on hold ({self.audio})"


@event_type
class HoldStopped(Event):
    type: ClassVar[str] = "hold_stopped"
    action: str
    audio: str
    duration: float

    def summary(self) -> str:
        return f"caller off hold after {self.duration:g}s ({self.audio})"


@event_type
class DtmfSent(Event):
    """Keys the agent sent down the line (`w`/`W` are pauses)."""

    type: ClassVar[str] = "dtmf_sent"
    action: str
    digits: str
    duration: float

    def summary(self) -> str:
        return f"⌨ agent sent {self.digits} ({self.duration:g}s)"


@event_type
class DtmfReceived(Event):
    """Keys the caller pressed."""

    type: ClassVar[str] = "dtmf_received"
    digits: str
    turn: int

    def summary(self) -> str:
        return f"⌨ caller pressed {self.digits}"


@event_type
class IvrSaid(Event):
    """The phone menu at the other end of an outbound call spoke a prompt."""

    type: ClassVar[str] = "ivr_said"
    text: str
    node: str
    turn: int
    attempt: int = 1

    def summary(self) -> str:
        again = f", repeat {self.attempt - 1}" if self.attempt > 1 else ""
        return f"menu [{self.node}{again}]: {self.text}"


@event_type
class IvrInput(Event):
    """What the phone menu made of the keys it got: an option, a collected entry, a wrong key, a timeout."""

    type: ClassVar[str] = "ivr_input"
    node: str
    digits: str
    result: str

    def summary(self) -> str:
        shown = f" {self.digits!r}" if self.digits else ""
        return f"menu [{self.node}] got{shown}: {self.result}"


@event_type
class PhonebookChoice(Event):
    """A phone-book target a transfer chose, with the condition that held and the agent's local time."""

    type: ClassVar[str] = "phonebook_choice"
    action: str
    phonebook: str
    target: int
    destination: str
    condition: str = ""
    local_time: str = ""

    def summary(self) -> str:
        why = f"if {self.condition}" if self.condition else "the default"
        return f"☎ phone book {self.phonebook}: target {self.target}, {self.destination} ({why}; {self.local_time})"
