"""The `digits` type: an order number or a PIN, said digit by digit or in groups."""

from __future__ import annotations

import re

from callsim.readers.base import SpokenValue
from callsim.readers.numerals import as_numerals


# Digits said in groups ("forty five sixty seven") are one number read in pieces.
_DIGIT_RUN = re.compile(r"(?<!\w)\d+(?:[ .,-]+\d+)*(?!\w)")
_PAUSE = re.compile(r"[,;.!?]+\s")
_OPENING_OH = re.compile(r"^\W*oh?\b", re.IGNORECASE)


def read_digits(utterance: str, length: tuple[int, int] | None = None) -> SpokenValue | None:
    """Read a string of digits (an order number, a PIN), optionally of a length in a range; a turn that
    opens with "oh" whose digits are one too many without it opens with surprise ("oh one two three four")."""
    found = _read_digits(utterance, length)
    if found is None and length is not None and _OPENING_OH.match(utterance):
        found = _read_digits(_OPENING_OH.sub("", utterance), length)
        found = None if found is None else SpokenValue(found.value, utterance.strip())
    return found


def _read_digits(utterance: str, length: tuple[int, int] | None) -> SpokenValue | None:
    runs = [re.sub(r"\D", "", run) for run in _DIGIT_RUN.findall(as_numerals(utterance))]
    if length is not None:
        runs = [run for run in runs if length[0] <= len(run) <= length[1]] or _groups_of_length(utterance, length)
    if not runs:
        return None
    # The longest run is the one being read out; among equals the last, since callers correct
    # themselves ("one two, sorry, one three").
    return SpokenValue(max(reversed(runs), key=len), utterance.strip())


def _groups_of_length(utterance: str, length: tuple[int, int]) -> list[str]:
    """When no run of digits has the wanted length, the runs of the parts of the turn between pauses that do
    ("account 12345678, 80 dollars": the account, then another value)."""
    found = []
    for part in _PAUSE.split(utterance):
        found += [run for run in (re.sub(r"\D", "", r) for r in _DIGIT_RUN.findall(as_numerals(part)))
                  if length[0] <= len(run) <= length[1]]
    return found
