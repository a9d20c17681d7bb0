"""Datetimes said the way an agent speaks them: "Tuesday, December 1 at 10:30 AM".

English only, and independent of the process locale (`strftime("%A")` is not). Times are said
in a given zone; an hour that a fall-back change makes happen twice gets its zone abbreviation
("1:30 AM EST") so the caller can tell which one is meant.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


def spoken_time(at: dt.datetime | dt.time) -> str:
    """A time of day: "10 AM", "10:30 AM", "noon", "midnight" (plus the zone when the hour repeats)."""
    if at.hour == 12 and at.minute == 0:
        text = "noon"
    elif at.hour == 0 and at.minute == 0:
        text = "midnight"
    else:
        hour = at.hour % 12 or 12
        minutes = f":{at.minute:02d}" if at.minute else ""
        text = f"{hour}{minutes} {'AM' if at.hour < 12 else 'PM'}"
    if isinstance(at, dt.datetime) and _repeated(at):
        text += f" {at.tzname()}"
    return text


def spoken_day(day: dt.date, today: dt.date | None = None) -> str:
    """A day: "Tuesday, December 1", with the year when it is not this year's."""
    text = f"{WEEKDAYS[day.weekday()]}, {MONTHS[day.month - 1]} {day.day}"
    if today is not None and day.year != today.year:
        text += f", {day.year}"
    return text


NEAR_DAYS = 183
"""How far from today a date is still said with its weekday ("Friday, December 4"); a date further off is
said as "March 4, 1990" (a weekday helps to place next week, not a birthday)."""


def written_date(day: dt.date, today: dt.date) -> str:
    """A date as a person writes it: "Friday, December 4" near `today`, "March 4, 1990" further off; the
    year only when it is not today's."""
    if abs((day - today).days) <= NEAR_DAYS:
        return spoken_day(day, today)
    text = f"{MONTHS[day.month - 1]} {day.day}"
    return text if day.year == today.year else f"{text}, {day.year}"


def written_moment(at: dt.datetime, today: dt.date) -> str:
    """A moment as a person writes it, in its own zone: "Friday, December 4 at 4 PM"."""
    return f"{written_date(at.date(), today)} at {spoken_time(at)}"


def written_span(start: dt.datetime, end: dt.datetime, today: dt.date) -> str:
    """A stretch of time as a person writes it: "Friday, December 4" (the whole day), "Friday, December 4,
    9 AM to noon", or its two ends when it spans days."""
    if start.time() == end.time() == dt.time() and (end.date() - start.date()).days == 1:
        return written_date(start.date(), today)
    if start.date() == end.date() or (end.time() == dt.time() and (end.date() - start.date()).days == 1):
        return f"{written_date(start.date(), today)}, {spoken_time(start)} to {spoken_time(end)}"
    return f"{written_moment(start, today)} to {written_moment(end, today)}"


def spoken_datetime(at: dt.datetime, zone: ZoneInfo, now: dt.datetime | None = None) -> str:
    """A moment in `zone`: "Tuesday, December 1 at 10:30 AM"; the year only when it differs from `now`'s."""
    local = at.astimezone(zone)
    today = now.astimezone(zone).date() if now is not None else None
    return f"{spoken_day(local.date(), today)} at {spoken_time(local)}"


def spoken_slots(slots: Sequence[dt.datetime], zone: ZoneInfo, now: dt.datetime | None = None) -> str:
    """Several moments as one offer, grouped by day:
    "Tuesday, December 1 at 9 AM, 9:30 AM or 11 AM, or Wednesday, December 2 at 9 AM"."""
    today = now.astimezone(zone).date() if now is not None else None
    days: dict[dt.date, list[str]] = {}
    for slot in sorted(slots):
        local = slot.astimezone(zone)
        days.setdefault(local.date(), []).append(spoken_time(local))
    groups = [f"{spoken_day(day, today)} at {_either(times, ', ')}" for day, times in days.items()]
    return _either(groups, ", ", final=", or ")


def _either(items: list[str], separator: str, final: str = " or ") -> str:
    if len(items) <= 1:
        return "".join(items)
    return separator.join(items[:-1]) + final + items[-1]


def _repeated(at: dt.datetime) -> bool:
    """Whether this wall-clock time happens twice in its zone (the hour a fall-back change repeats)."""
    if at.tzinfo is None:
        return False
    other = at.replace(fold=1 - at.fold)
    return other.utcoffset() != at.utcoffset()
