"""Typed trace events: everything observable that happened in a call, in order.

Each event has a `type` tag, a sequence number and the virtual time `t` in seconds since the
call started. Events are plain slotted dataclasses (cheap on the engine's hot path) that turn
into JSON objects with `to_json` and back with `event_from_json`.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from typing import Any, ClassVar

TRACE_FORMAT = 1
EVENT_TYPES: dict[str, type[Event]] = {}
"""Every event class by its `type` tag (filled in as classes are defined)."""


@dataclass(slots=True)
class Event:
    """Base of all events; `seq` and `t` are set by the trace when the event is emitted."""

    type: ClassVar[str] = "event"
    seq: int = field(default=0, kw_only=True)
    t: float = field(default=0.0, kw_only=True)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # every event class registers its tag, so a new action type only adds its own classes;
        # dataclass(slots=True) re-creates the class, and the final (slotted) class wins
        EVENT_TYPES[cls.type] = cls

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"seq": self.seq, "t": round(self.t, 3), "type": self.type}
        required = _required(type(self))
        for name in _field_names(type(self)):
            value = getattr(self, name)
            # optional fields are left out when empty; a required one is always written (a variable
            # set to None must read back as None)
            if name in required or (value is not None and value != {} and value != []):
                out[name.rstrip("_")] = value
        return out

    def summary(self) -> str:
        """One line for timelines and failure messages."""
        return self.type


@dataclass(slots=True)
class CallStarted(Event):
    type: ClassVar[str] = "call_started"
    call_id: str
    from_: str
    to: str
    direction: str
    agent: str

    def summary(self) -> str:
        return f"{self.direction} call {self.call_id} from {self.from_} to {self.to} (agent {self.agent})"


@dataclass(slots=True)
class CallState(Event):
    type: ClassVar[str] = "call_state"
    state: str

    def summary(self) -> str:
        return f"state → {self.state}"


@dataclass(slots=True)
class CallerSaid(Event):
    type: ClassVar[str] = "caller_said"
    text: str
    turn: int

    def summary(self) -> str:
        return f"caller: {self.text}"


@dataclass(slots=True)
class AgentSaid(Event):
    type: ClassVar[str] = "agent_said"
    text: str
    reason: str
    action: str | None = None

    def summary(self) -> str:
        return f"agent: {self.text}"


@dataclass(slots=True)
class TriggerMatched(Event):
    type: ClassVar[str] = "trigger_matched"
    action: str
    by: str
    detail: str = ""
    score: float | None = None

    def summary(self) -> str:
        detail = f" {self.detail!r}" if self.detail else ""
        score = f" ({self.score:.0f}%)" if self.score is not None and self.score < 100 else ""
        return f"trigger {self.action} by {self.by}{detail}{score}"


@dataclass(slots=True)
class VariableSet(Event):
    type: ClassVar[str] = "variable_set"
    name: str
    value: Any
    source: str
    turn: int | None = None

    def summary(self) -> str:
        return f"{self.name} = {self.value!r} ({self.source})"


@dataclass(slots=True)
class SlotAsked(Event):
    type: ClassVar[str] = "slot_asked"
    variable: str
    action: str
    attempt: int

    def summary(self) -> str:
        return f"ask for {self.variable} (for {self.action}, attempt {self.attempt})"


@dataclass(slots=True)
class SlotUnreadable(Event):
    type: ClassVar[str] = "slot_unreadable"
    variable: str
    expected: str
    text: str

    def summary(self) -> str:
        return f"could not read {self.variable} ({self.expected}) from {self.text!r}"


@dataclass(slots=True)
class ActionStarted(Event):
    type: ClassVar[str] = "action_started"
    action: str
    action_type: str
    reason: str

    def summary(self) -> str:
        return f"action {self.action} started ({self.action_type}, {self.reason})"


@dataclass(slots=True)
class ActionFinished(Event):
    type: ClassVar[str] = "action_finished"
    action: str
    duration: float

    def summary(self) -> str:
        return f"action {self.action} finished in {self.duration:g}s"


@dataclass(slots=True)
class ActionFailed(Event):
    type: ClassVar[str] = "action_failed"
    action: str
    error: str
    kind: str
    duration: float = 0.0

    def summary(self) -> str:
        return f"action {self.action} failed ({self.kind}): {self.error}"


@dataclass(slots=True)
class HttpRequestSent(Event):
    type: ClassVar[str] = "http_request"
    action: str
    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    json_: Any = None
    form: dict[str, str] | None = None

    def summary(self) -> str:
        return f"→ {self.method} {self.url}"


@dataclass(slots=True)
class HttpResponseReceived(Event):
    type: ClassVar[str] = "http_response"
    action: str
    status: int
    elapsed: float
    json_: Any = None
    text: str | None = None

    def summary(self) -> str:
        return f"← {self.status} in {self.elapsed:g}s"


@dataclass(slots=True)
class Waited(Event):
    type: ClassVar[str] = "waited"
    seconds: float

    def summary(self) -> str:
        return f"{self.seconds:g}s pass"


@dataclass(slots=True)
class CallEnded(Event):
    type: ClassVar[str] = "call_ended"
    by: str
    reason: str

    def summary(self) -> str:
        return f"call ended by {self.by} ({self.reason})"


@dataclass(slots=True)
class FallbackTaken(Event):
    """An action's fallback branch ran (`on_error`, `on_no_answer`, `on_timeout`, ...)."""

    type: ClassVar[str] = "fallback_taken"
    action: str
    branch: str

    def summary(self) -> str:
        return f"{self.action}: {self.branch}"


