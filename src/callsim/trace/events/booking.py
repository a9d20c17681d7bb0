"""Calendar events: bookings made, cancelled and rescheduled, times unavailable or offered."""

from __future__ import annotations

from dataclasses import field
from typing import ClassVar

from callsim.trace.events.base import Event, event_type


@event_type
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


@event_type
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


@event_type
class SlotsOffered(Event):
    """Free times offered for a span the caller asked about ("anything tomorrow morning?")."""

    type: ClassVar[str] = "slots_offered"
    action: str
    wanted: str
    slots: list[str]
    spoken: str

    def summary(self) -> str:
        return f"📅 free in {self.wanted}: {self.spoken}"


@event_type
class BookingCancelled(Event):
    type: ClassVar[str] = "booking_cancelled"
    action: str
    id: str
    calendar: str
    start: str
    spoken: str

    def summary(self) -> str:
        return f"📅 cancelled {self.id} in {self.calendar} ({self.spoken})"


@event_type
class BookingRescheduled(Event):
    type: ClassVar[str] = "booking_rescheduled"
    action: str
    id: str
    calendar: str
    previous_start: str
    start: str
    end: str
    spoken: str
    title: str = ""
    """The entry's title, which moving it keeps (empty in traces recorded before it was written)."""
    attendee: str | None = None

    def summary(self) -> str:
        return (f"📅 moved {self.id} in {self.calendar} from {self.previous_start} to {self.spoken} ({self.start})"
                f" {self.title!r}")
