"""What every reader shares: the value it returns, the context it reads in, the caller's words.

Speech-to-text hands the engine lowercase-ish words with filler, spelled letters and no
punctuation ("uh it's four five six seven"); a reader turns one such utterance into a typed
value, or None when the caller did not say one.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

Hours = Callable[[datetime.date], Sequence[tuple[datetime.datetime, datetime.datetime]]]
"""When the agent is open on a day: aware (open, close) pairs, e.g. a calendar's `opening`."""


@dataclass(frozen=True)
class SpokenValue:
    """A typed value read out of one utterance, with the text it was read from."""

    # str for text, digits, phone (E.164), email, name and enum; int or float for number; bool
    # for yes_no; date for date; naive time for time; datetime aware in the agent's zone.
    value: object
    # Best effort: the words matched when a reader can tell which, else the stripped utterance.
    text: str


@dataclass(frozen=True)
class ReadContext:
    """What parsing needs besides the text: the virtual clock's now and the agent's zone, and when
    the agent is open (the call's calendar's opening hours, else the agent's `hours`), by which a
    time said without AM or PM is read ("two thirty" at a clinic open 9 to 5 is 14:30)."""

    now: datetime.datetime
    timezone: str = "UTC"
    region: str = "US"
    hours: Hours | None = None

    def __post_init__(self) -> None:
        if self.now.tzinfo is None:
            raise ValueError("ReadContext.now must be timezone-aware")


FILLER = frozenset({"uh", "um", "umm", "uhm", "er", "erm", "ah", "hmm", "mm"})
_WORD_CHARS = re.compile(r"[^\w'@.+-]+")


def words_of(utterance: str) -> list[str]:
    """Split an utterance into lowercase words, without punctuation or filler."""
    text = _WORD_CHARS.sub(" ", utterance.lower().replace("\u2019", "'"))
    return [word.strip(".") for word in text.split() if word.strip(".") not in FILLER]


def wall(day: datetime.date, time: datetime.time | None, zone: ZoneInfo) -> datetime.datetime:
    """The aware moment a wall clock in `zone` shows `time` on `day` (None: midnight ending the day).

    A time that a spring-forward change skips moves past the gap, like a clock that was set to it.
    """
    if time is None:
        day, time = day + datetime.timedelta(days=1), datetime.time(0)
    naive = datetime.datetime.combine(day, time)
    return naive.replace(tzinfo=zone).astimezone(datetime.timezone.utc).astimezone(zone)