@dataclass(slots=True)
class EngineError(Event):
    """A problem that stopped the call: a bug, or a call error such as an unmatched HTTP request."""

    type: ClassVar[str] = "error"
    message: str
    kind: str = "call"

    def summary(self) -> str:
        return f"ERROR: {self.message}"



_FIELDS: dict[type, tuple[str, ...]] = {}


_REQUIRED: dict[type, frozenset[str]] = {}


def _required(cls: type) -> frozenset[str]:
    names = _REQUIRED.get(cls)
    if names is None:
        names = frozenset(f.name for f in fields(cls) if f.default is MISSING and f.default_factory is MISSING
                          and f.name not in ("seq", "t"))
        _REQUIRED[cls] = names
    return names


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = tuple(f.name for f in fields(cls) if f.name not in ("seq", "t"))
        _FIELDS[cls] = names
    return names


def event_from_json(data: dict[str, Any]) -> Event:
    """Rebuild an event from its JSON object; unknown types raise KeyError."""
    cls = EVENT_TYPES[data["type"]]
    kwargs = {}
    for name in _field_names(cls):
        key = name.rstrip("_")
        if key in data:
            kwargs[name] = data[key]
    event = cls(**kwargs)
    event.seq = data.get("seq", 0)
    event.t = data.get("t", 0.0)
    return event


