"""Events of SMS and WhatsApp messages: sent, delivery status, received, reply timed out."""

from __future__ import annotations

from typing import ClassVar

from callsim.durations import format_duration
from callsim.trace.events.base import Event, _quoted, event_type


@event_type
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


@event_type
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


@event_type
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


@event_type
class ReplyTimedOut(Event):
    """A message action's `await_reply` passed without a reply."""

    type: ClassVar[str] = "reply_timed_out"
    action: str
    channel: str
    to: str
    waited: float

    def summary(self) -> str:
        return f"no {self.channel} reply from {self.to} to {self.action} within {format_duration(self.waited)}"
