"""How a variable's value reads to a person at the simulator: a time or a date as the agent says it ("4 PM",
"Friday, December 4"), a phone number grouped as it is dialled. The trace, the Events tab and an export keep
the value as stored."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any
from zoneinfo import ZoneInfo

from callsim.readers.format import spoken_time, written_date, written_moment, written_span
from callsim.templates.values import Readable

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?")
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?")
_E164 = re.compile(r"\+[1-9]\d{6,14}")


def readable(value: Any, today: dt.date, zone: str | None = None) -> str:
    """`value` as a person reads it, on the call's day `today` (a date this year goes without its year) in
    the agent's time zone `zone` (a moment in another says its offset). Not for None: a value not set is the
    table's to show."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Readable):  # a time or date the caller gave: as the agent says it
        return value.said
    if isinstance(value, str):
        return _text(value, today, zone)
    if isinstance(value, list) and all(isinstance(item, str | int | float) for item in value):
        return ", ".join(readable(item, today, zone) for item in value)
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False, default=str)


def _text(text: str, today: dt.date, zone: str | None) -> str:
    """A text in the form it has; one that only looks like a date or a time (a 13th month) stays as it is."""
    try:
        if _E164.fullmatch(text):
            return _phone(text)
        if _DATE.fullmatch(text):
            return written_date(dt.date.fromisoformat(text), today)
        if _TIME.fullmatch(text):
            return spoken_time(dt.time.fromisoformat(text))
        if _MOMENT.fullmatch(text):
            moment = dt.datetime.fromisoformat(text)
            return written_moment(moment, today) + _elsewhere(moment, zone)
        start, slash, end = text.partition("/")
        if slash and _MOMENT.fullmatch(start) and _MOMENT.fullmatch(end):  # a span asked for ("tomorrow morning")
            first = dt.datetime.fromisoformat(start)
            return written_span(first, dt.datetime.fromisoformat(end), today) + _elsewhere(first, zone)
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


def _elsewhere(moment: dt.datetime, zone: str | None) -> str:
    """" (UTC-08:00)" for a moment whose offset is not the agent's zone's at that moment; else nothing."""
    offset = moment.utcoffset()
    if offset is None or zone is None or offset == moment.astimezone(ZoneInfo(zone)).utcoffset():
        return ""
    hours, minutes = divmod(abs(int(offset.total_seconds())) // 60, 60)
    return f" (UTC{'-' if offset < dt.timedelta(0) else '+'}{hours:02d}:{minutes:02d})"
