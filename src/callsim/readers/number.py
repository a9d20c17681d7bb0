"""The `number` type: a quantity, an int or (when a fraction was said) a float."""

from __future__ import annotations

import re

from callsim.readers.base import SpokenValue
from callsim.readers.numerals import as_numerals


_NUMBER = re.compile(r"(?<![\w.])(-|minus |negative )?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?!\w|\.\d)")
_AND_A_HALF = re.compile(r"\b(\d+) and a half\b")


def read_number(utterance: str) -> SpokenValue | None:
    """Read a quantity: an int, or a float when a fraction was said."""
    match = _NUMBER.search(_AND_A_HALF.sub(r"\1.5", as_numerals(utterance)))
    if match is None:
        return None
    sign, whole, fraction = match.groups()
    whole = whole.replace(",", "")
    value: int | float = float(whole + fraction) if fraction else int(whole)
    return SpokenValue(-value if sign else value, utterance.strip())
