"""One comparison of an expected value with a value a call produced, by the value's declared type.

A scenario writes values the way people write them (`t: "14:30"`, `callback: (415) 555-0199`,
`count: 5`, `email: Jane@Example.com`); the engine keeps them in one canonical form (`14:30:00`,
`+14155550199`, `5.0`, `jane@example.com`). `same` reads both sides by the type the agent declared
for the variable (or the extractor for its field) and compares what they mean; a date-time written
without an offset is a wall-clock time in the agent's zone. Without a type it compares as written,
except that YAML's 4567 equals the text "4567" and 5 equals 5.0. The YAML expectations and the
Python `trace.expect` methods all compare through it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

BUILT_IN_TYPES = {
    "call.from": "phone", "call.to": "phone", "agent.number": "phone", "call.started_at": "datetime",
    "booking.start_iso": "datetime", "booking.end_iso": "datetime", "booking.previous_start_iso": "datetime",
    "offer.times_iso": "datetime", "cancelled.start_iso": "datetime", "cancelled.end_iso": "datetime",
}
"""Types of the variables the engine itself sets."""


@dataclass(frozen=True)
class ValueTypes:
    """The declared type of each variable and extractor field of an agent, and what reading them needs."""

    variables: Mapping[str, str] = field(default_factory=dict)
    """Variable name -> type (`time`, `phone`, ...): the agent's variables and the engine's own."""
    fields: Mapping[str, str] = field(default_factory=dict)
    """Extractor field name -> type."""
    region: str = "US"
    """The country a phone number written without a country code is in."""

    def variable(self, name: str) -> str | None:
        return self.variables.get(name) or BUILT_IN_TYPES.get(name)

    def field(self, name: str) -> str | None:
        return self.fields.get(name)

    def same(self, actual: Any, expected: Any, type_: str | None) -> bool:
        """`actual` (what the call produced) means what `expected` (what a test wrote) says, as `type_`."""
        return same(actual, expected, type_, region=self.region)


UNTYPED = ValueTypes()


def same(actual: Any, expected: Any, type_: str | None = None, *, region: str = "US") -> bool:
    """Whether a produced value equals an expected one, read by `type_` (lists item by item)."""
    if isinstance(actual, (list, tuple)) and isinstance(expected, (list, tuple)):
        return len(actual) == len(expected) and all(same(a, e, type_, region=region) for a, e in zip(actual, expected))
    reader = _READERS.get(type_ or "")
    if reader is not None:
        mine, theirs = reader(actual, region), reader(expected, region)
        if mine is not None and theirs is not None:
            return _moments_equal(mine, theirs) if type_ in ("datetime", "when") else mine == theirs
    return _as_written(actual, expected)


def _moments_equal(actual: Any, expected: Any) -> bool:
    """Moments (or spans, pairs of them) are equal as instants; one written without an offset is a
    wall-clock time, compared with the other's wall clock (the engine writes times in the agent's zone)."""
    if isinstance(actual, tuple) or isinstance(expected, tuple):
        return (isinstance(actual, tuple) and isinstance(expected, tuple)
                and all(_moments_equal(a, e) for a, e in zip(actual, expected)))
    if (actual.tzinfo is None) != (expected.tzinfo is None):
        return actual.replace(tzinfo=None) == expected.replace(tzinfo=None)
    return actual == expected


def _as_written(actual: Any, expected: Any) -> bool:
    if isinstance(actual, bool) or isinstance(expected, bool):
        return actual is expected  # True is not 1
    if actual == expected:
        return True
    if isinstance(actual, (int, float)) and isinstance(expected, (int, float)):
        return math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(actual, (int, float, str)) and isinstance(expected, (int, float, str)):
        return str(actual) == str(expected)  # YAML's 4567 is the digits "4567"
    return False


def _number(value: Any, region: str) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip().replace(",", ""))
        except ValueError:
            return None
    return None


def _rounded(value: Any, region: str) -> Any:
    number = _number(value, region)
    return None if number is None else round(number, 9)


def _time(value: Any, region: str) -> dt.time | None:
    if isinstance(value, dt.datetime):
        return value.time()
    if isinstance(value, dt.time):
        return value.replace(tzinfo=None)
    if isinstance(value, str):
        text = value.strip().upper().replace(".", "")
        for pattern in ("%I:%M %p", "%I %p", "%I:%M%p", "%I%p"):
            try:
                return dt.datetime.strptime(text, pattern).time()
            except ValueError:
                pass
        try:
            return dt.time.fromisoformat(value.strip()).replace(tzinfo=None)
        except ValueError:
            return None
    return None


def _date(value: Any, region: str) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _moment(value: Any, region: str) -> dt.datetime | None:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    return value if isinstance(value, dt.datetime) else None


def _when(value: Any, region: str) -> Any:
    """A moment, or a span written as an ISO 8601 interval `start/end`."""
    if isinstance(value, str) and "/" in value:
        start, _, end = value.partition("/")
        span = (_moment(start, region), _moment(end, region))
        return None if None in span else span
    return _moment(value, region)


def _phone(value: Any, region: str) -> str | None:
    import phonenumbers  # loaded when a phone number is first compared

    if not isinstance(value, (str, int)) or isinstance(value, bool):
        return None
    try:
        number = phonenumbers.parse(str(value), region)
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _folded(value: Any, region: str) -> str | None:
    return " ".join(value.split()).casefold() if isinstance(value, str) else None


def _yes_no(value: Any, region: str) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return {"yes": True, "true": True, "no": False, "false": False}.get(value.strip().casefold())
    return None


def _digits(value: Any, region: str) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return "".join(value.split()) if isinstance(value, str) else None


_READERS: dict[str, Callable[[Any, str], Any]] = {
    "number": _rounded,
    "time": _time,
    "date": _date,
    "datetime": _moment,
    "when": _when,
    "phone": _phone,
    "email": _folded,
    "enum": _folded,
    "yes_no": _yes_no,
    "digits": _digits,
}
"""How each declared type reads a value for comparing; None from a reader falls back to `as written`."""
