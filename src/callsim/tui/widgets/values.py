"""How a variable's value reads to a person at the simulator: what its placeholder says to the caller. A time or
a date the caller gave reads as the agent says it ("4 PM", "Friday, December 4"), a phone number grouped as it
is dialled; a date an API sent as text stays as it is, since that is what the agent would say. The trace, the
Events tab and an export keep every value as stored."""

from __future__ import annotations

import json
import re
from typing import Any

from callsim.templates.values import Readable

_E164 = re.compile(r"\+[1-9]\d{6,14}")


def readable(value: Any) -> str:
    """`value` as a person reads it. Not for None: a value not set is the table's to show."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Readable):
        return value.said
    if isinstance(value, str):
        return _phone(value) if _E164.fullmatch(value) else value
    if isinstance(value, list) and all(isinstance(item, str | int | float) for item in value):
        return ", ".join(map(readable, value))
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False, default=str)


def _phone(number: str) -> str:
    import phonenumbers  # loaded with the first phone number shown

    try:
        parsed = phonenumbers.parse(number)
    except phonenumbers.NumberParseException:
        return number
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
