"""The `booking` action: book, cancel or move an appointment in the calendar."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from callsim.config.actions.base import ActionBase, Fallback
from callsim.config.types import Duration

BOOKING_VARIABLES = frozenset({
    "booking.id", "booking.start", "booking.end", "booking.start_iso", "booking.end_iso", "booking.title",
    "booking.attendee", "booking.calendar", "booking.status", "booking.previous_start",
    "booking.previous_start_iso",
})
"""What a booking action sets once a booking was made or moved: times spoken in the agent's zone
("Tuesday, December 1 at 10:30 AM") and the same in ISO 8601 (`*_iso`). They describe a booking that
stands: cancelling it makes `booking` undefined again."""
CANCELLED_VARIABLES = frozenset({
    "cancelled.id", "cancelled.start", "cancelled.end", "cancelled.start_iso", "cancelled.end_iso",
    "cancelled.title", "cancelled.attendee", "cancelled.calendar",
})
"""What a cancel sets: the booking it cancelled, described as `booking.*` describes one that stands."""
OFFER_VARIABLES = frozenset({"offer.times", "offer.times_iso", "offer.wanted"})
"""What a booking action sets when it only offered free times: the times spoken ("Tuesday, December 1
at 9 AM, 9:30 AM or 11 AM"), the same in ISO 8601, and the wanted time or span (ISO 8601). An offer is
no booking: `booking` stays undefined until one is made."""
RENAMED = {"booking.alternatives": "offer.times", "booking.alternatives_iso": "offer.times_iso",
           "booking.wanted": "offer.wanted"}
"""Names the offered times had when an offer set `booking.*` (and so made `booking is defined` true)."""
TIME_TYPES = ("when", "datetime", "date", "time")
"""Variable types a wanted time can be read from."""


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
    offer: str = "I have {{ offer.times }}. Which would suit you?"
    """What the agent says when the caller asked for a span ("anything tomorrow morning?") and free times are offered."""
    on_conflict: Fallback | None = None
    """What happens when the wanted time is taken (or past); `{{ offer.times }}` holds the free times offered."""
    on_outside_hours: Fallback | None = None
    """What happens when the wanted time is outside opening hours (else `on_conflict`)."""
    on_not_found: Fallback | None = None
    """What happens when a cancel or reschedule finds no booking."""

    FALLBACKS: ClassVar[dict[str, tuple[str, ...]]] = {
        "conflict": ("on_conflict",), "past": ("on_conflict",), "outside_hours": ("on_outside_hours", "on_conflict"),
        "not_found": ("on_not_found",)}

    def provides(self) -> set[str]:
        return set(BOOKING_VARIABLES | OFFER_VARIABLES | CANCELLED_VARIABLES)

    @property
    def start_template(self) -> str | None:
        """The placeholder text the wanted time is rendered from."""
        if self.start is not None:
            return self.start
        return f"{{{{ {self.needs[0]} }}}}" if self.needs else None

    @property
    def wanted_variable(self) -> str | None:
        """The variable the wanted time is read from, when `start` is that one variable."""
        from callsim.templates import template_names

        names = template_names(self.start_template or "")
        name = next(iter(names), None) if len(names) == 1 else None
        return name if name is not None and "." not in name else None

    def wanted_time_problem(self, types: Mapping[str, str]) -> tuple[str, str, str] | None:
        """Why the wanted time cannot be read from its variable, given the declared `types` of variables
        and extractor fields: (field, problem, hint), or None. A variable of unknown type (saved from a
        response) may hold anything and passes."""
        variable = self.wanted_variable
        type_ = types.get(variable) if variable is not None and self.mode != "cancel" else None
        if type_ is None or type_ in TIME_TYPES:
            return None
        field = "start" if self.start is not None else "needs"
        how = "start:" if self.start is not None else "start: (by default the first of needs:)"
        times = [name for name, kind in types.items() if kind in TIME_TYPES]
        example = times[0] if times else "preferred_time"
        return field, (f"the wanted time is read from '{variable}' ({how}), which is of type {type_}, not a "
                       "date or time"), (f"read it from a when, datetime, date or time variable, e.g. "
                                         f"start: \"{{{{ {example} }}}}\", or list that variable first in needs")

    @model_validator(mode="after")
    def _knows_what(self) -> BookingAction:
        if self.mode in ("book", "reschedule") and self.start_template is None:
            raise ValueError(f"a {self.mode} needs the wanted time: give start: \"{{{{ preferred_time }}}}\" "
                             "or list the variable first in needs")
        if self.mode in ("cancel", "reschedule") and self.booking_id is None and self.attendee is None:
            raise ValueError(f"a {self.mode} needs to find the booking: give booking_id: \"{{{{ booking.id }}}}\" "
                             "or attendee: \"{{ call.from }}\"")
        return self
