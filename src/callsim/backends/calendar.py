"""The calendar backend: a protocol and a stateful fake with a time zone, opening hours, slots,
existing events (some imported from an iCalendar file, recurrences included) and bookings.

Opening hours and slot grids are built from wall-clock times in the calendar's zone with zoneinfo
(so a day the clocks change on has 23 or 25 hours and its 9 AM is still 9 AM); every instant is
then held in UTC, because Python adds and compares two datetimes of the same zone by their wall
clocks (30 minutes after 1:30 EDT on the night the clocks fall back would be 2:00 EST, an hour
and a half later, and 1:30 EDT would equal 1:30 EST). Callers convert to a zone to show a time. Recurring iCalendar events are expanded by recurring-ical-events in
their own zone, so a weekly 9 AM meeting stays at 9 AM after the change.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo

from callsim.files import MAX_ICS_BYTES, MEMOS, UnreadableFile, excerpt, read_regular
from callsim.readers.base import wall

if TYPE_CHECKING:
    from callsim.config.calendar import CalendarSpec
    from callsim.engine.clock import Clock

UTC = dt.timezone.utc
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Minutes = tuple[int, int]
"""An opening range as minutes after midnight, wall clock: (540, 1020) is 09:00-17:00."""

SEARCH_DAYS_AHEAD = 14
"""How far after a wanted time alternatives are looked for."""
SEARCH_DAYS_BEFORE = 3
"""How far before a wanted time alternatives are looked for (never before now)."""


@dataclass
class CalendarEvent:
    """A busy time: an existing event, an imported one, or a booking made in this call."""

    id: str
    start: dt.datetime
    """In UTC, like `end`."""
    end: dt.datetime
    title: str = "Busy"
    attendee: str | None = None
    source: str = "scenario"
    """`scenario` (the scenario's events), `ics` (imported) or `booking` (made by an action)."""
    visible_after: float = 0.0
    """Seconds into the call before the event is in the calendar (someone else booking mid-call)."""
    cancelled: bool = False


@dataclass
class Unavailable(Exception):
    """A time that cannot be booked: `past`, `outside_hours` or `conflict` (with the event in the way)."""

    reason: str
    detail: str
    event: CalendarEvent | None = None

    def __str__(self) -> str:
        return self.detail


class Calendar(Protocol):
    """What a booking action needs from a calendar."""

    name: str
    zone: ZoneInfo
    slot: float
    hours: dict[int, list[Minutes]] | None
    """Opening ranges by weekday (0 = Monday); None when the calendar is open around the clock."""

    def opening(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        """The day's opening ranges (aware)."""

    def check(self, start: dt.datetime, end: dt.datetime, *, ignore: str | None = None) -> Unavailable | None:
        """Why [start, end) cannot be booked, or None when it can."""

    def opens_during(self, start: dt.datetime, end: dt.datetime) -> bool:
        """Whether the calendar is open at some moment of [start, end)."""

    def free_slots(self, start: dt.datetime, end: dt.datetime, length: float, *,
                   ignore: str | None = None) -> list[dt.datetime]:
        """Free slot starts in [start, end), in order."""

    def nearest_free(self, around: dt.datetime, length: float, count: int, *,
                     ignore: str | None = None) -> list[dt.datetime]:
        """The `count` free slot starts nearest to `around`, in order."""

    def book(self, start: dt.datetime, end: dt.datetime, title: str, attendee: str | None) -> CalendarEvent:
        """Book [start, end); raises Unavailable."""

    def find(self, *, id: str | None = None, attendee: str | None = None) -> CalendarEvent | None:
        """A booking by id, or the attendee's next one."""

    def cancel(self, event: CalendarEvent) -> None:
        """Cancel a booking."""

    def move(self, event: CalendarEvent, start: dt.datetime, end: dt.datetime) -> None:
        """Move a booking; raises Unavailable."""


class FakeCalendar:
    """A calendar held in memory; a scenario's `calendar:` section says what is in it."""

    def __init__(self, spec: CalendarSpec, clock: Clock, *, folder: Path | None = None,
                 timezone: str | None = None) -> None:
        self.clock = clock
        self.name = spec.name
        self.zone = ZoneInfo(spec.timezone or timezone or "UTC")
        self.slot = spec.slot
        self.hours: dict[int, list[Minutes]] | None = spec.opening() if spec.hours else None
        self.events: list[CalendarEvent] = [self._event(i, e) for i, e in enumerate(spec.events, start=1)]
        self.ics = load_ics((folder or Path.cwd()) / spec.ics) if spec.ics else None
        self._booked = 0

    def _event(self, index: int, spec: Any) -> CalendarEvent:
        start = self._utc(spec.start)
        end = self._utc(spec.end) if spec.end is not None else start + dt.timedelta(seconds=spec.duration)
        return CalendarEvent(spec.id or f"EV-{index}", start, end, spec.title, spec.attendee, "scenario",
                             spec.appears_after or 0.0)

    def _utc(self, at: dt.datetime) -> dt.datetime:
        """An instant in UTC; a time without an offset is read on the calendar's wall clock."""
        return (at if at.tzinfo else wall(at.date(), at.time(), self.zone)).astimezone(UTC)

    # -- opening hours ----------------------------------------------------------------------------

    def opening(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        """The day's opening ranges in UTC (a 23- or 25-hour day on a DST change)."""
        ranges = [(0, 24 * 60)] if self.hours is None else self.hours.get(day.weekday(), [])
        return [(wall(day, _time(start), self.zone).astimezone(UTC), wall(day, _time(end), self.zone).astimezone(UTC))
                for start, end in ranges]

    def is_open(self, start: dt.datetime, end: dt.datetime) -> bool:
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        first = start.astimezone(self.zone).date() - dt.timedelta(days=1)
        last = end.astimezone(self.zone).date()
        merged: list[list[dt.datetime]] = []
        for offset in range((last - first).days + 1):
            for open_, close in self.opening(first + dt.timedelta(days=offset)):
                if merged and merged[-1][1] >= open_:
                    merged[-1][1] = max(merged[-1][1], close)
                else:
                    merged.append([open_, close])
        return any(open_ <= start and end <= close for open_, close in merged)

    def opens_during(self, start: dt.datetime, end: dt.datetime) -> bool:
        """Whether the calendar is open at some moment of [start, end)."""
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        day = start.astimezone(self.zone).date() - dt.timedelta(days=1)
        while day <= end.astimezone(self.zone).date():
            if any(open_ < end and start < close for open_, close in self.opening(day)):
                return True
            day += dt.timedelta(days=1)
        return False

    def describe_hours(self, day: dt.date) -> str:
        """The opening hours of a day in words, for a refusal's detail."""
        name = DAY_NAMES[day.weekday()]
        if self.hours is None:
            return "open around the clock"
        ranges = self.hours.get(day.weekday(), [])
        if not ranges:
            return f"closed on {name}"
        return f"open {', '.join(f'{_hhmm(a)}-{_hhmm(b)}' for a, b in ranges)} on {name}"

    # -- busy times -------------------------------------------------------------------------------

    def busy(self, start: dt.datetime, end: dt.datetime, *, ignore: str | None = None) -> list[CalendarEvent]:
        """Events that overlap [start, end), now (events that appear mid-call count once they have)."""
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        elapsed = self.clock.elapsed()
        found = [e for e in self.events if not e.cancelled and e.id != ignore and e.visible_after <= elapsed
                 and e.start < end and start < e.end]
        if self.ics is not None:
            found.extend(self.ics.between(start, end, self.zone))
        return sorted(found, key=lambda e: e.start)

    def check(self, start: dt.datetime, end: dt.datetime, *, ignore: str | None = None) -> Unavailable | None:
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        if start < self.clock.now():
            return Unavailable("past", "that time has already passed")
        if not self.is_open(start, end):
            return Unavailable("outside_hours", self.describe_hours(start.astimezone(self.zone).date()))
        busy = self.busy(start, end, ignore=ignore)
        if busy:
            event = busy[0]
            span = f"{_clock(event.start, self.zone)}-{_clock(event.end, self.zone)}"
            return Unavailable("conflict", f"overlaps {event.title!r} ({span}, {event.id})", event)
        return None

    def free_slots(self, start: dt.datetime, end: dt.datetime, length: float, *,
                   ignore: str | None = None) -> list[dt.datetime]:
        start, end = max(start.astimezone(UTC), self.clock.now().astimezone(UTC)), end.astimezone(UTC)
        if end <= start:
            return []
        duration = dt.timedelta(seconds=length)
        busy = self.busy(start, end + duration, ignore=ignore)
        return [slot for slot in self._grid(start, end, duration)
                if not any(e.start < slot + duration and slot < e.end for e in busy)]

    def _grid(self, start: dt.datetime, end: dt.datetime, duration: dt.timedelta) -> Iterator[dt.datetime]:
        """Slot starts in [start, end) that fit in an opening range: the range's opening plus whole slots."""
        step = dt.timedelta(seconds=self.slot)
        day = start.astimezone(self.zone).date() - dt.timedelta(days=1)
        last = end.astimezone(self.zone).date()
        while day <= last:
            for open_, close in self.opening(day):
                at = open_
                while at + duration <= close and at < end:
                    if at >= start:
                        yield at
                    at += step
            day += dt.timedelta(days=1)

    def nearest_free(self, around: dt.datetime, length: float, count: int, *,
                     ignore: str | None = None) -> list[dt.datetime]:
        around = around.astimezone(UTC)
        since = around - dt.timedelta(days=SEARCH_DAYS_BEFORE)
        slots = self.free_slots(since, around + dt.timedelta(days=SEARCH_DAYS_AHEAD), length, ignore=ignore)
        nearest = sorted(slots, key=lambda slot: (abs(slot - around), slot))[:count]
        return sorted(nearest)

    # -- bookings ---------------------------------------------------------------------------------

    def book(self, start: dt.datetime, end: dt.datetime, title: str, attendee: str | None) -> CalendarEvent:
        refusal = self.check(start, end)
        if refusal is not None:
            raise refusal
        self._booked += 1
        event = CalendarEvent(f"BK-{self._booked:04d}", start.astimezone(UTC), end.astimezone(UTC),
                              title, attendee, "booking", self.clock.elapsed())
        self.events.append(event)
        return event

    def find(self, *, id: str | None = None, attendee: str | None = None) -> CalendarEvent | None:
        live = [e for e in self.events if not e.cancelled and e.visible_after <= self.clock.elapsed()]
        if id:
            return next((e for e in live if e.id.casefold() == id.strip().casefold()), None)
        if attendee:
            now = self.clock.now()
            mine = [e for e in live if e.attendee and _same_person(e.attendee, attendee) and e.end > now]
            return min(mine, key=lambda e: e.start) if mine else None
        return None

    def cancel(self, event: CalendarEvent) -> None:
        event.cancelled = True

    def move(self, event: CalendarEvent, start: dt.datetime, end: dt.datetime) -> None:
        refusal = self.check(start, end, ignore=event.id)
        if refusal is not None:
            raise refusal
        event.start, event.end = start.astimezone(UTC), end.astimezone(UTC)


def _same_person(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def _time(minutes: int) -> dt.time | None:
    return None if minutes >= 24 * 60 else dt.time(minutes // 60, minutes % 60)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _clock(at: dt.datetime, zone: ZoneInfo) -> str:
    return at.astimezone(zone).strftime("%a %H:%M")


# -- iCalendar files -------------------------------------------------------------------------------


@dataclass
class IcsError(Exception):
    """An iCalendar file that cannot be used, with the line (from 1; 0 when unknown) at fault."""

    problem: str
    line: int = 0


@dataclass
class IcsCalendar:
    """The busy times of an iCalendar file, recurrences expanded on demand."""

    path: Path
    calendar: Any
    query: Any = field(repr=False)

    def between(self, start: dt.datetime, end: dt.datetime, zone: ZoneInfo) -> list[CalendarEvent]:
        """Busy events overlapping [start, end): floating and all-day times are read in `zone`."""
        found = []
        for item in self.query.between(start.astimezone(zone), end.astimezone(zone)):
            if str(item.get("TRANSP", "")).upper() == "TRANSPARENT" or \
                    str(item.get("STATUS", "")).upper() == "CANCELLED":
                continue
            first, last = _ics_span(item, zone)
            if first < end and start < last:
                found.append(CalendarEvent(str(item.get("UID", self.path.name)), first, last,
                                           str(item.get("SUMMARY", "Busy")), _ics_attendee(item), "ics"))
        return found


_ICS_CACHE: dict[tuple[Path, int, int], IcsCalendar] = {}
MEMOS.append(_ICS_CACHE.clear)


def load_ics(path: Path) -> IcsCalendar:
    """Read and check an iCalendar file, a regular file of at most MAX_ICS_BYTES (cached while it is
    unchanged); raises FileNotFoundError or IcsError."""
    path = Path(os.path.normpath(path))  # `..` as written, as the validation checked it
    try:
        stat = path.stat()
        key = (path.resolve(), stat.st_mtime_ns, stat.st_size)
    except FileNotFoundError:
        raise
    except OSError as error:
        raise IcsError(f"cannot read {path} ({error.strerror or error})") from None
    cached = _ICS_CACHE.get(key)
    if cached is None:
        try:
            data = read_regular(path, MAX_ICS_BYTES)
        except UnreadableFile as problem:
            if problem.missing:
                raise FileNotFoundError(str(path)) from None
            raise IcsError(f"{path} {problem.reason}") from None
        cached = _ICS_CACHE[key] = _parse_ics(path, data)
    return cached


def _parse_ics(path: Path, data: bytes) -> IcsCalendar:
    import icalendar
    import recurring_ical_events

    text = data.decode("utf-8", errors="replace")
    lines = text.splitlines()
    _check_structure(lines)
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except ValueError as error:
        raise IcsError(f"not a valid iCalendar file: {_first_line(error)}", _line_of(lines, str(error))) from None
    if calendar.name != "VCALENDAR":
        raise IcsError(f"not an iCalendar file: it starts with {calendar.name}, not BEGIN:VCALENDAR", 1)
    for event in calendar.walk("VEVENT"):
        uid = str(event.get("UID", ""))
        for name in ("DTSTART", "DTEND", "RECURRENCE-ID"):
            if name not in event:
                if name == "DTSTART":
                    raise IcsError(f"event {uid or '(no UID)'} has no DTSTART", _line_of(lines, f"UID:{uid}" if uid else "BEGIN:VEVENT"))
                continue
            try:
                event[name].dt  # noqa: B018 - icalendar parses a property's value on first access
            except (ValueError, TypeError) as error:
                said = re.sub(r"^Cannot access 'dt' on broken property '[^']*' \(expected '[^']*'\): ", "",
                              _first_line(error))
                raise IcsError(f"{name} of event {uid or '(no UID)'}: {said}",
                               _line_of(lines, str(event[name].to_ical().decode()), prefix=name)) from None
    try:
        query = recurring_ical_events.of(calendar)
        query.between(dt.datetime(2000, 1, 1), dt.datetime(2000, 1, 2))  # parses every RRULE, RDATE and EXDATE
    except Exception as error:  # recurring-ical-events raises its own errors and ValueError from dateutil
        raise IcsError(f"a recurrence cannot be read: {_first_line(error)}", _line_of(lines, str(error))) from None
    return IcsCalendar(path, calendar, query)


def _ics_span(item: Any, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    start = item["DTSTART"].dt
    first = _ics_moment(start, zone)
    all_day = not isinstance(start, dt.datetime)
    if "DTEND" in item:
        last = _ics_moment(item["DTEND"].dt, zone)
    elif "DURATION" in item:  # in real time from the start, or in whole days from an all-day start
        last = _ics_moment(start + item["DURATION"].dt, zone) if all_day else first + item["DURATION"].dt
    else:
        last = _ics_moment(start + dt.timedelta(days=1), zone) if all_day else first
    return first, last


def _ics_moment(value: dt.date | dt.datetime, zone: ZoneInfo) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        return wall(value, dt.time(0), zone).astimezone(UTC)  # an all-day event's day, in the calendar's zone
    if value.tzinfo is None:
        return wall(value.date(), value.time(), zone).astimezone(UTC)  # a floating time: the calendar's wall clock
    return value.astimezone(UTC)


def _ics_attendee(item: Any) -> str | None:
    attendee = item.get("ATTENDEE")
    if attendee is None:
        return None
    first = attendee[0] if isinstance(attendee, list) else attendee
    text = str(first)
    for scheme in ("mailto:", "tel:", "MAILTO:", "TEL:"):
        text = text.removeprefix(scheme)
    return text


def _first_line(error: BaseException) -> str:
    """A parser's message, which may quote the file: its first line, short, with control characters escaped."""
    text = (str(error).strip().splitlines() or [type(error).__name__])[0]
    return excerpt(text, 120)[1:-1]


def _check_structure(lines: list[str]) -> None:
    """BEGIN and END lines must pair up, inside one VCALENDAR (icalendar's own messages do not say where)."""
    first = next(((n, line.strip()) for n, line in enumerate(lines, start=1) if line.strip()), (1, ""))
    if first[1].upper() != "BEGIN:VCALENDAR":
        raise IcsError(f"not an iCalendar file: line {first[0]} is {excerpt(first[1])}, expected BEGIN:VCALENDAR",
                       first[0])
    open_: list[tuple[str, int]] = []
    for number, line in enumerate(lines, start=1):
        upper = line.strip().upper()
        if upper.startswith("BEGIN:"):
            open_.append((upper[6:], number))
        elif upper.startswith("END:"):
            name = upper[4:]
            if not open_:
                raise IcsError(f"END:{name} without a BEGIN:{name}", number)
            began, at = open_.pop()
            if began != name:
                raise IcsError(f"END:{name} where BEGIN:{began} of line {at} is still open; expected END:{began}",
                               number)
    if open_:
        began, at = open_[-1]
        raise IcsError(f"BEGIN:{began} is never closed (no END:{began})", at)


def _line_of(lines: list[str], message: str, prefix: str = "") -> int:
    """The line a parser's message points at: the first line (or its value) that the message quotes."""
    for number, line in enumerate(lines, start=1):
        content = line.strip()
        if not content or (prefix and not content.upper().startswith(prefix)):
            continue
        value = content.split(":", 1)[-1]
        if content in message or (len(value) >= 4 and value in message):
            return number
    if prefix:
        return next((n for n, line in enumerate(lines, start=1) if line.strip().upper().startswith(prefix)), 0)
    return 0
