"""Self-corrections: "wednesday at nine, no sorry, at eleven" means eleven.

A correction marker ("no", "sorry", "I mean", "actually", "make that", "change it to", "scratch
that", "wait", ...) splits what a caller said into what came before it and what came after.
When both sides hold a value of the slot being read, the later one wins; when only one side
does, there was nothing to correct ("no, it's 4567", "I have no idea, maybe 4567") and the turn
is read as a whole. A later time without a day keeps the earlier day ("at eleven"), a later day
without a time keeps the earlier time ("no, thursday").

Which markers count depends on the slot: for a yes/no answer "no" is the answer, not a
marker; free text only yields to markers that can only mean a correction ("I mean", "scratch
that"), because "sorry" and "actually" are everyday words in a complaint.

The readers stay black boxes: a slot's reader is called on the parts of the turn.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any
from zoneinfo import ZoneInfo

from callsim.readers.base import ReadContext, wall
from callsim.readers.dates import read_date, read_time
from callsim.readers.name import written_as_a_name
from callsim.readers.numerals import as_numerals
from callsim.readers.quantities import a_number_alone, spoken_numbers
from callsim.readers.when import MERIDIEM_SAID, mentions_a_day

_REPLACING = (r"i mean|i meant|scratch that|make (?:that|it)|change (?:that|it) to|let me correct that"
              r"|correction|no wait|or rather")
"""Markers that can only mean "what I said before is wrong"."""
_EVERYDAY = r"sorry|actually|wait|rather|oops|nope|"
_NO = r"no(?![\w']|\s+(?:later|earlier|sooner|more|less|fewer|longer|than|one|problem|worries|idea|need|matter|doubt)\b)"
"""Bare "no", but not the determiner of a comparison ("no later than five") or of a set phrase ("no idea")."""

_MARKERS = {
    "all": re.compile(rf"(?<![\w'])(?:{_REPLACING}|{_EVERYDAY}{_NO})(?![\w'])", re.IGNORECASE),
    "yes_no": re.compile(rf"(?<![\w'])(?:{_REPLACING}|sorry|actually|wait|rather|oops)(?![\w'])", re.IGNORECASE),
    "text": re.compile(rf"(?<![\w'])(?:{_REPLACING})(?![\w'])", re.IGNORECASE),
}
CORRECTION = _MARKERS["all"]
"""Every correction marker (a quick test whether a turn may correct anything)."""
_RUN_GAP = re.compile(r"[\s,.;:!?-]*")
MAX_RUNS = 4
"""The most runs of correction markers a turn is read around, the last ones: each is a read of the turn (or
two), so a 10,000-character turn of "no wait" repeated would cost hundreds of reads of the whole turn (and
a correction of an earlier answer that many again for each run). No caller corrects a value four times in
one breath; markers before the last four stay words of the earlier text."""


@dataclass(slots=True)
class Reading:
    """A value read from a turn; when the caller corrected themselves in it, what was replaced and by which words."""

    value: Any
    replaced: Any = None
    marker: str = ""


def markers(type_: str) -> re.Pattern[str]:
    """The correction markers that count for a slot of `type_`."""
    return _MARKERS.get(type_, _MARKERS["all"])


def marker_runs(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int, str]]:
    """Each run of adjacent markers ("no sorry", "actually make that") as (start, end, the words), the last
    MAX_RUNS of them."""
    runs: list[tuple[int, int]] = []
    for found in pattern.finditer(text):
        if runs and _RUN_GAP.fullmatch(text, runs[-1][1], found.start()):
            runs[-1] = (runs[-1][0], found.end())
        else:
            runs.append(found.span())
    return [(start, end, _plain(text[start:end])) for start, end in runs[-MAX_RUNS:]]


def read_corrected(text: str, type_: str, read: Callable[[str], Any],
                   merge: Callable[[Any, Any, str], Any] | None = None) -> Reading | None:
    """Read `text` with `read` (a value or None), letting a self-correction's later value win.

    `merge(earlier, later, later_text)` completes a later value from the earlier one (a time said
    without its day); without it the later value stands as read."""
    pattern = markers(type_)
    if pattern.search(text) is None:  # the common case: one search, then one read
        value = read(text)
        return None if value is None else Reading(value)
    for start, end, marker in reversed(marker_runs(text, pattern)):
        earlier = read(text[:start])
        if earlier is None:
            continue
        later_text = text[end:]
        later = read(later_text)
        if merge is not None:
            later = merge(earlier, later, later_text)
        if later is None and type_ in _DIGIT_TYPES:
            later = tail_replaced(earlier, later_text, read)
        if later is None:
            continue
        if later == earlier:
            return Reading(later)
        if _corrects_another_number(text[:start], later_text, earlier, read):
            return Reading(earlier)
        return Reading(later, earlier, marker)
    value = read(text)
    return None if value is None else Reading(value)


_DIGIT_TYPES = frozenset({"phone", "digits"})
_DIGIT_RUN = re.compile(r"\d+(?:[\s-]+\d+)*")


def tail_replaced(earlier: Any, later_text: str, read: Callable[[str], Any]) -> Any:
    """A number corrected by its last digits alone ("312 555 0142, no wait, 0124"; in the next turn, "no wait,
    it ends 4490"): the earlier number with those digits in place of its own last ones, when that reads as a
    value; else None."""
    said = _DIGIT_RUN.findall(as_numerals(later_text))
    digits = re.sub(r"\D", "", said[0]) if len(said) == 1 else ""
    kept = re.sub(r"\D", "", str(earlier))
    if not digits or len(digits) >= len(kept):
        return None
    return read(kept[: len(kept) - len(digits)] + digits)


def _corrects_another_number(before: str, later_text: str, earlier: Any, read: Callable[[str], Any]) -> bool:
    """Whether a bare number said after a marker corrects another number, said in the clause right before the
    marker and after `earlier`'s own words: "tomorrow around two, three bags, no wait, four" corrects the bags,
    not the time. One more read, and only for a bare number."""
    if not a_number_alone(later_text):
        return False
    pauses = list(_PAUSE.finditer(before.rstrip(" ,;.!?:")))
    clause = pauses[-1].end() if pauses else 0
    return any(not n.ordinal for n in spoken_numbers(before[clause:])) and read(before[:clause]) == earlier


_PAUSE = re.compile(r"[,;.!?:](?:\s|$)")


def said_around_markers(text: str, type_: str) -> list[tuple[str, str, str]]:
    """What precedes and what follows each run of correction markers in a turn, and the run's words, the
    last run first: "oh make that three actually" -> [("oh make that three ", "", "actually"), ("oh ",
    " three actually", "make that")]. A correction's new value is after the last run that has one after it;
    a value before that run too makes it a correction within the turn, not of an earlier answer."""
    return [(text[:start], text[end:], marker) for start, end, marker in reversed(marker_runs(text, markers(type_)))]


def merge_moment(ctx: ReadContext) -> Callable[[Any, Any, str], Any]:
    """A `merge` for moments: a later time without a day keeps the earlier day ("wednesday at nine,
    no, at eleven"), a later day without a time keeps the earlier time ("at nine on wednesday, no,
    thursday"). Values are aware datetimes, or spans (with `start` and `end`) for `when` slots."""
    zone = ZoneInfo(ctx.timezone)

    def merge(earlier: Any, later: Any, later_text: str) -> Any:
        if isinstance(earlier, dt.date) and not isinstance(earlier, dt.datetime):
            return in_month_of(earlier, later, later_text, ctx)
        if not isinstance(earlier, dt.datetime):
            return later
        names_a_day = mentions_a_day(later_text)
        if isinstance(later, dt.datetime):
            if names_a_day:
                return later
            day, time = earlier.astimezone(zone).date(), later.astimezone(zone).time()
            readings = [wall(day, time, zone)]
            if time.hour < 12 and not MERIDIEM_SAID.search(later_text):  # "six, no, seven": 7 PM after 6 PM
                readings.append(wall(day, time.replace(hour=time.hour + 12), zone))
            return min(readings, key=lambda moment: abs(moment - earlier))
        if not names_a_day or read_time(later_text, ctx) is not None:
            return later
        if later is not None and not _a_whole_day(later):
            return later  # "no, thursday morning" is a span the caller asked for
        if later is not None:
            day = later.start.astimezone(zone).date()
        else:
            found = read_date(later_text, ctx)
            if found is None:
                return None
            day = found.value
        return wall(day, earlier.astimezone(zone).time(), zone)

    return merge


def in_month_of(earlier: Any, later: Any, later_text: str, ctx: ReadContext) -> Any:
    """A later date said as a day of the month alone is in the earlier date's month: "june the twentieth, no
    sorry, the twenty seventh" is June 27, and asked about October 10, "is the seventeenth free then" means
    October 17. A day alone is what reads as the same day of another month when the call is a month and a
    half later; a weekday, "tomorrow" or a month said do not."""
    if not isinstance(later, dt.date) or isinstance(later, dt.datetime) or not isinstance(earlier, dt.date) \
            or (later.year, later.month) == (earlier.year, earlier.month):
        return later
    shifted = read_date(later_text, replace(ctx, now=ctx.now + dt.timedelta(days=45)))
    if shifted is None or shifted.value.day != later.day or shifted.value.month == later.month:
        return later
    try:
        return earlier.replace(day=later.day)
    except ValueError:  # "the thirty first" of a month without one
        return later


def merge_name(earlier: Any, later: Any, later_text: str) -> Any:
    """A `merge` for names: the later name stands only when it is said as a name ("Jo March, no sorry, Jo
    Marsh"); "I'm Asha Patel, and no tattoos" keeps Asha Patel."""
    return later if later is not None and written_as_a_name(later_text, str(later)) else None


def _a_whole_day(span: Any) -> bool:
    start, end = getattr(span, "start", None), getattr(span, "end", None)
    if not isinstance(start, dt.datetime) or not isinstance(end, dt.datetime):
        return False
    return end.time() == dt.time(0) and dt.timedelta(hours=12) < end - start <= dt.timedelta(hours=24)


def _plain(words: str) -> str:
    return " ".join(re.sub(r"[^\w'\s]+", " ", words.lower()).split())
