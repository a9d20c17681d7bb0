"""The agent's local time in conditions: `now.weekday`, `now.hour`, `business_hours("mon-fri 09:00-17:00")`.

A phone book's `if:` is evaluated with these beside the call's variables, in the agent's time zone,
at the virtual moment of the transfer; so "after hours, route to the night line" is testable by
setting the scenario's `now:`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from callsim.readers.base import wall

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_RULE = re.compile(r"^\s*(?P<days>[a-z]{3}(?:\s*-\s*[a-z]{3})?|daily)\s+(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2})\s*$")


@dataclass(frozen=True, slots=True)
class OpeningHours:
    """Weekly opening hours: per weekday (0 = Monday), the open spans in minutes since midnight."""

    spans: tuple[tuple[int, int, int], ...]
    """(weekday, start minute, end minute); a span past midnight continues on the next day."""
    source: str

    @classmethod
    def parse(cls, text: str) -> OpeningHours:
        """`mon-fri 09:00-17:00, sat 10:00-14:00` (rules separated by `,` or `;`); ValueError when malformed."""
        if not isinstance(text, str) or not text.strip():
            raise ValueError('expected opening hours such as "mon-fri 09:00-17:00, sat 10:00-14:00"')
        spans: list[tuple[int, int, int]] = []
        for rule in re.split(r"[,;]", text.lower()):
            match = _RULE.match(rule)
            if not match:
                raise ValueError(f"opening hours {text!r}: {rule.strip()!r} is not 'DAYS HH:MM-HH:MM' "
                                 "(days: mon..sun, a range such as mon-fri, or daily)")
            start, end = _minute(match["start"], text), _minute(match["end"], text)
            if start == end:
                raise ValueError(f"opening hours {text!r}: {match['start']}-{match['end']} is an empty span")
            for day in _days(match["days"], text):
                if end > start:
                    spans.append((day, start, end))
                else:  # 22:00-06:00: open until midnight, then the next morning
                    spans.append((day, start, 24 * 60))
                    spans.append(((day + 1) % 7, 0, end))
        return cls(tuple(spans), text)

    def on(self, day: dt.date, zone: ZoneInfo) -> list[tuple[dt.datetime, dt.datetime]]:
        """The day's open spans as aware moments in `zone` (a span past midnight ends at midnight)."""
        return [(wall(day, _clock(start), zone), wall(day, _clock(end), zone))
                for weekday, start, end in self.spans if weekday == day.weekday()]

    def open_at(self, moment: dt.datetime) -> bool:
        minute = moment.hour * 60 + moment.minute
        day = moment.weekday()
        return any(d == day and start <= minute < end for d, start, end in self.spans)


def _clock(minute: int) -> dt.time | None:
    """A minute of the day as a wall-clock time; None for the midnight that ends the day."""
    return None if minute >= 24 * 60 else dt.time(minute // 60, minute % 60)


def _minute(text: str, source: str) -> int:
    hours, minutes = (int(part) for part in text.split(":"))
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        raise ValueError(f"opening hours {source!r}: {text} is not a time of day (00:00 to 24:00)")
    return hours * 60 + minutes


def _days(text: str, source: str) -> list[int]:
    if text == "daily":
        return list(range(7))
    first, _, last = (part.strip() for part in text.partition("-"))
    for day in (first, last or first):
        if day not in DAYS:
            raise ValueError(f"opening hours {source!r}: {day!r} is not a day; expected one of {', '.join(DAYS)}")
    start, end = DAYS.index(first), DAYS.index(last or first)
    return [(start + i) % 7 for i in range((end - start) % 7 + 1)]


@lru_cache(maxsize=256)
def opening_hours(text: str) -> OpeningHours:
    """Parse once per distinct text."""
    return OpeningHours.parse(text)


def local_now(moment: dt.datetime, timezone: str) -> dict[str, Any]:
    """`now` as conditions see it: the moment in the agent's time zone, in parts that compare simply."""
    local = moment.astimezone(ZoneInfo(timezone))
    return {"weekday": DAYS[local.weekday()], "hour": local.hour, "minute": local.minute,
            "time": local.strftime("%H:%M"), "date": local.date().isoformat(), "iso": local.isoformat()}


def condition_context(variables: Mapping[str, Any], moment: dt.datetime, timezone: str) -> dict[str, Any]:
    """The call's variables plus `now` and `business_hours(...)` at `moment`, in `timezone`."""
    local = moment.astimezone(ZoneInfo(timezone))
    check: Callable[[str], bool] = lambda hours: opening_hours(hours).open_at(local)  # noqa: E731
    return {**variables, "now": local_now(moment, timezone), "business_hours": check}


def check_hours_in_condition(source: str) -> None:
    """Parse the literal opening hours of every `business_hours("...")` in a condition; ValueError when one is wrong."""
    import jinja2
    from jinja2 import nodes

    try:
        tree = jinja2.Environment().parse(f"{{{{ {source} }}}}")
    except jinja2.TemplateSyntaxError:
        return  # the condition's own compilation reports it
    for call in tree.find_all(nodes.Call):
        if isinstance(call.node, nodes.Name) and call.node.name == "business_hours":
            if len(call.args) != 1 or call.kwargs:
                raise ValueError('business_hours takes one text argument, e.g. business_hours("mon-fri 09:00-17:00")')
            if isinstance(call.args[0], nodes.Const):
                OpeningHours.parse(call.args[0].value)
