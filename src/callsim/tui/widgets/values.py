"""How a variable's value reads to a person at the simulator: a date as a day, a time without its seconds, a
phone number grouped as it is dialled. The trace, the Events tab and an export keep the value as stored."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any
from zoneinfo import ZoneInfo

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?")
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?")
_E164 = re.compile(r"\+[1-9]\d{6,14}")


def readable(value: Any, zone: str | None = None) -> str:
    """`value` as a person reads it; `zone` is the agent's time zone (a moment elsewhere says its offset).
    A value that is not set (None) is the caller's to show (see `VariablesTable`)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return _text(value, zone)
    if isinstance(value, list) and all(isinstance(item, str | int | float) for item in value):
        return ", ".join(readable(item, zone) for item in value)
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False, default=str)


def _text(text: str, zone: str | None) -> str:
    """A text in the form it has; one that only looks like a date or a time (a 13th month) stays as it is."""
    try:
        if _E164.fullmatch(text):
            return _phone(text)
        if _DATE.fullmatch(text):
            return _day(dt.date.fromisoformat(text))
        if _TIME.fullmatch(text):
            return _clock(dt.time.fromisoformat(text))
        if _MOMENT.fullmatch(text):
            return _moment(text, zone)
        start, slash, end = text.partition("/")
        if slash and _MOMENT.fullmatch(start) and _MOMENT.fullmatch(end):  # a span asked for ("tomorrow morning")
            first, last = dt.datetime.fromisoformat(start), dt.datetime.fromisoformat(end)
            shown = _clock(last.time()) if last.date() == first.date() else _moment(end, zone)
            return f"{_moment(start, zone)} – {shown}"
    except ValueError:
        pass
    return text


def _phone(number: str) -> str:
    import phonenumbers  # loaded with the first phone number shown

    try:
        parsed = phonenumbers.parse(number)
    except phonenumbers.NumberParseException:
        return number
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _day(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def _clock(time: dt.time) -> str:
    return f"{time:%H:%M:%S}" if time.second else f"{time:%H:%M}"


def _moment(text: str, zone: str | None) -> str:
    moment = dt.datetime.fromisoformat(text)
    shown = f"{_day(moment.date())} {_clock(moment.time())}"
    offset = moment.utcoffset()
    if offset is None or zone is None or offset == moment.astimezone(ZoneInfo(zone)).utcoffset():
        return shown
    hours, minutes = divmod(abs(int(offset.total_seconds())) // 60, 60)
    return f"{shown} UTC{'-' if offset < dt.timedelta(0) else '+'}{hours:02d}:{minutes:02d}"
