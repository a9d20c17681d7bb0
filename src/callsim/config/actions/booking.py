"""The `booking` action: book, cancel or move an appointment in the calendar."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from callsim.config.actions.base import ActionBase, Fallback
from callsim.config.types import Duration

BOOKING_VARIABLES = frozenset({
    "booking.id", "booking.start", "booking.end", "booking.start_iso", "booking.end_iso", "booking.title",
    "booking.attendee", "booking.calendar", "booking.status", "booking.previous_start",
    "booking.previous_start_iso", "booking.alternatives", "booking.alternatives_iso", "booking.wanted",
})
"""What a booking action sets: times spoken in the agent's zone ("Tuesday, December 1 at 10:30 AM"),
the same in ISO 8601 (`*_iso`), and the free times offered instead of a wanted one."""


class BookingAction(ActionBase):
    """Book, cancel or move an appointment in the calendar, offering the nearest free times when the
    wanted one is taken or outside opening hours (the caller then picks one in the next turn)."""

    type: Literal["booking"]
    mode: Literal["book", "cancel", "reschedule"] = "book"
    """`book` a new appointment, `cancel` one, or `reschedule` one to a new time."""
    start: str | None = None
    """When the caller wants it, as a placeholder: a moment, or a day or span ("tomorrow morning", as a
    `when` variable reads it) whose free times are offered. Default: the first variable in `needs`."""
    duration: Duration | None = None
    """How long the appointment lasts; default: the calendar's slot length (a moved booking keeps its own)."""
    title: str = "Appointment"
    """The calendar entry's title (placeholders allowed)."""
    attendee: str | None = None
    """Who it is for, e.g. `{{ call.from }}`; a cancel or reschedule without `booking_id` finds this attendee's next booking."""
    booking_id: str | None = None
    """Which booking a cancel or reschedule is about, e.g. `{{ booking.id }}`."""
    alternatives: int = Field(3, ge=1, le=10)
    """How many free times to offer when the wanted one cannot be booked."""
    offer: str = "I have {{ booking.alternatives }}. Which would suit you?"
    """What the agent says when the caller asked for a span ("anything tomorrow morning?") and free times are offered."""
    on_conflict: Fallback | None = None
    """What happens when the wanted time is taken (or past); `{{ booking.alternatives }}` holds free times."""
    on_outside_hours: Fallback | None = None
    """What happens when the wanted time is outside opening hours (else `on_conflict`)."""
    on_not_found: Fallback | None = None
    """What happens when a cancel or reschedule finds no booking."""

    def provides(self) -> set[str]:
        return set(BOOKING_VARIABLES)

    def fallback_for(self, kind: str) -> tuple[str, Fallback | None]:
        fields = {"conflict": ("on_conflict",), "past": ("on_conflict",),
                  "outside_hours": ("on_outside_hours", "on_conflict"), "not_found": ("on_not_found",)}
        for field in fields.get(kind, ()):
            if getattr(self, field) is not None:
                return field, getattr(self, field)
        return "on_error", self.on_error

    @property
    def start_template(self) -> str | None:
        """The placeholder text the wanted time is rendered from."""
        if self.start is not None:
            return self.start
        return f"{{{{ {self.needs[0]} }}}}" if self.needs else None

    @model_validator(mode="after")
    def _knows_what(self) -> BookingAction:
        if self.mode in ("book", "reschedule") and self.start_template is None:
            raise ValueError(f"a {self.mode} needs the wanted time: give start: \"{{{{ preferred_time }}}}\" "
                             "or list the variable first in needs")
        if self.mode in ("cancel", "reschedule") and self.booking_id is None and self.attendee is None:
            raise ValueError(f"a {self.mode} needs to find the booking: give booking_id: \"{{{{ booking.id }}}}\" "
                             "or attendee: \"{{ call.from }}\"")
        return self
