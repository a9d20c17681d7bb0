"""Typed values read out of what a caller said: one module per variable type.

`read_value(type, utterance, ctx)` turns one utterance into the value a slot of that type
expects ("uh it's four five six seven" -> "4567"), or None when the caller did not say one, so
that triggers and actions work on values rather than on wording. Each type's reader lives in its
own module (`text`, `digits`, `number`, `phone`, `email`, `name`, `enums`, `yes_no`, `dates` for
date, time and datetime, `when`) over a shared `base` (`SpokenValue`, `ReadContext`) and the
spoken forms they share: `numerals`, `number_words` and `quantities` (numbers), `days` and `times` (read by callsim
itself), `dateparse` (dateparser, loaded only for what those do not know), `corrections` and
`utterance` (what a caller takes back, clauses); `format` is the other way, how the agent says a
time. None imports a layer above (tests/test_layers.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from callsim.readers.addresses import without_place_numbers
from callsim.readers.base import ReadContext, SpokenValue
from callsim.readers.dates import read_date, read_datetime, read_time
from callsim.readers.digits import read_digits
from callsim.readers.email import read_email
from callsim.readers.hedges import without_ish
from callsim.readers.enums import read_enum
from callsim.readers.name import read_name
from callsim.readers.number import read_number
from callsim.readers.phone import read_phone
from callsim.readers.text import read_text
from callsim.readers.when import Span, read_when
from callsim.readers.yes_no import read_yes_no

__all__ = ["VALUE_TYPES", "ReadContext", "Span", "SpokenValue", "read_value"]


@dataclass(frozen=True)
class _Options:
    """The per-slot options read_value passes on to the reader that uses them."""

    length: tuple[int, int] | None
    values: Sequence[str]
    pattern: str | None
    direction: str | None


_READERS: dict[str, Callable[[str, ReadContext, _Options], SpokenValue | None]] = {
    "text": lambda u, ctx, o: read_text(u, o.pattern),
    "digits": lambda u, ctx, o: read_digits(u, o.length),
    "number": lambda u, ctx, o: read_number(u),
    "phone": lambda u, ctx, o: read_phone(u, ctx.region),
    "email": lambda u, ctx, o: read_email(u),
    "name": lambda u, ctx, o: read_name(u),
    "date": lambda u, ctx, o: read_date(u, ctx, o.direction),
    "time": lambda u, ctx, o: read_time(u, ctx),
    "datetime": lambda u, ctx, o: read_datetime(u, ctx, o.direction),
    "enum": lambda u, ctx, o: read_enum(u, o.values),
    "yes_no": lambda u, ctx, o: read_yes_no(u),
    "when": lambda u, ctx, o: read_when(u, ctx),
}

VALUE_TYPES: tuple[str, ...] = tuple(_READERS)
_NO_PLACE_NUMBERS = frozenset({"number", "date", "time", "datetime", "when"})
"""Types a street or room number is never read as: "I'm calling from 3 Oak Street" says no time."""


def read_value(
    type_: str,
    utterance: str,
    ctx: ReadContext,
    *,
    length: tuple[int, int] | None = None,
    values: Sequence[str] = (),
    pattern: str | None = None,
    direction: str | None = None,
) -> SpokenValue | None:
    """Read a value of `type_` from `utterance`; None when the utterance holds none. `direction`
    (past, future, nearest) says how a date fills in what the caller left out (see `days`)."""
    reader = _READERS.get(type_)
    if reader is None:
        raise ValueError(f"unknown value type {type_!r}; expected one of {', '.join(VALUE_TYPES)}")
    if type_ in _NO_PLACE_NUMBERS:
        utterance = without_place_numbers(without_ish(utterance))
    return reader(utterance, ctx, _Options(length, values, pattern, direction))
