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
