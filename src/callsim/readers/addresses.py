"""Numbers that label a place rather than count or tell the time: "3 Oak Street", "apartment 4", "gate 12".

`without_place_numbers` blanks them out (same length, so offsets stay put) before a number, a time or a date
is read: "I'm calling from 3 oak street" says no time and no quantity. A street number is the number (written
or spoken, "twenty two") before one to three words that end in a street type ("Oak Street", "Lake Shore
Drive", "Elm St."); a label is a word naming a unit, a room or a seat ("apartment", "suite", "room", "gate",
"flight", ...) with its number right after it.
"""

from __future__ import annotations

import re

_STREET_TYPES = (
    "street st avenue ave road rd drive dr lane ln boulevard blvd court ct place pl terrace parkway pkwy highway "
    "hwy crescent trail"
).split()
"""Only the words that name nothing but a street: "way", "square" or "close" also measure or say how."""
_LABELS = (
    "apartment apt unit suite ste room rm floor gate flight terminal platform seat row aisle door exit "
    "building bldg lot box bay pier dock berth cabin locker bus route highway interstate"
).split()
_NUMBER_WORD = (r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
                r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty"
                r"|ninety|hundred|thousand)")
_NUMBER = rf"(?:\d{{1,6}}[a-z]?|{_NUMBER_WORD}(?:[\s-]+{_NUMBER_WORD}){{0,5}})"
"""A house or room number: at most six digits or six number words, so a long run of numbers costs linear time."""
_NAME_WORD = (rf"(?!(?:{_NUMBER_WORD}|at|on|in|by|for|and|or|to|of|per|a|an|the|my|your|from|with|about|around|am|pm"
              r"|a\.m|p\.m|o'clock|oclock|today|tonight|tomorrow|morning|afternoon|evening|night|point)\b)"
              r"[a-z][\w'.-]*")
"""A word of a street's name: not a number, a small word or a time of day ("3 pm street party" is no street)."""
_STREET = re.compile(
    rf"(?<![\w:]){_NUMBER}(?=(?:\s+{_NAME_WORD}){{1,3}}?\s+(?:{'|'.join(_STREET_TYPES)})\b\.?)", re.IGNORECASE)
_LABELLED = re.compile(rf"\b(?:{'|'.join(_LABELS)})\s+(?:number\s+|no\.?\s+)?#?\s*({_NUMBER})(?![\w:])",
                       re.IGNORECASE)


def without_place_numbers(utterance: str) -> str:
    """`utterance` with street numbers and labelled numbers blanked out (offsets unchanged)."""
    if _PLACE_WORDS.isdisjoint(_LETTERS.findall(utterance.lower())):
        return utterance  # most turns name no street and no room: one cheap look
    blanked = _STREET.sub(lambda match: " " * len(match.group(0)), utterance)
    return _LABELLED.sub(_blank_number, blanked)


_PLACE_WORDS = frozenset(_STREET_TYPES) | frozenset(_LABELS)
_LETTERS = re.compile(r"[a-z]+")


def _blank_number(match: re.Match[str]) -> str:
    """The label as said, its number blanked."""
    start, end = match.span(1)
    return match.group(0)[: start - match.start()] + " " * (end - start)
