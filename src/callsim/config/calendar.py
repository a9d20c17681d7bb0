"""The scenario's `calendar:` section: the fake calendar a booking action meets.

Opening hours are written per day or range of days (`{mon-fri: "09:00-17:00", sat: "10:00-14:00"}`),
each as one or more wall-clock ranges in the calendar's time zone. What only the whole file can
tell (two entries opening the same day at overlapping times, an `.ics` file that cannot be read)
is checked by `check_calendar` with the file's positions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, field_validator, model_validator

from callsim.backends.calendar import DAY_NAMES, IcsError, Minutes, load_ics
from callsim.config.shapes.calendar import CalendarSpecShape, parse_days, parse_ranges
from callsim.config.types import Duration, Model, Moment, TimeZone
from callsim.config.document import Document
from callsim.errors import ConfigError, Position
from callsim.files import UnreadableFile, close_file, referenced

def _days_key(key: str) -> str:
    parse_days(key)
    return key


def _hours_value(value: Any) -> Any:
    if isinstance(value, (str, list)):
        parse_ranges(value)
    return value


DaysKey = Annotated[str, AfterValidator(_days_key)]
HoursValue = Annotated[str | list[str], AfterValidator(_hours_value)]


class CalendarEventSpec(Model):
    """A busy time already in the calendar (an appointment made before this call, a meeting)."""

    start: Moment
    """When it starts; without an offset, in the calendar's time zone."""
    end: Moment | None = None
    """When it ends (or give `duration`)."""
    duration: Duration | None = None
    title: str = "Busy"
    id: str | None = None
    """An id a cancellation or a reschedule can name."""
    attendee: str | None = None
    """Who it is for (a phone number, an e-mail or a name), so a caller can find their own booking."""
    appears_after: Duration | None = None
    """The event lands in the calendar this long into the call (someone else taking the slot mid-call)."""

    @model_validator(mode="after")
    def _length(self) -> CalendarEventSpec:
        if (self.end is None) == (self.duration is None):
            raise ValueError("give an event either an end or a duration")
        if self.end is not None and (self.start.tzinfo is None) != (self.end.tzinfo is None):
            raise ValueError("give start and end both with a UTC offset or both without")
        if self.end is not None and self.end <= self.start:
            raise ValueError("an event must end after it starts")
        return self


class CalendarSpec(CalendarSpecShape, Model):
    """The fake calendar: time zone, opening hours, slot length and what is already booked."""

    name: str = "calendar"
    """The calendar's name (what the `booking` expectation's `calendar` matches)."""
    timezone: TimeZone | None = None
    """IANA time zone of the opening hours and of times written without an offset; default: the agent's."""
    hours: dict[DaysKey, HoursValue] = {}
    """Opening hours by day, e.g. `{mon-fri: "09:00-17:00", sat: "10:00-14:00"}`; days not named are
    closed. Without `hours`, the calendar is open around the clock."""
    slot: Duration = 1800.0
    """Length of the slots free times are offered in (and the default length of a booking)."""
    events: list[CalendarEventSpec] = []
    """Busy times already in the calendar."""
    ics: str | None = None
    """An iCalendar file (relative to the scenario) whose events, recurrences included, are busy times."""

    @field_validator("slot")
    @classmethod
    def _positive(cls, value: float) -> float:
        if value < 60:
            raise ValueError("a slot must be at least 1m long")
        return value


def check_calendar(spec: CalendarSpec, doc: Document, at: tuple[str, ...] = ("calendar",)) -> list[ConfigError]:
    """What the calendar section (at `at` in `doc`) cannot check alone: overlapping hours and the .ics file."""
    errors = _overlaps(spec, doc, at)
    if spec.ics is not None:
        where, label = doc.position((*at, "ics")), ".".join((*at, "ics"))
        hint = f"give a path relative to the {'agent' if at[0] == 'defaults' else 'scenario'} file"
        try:
            path = referenced(Path(doc.file).parent, spec.ics)
            load_ics(path)
        except UnreadableFile as problem:
            errors.append(ConfigError(f"{label}: {spec.ics!r} {problem.reason}", where, hint))
        except FileNotFoundError:
            errors.append(ConfigError(f"{label}: file {spec.ics!r} not found ({path})", where,
                                      close_file(spec.ics, path, hint)))
        except IcsError as problem:
            if problem.line:
                errors.append(ConfigError(f"{problem.problem} (imported by {where}, {label})",
                                          Position(str(path), problem.line, 1), "fix the iCalendar file (RFC 5545)"))
            else:  # no line of the file to point at: the ics: line is where to look
                errors.append(ConfigError(f"{label}: {path}: {problem.problem}", where,
                                          "fix the iCalendar file (RFC 5545)"))
    return errors


def _overlaps(spec: CalendarSpec, doc: Document, at: tuple[str, ...]) -> list[ConfigError]:
    claimed: dict[int, list[tuple[Minutes, str]]] = {}
    found: dict[tuple[str, str], tuple[Minutes, Minutes, list[str]]] = {}
    for key, value in spec.hours.items():
        ranges = parse_ranges(value)
        for day in parse_days(key):
            for hours in ranges:
                for other, other_key in claimed.get(day, []):
                    if hours[0] < other[1] and other[0] < hours[1]:
                        days = found.setdefault((key, other_key), (hours, other, []))[2]
                        if DAY_NAMES[day] not in days:
                            days.append(DAY_NAMES[day])
                claimed.setdefault(day, []).append((hours, key))
    errors = []
    for (key, other_key), (hours, other, days) in found.items():
        whose = "an earlier range of the same entry" if key == other_key else other_key
        errors.append(ConfigError(
            f"{'.'.join(at)}.hours: {key} {_hhmm(hours)} overlaps {whose} {_hhmm(other)} on {', '.join(days)}",
            doc.position((*at, "hours", key), key=True),
            "name each day in one entry, or in several whose hours do not overlap"))
    return errors


def _hhmm(hours: Minutes) -> str:
    return "-".join(f"{m // 60:02d}:{m % 60:02d}" for m in hours)
