"""The `booking` action: book, cancel or move an appointment in the calendar."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from callsim.config.actions.base import ActionBase, Fallback
from callsim.config.shapes.actions import BOOKING_VARIABLES, CANCELLED_VARIABLES, OFFER_VARIABLES, BookingShape
from callsim.config.types import Duration

RENAMED = {"booking.alternatives": "offer.times", "booking.alternatives_iso": "offer.times_iso",
           "booking.wanted": "offer.wanted"}
"""Names the offered times had when an offer set `booking.*` (and so made `booking is defined` true)."""


class BookingAction(BookingShape, ActionBase):
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
    offer: str = "I have {{ offer.times }}. Which would suit you?"
    """What the agent says when the caller asked for a span ("anything tomorrow morning?") and free times are offered."""
    on_conflict: Fallback | None = None
    """What happens when the wanted time is taken (or past); `{{ offer.times }}` holds the free times offered."""
    on_outside_hours: Fallback | None = None
    """What happens when the wanted time is outside opening hours (else `on_conflict`)."""
    on_not_found: Fallback | None = None
    """What happens when a cancel or reschedule finds no booking."""

    @model_validator(mode="after")
    def _knows_what(self) -> BookingAction:
        if self.mode in ("book", "reschedule") and self.start_template is None:
            raise ValueError(f"a {self.mode} needs the wanted time: give start: \"{{{{ preferred_time }}}}\" "
                             "or list the variable first in needs")
        if self.mode in ("cancel", "reschedule") and self.booking_id is None and self.attendee is None:
            raise ValueError(f"a {self.mode} needs to find the booking: give booking_id: \"{{{{ booking.id }}}}\" "
                             "or attendee: \"{{ call.from }}\"")
        return self
