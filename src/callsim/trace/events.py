"""Typed trace events: everything observable that happened in a call, in order.

Each event has a `type` tag, a sequence number and the virtual time `t` in seconds since the
call started. Events are plain slotted dataclasses (cheap on the engine's hot path) that turn
into JSON objects with `to_json` and back with `event_from_json`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
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
        for name in _field_names(type(self)):
            value = getattr(self, name)
            if value is not None and value != {} and value != []:
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
class EngineError(Event):
    """A problem that stopped the call: a bug, or a call error such as an unmatched HTTP request."""

    type: ClassVar[str] = "error"
    message: str
    kind: str = "call"

    def summary(self) -> str:
        return f"ERROR: {self.message}"



_FIELDS: dict[type, tuple[str, ...]] = {}


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