def _quoted(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


@dataclass(slots=True)
class MessageSent(Event):
    """An SMS or WhatsApp message the agent sent (accepted by the provider, status `queued`)."""

    type: ClassVar[str] = "message_sent"
    action: str
    id: str
    channel: str
    to: str
    body: str
    encoding: str | None = None
    """SMS only: `GSM-7` or `UCS-2`."""
    segments: int | None = None
    """SMS only: how many segments the body took."""
    after_call: bool = False

    def summary(self) -> str:
        when = "post-call " if self.after_call else ""
        size = (f" [{self.encoding}, {self.segments} segment{'s' if self.segments != 1 else ''}]"
                if self.segments is not None else "")
        return f"✉ {when}{self.channel} {self.id} to {self.to}{size}: {_quoted(self.body)}"


@dataclass(slots=True)
class MessageStatus(Event):
    """A delivery status change of a sent message: sent, delivered, undelivered or failed."""

    type: ClassVar[str] = "message_status"
    action: str
    id: str
    channel: str
    to: str
    status: str

    def summary(self) -> str:
        return f"✉ {self.channel} {self.id} to {self.to}: {self.status}"


@dataclass(slots=True)
class MessageReceived(Event):
    """A text that came in; `action` is the message action it answers, `late_for` one it came too late for."""

    type: ClassVar[str] = "message_received"
    id: str
    channel: str
    from_: str
    body: str
    action: str | None = None
    late_for: str | None = None

    def summary(self) -> str:
        if self.action:
            note = f"reply to {self.action}"
        elif self.late_for:
            note = f"too late for {self.late_for}: recorded, not acted on"
        else:
            note = "no message awaits a reply: recorded, not acted on"
        return f"✉ {self.channel} from {self.from_}: {_quoted(self.body)} ({note})"


@dataclass(slots=True)
class ReplyTimedOut(Event):
    """A message action's `await_reply` passed without a reply."""

    type: ClassVar[str] = "reply_timed_out"
    action: str
    channel: str
    to: str
    waited: float

    def summary(self) -> str:
        from callsim.config.types import format_duration

        return f"no {self.channel} reply from {self.to} to {self.action} within {format_duration(self.waited)}"


# ---- telephony: transfers, hold, DTMF, phone menus ------------------------------------------------


@dataclass(slots=True)
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


@dataclass(slots=True)
class Ringing(Event):
    type: ClassVar[str] = "ringing"
    action: str
    leg: str
    destination: str
    ring_timeout: float

    def summary(self) -> str:
        return f"☎ {self.destination} is ringing (timeout {self.ring_timeout:g}s)"


@dataclass(slots=True)
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


@dataclass(slots=True)
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


@dataclass(slots=True)
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


@dataclass(slots=True)
class Busy(Event):
    type: ClassVar[str] = "busy"
    action: str
    leg: str
    destination: str
    reason: str = "486 Busy Here"

    def summary(self) -> str:
        return f"☎ {self.destination} is busy ({self.reason})"


@dataclass(slots=True)
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


@dataclass(slots=True)
class Declined(Event):
    type: ClassVar[str] = "declined"
    action: str
    leg: str
    destination: str

    def summary(self) -> str:
        return f"☎ {self.destination} declined the transfer"


@dataclass(slots=True)
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


@dataclass(slots=True)
class HoldStarted(Event):
    type: ClassVar[str] = "hold_started"
    action: str
    audio: str

    def summary(self) -> str:
        return f"caller on hold ({self.audio})"


@dataclass(slots=True)
class HoldStopped(Event):
    type: ClassVar[str] = "hold_stopped"
    action: str
    audio: str
    duration: float

    def summary(self) -> str:
        return f"caller off hold after {self.duration:g}s ({self.audio})"


@dataclass(slots=True)
class DtmfSent(Event):
    """Keys the agent sent down the line (`w`/`W` are pauses)."""

    type: ClassVar[str] = "dtmf_sent"
    action: str
    digits: str
    duration: float

    def summary(self) -> str:
        return f"⌨ agent sent {self.digits} ({self.duration:g}s)"


@dataclass(slots=True)
class DtmfReceived(Event):
    """Keys the caller pressed."""

    type: ClassVar[str] = "dtmf_received"
    digits: str
    turn: int

    def summary(self) -> str:
        return f"⌨ caller pressed {self.digits}"


@dataclass(slots=True)
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


@dataclass(slots=True)
class IvrInput(Event):
    """What the phone menu made of the keys it got: an option, a collected entry, a wrong key, a timeout."""

    type: ClassVar[str] = "ivr_input"
    node: str
    digits: str
    result: str

    def summary(self) -> str:
        shown = f" {self.digits!r}" if self.digits else ""
        return f"menu [{self.node}] got{shown}: {self.result}"


@dataclass(slots=True)
class BookingMade(Event):
    """A booking landed in the calendar (times in ISO 8601, in the agent's zone)."""

    type: ClassVar[str] = "booking"
    action: str
    id: str
    calendar: str
    start: str
    end: str
    spoken: str
    title: str
    attendee: str | None = None

    def summary(self) -> str:
        who = f" for {self.attendee}" if self.attendee else ""
        return f"📅 booked {self.id} in {self.calendar}: {self.spoken} ({self.start} – {self.end}) {self.title!r}{who}"


@dataclass(slots=True)
class BookingUnavailable(Event):
    """A wanted time could not be booked: `past`, `outside_hours` or `conflict`; what was offered instead."""

    type: ClassVar[str] = "booking_unavailable"
    action: str
    wanted: str
    reason: str
    detail: str
    alternatives: list[str] = field(default_factory=list)

    def summary(self) -> str:
        offered = f"; offered {', '.join(self.alternatives)}" if self.alternatives else "; nothing free to offer"
        return f"📅 cannot book {self.wanted}: {self.reason} ({self.detail}){offered}"


@dataclass(slots=True)
class SlotsOffered(Event):
    """Free times offered for a span the caller asked about ("anything tomorrow morning?")."""

    type: ClassVar[str] = "slots_offered"
    action: str
    wanted: str
    slots: list[str]
    spoken: str

    def summary(self) -> str:
        return f"📅 free in {self.wanted}: {self.spoken}"


@dataclass(slots=True)
class BookingCancelled(Event):
    type: ClassVar[str] = "booking_cancelled"
    action: str
    id: str
    calendar: str
    start: str
    spoken: str

    def summary(self) -> str:
        return f"📅 cancelled {self.id} in {self.calendar} ({self.spoken})"


@dataclass(slots=True)
class BookingRescheduled(Event):
    type: ClassVar[str] = "booking_rescheduled"
    action: str
    id: str
    calendar: str
    previous_start: str
    start: str
    end: str
    spoken: str
    attendee: str | None = None

    def summary(self) -> str:
        return f"📅 moved {self.id} in {self.calendar} from {self.previous_start} to {self.spoken} ({self.start})"


@dataclass(slots=True)
class Extracted(Event):
    """An extractor read a value out of what the caller said in a turn."""

    type: ClassVar[str] = "extracted"
    action: str
    field: str
    value: Any
    turn: int
    text: str

    def summary(self) -> str:
        return f"extracted {self.field} = {self.value!r} from turn {self.turn} ({self.text!r})"


@dataclass(slots=True)
class Evaluation(Event):
    """A post-call evaluation: each criterion's result and why, the score and the verdict."""

    type: ClassVar[str] = "evaluation"
    action: str
    score: float
    passed: bool
    pass_score: float
    criteria: list[dict[str, Any]] = field(default_factory=list)
    """Per criterion: name, passed, weight, why, rubric."""

    def summary(self) -> str:
        verdict = "passed" if self.passed else "FAILED"
        failed = [f"{c['name']} ({c['why']})" for c in self.criteria if not c["passed"]]
        because = f"; failed: {'; '.join(failed)}" if failed else ""
        return f"evaluation {self.action} {verdict}: score {self.score:.2f} (pass {self.pass_score:.2f}){because}"


@dataclass(slots=True)
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


@dataclass(slots=True)
class SpeechRecognized(Event):
    """What speech-to-text heard in the caller's audio (a WAV file or the microphone), before the turn."""

    type: ClassVar[str] = "speech_recognized"
    source: str
    engine: str
    text: str
    seconds: float = 0.0

    def summary(self) -> str:
        return f"🎤 {self.engine} heard {_quoted(self.text or '(nothing)')} in {self.seconds:.1f}s of {self.source}"
