"""The `yes_no` type: agreement (True) or refusal (False)."""

from __future__ import annotations

import re

from callsim.readers.base import SpokenValue
from callsim.readers.utterance import NOT_KNOWING


_UNSURE = ("don't know", "dont know", "not sure", "not certain", "no idea", "maybe", "perhaps", "dunno")
# Phrases that agree although they contain a negative word.
_YES_DESPITE_NO = ("no problem", "no worries", "why not", "not a problem")
_NO = frozenset(
    "no nope nah not don't dont never negative incorrect wrong isn't doesn't wasn't".split()
)
_YES = frozenset(
    "yes yeah yea yep yup sure correct right absolutely definitely ok okay affirmative certainly"
    " exactly uh-huh mhm".split()
)
_YES_PHRASES = ("please do", "go ahead", "sounds good", "of course", "i do", "that's it", "uh huh")


def read_yes_no(utterance: str) -> SpokenValue | None:
    """Read agreement (True) or refusal (False); a negative anywhere wins over a positive."""
    words = re.sub(r"[^\w'-]+", " ", utterance.lower().replace("\u2019", "'")).split()
    text = f" {' '.join(words)} "
    if any(f" {phrase} " in text for phrase in _UNSURE) or NOT_KNOWING.search(utterance) is not None:
        return None  # "no clue, my husband decides" is no "no"
    for phrase in _YES_DESPITE_NO:
        text = text.replace(f" {phrase} ", " yes ")
    said = text.split()
    if _NO.intersection(said):
        return SpokenValue(False, utterance.strip())
    if _YES.intersection(said) or any(f" {phrase} " in text for phrase in _YES_PHRASES):
        return SpokenValue(True, utterance.strip())
    return None
