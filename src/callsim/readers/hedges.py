"""A value said roughly is that value: "4ish", "four-ish", "noonish", "4:30ish" are 4, four, noon and 4:30.

`without_ish` blanks the "ish" (same length, so offsets stay put) before a number, a date or a time is read;
"about", "around" and "maybe" already say nothing to the readers.
"""

from __future__ import annotations

import re

_ISH = re.compile(
    r"\b(?:\d{1,4}(?::\d\d)?|noon|midnight|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen"
    r"|twenty|thirty|forty|fifty)(-?ish)\b", re.IGNORECASE)


def without_ish(utterance: str) -> str:
    """`utterance` with the "ish" of a rough number or time blanked, offsets unchanged."""
    if "ish" not in utterance.lower():
        return utterance
    return _ISH.sub(lambda found: found.group(0)[: found.start(1) - found.start()] + " " * len(found.group(1)),
                    utterance)
