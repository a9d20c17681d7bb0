"""Durations as users write them in files and commands (`25s`, `2m`, `1h30m`, `500ms`), both ways."""

from __future__ import annotations

import re
from typing import Any

_DURATION = re.compile(r"^\s*(?:(\d+(?:\.\d+)?)h)?\s*(?:(\d+(?:\.\d+)?)m(?!s))?\s*(?:(\d+(?:\.\d+)?)s)?\s*(?:(\d+)ms)?\s*$")
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")


def parse_duration(value: Any) -> float:
    """Seconds from `25s`, `2m`, `1h30m`, `500ms` or a plain number of seconds."""
    if isinstance(value, bool):
        raise ValueError("expected a duration such as 25s, 2m or 1h30m")
    if isinstance(value, (int, float)):
        if value < 0:
            raise ValueError("a duration cannot be negative")
        return float(value)
    if isinstance(value, str):
        match = _DURATION.match(value)
        if match and value.strip() and any(match.groups()):
            hours, minutes, seconds, millis = (float(g) if g else 0.0 for g in match.groups())
            return hours * 3600 + minutes * 60 + seconds + millis / 1000
        number = value.strip()
        if _NUMBER.match(number):
            raise ValueError(f"invalid duration {value!r}; quoted, a number needs its unit: write {number}s "
                             f"(a bare number without quotes is seconds) or {number}m")
    raise ValueError(f"invalid duration {value!r}; expected a duration such as 25s, 2m, 1h30m or 500ms")


def format_duration(seconds: float) -> str:
    """The inverse of parse_duration, for messages: 90 -> '1m30s'."""
    if seconds < 1 and seconds:
        return f"{round(seconds * 1000)}ms"
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    frac = seconds - whole
    parts = [f"{hours}h" if hours else "", f"{minutes}m" if minutes else ""]
    if secs or frac or not (hours or minutes):
        parts.append(f"{secs + frac:g}s")
    return "".join(parts)
