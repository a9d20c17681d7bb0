"""What a calendar section does beyond its fields: its opening hours, read by weekday."""

from __future__ import annotations

import re

from callsim.backends.calendar import DAY_NAMES, Minutes

_DAY_ALIASES = {"tues": "tue", "wednes": "wed", "thur": "thu", "thurs": "thu", "satur": "sat"}
_RANGE = re.compile(r"^\s*(\d{1,2}):(\d\d)\s*-\s*(\d{1,2}):(\d\d)\s*$")

def parse_days(key: str) -> tuple[int, ...]:
    """The weekdays (0 = Monday) a key such as `mon-fri`, `sat`, `mon,wed,fri` or `daily` names."""
    text = key.strip().lower()
    if text in ("daily", "every day", "all"):
        return tuple(range(7))
    days: list[int] = []
    for part in text.split(","):
        ends = [_day(end) for end in part.split("-")]
        if len(ends) == 1:
            days.append(ends[0])
        elif len(ends) == 2:
            first, last = ends
            days.extend((first + i) % 7 for i in range(((last - first) % 7) + 1))
        else:
            raise ValueError(f"hours key {key!r}: write a day (mon), a range (mon-fri) or a list (mon,wed)")
    return tuple(days)


def _day(word: str) -> int:
    word = word.strip().removesuffix("day")
    word = _DAY_ALIASES.get(word, word)
    if word in DAY_NAMES:
        return DAY_NAMES.index(word)
    raise ValueError(f"{word!r} is not a day; expected one of {', '.join(DAY_NAMES)} (or daily)")


def parse_ranges(value: str | list[str]) -> list[Minutes]:
    """Opening ranges from `"09:00-17:00"`, `"09:00-12:00, 13:00-17:00"`, a list of them, or `closed`."""
    items = value if isinstance(value, list) else [value]
    ranges: list[Minutes] = []
    for item in items:
        for part in str(item).split(","):
            if part.strip().lower() == "closed":
                continue
            match = _RANGE.match(part)
            if not match:
                raise ValueError(f"opening hours {part.strip()!r}: write them as HH:MM-HH:MM, e.g. 09:00-17:00")
            h1, m1, h2, m2 = map(int, match.groups())
            start, end = h1 * 60 + m1, h2 * 60 + m2
            if h1 > 23 or m1 > 59 or m2 > 59 or end > 24 * 60:
                raise ValueError(f"opening hours {part.strip()!r}: not a time of day (00:00 to 24:00)")
            if end <= start:
                raise ValueError(f"opening hours {part.strip()!r}: the end must be after the start "
                                 "(hours past midnight belong to the next day's entry)")
            ranges.append((start, end))
    return sorted(ranges)


class CalendarSpecShape:
    """The fake calendar a booking action meets."""

    __slots__ = ()

    def opening(self) -> dict[int, list[Minutes]]:
        """Opening ranges by weekday (0 = Monday); empty when the calendar is always open."""
        by_day: dict[int, list[Minutes]] = {}
        for key, value in self.hours.items():  # type: ignore[attr-defined]
            for day in parse_days(key):
                by_day.setdefault(day, []).extend(parse_ranges(value))
        return {day: sorted(ranges) for day, ranges in by_day.items()}
